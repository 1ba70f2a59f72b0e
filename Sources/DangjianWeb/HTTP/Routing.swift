public import Hummingbird
public import DangjianDomain
import HTTPTypes
import Foundation

/// Who may call a route.
public enum RouteAccess: Sendable, Equatable {
    /// Anyone, signed in or not (sign-in page, health, static files).
    case anyone
    /// Any signed-in session, even one that has not yet passed the second factor (verify, enrol, sign out).
    case signingIn
    /// Any signed-in user, including one who must still change the password.
    case signedInDuringPasswordChange
    /// Any signed-in user who has a current password.
    case signedIn
    /// A signed-in user holding the permission (somewhere in the tree for organisational permissions).
    case permission(Permission)
}

/// What a route acts on, declared where it is registered. Every route whose target lies in the organisation tree
/// is checked by the authorization matrix with its target at each of the five positions relative to the caller
/// (own, child, parent, sibling, other county); a route with no organisational target is checked once. A capability
/// declares its own record kinds beside its routes (`extension RouteTarget { static let meeting = … }`).
public struct RouteTarget: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// Nothing in the tree: the caller's own account, system settings, health, static files, the caller's to-do.
    public static let none = RouteTarget("none")
    /// The organisation named by the path's `{id}` or by the `org` parameter (a list, report or export of it).
    public static let organisation = RouteTarget("organisation")
}

/// How large a request body a route accepts (issue 15, H4). Checked against `Content-Length` before anything is
/// read and enforced again while reading, so a large body to a small form is refused with 413 at once — and only
/// the upload routes, for callers with their permission, ever read up to the upload limit.
public enum RouteBody: Sendable, Hashable {
    /// An ordinary form or JSON body: 256 KB.
    case form
    /// A form with one field per member (attendance, evaluations): 2 MB.
    case largeForm
    /// A file upload (roster, evidence, scans): 11 MB.
    case upload

    public var limit: Int {
        switch self {
        case .form: 256 * 1024
        case .largeForm: 2 * 1024 * 1024
        case .upload: 11 * 1024 * 1024
        }
    }

    /// The limit of the route being handled (set by `Site` around each handler), for the body readers.
    @TaskLocal static var current: RouteBody = .form
}

/// One registered route: the list every security test (authorization matrix, CSRF, headers, OpenAPI) walks.
public struct RouteSpec: Sendable, Hashable {
    public var method: String
    public var path: String
    public var access: RouteAccess
    /// The largest body the route reads.
    public var body: RouteBody = .form
    /// What the route acts on (`RouteTarget`).
    public var target: RouteTarget = .none
    /// The slug of the capability that registered it (`Feature.slug`): its matrix lines and route list live in that
    /// capability's files (`Authorization/Matrix/<slug>.txt`, `Authorization/Routes/<slug>.txt`).
    public var feature = ""
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
    let parameterBook: RouteParameterBook?
    let csrf: CSRFGuard?
    /// Sends each form once (`SubmitOnce`); nil in a site without a database behind it.
    let submitOnce: SubmitOnce?
    let spoolDirectory: URL
    public private(set) var specs: [RouteSpec] = []
    /// The capability whose routes are being added (set by the composition root around each `addRoutes`).
    var feature = ""

    init(
        router: Router<AppRequestContext>, csrf: CSRFGuard?, submitOnce: SubmitOnce? = nil, parameterBook: RouteParameterBook? = nil,
        spoolDirectory: URL = FileManager.default.temporaryDirectory
    ) {
        self.router = router
        self.csrf = csrf
        self.submitOnce = submitOnce
        self.parameterBook = parameterBook
        self.spoolDirectory = spoolDirectory
    }

    /// Adds a route. Paths use `{name}` for parameters.
    func add(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess, target: RouteTarget = .none, body: RouteBody = .form,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        var registered = RouteSpec(method: method.rawValue, path: path, access: access)
        registered.body = body
        registered.target = target
        registered.feature = feature
        let spec = registered
        specs.append(spec)
        let hbPath = RouterPath(path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
        let csrf = self.csrf
        let submitOnce = self.submitOnce
        let book = parameterBook
        let spoolDirectory = self.spoolDirectory
        router.on(hbPath, method: method) { request, context in
            // Who may call it first, then the body's size, then the CSRF token (which may read the body): a caller
            // without the permission never gets a body read at all.
            try Site.check(access, method: method, context: context, isAPI: spec.isAPI)
            if let length = request.headers[.contentLength].flatMap({ Int($0.trimmed) }), length > body.limit {
                throw HTTPError(.contentTooLarge)
            }
            var request = request
            // An upload is spooled to disk once, then read by the CSRF check and the handler from there (H4).
            var upload: MultipartForm?
            if body == .upload, method == .post, let boundary = MultipartForm.boundary(from: request.headers[.contentType]) {
                upload = try await MultipartForm.spool(request, boundary: boundary, limit: body.limit, directory: spoolDirectory)
            }
            return try await MultipartForm.$received.withValue(upload) {
                if let csrf, method != .get, method != .head, method != .options {
                    try await RouteBody.$current.withValue(body) { try await csrf.check(&request, context: context) }
                }
                // A form sent with a session is handled once (a double tap stores one record, `SubmitOnce`).
                var once: (guard: SubmitOnce, key: String, userID: Int64)?
                if let submitOnce, method == .post, let identity = context.identity, identity.csrfToken != nil,
                    let key = try await RouteBody.$current.withValue(body, operation: { try await SubmitOnce.key(&request, route: spec.key) })
                {
                    once = (submitOnce, key, identity.user.id)
                }
                let checked = request
                let handle: @Sendable () async throws -> Response = {
                    guard let book else {
                        return try await RouteBody.$current.withValue(body) { try await handler(checked, context) }
                    }
                    let log = ParameterLog()
                    defer { book.add(log.names, to: spec.key) }
                    return try await FormData.$log.withValue(log) {
                        try await RouteBody.$current.withValue(body) { try await handler(checked, context) }
                    }
                }
                guard let once else { return try await handle() }
                return try await once.guard.run(key: once.key, userID: once.userID, handle)
            }
        }
    }

    /// Enforces `access`; throws `NeedsSignIn`, `NeedsPasswordChange` or `AccessDenied`. A personal access token
    /// reaches only `/api/v1` (never a page, so never an administrator's page without CSRF or idle timeout), and a
    /// read-only token only its GET routes (issue 15, M3).
    static func check(_ access: RouteAccess, method: HTTPRequest.Method = .get, context: AppRequestContext, isAPI: Bool) throws {
        if let scope = context.identity?.tokenScope {
            guard isAPI else { throw AccessDenied(permission: nil, reason: "访问令牌只能用于 /api/v1 接口，网页请登录后使用") }
            if scope == .read && method != .get && method != .head {
                throw AccessDenied(permission: nil, reason: "只读访问令牌不能修改数据")
            }
        }
        switch access {
        case .anyone:
            return
        case .signingIn:
            guard context.identity != nil else { throw NeedsSignIn(isAPI: isAPI) }
        case .signedInDuringPasswordChange:
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: isAPI) }
            if identity.secondFactor != .passed { throw NeedsSecondFactor(gate: identity.secondFactor, isAPI: isAPI) }
        case .signedIn:
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: isAPI) }
            if identity.secondFactor != .passed { throw NeedsSecondFactor(gate: identity.secondFactor, isAPI: isAPI) }
            if identity.mustChangePassword { throw NeedsPasswordChange(isAPI: isAPI) }
        case .permission(let permission):
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: isAPI) }
            if identity.secondFactor != .passed { throw NeedsSecondFactor(gate: identity.secondFactor, isAPI: isAPI) }
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

/// The session has not passed the second factor: pages go to the code form (or to enrolment), the API answers 401.
struct NeedsSecondFactor: Error { var gate: SecondFactorGate; var isAPI: Bool }

/// A sensitive action needs the user to prove who they are again (step-up, issue 15, H6): pages go to the
/// step-up form and come back to `next`; the API answers 403.
struct NeedsStepUp: Error { var next: String; var isAPI: Bool }

/// The parameters each route's handler has been seen to read (`AppConfiguration.routeParameterBook`).
public final class RouteParameterBook: @unchecked Sendable {
    private let lock = NSLock()
    private var read: [String: Set<String>] = [:]
    public init() {}

    func add(_ names: Set<String>, to route: String) {
        lock.lock()
        defer { lock.unlock() }
        read[route, default: []].formUnion(names)
    }

    /// The names read by `route` (its `RouteSpec.key`) so far.
    public func parameters(of route: String) -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return read[route] ?? []
    }
}
