import DangjianStore

/// 党员名册 (slug `members`): the roster, its import and export, 流动党员, 关系转接 and unmasked-export requests.
struct MembersFeature: Feature {
    static let paths = [
        "members": MembersPaths.members, "membersImport": MembersPaths.membersImport, "floating": MembersPaths.floating,
        "exports": MembersPaths.exports, "accountMe": MembersPaths.accountMe,
    ]
    static let demo: DemoCounty.DemoPart? = .members
    let services: AppServices

    func addRoutes(to site: Site) {
        FloatingController(services: services).addRoutes(to: site)
        TransferController(services: services).addRoutes(to: site)
        MemberImportController(services: services).addRoutes(to: site)
        MemberController(services: services).addRoutes(to: site)
        UnmaskedExportController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 50, title: "党员名册", href: MembersPaths.members, requirement: .permission(.membersRead)),
        NavEntry(position: 80, title: "流动党员", href: MembersPaths.floating, requirement: .permission(.membersRead)),
        NavEntry(position: 150, title: "关系转接", href: MembersPaths.transfers, requirement: .permission(.membersWrite)),
        NavEntry(position: 220, title: "我的信息", href: MembersPaths.accountMe, requirement: .permission(.ownRecordRead)),
        NavEntry(position: 230, title: "导出申请", href: MembersPaths.exports, requirement: .permission(.exportUnmasked)),
    ]

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.membersTodo]
    }
}

extension RouteTarget {
    /// A floating-member certificate (流动党员活动证) of a member of one organisation.
    static let floatingCertificate = RouteTarget("floatingCertificate")
    /// A transfer letter (组织关系介绍信) out of one organisation: confirmed, cancelled or printed by the sender.
    static let outgoingTransfer = RouteTarget("outgoingTransfer")
    /// A transfer into one organisation, received there.
    static let incomingTransfer = RouteTarget("incomingTransfer")
    /// A member on the roster.
    static let member = RouteTarget("member")
}
