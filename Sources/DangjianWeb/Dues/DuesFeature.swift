import DangjianStore

/// 党费 (slug `dues`): the yearly base-setting per member and the monthly amount it gives (DUES-02…06, DUES-09,
/// DUES-16); the monthly collection with payments, reversals and receipts (DUES-11/17); a member's own dues.
/// 少交/免交 (DUES-07/18), arrears (DUES-13/19), the month's report, and each organisation's account with its
/// remittances upward, use and yearly publication (DUES-12/20/21).
struct DuesFeature: Feature {
    static let paths = ["dues": DuesPaths.dues, "duesCollection": DuesPaths.collection, "duesMine": DuesPaths.mine]
    static let demo: DemoCounty.DemoPart? = .dues
    let services: AppServices

    func addRoutes(to site: Site) {
        DuesController(services: services).addRoutes(to: site)
        DuesCollectionController(services: services).addRoutes(to: site)
        DuesPayrollController(services: services).addRoutes(to: site)
        DuesReductionController(services: services).addRoutes(to: site)
        DuesReportController(services: services).addRoutes(to: site)
        DuesAccountController(services: services).addRoutes(to: site)
        DuesLapseController(services: services).addRoutes(to: site)
        DuesAPI(services: services).addRoutes(to: site)
        DuesAccountAPI(services: services).addRoutes(to: site)
    }

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.duesTodo]
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 30, title: "我的党费", href: DuesPaths.mine, requirement: .signedIn),
        NavEntry(position: 75, title: "党费基数", href: DuesPaths.dues, requirement: .permission(.membersRead)),
        NavEntry(position: 76, title: "党费收缴", href: DuesPaths.collection, requirement: .permission(.membersRead)),
        NavEntry(position: 78, title: "党费月报", href: DuesPaths.report, requirement: .permission(.membersRead)),
        NavEntry(position: 77, title: "党费减免", href: DuesPaths.reductions, requirement: .permission(.membersWrite)),
        NavEntry(position: 74, title: "党费账目", href: DuesPaths.ledger, requirement: .permission(.membersRead)),
    ]
}

extension RouteTarget {
    /// A 党费 payment entry of a member of one organisation.
    static let duesPayment = RouteTarget("duesPayment")
}
