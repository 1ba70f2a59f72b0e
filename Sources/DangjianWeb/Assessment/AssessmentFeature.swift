import DangjianStore

/// 考评验收 (slug `assessment`, issue 19): indicator schemes imported from the office's table, rounds with the three
/// stages (单位自评, 实地考评, 综合审定), assessors' phone sheets, automatic indicators, results and rankings, the
/// .xlsx of every score, and the lagging units' problems in the 三单一账 loop (evaluation.md §1–2).
struct AssessmentFeature: Feature {
    static let paths = ["assessment": AssessmentPaths.overview]
    static let demo: DemoCounty.DemoPart? = .assessment
    let services: AppServices

    func addRoutes(to site: Site) {
        AssessmentController(services: services).addRoutes(to: site)
        AssessmentSheetController(services: services).addRoutes(to: site)
        AssessmentResultsController(services: services).addRoutes(to: site)
        AssessmentPublicityController(services: services).addRoutes(to: site)
        AssessmentAPI(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 135, title: "考评验收", href: AssessmentPaths.overview, requirement: .signedIn)
    ]
}

extension RouteTarget {
    /// An indicator scheme version of one organisation.
    static let assessmentScheme = RouteTarget("assessmentScheme")
    /// An assessment round, organised by one organisation.
    static let assessmentRound = RouteTarget("assessmentRound")
    /// A unit (organisation) in a round.
    static let assessmentUnit = RouteTarget("assessmentUnit")
    /// An evidence file of a unit in a round.
    static let assessmentEvidence = RouteTarget("assessmentEvidence")
}
