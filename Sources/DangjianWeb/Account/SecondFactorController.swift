import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 双因素认证 (issue 15, H6): the code form after the password, enrolment with a QR code, recovery codes, step-up
/// before sensitive actions, and the 安全管理员's reset for a lost phone.
struct SecondFactorController {
    let services: AppServices

    struct VerifyModel { var csrf: String; var next: String; var error: String? }
    struct EnrolModel {
        var csrf: String
        var enrolled: Bool
        var enrolledAt: String
        var recoveryLeft: Int
        var recoveryLow: Bool
        var required: Bool
        var qr: String
        var secretGrouped: String
        var error: String?
    }
    struct CodesModel { var codes: [String]; var next: String }
    struct StepUpModel { var csrf: String; var next: String; var enrolled: Bool; var minutes: Int; var error: String? }

    func addRoutes(to site: Site) {
        site.add(.get, AccountPaths.loginVerify, access: .signingIn) { request, context in
            let identity = try Self.identity(context)
            let next = AuthController.safeNext(FormData.query(request).text("next"))
            switch identity.secondFactor {
            case .passed: return PageRenderer.redirect(next)
            case .enrolmentRequired: return PageRenderer.redirect(AccountPaths.twoFactor)
            case .pending: return verifyPage(request, context, next: next, error: nil, status: .ok)
            }
        }
        site.add(.post, AccountPaths.loginVerify, access: .signingIn) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let identity = try Self.identity(context)
            let proofForm = ProofForm(form)
            let next = proofForm.next
            guard identity.secondFactor == .pending, let token = identity.sessionToken else { return PageRenderer.redirect(next) }
            if let proof = try await services.secondFactors.verify(
                userID: identity.user.id, code: proofForm.code, purpose: "sign-in", actor: context.actor)
            {
                try await services.sessions.markSecondFactor(token: token)
                if case .recoveryCode(let left) = proof, left <= 3 { return PageRenderer.redirect(AccountPaths.twoFactor) }
                return PageRenderer.redirect(identity.mustChangePassword ? AccountPaths.changeCredentials : next)
            }
            return try await refused(request, context, identity: identity, next: next) { error in
                verifyPage(request, context, next: next, error: error, status: .badRequest)
            }
        }
        site.add(.get, AccountPaths.twoFactor, access: .signingIn) { request, context in
            let identity = try Self.identity(context)
            if identity.secondFactor == .pending { return PageRenderer.redirect(AccountPaths.loginVerify) }
            return try await enrolPage(request, context, identity: identity, error: nil, status: .ok)
        }
        site.add(.post, AccountPaths.twoFactor, access: .signingIn) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let identity = try Self.identity(context)
            guard identity.secondFactor != .pending, let token = identity.sessionToken else { return PageRenderer.redirect(AccountPaths.loginVerify) }
            let codes: [String]
            do {
                codes = try await services.secondFactors.confirm(userID: identity.user.id, code: ProofForm(form).code, actor: context.actor)
            } catch let failure as ValidationFailure {
                return try await enrolPage(request, context, identity: identity, error: failure.message, status: .badRequest)
            }
            try await services.sessions.markSecondFactor(token: token)
            return codesPage(request, context, codes: codes, next: identity.mustChangePassword ? AccountPaths.changeCredentials : HomePaths.home)
        }
        site.add(.post, AccountPaths.twoFactorRecoveryCodes, access: .signedIn) { request, context in
            let identity = try Self.identity(context)
            try StepUp.require(request, context, services: services, returnTo: AccountPaths.twoFactor)
            let codes = try await services.secondFactors.regenerateRecoveryCodes(userID: identity.user.id, actor: context.actor)
            return codesPage(request, context, codes: codes, next: AccountPaths.twoFactor)
        }
        site.add(.post, AccountPaths.twoFactorReset, access: .signedIn) { request, context in
            let identity = try Self.identity(context)
            try StepUp.require(request, context, services: services, returnTo: AccountPaths.twoFactor)
            try await services.secondFactors.reset(userID: identity.user.id, reason: "本人停用或更换手机", actor: context.actor)
            return PageRenderer.redirect(AccountPaths.twoFactor)
        }
        site.add(.get, AccountPaths.stepUp, access: .signedIn) { request, context in
            let identity = try Self.identity(context)
            return try await stepUpPage(
                request, context, identity: identity, next: AuthController.safeNext(FormData.query(request).text("next")),
                error: nil, status: .ok)
        }
        site.add(.post, AccountPaths.stepUp, access: .signedIn) { request, context in try await stepUp(request, context) }
        // Lost phone: the 安全管理员 removes another user's second factor (never their own), after step-up.
        site.add(.post, AccountPaths.adminUsersSecondFactorResetPattern, access: .permission(.rolesGrant)) { request, context in
            var request = request
            let id = try context.parameters.require("id", as: Int64.self)
            let identity = try Self.identity(context)
            try StepUp.require(request, context, services: services, returnTo: AdminPaths.users(id))
            let form = try await FormData.read(&request)
            guard id != identity.user.id else {
                throw ValidationFailure(field: "user", message: "不能重置自己的动态口令，请由另一位安全管理员办理（三员分立）")
            }
            guard try await services.accounts.find(id) != nil else { throw RecordNotFound(objectType: "user", objectID: String(id)) }
            let reason = SecondFactorResetForm(form).reason
            try await services.secondFactors.reset(userID: id, reason: reason, actor: context.actor)
            try await services.sessions.endAll(userID: id)
            return PageRenderer.redirect(AdminPaths.users(id) + "?second_factor_reset=1")
        }
    }

    /// POST /account/step-up: proves the user again before a sensitive action.
    func stepUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let identity = try Self.identity(context)
        let proof = ProofForm(form)
        let next = proof.next
        guard let token = identity.sessionToken else { throw NeedsStepUp(next: next, isAPI: true) }
        let policy = try await services.passwordPolicy()
        let passed: Bool
        if try await services.secondFactors.isEnrolled(userID: identity.user.id) {
            passed =
                try await services.secondFactors.verify(
                    userID: identity.user.id, code: proof.code, purpose: "step-up", actor: context.actor) != nil
        } else {
            passed = try await services.accounts.confirmPassword(
                userID: identity.user.id, password: proof.password, policy: policy, actor: context.actor)
            if passed {
                try await services.audit.record(
                    AuditEvent(
                        action: .stepUp, objectType: "user", objectID: String(identity.user.id),
                        summary: "敏感操作前再次输入密码验证通过"), by: context.actor, database: services.database)
            }
        }
        if passed {
            try await services.sessions.markStepUp(token: token)
            return PageRenderer.redirect(next)
        }
        return try await refused(request, context, identity: identity, next: next) { error in
            try await stepUpPage(request, context, identity: identity, next: next, error: error, status: .badRequest)
        }
    }

    static func identity(_ context: AppRequestContext) throws -> Identity {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        return identity
    }

    /// A wrong code or password: counted like a wrong password; when that locks the account the session ends.
    private func refused(
        _ request: Request, _ context: AppRequestContext, identity: Identity, next: String,
        page: (String) async throws -> Response
    ) async throws -> Response {
        let locked = try await services.accounts.recordFailedProof(
            userID: identity.user.id, what: "动态口令或二次验证错误",
            policy: try await services.passwordPolicy(), actor: context.actor)
        if locked, let token = identity.sessionToken {
            try await services.sessions.end(token: token)
            var response = PageRenderer.redirect(AccountPaths.login)
            response.headers[.setCookie] = services.cookie(services.sessionCookieName, "", maxAge: 0)
            return response
        }
        return try await page("验证未通过：动态口令不正确或已使用过（每个动态口令只能使用一次），请等待下一个口令后重试。连续错误将锁定账户。")
    }

    private func verifyPage(_ request: Request, _ context: AppRequestContext, next: String, error: String?, status: HTTPResponse.Status) -> Response {
        services.renderer.page(
            "account/second_factor_verify", title: "动态口令验证",
            model: VerifyModel(csrf: context.identity?.csrfToken ?? "", next: next, error: error),
            context: context, request: request, status: status)
    }

    private func enrolPage(
        _ request: Request, _ context: AppRequestContext, identity: Identity, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let status2 = try await services.secondFactors.status(userID: identity.user.id)
        let required = try await services.passwordPolicy().requiresSecondFactor(identity.principal.roles)
        var model = EnrolModel(
            csrf: identity.csrfToken ?? "", enrolled: status2.enrolled,
            enrolledAt: status2.enrolledAt.map { CivilDate(date: $0).description } ?? "",
            recoveryLeft: status2.recoveryCodesLeft, recoveryLow: status2.recoveryCodesLeft <= 3,
            required: required, qr: "", secretGrouped: "", error: error)
        if !status2.enrolled {
            let secret = try await services.secondFactors.pendingSecret(userID: identity.user.id)
            let uri = OneTimePassword.enrolmentURI(secret: secret, account: identity.user.username, issuer: "党建平台")
            // A very long login name may not fit the QR code: the secret beside it is then typed in by hand.
            model.qr =
                (try? QRCode(text: uri).svg(pixelsPerModule: 5, label: "动态口令绑定二维码")) ?? "<p class=\"notice\">登录名过长，无法生成二维码，请在验证器中手动输入下面的密钥。</p>"
            model.secretGrouped = stride(from: 0, to: secret.count, by: 4).map { i in
                String(secret.dropFirst(i).prefix(4))
            }.joined(separator: " ")
        }
        return services.renderer.page("account/second_factor", title: "动态口令", model: model, context: context, request: request, status: status)
    }

    private func codesPage(_ request: Request, _ context: AppRequestContext, codes: [String], next: String) -> Response {
        var response = services.renderer.page(
            "account/recovery_codes", title: "恢复码", model: CodesModel(codes: codes, next: next), context: context, request: request)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func stepUpPage(
        _ request: Request, _ context: AppRequestContext, identity: Identity, next: String, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let enrolled = try await services.secondFactors.isEnrolled(userID: identity.user.id)
        return services.renderer.page(
            "account/step_up", title: "再次验证身份",
            model: StepUpModel(
                csrf: identity.csrfToken ?? "", next: next, enrolled: enrolled,
                minutes: Int(StepUp.freshness / 60), error: error),
            context: context, request: request, status: status)
    }
}

/// Step-up (二次验证, issue 15, H6): a sensitive action — revealing a full ID number, an unmasked export, granting or
/// revoking a role, resetting a password or a second factor — needs the user to have proved who they are within the
/// last few minutes (the second factor if they have one, else the password).
enum StepUp {
    static let freshness: TimeInterval = 5 * 60

    /// Throws `NeedsStepUp` unless the session proved itself recently. `returnTo` is where the user comes back to
    /// after step-up when the action was a form post (its body cannot be replayed); a GET comes back to itself.
    static func require(_ request: Request, _ context: AppRequestContext, services: AppServices, returnTo: String) throws {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        let isAPI = request.uri.path.hasPrefix("/api/") || identity.sessionToken == nil
        if let at = identity.provedAt, services.clock.now().timeIntervalSince(at) <= freshness, !isAPI { return }
        let next = request.method == .get ? request.uri.description : returnTo
        throw NeedsStepUp(next: AuthController.safeNext(next), isAPI: isAPI)
    }
}
