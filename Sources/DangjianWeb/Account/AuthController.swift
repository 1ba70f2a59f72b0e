import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// Sign-in, sign-out and changing one's own password (登录、退出、修改密码).
struct AuthController {
    let services: AppServices

    struct LoginModel {
        var csrf: String
        var username: String
        var error: String?
        var notice: String?
        var next: String
    }

    struct PasswordModel {
        var csrf: String
        var forced: Bool
        var expired: Bool
        var error: String?
        var errorField: String?
        var done: Bool
        var rules: [String]
    }

    func addRoutes(to site: Site) {
        site.add(.get, AccountPaths.login, access: .anyone) { request, context in
            let query = FormData.query(request)
            if context.identity != nil { return PageRenderer.redirect(HomePaths.home) }
            var notice: String?
            if query["expired"] != nil { notice = "您长时间未操作，已自动退出，请重新登录。" }
            if query["bye"] != nil { notice = "您已安全退出。" }
            return loginPage(request, context, username: "", error: nil, notice: notice, next: query.text("next"), status: .ok)
        }
        site.add(.post, AccountPaths.login, access: .anyone) { request, context in try await signIn(request, context) }
        site.add(.post, AccountPaths.logout, access: .signingIn) { _, context in
            if let identity = context.identity, let token = identity.sessionToken {
                try await services.sessions.end(token: token)
                try await services.audit.record(
                    AuditEvent(
                        action: .logout, objectType: "user", objectID: String(identity.user.id), summary: "退出登录"),
                    by: context.actor, database: services.database)
            }
            var response = PageRenderer.redirect(AccountPaths.login + "?bye=1")
            response.headers[.setCookie] = services.cookie(services.sessionCookieName, "", maxAge: 0)
            return response
        }
        site.add(.get, AccountPaths.changeCredentials, access: .signedInDuringPasswordChange) { request, context in
            let done = FormData.query(request)["done"] != nil
            return try await passwordPage(request, context, error: nil, field: nil, done: done, status: .ok)
        }
        site.add(.post, AccountPaths.changeCredentials, access: .signedInDuringPasswordChange) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            do {
                let change = try PasswordChangeForm(form)
                try await services.accounts.changePassword(
                    userID: identity.user.id, current: change.current, new: change.new, policy: try await services.passwordPolicy(),
                    actor: context.actor)
            } catch let failure as ValidationFailure {
                return try await passwordPage(request, context, error: failure.fullMessage, field: failure.field, done: false, status: .badRequest)
            }
            // A changed password ends every other session of the user (ASVS 3.3.3).
            try await services.sessions.endAll(userID: identity.user.id, except: identity.sessionToken)
            return PageRenderer.redirect(AccountPaths.changeCredentials + "?done=1")
        }
    }

    /// POST /login: checks the password (and the lockout), then the second factor or the session.
    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let policy = try await services.passwordPolicy()
        // M1: what administrators did to the account since its previous sign-in is shown after this one.
        let signIn = SignInForm(form)
        let previous = try await services.accounts.find(username: User.normaliseUsername(signIn.username))
        let outcome = try await services.accounts.signIn(username: signIn.username, password: signIn.password, policy: policy, actor: context.actor)
        switch outcome {
        case .throttled:
            return loginPage(
                request, context, username: signIn.username, error: "登录尝试过于频繁，请 15 分钟后再试。", notice: nil, next: signIn.next,
                status: .tooManyRequests)
        case .failure:
            return loginPage(
                request, context, username: signIn.username, error: "用户名或密码错误，或账户已被临时锁定。", notice: nil, next: signIn.next, status: .ok)
        case .success(let user):
            if let old = request.cookies[services.sessionCookieName]?.value, !old.isEmpty {
                try await services.sessions.end(token: old)
            }
            // H6: an account with a second factor gives its code next; one whose role needs one and has none
            // enrols first; only then the password change or the page asked for. A session asked for neither is
            // marked passed at once, so its requests never look the second factor up again.
            let enrolled = try await services.secondFactors.isEnrolled(userID: user.id)
            let required = try await services.passwordPolicy().requiresSecondFactor(
                Set(try await services.accounts.assignments(of: user.id).map(\.role)))
            let session = try await services.sessions.start(
                userID: user.id, ip: context.clientIP, userAgent: request.headers[.userAgent] ?? "", secondFactorPassed: !enrolled && !required,
                noticesSince: previous?.id == user.id ? (previous?.lastLoginAt ?? Date(timeIntervalSince1970: 0)) : nil)
            // L13: at most `maxSessions` at once; the least recently active beyond it ends.
            let ended = try await services.sessions.trim(userID: user.id, limit: services.configuration.maxSessions)
            if ended > 0 {
                try await services.audit.record(
                    AuditEvent(
                        action: .logout, objectType: "user", objectID: String(user.id),
                        summary: "同时在线超过 \(services.configuration.maxSessions) 处，最早不活动的 \(ended) 处登录已退出"), by: context.actor,
                    database: services.database)
            }
            let next = signIn.next
            let target =
                enrolled
                ? AccountPaths.loginVerify + "?next=" + ErrorPages.queryEscaped(next)
                : required
                    ? AccountPaths.twoFactor
                    : user.mustChangePassword ? AccountPaths.changeCredentials : next
            var response = PageRenderer.redirect(target)
            response.headers.append(HTTPField(name: .setCookie, value: services.cookie(services.sessionCookieName, session.token, maxAge: nil)))
            response.headers.append(HTTPField(name: .setCookie, value: services.cookie(services.loginCookieName, "", maxAge: 0)))
            return response
        }
    }

    struct SessionRow { var id: String; var current: Bool; var device: String; var ip: String; var signedIn: String; var lastSeen: String }
    struct SessionsModel { var csrf: String; var sessions: [SessionRow]; var hasOthers: Bool; var ended: Bool; var limit: Int }

    /// 登录设备 (issue 15, L13): the user's open sessions, each of which they can end.
    func addSessionRoutes(to site: Site) {
        // “继续使用” before the idle timeout (issue 17, item 6): this request is the activity that keeps the session;
        // it answers how many seconds are left now, so the page can warn again in time.
        site.add(.get, AccountPaths.sessionLeft, access: .signedIn) { _, context in
            let seconds = context.identity?.sessionSecondsLeft ?? 0
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"seconds\":\(seconds)}")))
        }
        site.add(.get, AccountPaths.sessions, access: .signedIn) { request, context in
            let identity = try SecondFactorController.identity(context)
            let current = identity.sessionToken.map(SessionRepository.id(ofToken:))
            let rows = try await services.sessions.list(userID: identity.user.id).map { s in
                SessionRow(
                    id: s.id, current: s.id == current, device: String(s.userAgent.prefix(120)), ip: s.ip,
                    signedIn: Self.minute(s.createdAt), lastSeen: Self.minute(s.lastSeenAt))
            }
            return services.renderer.page(
                "account/sessions", title: "登录设备",
                model: SessionsModel(
                    csrf: identity.csrfToken ?? "", sessions: rows, hasOthers: rows.contains { !$0.current },
                    ended: FormData.query(request)["ended"] != nil, limit: services.configuration.maxSessions),
                context: context, request: request)
        }
        site.add(.post, AccountPaths.sessionsEndPattern, access: .signedIn) { _, context in
            let identity = try SecondFactorController.identity(context)
            let id = try context.parameters.require("id")
            guard id.count == 64, try await services.sessions.end(userID: identity.user.id, sessionID: id) else {
                throw RecordNotFound(objectType: "session", objectID: String(id.prefix(64)))
            }
            try await services.audit.record(
                AuditEvent(
                    action: .logout, objectType: "user", objectID: String(identity.user.id),
                    summary: "在“登录设备”中退出一处登录"), by: context.actor, database: services.database)
            return PageRenderer.redirect(
                id == identity.sessionToken.map(SessionRepository.id(ofToken:)) ? AccountPaths.login + "?bye=1" : AccountPaths.sessions + "?ended=1")
        }
        site.add(.post, AccountPaths.sessionsEndOthers, access: .signedIn) { _, context in
            let identity = try SecondFactorController.identity(context)
            try await services.sessions.endAll(userID: identity.user.id, except: identity.sessionToken)
            try await services.audit.record(
                AuditEvent(
                    action: .logout, objectType: "user", objectID: String(identity.user.id),
                    summary: "退出其他全部设备的登录"), by: context.actor, database: services.database)
            return PageRenderer.redirect(AccountPaths.sessions + "?ended=1")
        }
    }

    static func minute(_ date: Date) -> String { String(Format.dateTime(date).prefix(16)) }

    private func loginPage(
        _ request: Request, _ context: AppRequestContext, username: String, error: String?,
        notice: String?, next: String, status: HTTPResponse.Status
    ) -> Response {
        let token = request.cookies[services.loginCookieName]?.value.nilIfEmpty ?? RandomToken.make(bytes: 24)
        var response = services.renderer.page(
            "account/login", title: "登录",
            model: LoginModel(csrf: token, username: username, error: error, notice: notice, next: Self.safeNext(next)),
            context: context, request: request, status: status)
        response.headers[.setCookie] = services.cookie(services.loginCookieName, token, maxAge: 3600)
        return response
    }

    private func passwordPage(
        _ request: Request, _ context: AppRequestContext, error: String?, field: String?,
        done: Bool, status: HTTPResponse.Status
    ) async throws -> Response {
        let policy = try await services.passwordPolicy()
        var rules = ["至少 \(policy.minLength) 个字符"]
        if policy.minCharacterClasses > 0 { rules.append("包含大写字母、小写字母、数字、符号中的至少 \(policy.minCharacterClasses) 类") }
        rules.append("不能包含登录名，不能是常见密码")
        if policy.historyCount > 0 { rules.append("不能与最近 \(policy.historyCount) 次用过的密码相同") }
        if let days = policy.maxAgeDays { rules.append("每 \(days) 天需要更换一次") }
        let identity = context.identity
        let model = PasswordModel(
            csrf: identity?.csrfToken ?? "", forced: identity?.user.mustChangePassword ?? false,
            expired: (identity?.mustChangePassword ?? false) && !(identity?.user.mustChangePassword ?? false),
            error: error, errorField: field, done: done, rules: rules)
        return services.renderer.page("account/password", title: "修改密码", model: model, context: context, request: request, status: status)
    }

    /// Only local paths are followed after sign-in (no open redirect). Browsers drop tabs and line breaks from a
    /// URL, so `/\t/evil.example` would become `//evil.example` (issue 15, L1): a path with any control character,
    /// white space or backslash, or one that begins `//` once those are gone, goes to the home page instead.
    static func safeNext(_ next: String) -> String {
        let decoded = next.removingPercentEncoding ?? next
        guard decoded.hasPrefix("/"), decoded.count <= 2_048,
            !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace || $0 == "\\" }),
            !decoded.hasPrefix("//"), !decoded.hasPrefix(AccountPaths.login)
        else { return HomePaths.home }
        return decoded
    }
}
