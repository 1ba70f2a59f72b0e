import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the development routes (a route not listed here gets a plain request to its path).
    static func developmentCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /development": return Call(method: .get, uri: "/development?org=\(org)&scope=subtree")
        case "POST /development":
            return Call(
                method: .post, uri: "/development",
                form: [
                    "org": String(org), "applicant_name": "矩阵申请人",
                    "id_number": MemberFixtures.idNumber(born: "2002-02-02", sequence: 991),
                ])
        case "GET /development/{id}": return Call(method: .get, uri: "/development/\(c.target(.developmentCase))")
        case "GET /api/v1/development/cases": return Call(method: .get, uri: "/api/v1/development/cases?org=\(org)&scope=own")
        case "POST /api/v1/development/cases":
            return Call(
                method: .post, uri: "/api/v1/development/cases",
                json:
                    "{\"organisation_id\":\(org),\"applicant_name\":\"接口申请人\",\"id_number\":\"\(MemberFixtures.idNumber(born: "2002-02-02", sequence: 992))\"}"
            )
        case "GET /api/v1/development/cases/{id}": return Call(method: .get, uri: "/api/v1/development/cases/\(c.target(.developmentCase))")
        case "POST /api/v1/development/cases/{id}/steps":
            return Call(method: .post, uri: "/api/v1/development/cases/\(c.target(.developmentCase))/steps", json: "{\"date\":\"2025-01-01\"}")
        case "POST /development/{id}/steps":
            return Call(method: .post, uri: "/development/\(c.target(.developmentCase))/steps", form: ["date": "2025-01-01"])
        case "POST /development/{id}/materials":
            return Call(method: .post, uri: "/development/\(c.target(.developmentCase))/materials", form: ["entry": "0"])
        case "GET /development/{id}/materials/{attachment}":
            return Call(method: .get, uri: "/development/\(c.target(.developmentCase))/materials/\(c.developmentMaterial)")
        case "GET /development/export.xlsx": return Call(method: .get, uri: "/development/export.xlsx?org=\(org)&scope=subtree")
        case "GET /development/{id}/documents/{kind}":
            return Call(method: .get, uri: "/development/\(c.target(.developmentCase))/documents/activist-filing")
        case "GET /development/annual": return Call(method: .get, uri: "/development/annual?org=\(org)&year=2026")
        case "GET /development/annual.xlsx": return Call(method: .get, uri: "/development/annual.xlsx?org=\(org)&year=2026")
        case "POST /development/targets":
            return Call(method: .post, uri: "/development/targets", form: ["org": "\(org)", "target_org": "\(org)", "year": "2026", "target": "2"])
        case "POST /development/batch":
            return Call(
                method: .post, uri: "/development/batch",
                form: ["org": "\(org)", "case": "\(c.target(.developmentCase))", "step": "4", "date": "2025-01-01"])
        case "POST /development/forms":
            return Call(method: .post, uri: "/development/forms", form: ["org": "\(own)", "first": "矩阵0001", "count": "2"])
        case "POST /development/forms/void":
            return Call(method: .post, uri: "/development/forms/void", form: ["number": "粤2026000001", "reason": "遗失"])
        default: return nil
        }
    }
}

extension DevelopmentFeature {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.developmentCall(route, context)
    }
}
