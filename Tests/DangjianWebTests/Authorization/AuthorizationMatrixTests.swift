import Testing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// One parsed line of `authz-matrix.txt`.
struct MatrixEntry {
    var route: String
    var allowed: [Who: Set<Position>]

    func expectsAllowed(_ who: Who, at position: Position) -> Bool { allowed[who]?.contains(position) ?? false }
}

enum AuthorizationMatrix {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("authz-matrix.txt")

    static func load() throws -> [String: MatrixEntry] {
        var entries: [String: MatrixEntry] = [:]
        for raw in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let halves = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let route = halves[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            var allowed: [Who: Set<Position>] = [:]
            for token in halves[1].split(separator: " ") {
                if token == "*" { for who in Who.allCases { allowed[who] = Set(Position.allCases) } }
                else if token == "signedin" { for who in Who.allCases where who != .anonymous { allowed[who] = Set(Position.allCases) } }
                else {
                    let pair = token.split(separator: "=")
                    let who = Who(rawValue: String(pair[0]))!
                    allowed[who] = pair[1] == "all" ? Set(Position.allCases) : Set(pair[1].split(separator: ",").map { Position(rawValue: String($0))! })
                }
            }
            entries[route] = MatrixEntry(route: route, allowed: allowed)
        }
        return entries
    }

    /// Routes whose target is an organisation, checked at every position.
    static let positional: Set<String> = [
        "GET /orgs/{id}", "GET /orgs/new", "POST /orgs", "POST /orgs/{id}/rename", "POST /orgs/{id}/move",
        "POST /orgs/{id}/dissolve", "GET /api/v1/organisations/{id}", "POST /api/v1/organisations",
        "PATCH /api/v1/organisations/{id}", "POST /api/v1/organisations/{id}/move", "POST /api/v1/organisations/{id}/dissolve",
        "GET /members", "GET /members/new", "POST /members", "GET /members/export.csv", "GET /members/statistics",
        "GET /members/{id}", "GET /members/{id}/edit", "POST /members/{id}", "POST /members/{id}/reveal",
        "GET /members/export.xlsx", "GET /members/import", "POST /members/import",
        "GET /api/v1/members", "GET /api/v1/members/{id}", "POST /api/v1/members", "PATCH /api/v1/members/{id}",
        "POST /orgs/{id}/elections", "POST /orgs/{id}/postpone", "POST /members/{id}/transfer", "POST /members/{id}/account",
        "POST /orgs/{id}/by-elections", "POST /orgs/{id}/retype", "POST /orgs/{id}/merge", "POST /orgs/{id}/units", "POST /members/{id}/floating",
        "GET /orgs/import", "POST /orgs/import", "POST /members/link-accounts",
        "GET /orgs/{id}/meetings", "GET /orgs/{id}/meetings/new", "POST /orgs/{id}/meetings",
    ]

    struct Call {
        var method: HTTPRequest.Method
        var uri: String
        var form: [String: String]?
        var json: String?
        var cookies: [String: String] = [:]
        var upload: (name: String, data: Data)?
        var headers: HTTPFields = [:]
    }

    /// A request that exercises `route` as `who` on the record at `position`, valid when the caller is allowed.
    static func call(_ route: String, who: Who, position: Position, fixture: WebFixture) -> Call {
        let org = fixture.organisation(position, for: who)
        let own = fixture.organisation(.own, for: who)
        let user = fixture.targetUserID
        let actor = fixture.actors[who] ?? fixture.actors[.sysadmin]!
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
        case "PATCH /api/v1/organisations/{id}": return Call(method: .patch, uri: "/api/v1/organisations/\(org)", json: "{\"name\":\"接口更名\",\"version\":1}")
        case "POST /api/v1/organisations/{id}/move": return Call(method: .post, uri: "/api/v1/organisations/\(org)/move", json: "{\"parent_id\":\(own),\"version\":1}")
        case "POST /api/v1/organisations/{id}/dissolve": return Call(method: .post, uri: "/api/v1/organisations/\(org)/dissolve", json: "{\"reason\":\"测试\",\"version\":1}")
        case "GET /static/{file}": return Call(method: .get, uri: "/static/app.css")
        case "GET /members": return Call(method: .get, uri: "/members?org=\(org)&scope=own")
        case "POST /members/{id}/transfer":
            return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))/transfer",
                        form: ["kind": "out", "to_name": "外省某支部", "valid_days": "90", "dues_paid_until": "2026-11"])
        case "POST /members/{id}/account": return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))/account", form: ["username": "member"])
        case "POST /transfers/{id}/receive": return Call(method: .post, uri: "/transfers/\(fixture.incomingTransfer)/receive", form: [:])
        case "POST /transfers/{id}/confirm": return Call(method: .post, uri: "/transfers/\(fixture.outgoingTransfer)/confirm", form: [:])
        case "POST /transfers/{id}/cancel": return Call(method: .post, uri: "/transfers/\(fixture.outgoingTransfer)/cancel", form: [:])
        case "GET /transfers/{id}/letter.docx": return Call(method: .get, uri: "/transfers/\(fixture.outgoingTransfer)/letter.docx")
        case "POST /orgs/{id}/elections":
            return Call(method: .post, uri: "/orgs/\(org)/elections", form: [
                "held_on": "2026-06-30", "seats": "3", "eligible": "20", "present": "18",
                "candidates": "甲 15\n乙 14\n丙 12\n丁 5", "posts": "甲 书记\n乙 组织委员\n丙 宣传委员"])
        case "POST /orgs/{id}/postpone": return Call(method: .post, uri: "/orgs/\(org)/postpone", form: ["until": "2030-01-01", "approval": "甲组发〔2026〕1号"])
        case "GET /api/v1/members": return Call(method: .get, uri: "/api/v1/members?org=\(org)&scope=own")
        case "GET /api/v1/members/{id}": return Call(method: .get, uri: "/api/v1/members/\(fixture.member(position, for: who))")
        case "POST /api/v1/members/lookup":
            // The member of the caller's own organisation (fixture members are numbered by sorted organisation key).
            let ownKey = fixture.tree.ids.first { $0.value == own }!.key
            let sequence = 200 + fixture.tree.ids.keys.sorted().firstIndex(of: ownKey)!
            return Call(method: .post, uri: "/api/v1/members/lookup", json: "{\"id_number\":\"\(MemberFixtures.idNumber(born: "1980-05-01", sequence: sequence))\"}")
        case "POST /api/v1/members":
            return Call(method: .post, uri: "/api/v1/members", json: "{\"organisation_id\":\(org),\"name\":\"接口新增\",\"id_number\":\"\(MemberFixtures.idNumber(born: "1991-01-01", sequence: 901))\",\"party_status\":\"正式党员\",\"join_date\":\"2016-01-01\",\"full_member_date\":\"2017-01-01\"}")
        case "PATCH /api/v1/members/{id}":
            return Call(method: .patch, uri: "/api/v1/members/\(fixture.member(position, for: who))", json: "{\"post\":\"接口修改\",\"version\":1}")
        case "GET /members/export.xlsx": return Call(method: .get, uri: "/members/export.xlsx?org=\(org)&scope=own")
        case "GET /members/import": return Call(method: .get, uri: "/members/import?org=\(org)")
        case "POST /members/import":
            let csv = "姓名,身份证号,入党日期,转正日期\n矩阵导入,\(MemberFixtures.idNumber(born: "1986-01-01", sequence: 801)),2011-01-01,2012-01-01\n"
            return Call(method: .post, uri: "/members/import?org=\(org)", form: [:], upload: ("m.csv", Data(csv.utf8)))
        case "POST /members/import/{job}/commit":
            return Call(method: .post, uri: "/members/import/\(fixture.importJobs[who] ?? fixture.importJobs[.orgadmin]!)/commit", form: [:])
        case "GET /members/new": return Call(method: .get, uri: "/members/new?org=\(org)")
        case "GET /members/export.csv": return Call(method: .get, uri: "/members/export.csv?org=\(org)&scope=own")
        case "GET /members/statistics": return Call(method: .get, uri: "/members/statistics?org=\(org)&scope=own")
        case "POST /members/lookup": return Call(method: .post, uri: "/members/lookup", form: ["number": "13900000000"])
        case "POST /members":
            let draft = MemberFixtures.draft(name: "矩阵新增", born: "1990-01-01", sequence: 901)
            return Call(method: .post, uri: "/members?org=\(org)", form: MemberFormFixture.fields(draft))
        case "GET /members/{id}": return Call(method: .get, uri: "/members/\(fixture.member(position, for: who))")
        case "GET /members/{id}/edit": return Call(method: .get, uri: "/members/\(fixture.member(position, for: who))/edit")
        case "POST /members/{id}":
            var draft = MemberFixtures.draft(name: "矩阵修改", born: "1980-05-01", sequence: 200)
            draft.idNumber = ""
            var form = MemberFormFixture.fields(draft)
            form["version"] = "1"
            return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))", form: form)
        case "POST /members/{id}/reveal": return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))/reveal", form: ["field": "id_number"])
        case "POST /login":
            return Call(method: .post, uri: "/login", form: ["username": "nobody", "password": "x", "_csrf": "matrix"], cookies: ["dj_login": "matrix"])
        case "POST /account/password":
            return Call(method: .post, uri: "/account/password", form: ["current_password": WebFixture.password, "new_password": "Another#2026x", "confirm_password": "Another#2026x"])
        case "POST /account/tokens": return Call(method: .post, uri: "/account/tokens", form: ["name": "脚本", "valid_days": "30"])
        case "POST /account/tokens/{id}/revoke": return Call(method: .post, uri: "/account/tokens/\(actor.apiTokenID)/revoke", form: [:])
        case "GET /admin/users/{id}": return Call(method: .get, uri: "/admin/users/\(user)")
        case "POST /admin/users": return Call(method: .post, uri: "/admin/users", form: ["username": "newuser", "display_name": "新用户"])
        case "POST /admin/users/{id}/reset-password", "POST /admin/users/{id}/unlock", "POST /admin/users/{id}/disable", "POST /admin/users/{id}/enable":
            let action = route.split(separator: "/").last!
            return Call(method: .post, uri: "/admin/users/\(user)/\(action)", form: [:])
        case "POST /admin/users/{id}/roles":
            return Call(method: .post, uri: "/admin/users/\(user)/roles", form: ["role": "party_worker", "organisation_id": "\(fixture.tree["A21"])", "scope": "own"])
        case "POST /admin/users/{id}/roles/{grant}/revoke":
            return Call(method: .post, uri: "/admin/users/\(user)/roles/\(fixture.targetGrantID)/revoke", form: [:])
        case "POST /admin/policy":
            return Call(method: .post, uri: "/admin/policy", form: [
                "min_length": "10", "min_character_classes": "3", "max_age_days": "90", "history_count": "5", "lockout_threshold": "5",
                "lockout_minutes": "30", "idle_timeout_minutes": "30", "admin_idle_timeout_minutes": "15", "absolute_timeout_hours": "8"])
        case "POST /logout": return Call(method: .post, uri: "/logout", form: [:])
        case "POST /account/sessions/{id}/end":
            // The caller's own session (ends it: allowed); another user's id would be 404.
            return Call(method: .post, uri: "/account/sessions/\(SessionRepository.id(ofToken: actor.sessionToken))/end", form: [:])
        case "POST /account/sessions/end-others": return Call(method: .post, uri: "/account/sessions/end-others", form: [:])
        case "GET /exports/{id}": return Call(method: .get, uri: "/exports/\(fixture.exportRequest)")
        case "GET /exports/{id}/download": return Call(method: .get, uri: "/exports/\(fixture.exportRequest)/download")
        case "POST /exports/{id}/approve", "POST /exports/{id}/reject":
            return Call(method: .post, uri: "/exports/\(fixture.exportRequest)/\(route.split(separator: "/").last ?? "")", form: ["note": "矩阵"])
        case "GET /members/export/unmasked": return Call(method: .get, uri: "/members/export/unmasked?org=\(fixture.tree["A1"])")
        case "POST /members/export/unmasked":
            return Call(method: .post, uri: "/members/export/unmasked", form: ["filter": "org=\(fixture.tree["A1"])", "purpose": "矩阵核对用途", "format": "csv"])
        case "GET /metrics":
            // L7: the metrics token (the test client has no socket address to allow).
            var call = Call(method: .get, uri: "/metrics")
            call.headers[.authorization] = "Bearer \(WebHarness.metricsToken)"
            return call
        case "POST /login/verify", "POST /account/two-factor": return Call(method: .post, uri: route.split(separator: " ")[1].description, form: ["code": "000000"])
        case "POST /account/two-factor/recovery-codes", "POST /account/two-factor/reset":
            return Call(method: .post, uri: route.split(separator: " ")[1].description, form: [:])
        case "POST /account/step-up": return Call(method: .post, uri: "/account/step-up", form: ["password": WebFixture.password, "code": "000000", "next": "/"])
        case "POST /admin/users/{id}/second-factor/reset":
            return Call(method: .post, uri: "/admin/users/\(user)/second-factor/reset", form: ["reason": "矩阵"])
        case "POST /orgs/{id}/by-elections":
            return Call(method: .post, uri: "/orgs/\(org)/by-elections", form: ["held_on": "2026-01-01", "seats": "1", "eligible": "10", "present": "9", "candidates": "某某 8"])
        case "POST /orgs/{id}/retype": return Call(method: .post, uri: "/orgs/\(org)/retype", form: ["org_type": "general_branch", "approval": "甲组发〔2026〕2号", "version": "1"])
        case "POST /orgs/{id}/merge": return Call(method: .post, uri: "/orgs/\(org)/merge", form: ["target_id": "\(own)", "approval": "甲组发〔2026〕3号", "version": "1"])
        case "POST /orgs/{id}/units": return Call(method: .post, uri: "/orgs/\(org)/units", form: ["name": "新单位", "category": "机关", "assessment_category": ""])
        case "POST /members/link-accounts": return Call(method: .post, uri: "/members/link-accounts?org=\(org)", form: [:])
        case "GET /orgs/{id}/meetings": return Call(method: .get, uri: "/orgs/\(org)/meetings")
        case "GET /orgs/{id}/meetings/new": return Call(method: .get, uri: "/orgs/\(org)/meetings/new?kind=general_meeting")
        case "POST /orgs/{id}/meetings":
            return Call(method: .post, uri: "/orgs/\(org)/meetings", form: ["kind": "theme_day", "held_on": "2026-11-01", "topic": "矩阵主题党日"])
        case "GET /meetings/{id}": return Call(method: .get, uri: "/meetings/\(fixture.meeting)")
        case "POST /meetings/{id}/checkin": return Call(method: .post, uri: "/meetings/\(fixture.meeting)/checkin", form: [:])
        case "GET /meetings/{id}/checkin": return Call(method: .get, uri: "/meetings/\(fixture.meeting)/checkin")
        case "POST /meetings/{id}/checkin/close": return Call(method: .post, uri: "/meetings/\(fixture.meeting)/checkin/close", form: [:])
        case "GET /meetings/{id}/checkin.png": return Call(method: .get, uri: "/meetings/\(fixture.meeting)/checkin.png")
        case "GET /checkin/{token}": return Call(method: .get, uri: "/checkin/\(fixture.checkinToken)")
        case "POST /checkin/{token}": return Call(method: .post, uri: "/checkin/\(fixture.checkinToken)", form: [:])
        case "GET /development": return Call(method: .get, uri: "/development?org=\(org)&scope=subtree")
        case "POST /development":
            return Call(method: .post, uri: "/development", form: ["org": String(fixture.tree["A1a1"]), "applicant_name": "矩阵申请人", "id_number": MemberFixtures.idNumber(born: "2002-02-02", sequence: 991)])
        case "GET /development/{id}": return Call(method: .get, uri: "/development/\(fixture.developmentCase)")
        case "POST /development/{id}/steps": return Call(method: .post, uri: "/development/\(fixture.developmentCase)/steps", form: ["date": "2025-01-01"])
        case "POST /development/{id}/materials": return Call(method: .post, uri: "/development/\(fixture.developmentCase)/materials", form: ["entry": "0"])
        case "GET /development/{id}/materials/{attachment}":
            return Call(method: .get, uri: "/development/\(fixture.developmentCase)/materials/\(fixture.developmentMaterial)")
        case "GET /development/export.xlsx": return Call(method: .get, uri: "/development/export.xlsx?org=\(org)&scope=subtree")
        case "GET /development/{id}/documents/{kind}": return Call(method: .get, uri: "/development/\(fixture.developmentCase)/documents/activist-filing")
        case "GET /development/annual": return Call(method: .get, uri: "/development/annual?org=\(org)&year=2026")
        case "GET /development/annual.xlsx": return Call(method: .get, uri: "/development/annual.xlsx?org=\(org)&year=2026")
        case "POST /development/targets": return Call(method: .post, uri: "/development/targets", form: ["org": "\(org)", "target_org": "\(org)", "year": "2026", "target": "2"])
        case "POST /development/batch":
            return Call(method: .post, uri: "/development/batch", form: ["org": "\(org)", "case": "\(fixture.developmentCase)", "step": "4", "date": "2025-01-01"])
        case "GET /meetings/{id}/evaluation": return Call(method: .get, uri: "/meetings/\(fixture.evaluationMeeting)/evaluation")
        case "GET /meetings/{id}/evaluation.xlsx": return Call(method: .get, uri: "/meetings/\(fixture.evaluationMeeting)/evaluation.xlsx")
        case "POST /meetings/{id}/evaluation":
            return Call(method: .post, uri: "/meetings/\(fixture.evaluationMeeting)/evaluation", form: ["action": "save", "version": "0"])
        case "POST /campaigns": return Call(method: .post, uri: "/campaigns", form: ["org": "\(own)", "name": "矩阵活动", "year": "2026"])
        case "GET /campaigns/{id}": return Call(method: .get, uri: "/campaigns/\(fixture.campaign)")
        case "POST /campaigns/{id}/tasks":
            return Call(method: .post, uri: "/campaigns/\(fixture.campaign)/tasks", form: ["category": "党建", "title": "矩阵任务", "deadline": "2030-01-01", "assignees": "\(fixture.tree["A1a1"])"])
        case "POST /campaigns/{id}/close": return Call(method: .post, uri: "/campaigns/\(fixture.campaign)/close", form: [:])
        case "GET /campaigns/{id}/board.xlsx": return Call(method: .get, uri: "/campaigns/\(fixture.campaign)/board.xlsx")
        case "GET /attachments/{id}": return Call(method: .get, uri: "/attachments/\(fixture.attachment)")
        case "GET /tasks/{id}": return Call(method: .get, uri: "/tasks/\(fixture.taskAssignment)")
        case "POST /tasks/{id}": return Call(method: .post, uri: "/tasks/\(fixture.taskAssignment)", form: ["action": "progress", "text": "矩阵进展"])
        case "POST /problems":
            return Call(method: .post, uri: "/problems", form: ["organisation": "\(fixture.tree["A1a1"])", "source": "self_check", "category": "组织生活",
                                                              "description": "矩阵问题", "found_on": "2026-01-01", "deadline": "2030-01-01"])
        case "GET /problems/{id}": return Call(method: .get, uri: "/problems/\(fixture.problem)")
        case "POST /problems/{id}":
            return Call(method: .post, uri: "/problems/\(fixture.problem)", form: ["action": "plan", "text": "矩阵措施", "responsible": "某人", "deadline": "2030-01-01"])
        case "POST /supervision/groups":
            return Call(method: .post, uri: "/supervision/groups", form: ["org": "\(own)", "name": "矩阵督导组", "members": "orgadmin 组长", "organisations": "\(fixture.tree["A1a1"])"])
        case "POST /supervision/rounds":
            return Call(method: .post, uri: "/supervision/rounds", form: ["org": "\(own)", "name": "矩阵轮次", "starts_on": "2026-01-01", "ends_on": "2026-01-31"])
        case "GET /supervision/rounds/{id}": return Call(method: .get, uri: "/supervision/rounds/\(fixture.supervisionRound)")
        case "POST /supervision/rounds/{id}/visits":
            return Call(method: .post, uri: "/supervision/rounds/\(fixture.supervisionRound)/visits",
                        form: ["group": "\(fixture.supervisionGroup)", "organisation": "\(fixture.tree["A1a1"])", "findings": "阵地建设：矩阵发现"])
        case "GET /letters/new": return Call(method: .get, uri: "/letters/new?visit=\(fixture.supervisionVisit)")
        case "POST /letters":
            return Call(method: .post, uri: "/letters", form: ["organisation": "\(fixture.tree["A1a1"])", "issuer": "\(fixture.tree["A1"])", "title": "矩阵提醒函",
                                                             "recipient": "一支部", "body": "请整改", "issuing_organ": "工委", "issued_on": "2026-01-01"])
        case "GET /letters/{id}/letter.docx": return Call(method: .get, uri: "/letters/\(fixture.letter)/letter.docx")
        case "POST /letters/{id}/sent": return Call(method: .post, uri: "/letters/\(fixture.letter)/sent", form: [:])
        case "POST /letters/{id}/acknowledge": return Call(method: .post, uri: "/letters/\(fixture.letter)/acknowledge", form: [:])
        case "POST /duties/templates":
            return Call(method: .post, uri: "/duties/templates", form: ["org": "\(own)", "name": "矩阵清单", "post": "书记", "applies_to": "branch", "items": "每年 讲党课"])
        case "POST /duties/templates/{id}/lists": return Call(method: .post, uri: "/duties/templates/\(fixture.dutyTemplate)/lists", form: ["year": "2027"])
        case "POST /duties/letters":
            return Call(method: .post, uri: "/duties/letters", form: ["org": "\(own)", "organisation": "\(fixture.tree["A1a1"])", "title": "矩阵责任书",
                                                                    "signatory": "王书记", "signed_on": "2026-01-05"])
        case "GET /duties/{id}": return Call(method: .get, uri: "/duties/\(fixture.dutyList)")
        case "POST /duties/{id}/records":
            return Call(method: .post, uri: "/duties/\(fixture.dutyList)/records", form: ["item": "1", "date": "2026-01-05", "text": "矩阵完成"])
        case "POST /admin/holidays": return Call(method: .post, uri: "/admin/holidays", form: ["year": "2027", "calendar": "2027-01-01 元旦 休"])
        case "POST /development/forms": return Call(method: .post, uri: "/development/forms", form: ["org": "\(own)", "first": "矩阵0001", "count": "2"])
        case "POST /development/forms/void": return Call(method: .post, uri: "/development/forms/void", form: ["number": "粤2026000001", "reason": "遗失"])
        case "GET /ledger/report": return Call(method: .get, uri: "/ledger/report?org=\(own)")
        case "GET /board": return Call(method: .get, uri: "/board?org=\(org)&scope=subtree")
        case "GET /compliance": return Call(method: .get, uri: "/compliance?org=\(org)&scope=subtree")
        case "GET /compliance/report": return Call(method: .get, uri: "/compliance/report?org=\(org)&scope=subtree&period=2026-Q1")
        case "GET /participation": return Call(method: .get, uri: "/participation?org=\(org)&scope=subtree")
        case "GET /orgs/import": return Call(method: .get, uri: "/orgs/import?org=\(org)")
        case "POST /orgs/import":
            return Call(method: .post, uri: "/orgs/import?org=\(org)", form: [:], upload: ("o.csv", Data("组织名称,组织类型\n矩阵党支部,党支部\n".utf8)))
        case "POST /orgs/import/{job}/commit": return Call(method: .post, uri: "/orgs/import/\(fixture.organisationImportJob)/commit", form: [:])
        case "GET /units": return Call(method: .get, uri: "/units?org=\(org)&scope=subtree")
        case "POST /units/{id}":
            return Call(method: .post, uri: "/units/\(fixture.unit)", form: ["organisation_id": "\(fixture.tree["A1a1"])", "name": "改名单位", "category": "村", "assessment_category": "", "version": "1"])
        case "GET /floating": return Call(method: .get, uri: "/floating?org=\(org)&scope=subtree")
        case "POST /members/{id}/floating":
            return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))/floating", form: ["issued_on": "2026-01-01", "valid_until": "2026-03-01", "reason": "外出务工", "destination": "某地"])
        case "POST /floating/{id}/return": return Call(method: .post, uri: "/floating/\(fixture.floatingCertificate)/return", form: [:])
        case "POST /admin/rules":
            return Call(method: .post, uri: "/admin/rules", form: ["version": "矩阵-1", "effective_from": "2099-01-01", "minimum_age": "18", "probation_years": "1",
                "maximum_probation_extension_months": "12", "medal_years": "50", "lost_contact_months": "6", "branch_minimum_full_members": "3",
                "branch_maximum_members": "50", "committee_threshold_full_members": "7", "committee_minimum_size": "3", "committee_maximum_size": "7",
                "joint_branch_maximum_units": "5", "floating_transfer_months": "6", "assessment_categories": "党群政务、社会服务"])
        default:
            let parts = route.split(separator: " ")
            return Call(method: HTTPRequest.Method(String(parts[0]))!, uri: String(parts[1]))
        }
    }
}

/// A member draft as the form posts it.
enum MemberFormFixture {
    static func fields(_ d: MemberDraft) -> [String: String] {
        ["name": d.name, "id_number": d.idNumber, "gender": d.gender, "birth_date": d.birthDate, "ethnicity": d.ethnicity,
         "education": d.education, "personnel_category": d.personnelCategory, "party_status": d.partyStatus,
         "membership_state": d.membershipState, "join_date": d.joinDate, "full_member_date": d.fullMemberDate,
         "work_unit": d.workUnit, "post": d.post, "phone": d.phone, "address": d.address]
    }
}

@Suite("Authorization matrix (routes × roles × position)")
struct AuthorizationMatrixTests {
    @Test("every route the router serves has a matrix line, and every matrix line is a route")
    func everyRouteIsInTheMatrix() async throws {
        let harness = try await WebHarness.make()
        defer { Task { await harness.close() } }
        let matrix = try AuthorizationMatrix.load()
        let served = Set(harness.routes.map(\.key))
        let missing = served.subtracting(matrix.keys).sorted()
        let stale = Set(matrix.keys).subtracting(served).sorted()
        #expect(missing.isEmpty, "routes without a line in authz-matrix.txt: \(missing)")
        #expect(stale.isEmpty, "matrix lines for routes that do not exist: \(stale)")
        #expect(served.count == harness.routes.count, "a route is registered twice")
    }

    @Test("each cell: allowed callers get through, denied callers get 401/403/404 and nothing changes")
    func matrix() async throws {
        // One fixture, copied fresh for every cell so that an allowed write cannot affect the next cell.
        let template = try await FixtureTemplate.make()
        let (clock, keyring, fixture) = (template.clock, template.keyring, template.fixture)
        let matrix = try AuthorizationMatrix.load()
        let probe = try await WebHarness.make()
        let routes = probe.routes
        await probe.close()

        var cells = 0
        for spec in routes {
            let entry = try #require(matrix[spec.key], "no matrix line for \(spec.key)")
            let positions: [Position] = AuthorizationMatrix.positional.contains(spec.key) ? Position.allCases : [.own]
            for who in Who.allCases {
                for position in positions {
                    cells += 1
                    let (database, dir) = try template.copy()
                    let built = try await DangjianApp.buildRouter(configuration: WebHarness.configuration(), database: database, keyring: keyring, clock: clock)
                    let before = try await stateFingerprint(database)
                    let call = AuthorizationMatrix.call(spec.key, who: who, position: position, fixture: fixture)
                    let actor = who == .anonymous ? nil : fixture.actors[who]
                    let response = try await Application(router: built.router).test(.router) { client in
                        try await client.send(call.method, call.uri, as: actor, form: call.form, json: call.json, headers: call.headers, cookies: call.cookies, upload: call.upload)
                    }
                    let after = try await stateFingerprint(database)
                    let cell = "\(spec.key) as \(who.rawValue) at \(position.rawValue)"
                    #expect(response.status.code < 500, "\(cell): server error \(response.status.code)")
                    if entry.expectsAllowed(who, at: position) {
                        #expect(!response.isDenied, "\(cell): expected allowed, got \(response.status.code) \(response.location ?? "")")
                    } else {
                        #expect(response.isDenied, "\(cell): expected denied, got \(response.status.code)")
                        #expect(before == after, "\(cell): a denied request changed data")
                    }
                    if spec.method == "GET" {
                        #expect(before == after, "\(cell): a GET changed data")
                    }
                    await database.shutdown()
                    try? FileManager.default.removeItem(at: dir)
                }
            }
        }
        await template.drop()
        print("authorization matrix: \(routes.count) routes, \(cells) cells checked")
        #expect(cells > 400)
    }
}
