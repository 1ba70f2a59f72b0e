import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the life routes (a route not listed here gets a plain request to its path).
    static func lifeCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /orgs/{id}/meetings": return Call(method: .get, uri: "/orgs/\(org)/meetings")
        case "GET /orgs/{id}/meetings/new": return Call(method: .get, uri: "/orgs/\(org)/meetings/new?kind=general_meeting")
        case "POST /orgs/{id}/meetings":
            return Call(method: .post, uri: "/orgs/\(org)/meetings", form: ["kind": "theme_day", "held_on": "2026-11-01", "topic": "矩阵主题党日"])
        case "GET /meetings/{id}": return Call(method: .get, uri: "/meetings/\(c.target(.meeting))")
        case "GET /meetings/{id}/correct": return Call(method: .get, uri: "/meetings/\(c.target(.meeting))/correct")
        case "POST /meetings/{id}/correct": return Call(method: .post, uri: "/meetings/\(c.target(.meeting))/correct", form: [:])
        case "POST /meetings/{id}/delete": return Call(method: .post, uri: "/meetings/\(c.target(.meeting))/delete", form: [:])
        case "POST /meetings/{id}/checkin": return Call(method: .post, uri: "/meetings/\(c.target(.meeting))/checkin", form: [:])
        case "GET /meetings/{id}/checkin": return Call(method: .get, uri: "/meetings/\(c.target(.meeting))/checkin")
        case "POST /meetings/{id}/checkin/close": return Call(method: .post, uri: "/meetings/\(c.target(.meeting))/checkin/close", form: [:])
        case "GET /meetings/{id}/checkin.png": return Call(method: .get, uri: "/meetings/\(c.target(.meeting))/checkin.png")
        case "GET /checkin/{token}": return Call(method: .get, uri: "/checkin/\(fixture.checkinToken)")
        case "POST /checkin/{token}": return Call(method: .post, uri: "/checkin/\(fixture.checkinToken)", form: [:])
        case "GET /meetings/{id}/evaluation": return Call(method: .get, uri: "/meetings/\(c.evaluationMeeting)/evaluation")
        case "GET /meetings/{id}/evaluation.xlsx": return Call(method: .get, uri: "/meetings/\(c.evaluationMeeting)/evaluation.xlsx")
        case "POST /meetings/{id}/evaluation":
            return Call(method: .post, uri: "/meetings/\(c.evaluationMeeting)/evaluation", form: ["action": "save", "version": "0"])
        case "GET /board": return Call(method: .get, uri: "/board?org=\(org)&scope=subtree")
        case "GET /compliance": return Call(method: .get, uri: "/compliance?org=\(org)&scope=subtree")
        case "GET /compliance/report": return Call(method: .get, uri: "/compliance/report?org=\(org)&scope=subtree&period=2026-Q1")
        case "GET /participation": return Call(method: .get, uri: "/participation?org=\(org)&scope=subtree")
        case "GET /api/v1/organisations/{id}/meetings": return Call(method: .get, uri: "/api/v1/organisations/\(org)/meetings")
        case "POST /api/v1/organisations/{id}/meetings":
            return Call(
                method: .post, uri: "/api/v1/organisations/\(org)/meetings",
                json: "{\"kind\":\"theme_day\",\"held_on\":\"2026-11-01\",\"topic\":\"接口主题党日\"}")
        case "GET /api/v1/meetings/{id}": return Call(method: .get, uri: "/api/v1/meetings/\(c.target(.meeting))")
        case "GET /api/v1/compliance": return Call(method: .get, uri: "/api/v1/compliance?org=\(org)&scope=subtree")
        default: return nil
        }
    }
}

extension LifeFeature {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.lifeCall(route, context)
    }
}
