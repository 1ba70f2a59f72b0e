import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// 党费's part of the web tests: its routes act on the members and organisations the core fixture already has.
extension DuesFeature: FeatureTestKit {
    static func matrixCall(_ route: String, _ c: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        let member = c.fixture.member(c.position, for: c.who)
        switch route {
        case "GET /dues": return .init(method: .get, uri: "/dues?org=\(c.org)&year=2026")
        case "GET /dues/members/{id}": return .init(method: .get, uri: "/dues/members/\(member)?year=2026")
        case "POST /dues/members/{id}":
            return .init(
                method: .post, uri: "/dues/members/\(member)", form: ["year": "2026", "category": "employed", "base": "4321.57", "version": "0"])
        default: return nil
        }
    }
}
