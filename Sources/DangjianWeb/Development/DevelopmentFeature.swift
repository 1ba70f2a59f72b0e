import DangjianStore

/// 发展党员 (slug `development`): the 25-step procedure, the annual plan and the application forms.
struct DevelopmentFeature: Feature {
    static let demo: DemoCounty.DemoPart? = .development
    let services: AppServices

    func addRoutes(to site: Site) {
        DevelopmentController(services: services).addRoutes(to: site)
        DevelopmentAPI(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 70, title: "发展党员", href: DevelopmentPaths.plan, requirement: .permission(.membersRead))
    ]

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.conversionTodo, store.developmentTodo]
    }
}

extension RouteTarget {
    /// A 发展党员 case.
    static let developmentCase = RouteTarget("developmentCase")
}
