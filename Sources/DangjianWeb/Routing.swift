public import Hummingbird
public import DangjianDomain
import HTTPTypes

/// Who may call a route.
public enum RouteAccess: Sendable, Equatable {
    /// Anyone, signed in or not (sign-in page, health, static files).
    case anyone
    /// Any signed-in user, including one who must still change the password.
    case signedInDuringPasswordChange
    /// Any signed-in user who has a current password.
    case signedIn
    /// A signed-in user holding the permission (somewhere in the tree for organisational permissions).
    case permission(Permission)
}

/// One registered route: the list every security test (authorization matrix, CSRF, headers, OpenAPI) walks.
public struct RouteSpec: Sendable, Hashable {
    public var method: String
    public var path: String
    public var access: RouteAccess
    /// The route is part of the JSON API (`/api/v1`), authenticated by bearer token or session.
    public var isAPI: Bool { path.hasPrefix("/api/") }
    /// Key used in test matrices: `GET /orgs/{id}`.
    public var key: String { "\(method) \(path)" }

    public static func == (lhs: RouteSpec, rhs: RouteSpec) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

extension RouteAccess: Hashable {}

/// Registers routes on the router and records them in `specs`, checking the caller's access before the
/// handler runs. Handlers receive the verified identity when the route needs one.
public final class Site: @unchecked Sendable {
    let router: Router<AppRequestContext>
    public private(set) var specs: [RouteSpec] = []

    init(router: Router<AppRequestContext>) { self.router = router }

    /// Adds a route. Paths use `{name}` for parameters.
    func add(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        let spec = RouteSpec(method: method.rawValue, path: path, access: access)
        specs.append(spec)
        let hbPath = RouterPath(path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
        router.on(hbPath, method: method) { request, context in
            try Site.check(access, context: context, isAPI: spec.isAPI)
            return try await handler(request, context)
        }
    }

    /// Enforces `access`; throws `NeedsSignIn`, `NeedsPasswordChange` or `AccessDenied`.
    static func check(_ access: RouteAccess, context: AppRequestContext, isAPI: Bool) throws {
        switch access {
        case .anyone:
            return
        case .signedInDuringPasswordChange:
            guard context.identity != nil else { throw NeedsSignIn(isAPI: isAPI) }
        case .signedIn:
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: isAPI) }
            if identity.mustChangePassword { throw NeedsPasswordChange(isAPI: isAPI) }
        case .permission(let permission):
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: isAPI) }
            if identity.mustChangePassword { throw NeedsPasswordChange(isAPI: isAPI) }
            guard identity.principal.has(permission) else {
                throw AccessDenied(permission: permission, reason: "需要“\(permission.displayName)”权限")
            }
        }
    }
}

/// The caller is not signed in: pages redirect to the sign-in page, the API answers 401.
struct NeedsSignIn: Error { var isAPI: Bool }

/// The caller must change the password first: pages redirect to the change-password page, the API answers 403.
struct NeedsPasswordChange: Error { var isAPI: Bool }
