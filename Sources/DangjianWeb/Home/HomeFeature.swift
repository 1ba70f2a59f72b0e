/// 首页 and 待办: what a user sees first and what they should do next.
struct HomeFeature: Feature {
    static let paths = ["home": HomePaths.home, "todo": HomePaths.todo]
    let services: AppServices

    func addRoutes(to site: Site) {
        HomeController(services: services).addRoutes(to: site)
        TodoController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 10, title: "首页", href: HomePaths.home, requirement: .signedIn),
        NavEntry(position: 20, title: "待办", href: HomePaths.todo, requirement: .signedIn),
    ]
}
