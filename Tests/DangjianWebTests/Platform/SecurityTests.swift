import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import SQLKit
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Web security: CSRF, headers, escaping, errors, API tokens, audit")
struct SecurityTests {
    /// For each route, a role allowed to call it (from the matrix), at the first position where it may.
    static func allowedActor(_ entry: MatrixEntry) -> Who? { allowedCall(entry)?.who }

    static func allowedCall(_ entry: MatrixEntry) -> (who: Who, position: Position)? {
        for position in Position.allCases {
            if let who = [Who.orgadmin, .sysadmin, .secadmin, .auditor, .worker, .member].first(where: { entry.expectsAllowed($0, at: position) }) {
                return (who, position)
            }
        }
        return nil
    }

    @Test("every state-changing route refuses a missing, foreign or cross-site CSRF token and changes nothing")
    func csrf() async throws {
        let harness = try await WebHarness.make()
        let matrix = try AuthorizationMatrix.load()
        var checked = 0
        for spec in harness.routes where spec.method != "GET" {
            let entry = try #require(matrix[spec.key])
            // A route open to no fixture role (an assessor's sheet: only the record's own assignees) is sent by the
            // orgadmin: the token is checked before anything else, so a bad one is 403 for them too.
            let (who, position) = Self.allowedCall(entry) ?? (.orgadmin, .own)
            guard var actor = harness.fixture.actors[who] else { continue }
            let call = AuthorizationMatrix.call(spec.key, who: who, position: position, fixture: harness.fixture)
            let other = who == .sysadmin ? harness.fixture.actors[.secadmin]! : harness.fixture.actors[.sysadmin]!
            for variant in ["missing", "foreign", "cross-site"] {
                let before = try await stateFingerprint(harness.scratch.database)
                var headers = HTTPFields()
                var sendCSRF = true
                switch variant {
                case "missing": sendCSRF = false
                case "foreign": actor.csrf = other.csrf
                default: headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                }
                var form = call.form
                if spec.key == "POST /login" { form?["_csrf"] = nil }
                let response = try await harness.withClient { [actor, form, headers, sendCSRF] client in
                    try await client.send(
                        call.method, call.uri, as: actor, form: form, json: call.json, csrf: sendCSRF, headers: headers, upload: call.upload)
                }
                #expect(response.status == .forbidden, "\(spec.key) with \(variant) token: \(response.status.code)")
                #expect(try await stateFingerprint(harness.scratch.database) == before, "\(spec.key) with \(variant) token changed data")
                actor = harness.fixture.actors[who]!
            }
            checked += 1
        }
        #expect(checked == harness.routes.filter { $0.method != "GET" }.count)
        let rejected = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.csrfRejected.rawValue), database: harness.scratch.database)
        #expect(rejected.total == checked * 3)
        await harness.close()
    }

    @Test("every page carries the security headers; personal pages are not cached; no server banner")
    func headers() async throws {
        let harness = try await WebHarness.make()
        let matrix = try AuthorizationMatrix.load()
        for spec in harness.routes where spec.method == "GET" {
            let entry = try #require(matrix[spec.key])
            let (who, position) = Self.allowedCall(entry) ?? (.anonymous, .own)
            let call = AuthorizationMatrix.call(spec.key, who: who, position: position, fixture: harness.fixture)
            let response = try await harness.withClient { client in
                try await client.send(.get, call.uri, as: harness.fixture.actors[who], headers: call.headers)
            }
            #expect(response.status.code < 400, "\(spec.key): \(response.status.code)")
            let h = response.headers
            let csp = h[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "\(spec.key)")
            #expect(h[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(spec.key)")
            #expect(h[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(spec.key)")
            #expect(h[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(spec.key)")
            #expect(h[.server] == nil, "\(spec.key)")
            let type = h[.contentType] ?? ""
            if !response.body.isEmpty && (type.hasPrefix("text/") || type.hasPrefix("application/json")) {
                #expect(type.contains("charset=utf-8"), "\(spec.key)")
            }
            if !spec.path.hasPrefix("/static/") { #expect(h[.cacheControl] == "no-store", "\(spec.key)") }
            if h[.contentType]?.hasPrefix("text/html") == true {
                #expect(!response.body.contains("<script>") && !response.body.contains(" onclick="), "\(spec.key): inline script")
            }
        }
        await harness.close()
    }

    @Test("names with markup are escaped everywhere they appear")
    func escaping() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let evil = "<script>alert(1)</script>\"'&O'Hara 张三"
        try await harness.withClient { client in
            let created = try await client.send(
                .post, "/orgs", as: orgadmin,
                form: ["parent_id": "\(harness.fixture.tree["A1"])", "org_type": "branch", "name": evil])
            #expect(created.status == .seeOther)
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            for path in ["/orgs", "/orgs/\(id)", "/orgs/\(harness.fixture.tree["A1"])?scope=subtree"] {
                let page = try await client.send(.get, path, as: orgadmin)
                #expect(!page.body.contains("<script>alert(1)</script>"), "\(path)")
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
            }
            // The member list writes its rows in Swift: the organisation column is escaped there too.
            _ = try await harness.services.members.create(
                MemberFixtures.draft(name: "王某", born: "1979-09-09", sequence: 901), organisationID: Int64(id)!,
                access: .maintenance, actor: .console("t"))
            let list = try await client.send(.get, "/members?org=\(id)&scope=own", as: orgadmin)
            #expect(
                list.body.contains("王某") && !list.body.contains("<script>alert(1)</script>")
                    && list.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;O&#39;Hara"))
            let api = try await client.send(.get, "/api/v1/organisations/\(id)", as: orgadmin)
            #expect(api.body.contains("alert(1)"))  // JSON carries the text; the content type keeps browsers from running it
            #expect(api.headers[.contentType] == "application/json; charset=utf-8")
        }
        await harness.close()
    }

    @Test("error pages are Chinese, carry the request id and no internals")
    func errorPages() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            let missing = try await client.send(.get, "/no/such/page", as: worker)
            #expect(missing.status == .notFound && missing.body.contains("页面不存在"))
            let requestID = try #require(missing.headers[HTTPField.Name("X-Request-Id")!])
            #expect(missing.body.contains(requestID))
            let forbidden = try await client.send(.get, "/audit", as: worker)
            #expect(forbidden.status == .forbidden && forbidden.body.contains("无权访问"))
            let notVisible = try await client.send(.get, "/orgs/\(harness.fixture.tree["B1"])", as: worker)
            #expect(notVisible.status == .notFound && notVisible.body.contains("不在您的管理范围内"))
            let badID = try await client.send(.get, "/orgs/abc", as: worker)
            #expect(badID.status.code == 400 || badID.status.code == 404)
            for body in [missing.body, forbidden.body, notVisible.body, badID.body] {
                #expect(!body.contains("Swift") && !body.contains("SELECT") && !body.contains("/work/"))
            }
        }
        let denials = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.accessDenied.rawValue), database: harness.scratch.database)
        #expect(denials.total >= 1)
        await harness.close()
    }

    @Test("nobody can grant themselves a role, even the security administrator")
    func noSelfGrant() async throws {
        let harness = try await WebHarness.make()
        let sec = try #require(harness.fixture.actors[.secadmin])
        try await harness.withClient { client in
            let before = try await stateFingerprint(harness.scratch.database)
            let r = try await client.send(
                .post, "/admin/users/\(sec.userID)/roles", as: sec,
                form: ["role": "audit_admin", "organisation_id": "", "scope": "own"])
            #expect(r.status == .forbidden)
            #expect(try await stateFingerprint(harness.scratch.database) == before)
            let grants = try await harness.services.accounts.assignments(of: sec.userID)
            let r2 = try await client.send(.post, "/admin/users/\(sec.userID)/roles/\(grants[0].id)/revoke", as: sec, form: [:])
            #expect(r2.status == .forbidden)
        }
        await harness.close()
    }

    @Test("API: personal access tokens authenticate, revoked tokens stop, sessions need the CSRF header")
    func apiTokens() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        try await harness.withClient { client in
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(orgadmin.apiToken)"
            let me = try await client.send(.get, "/api/v1/me", as: nil, headers: bearer)
            #expect(me.status == .ok && me.body.contains("\"username\":\"orgadmin\""))
            let list = try await client.send(
                .get, "/api/v1/organisations?root=\(harness.fixture.tree["A1"])&scope=children", as: nil, headers: bearer)
            let ids = try JSONDecoder().decode([String: [APIController.OrganisationDTO]].self, from: Data(list.body.utf8))["items"]!.map(\.id)
            #expect(Set(ids) == Set([harness.fixture.tree["A1"], harness.fixture.tree["A1a"], harness.fixture.tree["A1b"]]))
            let created = try await client.send(
                .post, "/api/v1/organisations", as: nil,
                json: "{\"parent_id\":\(harness.fixture.tree["A1b"]),\"type\":\"党小组\",\"name\":\"接口小组\"}", headers: bearer)
            #expect(created.status == .created)
            let outside = try await client.send(
                .post, "/api/v1/organisations", as: nil,
                json: "{\"parent_id\":\(harness.fixture.tree["B"]),\"type\":\"branch\",\"name\":\"越权\"}", headers: bearer)
            #expect(outside.status == .forbidden)
            let invalid = try await client.send(
                .post, "/api/v1/organisations", as: nil,
                json: "{\"parent_id\":\(harness.fixture.tree["A1b"]),\"type\":\"branch\",\"name\":\"支部下不能再设支部\"}", headers: bearer)
            #expect(invalid.status.code == 422 && invalid.body.contains("\"field\":\"org_type\""))
            // A session without the CSRF header cannot write through the API.
            let noHeader = try await client.send(
                .post, "/api/v1/organisations", as: orgadmin,
                json: "{\"parent_id\":\(harness.fixture.tree["A1b"]),\"type\":\"party_group\",\"name\":\"无校验码\"}", csrf: false)
            #expect(noHeader.status == .forbidden)
            // Revoke through the page, then the token is dead.
            let revoke = try await client.send(.post, "/account/tokens/\(orgadmin.apiTokenID)/revoke", as: orgadmin, form: [:])
            #expect(revoke.status == .seeOther)
            let after = try await client.send(.get, "/api/v1/me", as: nil, headers: bearer)
            #expect(after.status == .unauthorized)
            // Another user's token cannot be revoked by id.
            let foreign = harness.fixture.actors[.worker]!.apiTokenID
            #expect(try await client.send(.post, "/account/tokens/\(foreign)/revoke", as: orgadmin, form: [:]).status == .notFound)
        }
        await harness.close()
    }

    @Test("the OpenAPI document lists every /api/v1 route, and nothing else")
    func openAPI() async throws {
        let harness = try await WebHarness.make()
        let body = try await harness.withClient { client in try await client.send(.get, "/api/v1/openapi.json", as: nil).body }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let served = Set(harness.routes.filter(\.isAPI).map(\.key))
        #expect(served.subtracting(documented).isEmpty, "API routes missing from openapi.json: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "openapi.json documents routes that do not exist: \(documented.subtracting(served).sorted())")
        await harness.close()
    }

    @Test("the audit page masks personal numbers; its export neutralises formulas and is itself audited")
    func auditPageAndExport() async throws {
        let harness = try await WebHarness.make()
        let auditor = try #require(harness.fixture.actors[.auditor])
        try await harness.withClient { client in
            _ = try await SignInTests.signIn(client, username: "11010519491231002X", password: "=HYPERLINK(1)", ip: "10.3.3.3")
            _ = try await SignInTests.signIn(client, username: "13812345678", password: "x", ip: "10.3.3.4")
            let page = try await client.send(.get, "/audit?failures=1", as: auditor)
            #expect(page.status == .ok)
            #expect(!page.body.contains("11010519491231002X") && !page.body.contains("13812345678"))
            // A typed name that is no account's is kept only as a hash (issue 15: it may be a password typed in the wrong box).
            #expect(page.body.contains("未知用户#") && !page.body.contains("1101**************"))
            let csv = try await client.send(.get, "/audit/export.csv", as: auditor)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(!csv.body.contains("11010519491231002X"))
            let lines = csv.body.split(separator: "\r\n")
            #expect(lines.count > 5)
            for line in lines.dropFirst() {
                for cell in line.split(separator: ",") { #expect(!cell.hasPrefix("=") && !cell.hasPrefix("+") && !cell.hasPrefix("@")) }
            }
        }
        let exports = try await harness.services.audit.search(AuditQuery(action: AuditAction.export.rawValue), database: harness.scratch.database)
        #expect(exports.total == 1 && exports.records[0].summary.contains("SHA-256"))
        #expect(try await harness.services.audit.verify(database: harness.scratch.database).isIntact)
        await harness.close()
    }

    @Test("every write through the pages leaves an audit record with its field changes")
    func writesAreAudited() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1b = harness.fixture.tree["A1b"]
        try await harness.withClient { client in
            let r = try await client.send(
                .post, "/orgs/\(a1b)/rename", as: orgadmin, form: ["name": "甲县教育体育局支部", "short_name": "教体局支部", "version": "1"])
            #expect(r.status == .seeOther)
            let stale = try await client.send(.post, "/orgs/\(a1b)/rename", as: orgadmin, form: ["name": "过期表单", "version": "1"])
            #expect(stale.status == .conflict && stale.body.contains("已被他人修改"))
        }
        let records = try await harness.services.audit.search(
            AuditQuery(action: "update", objectType: "organisation", objectID: String(a1b)), database: harness.scratch.database
        ).records
        let record = try #require(records.first)
        #expect(record.actorName == "orgadmin" && record.actorID == harness.fixture.actors[.orgadmin]!.userID)
        #expect(record.changes.contains(FieldChange(field: "name", old: "甲教育局支部", new: "甲县教育体育局支部")))
        #expect(record.changes.contains(FieldChange(field: "short_name", old: nil, new: "教体局支部")))
        #expect(!record.requestID.isEmpty && record.ip != "")
        await harness.close()
    }
}
