import DangjianDomain
import DangjianStore

/// One capability of the web layer (组织机构, 党员名册, 组织生活, 发展党员, 三单一账 …): its routes and its entries in the
/// navigation bar. Each capability has one `Feature` in its own folder, listed once in `Features.swift`
/// (docs/adding-a-capability.md) — the composition root, the navigation bar and the route tests all read that list.
protocol Feature: Sendable {
    init(services: AppServices)
    /// Registers the capability's routes, each with its declared access (`Site`, decision 0006).
    func addRoutes(to site: Site)
    /// The capability's links in the navigation bar; the bar shows those the signed-in user's permissions allow.
    static var navigation: [NavEntry] { get }
    /// The capability's contributions to 待办 (and so to the reminder job), built over the Store's graph.
    static func todoSources(_ store: StoreServices) -> [any TodoSource]
    /// What the capability adds to the demo county (`DemoCounty+<Slug>.swift` in the Store), if anything.
    static var demo: DemoCounty.DemoPart? { get }
    /// The capability's fixed URLs that templates link to, by name: `{{paths.problems}}` in any template is
    /// `ListsPaths.problems` (a record's URL is `{{paths.problems}}/{{id}}`). Names are unique across capabilities
    /// (a test), so no template repeats a path literal.
    static var paths: [String: String] { get }
}

extension Feature {
    /// The capability's slug, from its type's name (`DuesFeature` → `dues`): the same word names its folders,
    /// templates, tests and its files of matrix lines and routes.
    static var slug: String {
        let name = String(describing: self)
        return (name.hasSuffix("Feature") ? String(name.dropLast("Feature".count)) : name).lowercased()
    }

    static var navigation: [NavEntry] { [] }
    static func todoSources(_ store: StoreServices) -> [any TodoSource] { [] }
    static var demo: DemoCounty.DemoPart? { nil }
    static var paths: [String: String] { [:] }
}

/// One link in the navigation bar, contributed by a capability.
struct NavEntry: Sendable {
    /// Who sees the link.
    enum Requirement: Sendable {
        /// Every signed-in user (their own account, home, to-do).
        case signedIn
        /// Holders of the permission (anywhere in their reach).
        case permission(Permission)
        /// Holders of any of the permissions.
        case anyOf([Permission])

        func isMet(by principal: Principal) -> Bool {
            switch self {
            case .signedIn: true
            case .permission(let permission): principal.has(permission)
            case .anyOf(let permissions): permissions.contains { principal.has($0) }
            }
        }
    }

    /// The link's place in the bar (smaller first). The bar is ordered by task, not by capability: 关系转接 sits
    /// with the other everyday work, the account links come last.
    var position: Int
    var title: String
    var href: String
    var requirement: Requirement
}
