import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// Resolves who is calling (session cookie or API bearer token), applies the idle and absolute timeouts, and
/// enforces CSRF protection on every state-changing request (synchronizer token; cross-site requests refused).
struct SessionMiddleware: RouterMiddleware {
    let services: AppServices
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// The path and query of the `Referer` (the page a form was on; only the path is kept, so it stays on this site and
    /// `AuthController.safeNext` checks it again), or nil when there is none.
    static func sameSitePath(_ referer: String?) -> String? {
        guard let referer, let url = URL(string: referer), let path = url.path.isEmpty ? nil : url.path, path.hasPrefix("/") else { return nil }
        return url.query.map { path + "?" + $0 } ?? path
    }

    static let fetchSiteHeader = HTTPField.Name("Sec-Fetch-Site")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        var context = context
        var request = request
        if services.configuration.trustProxy, let forwarded = request.headers[Self.forwardedFor] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmed } ?? ""
            if !first.isEmpty { context.clientIP = String(first.prefix(64)) }
        }
        do {
            var sessionExpired = false
            // `/metrics` takes its own bearer token (L7), not a personal access token.
            if request.uri.path != "/metrics", let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
                let token = String(authorization.dropFirst("Bearer ".count)).trimmed
                guard let (userID, scope) = try await services.tokens.authenticate(token: token),
                    let user = try await services.accounts.find(userID), user.disabledAt == nil
                else {
                    throw NeedsSignIn(isAPI: true)
                }
                let principal = try await services.accounts.principal(for: user)
                context.identity = Identity(
                    user: user, principal: principal, sessionToken: nil, csrfToken: nil,
                    mustChangePassword: user.mustChangePassword, tokenScope: scope)
            } else if let token = request.cookies[services.sessionCookieName]?.value, !token.isEmpty {
                if let (session, user, principal) = try await services.accounts.signedIn(sessionToken: token), user.disabledAt == nil {
                    let policy = try await services.passwordPolicy()
                    let idleMinutes = principal.isAdministrator ? policy.adminIdleTimeoutMinutes : policy.idleTimeoutMinutes
                    let now = services.clock.now()
                    if now.timeIntervalSince(session.lastSeenAt) > TimeInterval(idleMinutes * 60)
                        || now.timeIntervalSince(session.createdAt) > TimeInterval(policy.absoluteTimeoutHours * 3600)
                    {
                        try await services.sessions.end(token: token)
                        try await services.audit.record(
                            AuditEvent(
                                action: .sessionExpired, objectType: "user", objectID: String(user.id),
                                summary: "会话超时，已退出登录"),
                            by: Actor(userID: user.id, name: user.username, ip: context.clientIP, requestID: context.requestID),
                            database: services.database)
                        sessionExpired = true
                    } else {
                        try await services.sessions.touch(token: token, record: session)
                        let mustChange = user.mustChangePassword || services.accounts.passwordExpired(user, policy: policy)
                        // H6: a session that has not passed the second factor reaches only the code form, or
                        // enrolment when the user's role needs one and they have none.
                        var gate = SecondFactorGate.passed
                        if session.secondFactorAt == nil {
                            if try await services.secondFactors.isEnrolled(userID: user.id) {
                                gate = .pending
                            } else if policy.requiresSecondFactor(principal.roles) {
                                gate = .enrolmentRequired
                            }
                        }
                        context.identity = Identity(
                            user: user, principal: principal, sessionToken: token, csrfToken: session.csrfToken,
                            mustChangePassword: mustChange, secondFactor: gate, provedAt: session.stepUpAt,
                            noticesSince: session.noticesSince)
                        let absoluteLeft = TimeInterval(policy.absoluteTimeoutHours * 3600) - now.timeIntervalSince(session.createdAt)
                        context.identity?.sessionSecondsLeft = max(0, min(idleMinutes * 60, Int(absoluteLeft.rounded(.down))))
                    }
                }
            }
            // The CSRF token is checked by the route (`Site.add` → `CSRFGuard`), after its access check and with its
            // body limit; a cross-site state change is refused here for every path, routed or not.
            if request.method != .get && request.method != .head && request.method != .options,
                request.headers[Self.fetchSiteHeader] == "cross-site"
            {
                throw CSRFRejected(reason: "跨站请求被拒绝")
            }
            if sessionExpired && context.identity == nil && !request.uri.path.hasPrefix("/api/") && request.uri.path != AccountPaths.login {
                // Back to where the user was after signing in again: the page itself, or for a form sent after the
                // timeout the page that showed the form (its input waits in the browser, app.js; issue 17 item 6).
                var back = request.method == .get ? request.uri.path : Self.sameSitePath(request.headers[.referer]) ?? ""
                if back == HomePaths.home { back = "" }
                var response = PageRenderer.redirect(
                    AccountPaths.login + "?expired=1" + (back.isEmpty ? "" : "&next=" + ErrorPages.queryEscaped(back)))
                response.headers[.setCookie] = services.cookie(services.sessionCookieName, "", maxAge: 0)
                return response
            }
            return try await next(request, context)
        } catch {
            return try await ErrorPages(services: services).response(for: error, request: request, context: context)
        }
    }

}

/// Requires the session's token on every session-authenticated state change, and the double-submit cookie on the
/// sign-in form. Run by each route after its access check, so the body it may read is bounded by the route.
struct CSRFGuard: Sendable {
    let services: AppServices

    func check(_ request: inout Request, context: AppRequestContext) async throws {
        if request.headers[SessionMiddleware.fetchSiteHeader] == "cross-site" {
            throw CSRFRejected(reason: "跨站请求被拒绝")
        }
        if let identity = context.identity {
            guard let expected = identity.csrfToken else { return }  // API token: no cookie, no CSRF exposure
            var supplied = request.headers[SessionMiddleware.csrfHeader]
            if supplied == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                let form = try await FormData.read(&request)
                supplied = form["_csrf"]
            } else if supplied == nil, MultipartForm.boundary(from: request.headers[.contentType]) != nil {
                supplied = try await MultipartForm.read(&request, limit: RouteBody.current.limit).value("_csrf")
            }
            guard let supplied, constantTimeEquals(supplied, expected) else {
                throw CSRFRejected(reason: "表单校验码缺失或不匹配")
            }
        } else if request.uri.path == AccountPaths.login {
            // Before sign-in there is no session: a double-submit cookie protects the sign-in form (login CSRF).
            let form = try await FormData.read(&request)
            guard let cookie = request.cookies[services.loginCookieName]?.value, let field = form["_csrf"],
                !cookie.isEmpty, constantTimeEquals(cookie, field)
            else {
                throw CSRFRejected(reason: "登录表单已过期，请刷新页面后重试")
            }
        }
    }
}

/// A state-changing request failed the CSRF check.
struct CSRFRejected: Error { var reason: String }
