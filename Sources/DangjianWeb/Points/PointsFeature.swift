import DangjianStore

/// 党员积分 (slug `points`, issue 18 item 6): each member's yearly account (POINT-01…07), the branch's 实时质量图
/// (POINT-08), manual entries the branch approves, veto and exemption, and a member's own points.
struct PointsFeature: Feature {
    static let paths = ["points": PointsPaths.board, "pointsMine": PointsPaths.mine]
    let services: AppServices

    func addRoutes(to site: Site) {
        PointsController(services: services).addRoutes(to: site)
        PointsAPI(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 31, title: "我的积分", href: PointsPaths.mine, requirement: .signedIn),
        NavEntry(position: 79, title: "党员积分", href: PointsPaths.board, requirement: .permission(.membersRead)),
    ]
}

extension RouteTarget {
    /// A 党员积分 entry of a member of one organisation.
    static let pointEntry = RouteTarget("pointEntry")
}
