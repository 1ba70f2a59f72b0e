import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the organisations routes (a route not listed here gets a plain request to its path).
    static func organisationsCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /orgs/{id}": return Call(method: .get, uri: "/orgs/\(org)")
        case "GET /orgs/new": return Call(method: .get, uri: "/orgs/new?parent=\(org)")
        case "POST /orgs": return Call(method: .post, uri: "/orgs", form: ["parent_id": "\(org)", "org_type": "party_group", "name": "新建党小组"])
        case "POST /orgs/{id}/rename": return Call(method: .post, uri: "/orgs/\(org)/rename", form: ["name": "更名后的组织", "version": "1"])
        case "POST /orgs/{id}/move": return Call(method: .post, uri: "/orgs/\(org)/move", form: ["parent_id": "\(own)", "version": "1"])
        case "POST /orgs/{id}/dissolve": return Call(method: .post, uri: "/orgs/\(org)/dissolve", form: ["reason": "测试撤销", "version": "1"])
        case "GET /api/v1/organisations/{id}": return Call(method: .get, uri: "/api/v1/organisations/\(org)")
        case "POST /api/v1/organisations":
            return Call(method: .post, uri: "/api/v1/organisations", json: "{\"parent_id\":\(org),\"type\":\"party_group\",\"name\":\"接口新建小组\"}")
        case "PATCH /api/v1/organisations/{id}":
            return Call(method: .patch, uri: "/api/v1/organisations/\(org)", json: "{\"name\":\"接口更名\",\"version\":1}")
        case "POST /api/v1/organisations/{id}/move":
            return Call(method: .post, uri: "/api/v1/organisations/\(org)/move", json: "{\"parent_id\":\(own),\"version\":1}")
        case "POST /api/v1/organisations/{id}/dissolve":
            return Call(method: .post, uri: "/api/v1/organisations/\(org)/dissolve", json: "{\"reason\":\"测试\",\"version\":1}")
        case "POST /orgs/{id}/elections":
            return Call(
                method: .post, uri: "/orgs/\(org)/elections",
                form: [
                    "held_on": "2026-06-30", "seats": "3", "eligible": "20", "present": "18",
                    "candidates": "甲 15\n乙 14\n丙 12\n丁 5", "posts": "甲 书记\n乙 组织委员\n丙 宣传委员",
                ])
        case "POST /orgs/{id}/postpone":
            return Call(method: .post, uri: "/orgs/\(org)/postpone", form: ["until": "2030-01-01", "approval": "甲组发〔2026〕1号"])
        case "POST /orgs/{id}/by-elections":
            return Call(
                method: .post, uri: "/orgs/\(org)/by-elections",
                form: ["held_on": "2026-01-01", "seats": "1", "eligible": "10", "present": "9", "candidates": "某某 8"])
        case "POST /orgs/{id}/retype":
            return Call(method: .post, uri: "/orgs/\(org)/retype", form: ["org_type": "general_branch", "approval": "甲组发〔2026〕2号", "version": "1"])
        case "POST /orgs/{id}/merge":
            return Call(method: .post, uri: "/orgs/\(org)/merge", form: ["target_id": "\(own)", "approval": "甲组发〔2026〕3号", "version": "1"])
        case "POST /orgs/{id}/units":
            return Call(method: .post, uri: "/orgs/\(org)/units", form: ["name": "新单位", "category": "机关", "assessment_category": ""])
        case "GET /orgs/import": return Call(method: .get, uri: "/orgs/import?org=\(org)")
        case "POST /orgs/import":
            return Call(method: .post, uri: "/orgs/import?org=\(org)", form: [:], upload: ("o.csv", Data("组织名称,组织类型\n矩阵党支部,党支部\n".utf8)))
        case "POST /orgs/import/{job}/commit": return Call(method: .post, uri: "/orgs/import/\(fixture.organisationImportJob)/commit", form: [:])
        case "GET /units": return Call(method: .get, uri: "/units?org=\(org)&scope=subtree")
        case "POST /units/{id}":
            return Call(
                method: .post, uri: "/units/\(c.target(.unit))",
                form: ["organisation_id": "\(org)", "name": "改名单位", "category": "村", "assessment_category": "", "version": "1"])
        default: return nil
        }
    }
}

extension OrganisationsFeature {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.organisationsCall(route, context)
    }
}
