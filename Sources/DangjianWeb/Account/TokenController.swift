import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// Personal access tokens for the JSON API, managed by their owner (个人访问令牌).
struct TokenController {
    let services: AppServices

    struct TokenRow {
        var id: Int64
        var name: String
        var hint: String
        var created: String
        var expires: String
        var lastUsed: String
        var scope: String
        var active: Bool
    }

    struct Model {
        var tokens: [TokenRow]
        var hasTokens: Bool
        var newToken: String?
        var error: String?
    }

    func addRoutes(to site: Site) {
        site.add(.get, AccountPaths.tokens, access: .signedIn) { request, context in
            try await page(request, context, newToken: nil, error: nil, status: .ok)
        }
        site.add(.post, AccountPaths.tokens, access: .signedIn) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            do {
                let token = try AccessTokenForm(form)
                let created = try await services.tokens.create(
                    userID: identity.user.id, name: token.name, validDays: token.validDays, scope: token.scope, actor: context.actor)
                return try await page(request, context, newToken: created.token, error: nil, status: .created)
            } catch let failure as ValidationFailure {
                return try await page(request, context, newToken: nil, error: failure.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, AccountPaths.tokensRevokePattern, access: .signedIn) { _, context in
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            try await services.tokens.revoke(id: try context.parameters.require("id", as: Int64.self), userID: identity.user.id, actor: context.actor)
            return PageRenderer.redirect(AccountPaths.tokens)
        }
    }

    private func page(
        _ request: Request, _ context: AppRequestContext, newToken: String?, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        let now = services.clock.now()
        let rows = try await services.tokens.list(userID: identity.user.id).map { token in
            TokenRow(
                id: token.id, name: token.name, hint: "…" + token.hint, created: Format.dateTime(token.createdAt),
                expires: token.expiresAt.map(Format.dateTime) ?? "长期有效", lastUsed: token.lastUsedAt.map(Format.dateTime) ?? "未使用",
                scope: token.scope.displayName,
                active: token.revokedAt == nil && (token.expiresAt.map { $0 > now } ?? true))
        }
        let model = Model(tokens: rows, hasTokens: !rows.isEmpty, newToken: newToken, error: error)
        return services.renderer.page("account/tokens", title: "访问令牌", model: model, context: context, request: request, status: status)
    }
}
