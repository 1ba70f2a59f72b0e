import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the members routes (a route not listed here gets a plain request to its path).
    static func membersCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /members": return Call(method: .get, uri: "/members?org=\(org)&scope=own")
        case "POST /members/{id}/transfer":
            return Call(
                method: .post, uri: "/members/\(fixture.member(position, for: who))/transfer",
                form: ["kind": "out", "to_name": "外省某支部", "valid_days": "90", "dues_paid_until": "2026-11"])
        case "POST /members/{id}/account":
            return Call(
                method: .post, uri: "/members/\(fixture.member(position, for: who))/account", form: ["username": "member", "confirm_name": "1"])
        case "POST /transfers/{id}/receive": return Call(method: .post, uri: "/transfers/\(c.target(.incomingTransfer))/receive", form: [:])
        case "POST /transfers/{id}/confirm": return Call(method: .post, uri: "/transfers/\(c.target(.outgoingTransfer))/confirm", form: [:])
        case "POST /transfers/{id}/cancel": return Call(method: .post, uri: "/transfers/\(c.target(.outgoingTransfer))/cancel", form: [:])
        case "GET /transfers/{id}/letter.docx": return Call(method: .get, uri: "/transfers/\(c.target(.outgoingTransfer))/letter.docx")
        case "GET /api/v1/members": return Call(method: .get, uri: "/api/v1/members?org=\(org)&scope=own")
        case "GET /api/v1/members/{id}": return Call(method: .get, uri: "/api/v1/members/\(fixture.member(position, for: who))")
        case "POST /api/v1/members/lookup":
            // The member of the caller's own organisation (fixture members are numbered by sorted organisation key).
            let ownKey = fixture.tree.ids.first { $0.value == own }!.key
            let sequence = 200 + fixture.tree.ids.keys.sorted().firstIndex(of: ownKey)!
            return Call(
                method: .post, uri: "/api/v1/members/lookup",
                json: "{\"id_number\":\"\(MemberFixtures.idNumber(born: "1980-05-01", sequence: sequence))\"}")
        case "POST /api/v1/members":
            return Call(
                method: .post, uri: "/api/v1/members",
                json:
                    "{\"organisation_id\":\(org),\"name\":\"接口新增\",\"id_number\":\"\(MemberFixtures.idNumber(born: "1991-01-01", sequence: 901))\",\"party_status\":\"正式党员\",\"join_date\":\"2016-01-01\",\"full_member_date\":\"2017-01-01\"}"
            )
        case "PATCH /api/v1/members/{id}":
            return Call(method: .patch, uri: "/api/v1/members/\(fixture.member(position, for: who))", json: "{\"post\":\"接口修改\",\"version\":1}")
        case "GET /members/export.xlsx": return Call(method: .get, uri: "/members/export.xlsx?org=\(org)&scope=own")
        case "GET /members/import": return Call(method: .get, uri: "/members/import?org=\(org)")
        case "POST /members/import":
            let csv = "姓名,身份证号,入党日期,转正日期\n矩阵导入,\(MemberFixtures.idNumber(born: "1986-01-01", sequence: 801)),2011-01-01,2012-01-01\n"
            return Call(method: .post, uri: "/members/import?org=\(org)", form: [:], upload: ("m.csv", Data(csv.utf8)))
        case "GET /members/import/{job}/problems.xlsx":
            return Call(method: .get, uri: "/members/import/\(fixture.importJobs[who] ?? fixture.importJobs[.orgadmin]!)/problems.xlsx")
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
        case "POST /members/{id}/reveal":
            return Call(method: .post, uri: "/members/\(fixture.member(position, for: who))/reveal", form: ["field": "id_number"])
        case "GET /exports/{id}": return Call(method: .get, uri: "/exports/\(fixture.exportRequest)")
        case "GET /exports/{id}/download": return Call(method: .get, uri: "/exports/\(fixture.exportRequest)/download")
        case "POST /exports/{id}/approve", "POST /exports/{id}/reject":
            return Call(method: .post, uri: "/exports/\(fixture.exportRequest)/\(route.split(separator: "/").last ?? "")", form: ["note": "矩阵"])
        case "GET /members/export/unmasked": return Call(method: .get, uri: "/members/export/unmasked?org=\(fixture.tree["A1"])")
        case "POST /members/export/unmasked":
            return Call(
                method: .post, uri: "/members/export/unmasked", form: ["filter": "org=\(fixture.tree["A1"])", "purpose": "矩阵核对用途", "format": "csv"])
        case "POST /members/link-accounts": return Call(method: .post, uri: "/members/link-accounts?org=\(org)", form: [:])
        case "POST /members/accounts": return Call(method: .post, uri: "/members/accounts?org=\(org)", form: [:])
        case "GET /floating": return Call(method: .get, uri: "/floating?org=\(org)&scope=subtree")
        case "POST /members/{id}/floating":
            return Call(
                method: .post, uri: "/members/\(fixture.member(position, for: who))/floating",
                form: ["issued_on": "2026-01-01", "valid_until": "2026-03-01", "reason": "外出务工", "destination": "某地"])
        case "POST /floating/{id}/return": return Call(method: .post, uri: "/floating/\(c.target(.floatingCertificate))/return", form: [:])
        default: return nil
        }
    }
}

extension MembersFeature {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.membersCall(route, context)
    }
}
