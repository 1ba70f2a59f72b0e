import DangjianStore

/// Every capability of the web layer — the one list a new capability adds itself to (docs/adding-a-capability.md).
/// The composition root registers their routes in this order and the navigation bar is built from their entries.
enum Features {
    static let all: [any Feature.Type] = [
        OpsFeature.self,
        AccountFeature.self,
        HomeFeature.self,
        OrganisationsFeature.self,
        MembersFeature.self,
        LifeFeature.self,
        DevelopmentFeature.self,
        DuesFeature.self,
        PointsFeature.self,
        AssessmentFeature.self,
        ReviewFeature.self,
        ListsFeature.self,
        AdminFeature.self,
        APIFeature.self,
    ]

    /// The capabilities' parts of the demo county, in this order.
    static var demoParts: [DemoCounty.DemoPart] { all.compactMap { $0.demo } }

    /// Every capability's template paths (`Feature.paths`), as templates see them under `paths`.
    /// A name two capabilities both claim keeps the first (`FeatureTests` fails on such a clash).
    static let templatePaths: [String: String] = all.reduce(into: [:]) { paths, feature in
        paths.merge(feature.paths) { first, _ in first }
    }

    /// All capabilities' navigation entries in bar order.
    static let navigation: [NavEntry] = all.flatMap { $0.navigation }.sorted { $0.position < $1.position }
}
