import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the account routes (a route not listed here gets a plain request to its path).
    static func accountCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "POST /account/notices/dismiss": return Call(method: .post, uri: "/account/notices/dismiss", form: [:])
        case "POST /todo/read": return Call(method: .post, uri: "/todo/read", form: [:])
        case "POST /login":
            return Call(
                method: .post, uri: "/login", form: ["username": "nobody", "password": "x", "_csrf": "matrix"], cookies: ["dj_login": "matrix"])
        case "POST /account/password":
            return Call(
                method: .post, uri: "/account/password",
                form: ["current_password": WebFixture.password, "new_password": "Another#2026x", "confirm_password": "Another#2026x"])
        case "POST /account/tokens": return Call(method: .post, uri: "/account/tokens", form: ["name": "脚本", "valid_days": "30"])
        case "POST /account/tokens/{id}/revoke": return Call(method: .post, uri: "/account/tokens/\(actor.apiTokenID)/revoke", form: [:])
        case "POST /logout": return Call(method: .post, uri: "/logout", form: [:])
        case "POST /account/sessions/{id}/end":
            // The caller's own session (ends it: allowed); another user's id would be 404.
            return Call(method: .post, uri: "/account/sessions/\(SessionRepository.id(ofToken: actor.sessionToken))/end", form: [:])
        case "POST /account/sessions/end-others": return Call(method: .post, uri: "/account/sessions/end-others", form: [:])
        case "POST /login/verify", "POST /account/two-factor":
            return Call(method: .post, uri: route.split(separator: " ")[1].description, form: ["code": "000000"])
        case "POST /account/two-factor/recovery-codes", "POST /account/two-factor/reset":
            return Call(method: .post, uri: route.split(separator: " ")[1].description, form: [:])
        case "POST /account/step-up":
            return Call(method: .post, uri: "/account/step-up", form: ["password": WebFixture.password, "code": "000000", "next": "/"])
        default: return nil
        }
    }
}

extension AccountFeature: FeatureTestKit {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.accountCall(route, context)
    }
}
