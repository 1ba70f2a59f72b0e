import DangjianStore

/// 三单一账 (slug `lists`): campaigns, 任务清单, 责任清单, 问题清单 with rectification, 督导检查 and the 月通报.
struct ListsFeature: Feature {
    static let paths = [
        "tasks": ListsPaths.tasks, "problems": ListsPaths.problems, "letters": ListsPaths.letters, "attachments": ListsPaths.attachments,
        "campaigns": ListsPaths.campaigns,
    ]
    static let demo: DemoCounty.DemoPart? = .lists
    let services: AppServices

    func addRoutes(to site: Site) {
        CampaignController(services: services).addRoutes(to: site)
        ProblemController(services: services).addRoutes(to: site)
        SupervisionController(services: services).addRoutes(to: site)
        LedgerReportController(services: services).addRoutes(to: site)
        DutyController(services: services).addRoutes(to: site)
        ListsAPI(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 90, title: "创建活动", href: ListsPaths.campaigns, requirement: .permission(.ledgerManage)),
        NavEntry(position: 100, title: "任务清单", href: ListsPaths.tasks, requirement: .permission(.ledgerWrite)),
        NavEntry(position: 110, title: "责任清单", href: ListsPaths.duties, requirement: .permission(.ledgerWrite)),
        NavEntry(position: 120, title: "问题整改", href: ListsPaths.problems, requirement: .permission(.ledgerWrite)),
        NavEntry(position: 130, title: "督导检查", href: ListsPaths.supervision, requirement: .permission(.ledgerManage)),
        NavEntry(position: 140, title: "月通报", href: ListsPaths.ledgerReport, requirement: .permission(.ledgerWrite)),
    ]

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.listsTodo]
    }
}

extension RouteTarget {
    /// A campaign (创建活动) of the organisation that runs it.
    static let campaign = RouteTarget("campaign")
    /// A task assigned to one organisation (任务清单).
    static let taskAssignment = RouteTarget("taskAssignment")
    /// A problem of one organisation (问题清单).
    static let problem = RouteTarget("problem")
    /// A supervision round of the organisation that runs it.
    static let supervisionRound = RouteTarget("supervisionRound")
    /// A reminder letter to one organisation.
    static let letter = RouteTarget("letter")
    /// An organisation's duty list (责任清单).
    static let dutyList = RouteTarget("dutyList")
    /// A duty-list template (履职清单模板) kept by one organisation.
    static let dutyTemplate = RouteTarget("dutyTemplate")
    /// An evidence file on a ledger entry.
    static let attachment = RouteTarget("attachment")
}
