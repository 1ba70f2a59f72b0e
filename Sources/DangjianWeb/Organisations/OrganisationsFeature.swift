import DangjianStore

/// 组织机构 (slug `organisations`): the tree, its import, 单位 and 换届.
struct OrganisationsFeature: Feature {
    static let paths = ["orgs": OrganisationsPaths.orgs, "orgsImport": OrganisationsPaths.orgsImport]
    let services: AppServices

    func addRoutes(to site: Site) {
        OrganisationImportController(services: services).addRoutes(to: site)
        OrganisationController(services: services).addRoutes(to: site)
        TermController(services: services).addRoutes(to: site)
        UnitController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 30, title: "组织机构", href: OrganisationsPaths.orgs, requirement: .permission(.organisationsRead)),
        NavEntry(position: 40, title: "单位", href: OrganisationsPaths.units, requirement: .permission(.organisationsRead)),
        NavEntry(position: 160, title: "换届提醒", href: OrganisationsPaths.terms, requirement: .permission(.organisationsWrite)),
    ]

    static func todoSources(_ store: StoreServices) -> [any TodoSource] {
        [store.termTodo]
    }
}

extension RouteTarget {
    /// A unit (单位) registered under one organisation.
    static let unit = RouteTarget("unit")
}
