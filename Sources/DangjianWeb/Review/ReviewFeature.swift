import DangjianStore

/// 述职评议 (slug `review`, issue 19, evaluation.md §5): the higher committee's annual (or half-year) review of its
/// secretaries — reports, the comment per reporter (一述一评), ballots on paper or by phone (the round's QR code or
/// one-time codes), the combined result with the assessment, rectification items in the 三单一账 loop.
struct ReviewFeature: Feature {
    static let paths = ["review": ReviewPaths.overview]
    static let demo: DemoCounty.DemoPart? = .review
    let services: AppServices

    func addRoutes(to site: Site) {
        ReviewController(services: services).addRoutes(to: site)
        ReviewReporterController(services: services).addRoutes(to: site)
        ReviewBallotController(services: services).addRoutes(to: site)
        ReviewAPI(services: services).addRoutes(to: site)
    }

    static func todoSources(_ store: StoreServices) -> [any TodoSource] { [store.reviewTodo] }

    static let navigation: [NavEntry] = [
        NavEntry(position: 137, title: "述职评议", href: ReviewPaths.overview, requirement: .anyOf([.ledgerManage, .ledgerWrite]))
    ]
}

extension RouteTarget {
    /// A review round, organised by one organisation.
    static let reviewRound = RouteTarget("reviewRound")
    /// A reporter (one organisation's secretary) in a round.
    static let reviewReporter = RouteTarget("reviewReporter")
}
