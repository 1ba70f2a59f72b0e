import DangjianStore

/// 党费 (slug `dues`): the yearly base-setting per member and the monthly amount it gives (DUES-02…06, DUES-09,
/// DUES-16). Collection, exemptions, arrears and the ledger build on these bases (issue 18).
struct DuesFeature: Feature {
    static let paths = ["dues": DuesPaths.dues]
    static let demo: DemoCounty.DemoPart? = .dues
    let services: AppServices

    func addRoutes(to site: Site) {
        DuesController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 75, title: "党费", href: DuesPaths.dues, requirement: .permission(.membersRead))
    ]
}
