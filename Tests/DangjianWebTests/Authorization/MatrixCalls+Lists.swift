import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the lists routes (a route not listed here gets a plain request to its path).
    static func listsCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "POST /campaigns": return Call(method: .post, uri: "/campaigns", form: ["org": "\(org)", "name": "矩阵活动", "year": "2026"])
        case "GET /campaigns/{id}": return Call(method: .get, uri: "/campaigns/\(c.target(.campaign))")
        case "POST /campaigns/{id}/tasks":
            return Call(
                method: .post, uri: "/campaigns/\(c.target(.campaign))/tasks",
                form: ["category": "党建", "title": "矩阵任务", "deadline": "2030-01-01", "assignees": "\(org)"])
        case "POST /campaigns/{id}/close": return Call(method: .post, uri: "/campaigns/\(c.target(.campaign))/close", form: [:])
        case "GET /campaigns/{id}/board.xlsx": return Call(method: .get, uri: "/campaigns/\(c.target(.campaign))/board.xlsx")
        case "GET /attachments/{id}": return Call(method: .get, uri: "/attachments/\(c.target(.attachment))")
        case "GET /tasks/{id}": return Call(method: .get, uri: "/tasks/\(c.target(.taskAssignment))")
        case "GET /api/v1/tasks/{id}": return Call(method: .get, uri: "/api/v1/tasks/\(c.target(.taskAssignment))")
        case "POST /api/v1/tasks/{id}":
            return Call(method: .post, uri: "/api/v1/tasks/\(c.target(.taskAssignment))", json: "{\"action\":\"progress\",\"text\":\"接口进展\"}")
        case "GET /api/v1/problems": return Call(method: .get, uri: "/api/v1/problems?org=\(org)&scope=own")
        case "POST /api/v1/problems":
            return Call(
                method: .post, uri: "/api/v1/problems",
                json:
                    "{\"organisation_id\":\(org),\"source\":\"self_check\",\"category\":\"组织生活\",\"description\":\"接口问题\",\"found_on\":\"2026-01-01\",\"deadline\":\"2030-01-01\"}"
            )
        case "GET /api/v1/problems/{id}": return Call(method: .get, uri: "/api/v1/problems/\(c.target(.problem))")
        case "POST /api/v1/problems/{id}":
            return Call(
                method: .post, uri: "/api/v1/problems/\(c.target(.problem))",
                json: "{\"action\":\"plan\",\"text\":\"接口措施\",\"responsible\":\"某人\",\"deadline\":\"2030-01-01\"}")
        case "GET /api/v1/ledger": return Call(method: .get, uri: "/api/v1/ledger?org=\(org)&scope=own")
        case "POST /tasks/{id}": return Call(method: .post, uri: "/tasks/\(c.target(.taskAssignment))", form: ["action": "progress", "text": "矩阵进展"])
        case "POST /problems":
            return Call(
                method: .post, uri: "/problems",
                form: [
                    "organisation": "\(org)", "source": "self_check", "category": "组织生活",
                    "description": "矩阵问题", "found_on": "2026-01-01", "deadline": "2030-01-01",
                ])
        case "GET /problems/{id}": return Call(method: .get, uri: "/problems/\(c.target(.problem))")
        case "POST /problems/{id}":
            return Call(
                method: .post, uri: "/problems/\(c.target(.problem))",
                form: ["action": "plan", "text": "矩阵措施", "responsible": "某人", "deadline": "2030-01-01"])
        case "POST /supervision/groups":
            return Call(
                method: .post, uri: "/supervision/groups",
                form: ["org": "\(org)", "name": "矩阵督导组", "members": "orgadmin 组长", "organisations": "\(org)"])
        case "POST /supervision/rounds":
            return Call(
                method: .post, uri: "/supervision/rounds",
                form: ["org": "\(org)", "name": "矩阵轮次", "starts_on": "2026-01-01", "ends_on": "2026-01-31"])
        case "GET /supervision/rounds/{id}": return Call(method: .get, uri: "/supervision/rounds/\(c.target(.supervisionRound))")
        case "POST /supervision/rounds/{id}/visits":
            return Call(
                method: .post, uri: "/supervision/rounds/\(c.target(.supervisionRound))/visits",
                form: ["group": "\(fixture.supervisionGroup)", "organisation": "\(fixture.tree["A1a1"])", "findings": "阵地建设：矩阵发现"])
        case "GET /letters/new": return Call(method: .get, uri: "/letters/new?visit=\(fixture.supervisionVisit)")
        case "POST /letters":
            return Call(
                method: .post, uri: "/letters",
                form: [
                    "organisation": "\(org)", "issuer": "\(org)", "title": "矩阵提醒函",
                    "recipient": "一支部", "body": "请整改", "issuing_organ": "工委", "issued_on": "2026-01-01",
                ])
        case "GET /letters/{id}/letter.docx": return Call(method: .get, uri: "/letters/\(c.target(.letter))/letter.docx")
        case "POST /letters/{id}/sent": return Call(method: .post, uri: "/letters/\(c.target(.letter))/sent", form: [:])
        case "POST /letters/{id}/acknowledge": return Call(method: .post, uri: "/letters/\(c.target(.letter))/acknowledge", form: [:])
        case "POST /duties/templates":
            return Call(
                method: .post, uri: "/duties/templates",
                form: ["org": "\(org)", "name": "矩阵清单", "post": "书记", "applies_to": "branch", "items": "每年 讲党课"])
        case "POST /duties/templates/{id}/lists":
            return Call(method: .post, uri: "/duties/templates/\(c.target(.dutyTemplate))/lists", form: ["year": "2027"])
        case "POST /duties/letters":
            return Call(
                method: .post, uri: "/duties/letters",
                form: [
                    "org": "\(org)", "organisation": "\(org)", "title": "矩阵责任书",
                    "signatory": "王书记", "signed_on": "2026-01-05",
                ])
        case "GET /duties/{id}": return Call(method: .get, uri: "/duties/\(c.target(.dutyList))")
        case "POST /duties/{id}/records":
            return Call(method: .post, uri: "/duties/\(c.target(.dutyList))/records", form: ["item": "1", "date": "2026-01-05", "text": "矩阵完成"])
        case "GET /ledger/report": return Call(method: .get, uri: "/ledger/report?org=\(org)")
        default: return nil
        }
    }
}

extension ListsFeature {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.listsCall(route, context)
    }
}
