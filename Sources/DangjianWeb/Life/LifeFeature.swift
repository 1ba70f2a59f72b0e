import DangjianStore

/// 组织生活 (slug `life`): 三会一课 and other meetings, sign-in by QR, 民主评议, the compliance board, roll-up and report.
struct LifeFeature: Feature {
    static let paths = ["meetings": LifePaths.meetings]
    static let demo: DemoCounty.DemoPart? = .life
    let services: AppServices

    func addRoutes(to site: Site) {
        MeetingController(services: services).addRoutes(to: site)
        ComplianceReportController(services: services).addRoutes(to: site)
        EvaluationController(services: services).addRoutes(to: site)
        CheckinController(services: services).addRoutes(to: site)
        LifeAPI(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 60, title: "组织生活", href: LifePaths.compliance, requirement: .permission(.membersRead))
    ]

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.lifeTodo]
    }
}

extension RouteTarget {
    /// A meeting record (三会一课, 主题党日, 民主评议 …).
    static let meeting = RouteTarget("meeting")
}
