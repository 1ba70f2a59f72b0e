import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the shared routes (a route not listed here gets a plain request to its path).
    static func platformCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /static/{file}": return Call(method: .get, uri: "/static/app.css")
        case "GET /metrics":
            // L7: the metrics token (the test client has no socket address to allow).
            var call = Call(method: .get, uri: "/metrics")
            call.headers[.authorization] = "Bearer \(WebHarness.metricsToken)"
            return call
        default: return nil
        }
    }
}

extension OpsFeature: FeatureTestKit {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.platformCall(route, context)
    }
}
