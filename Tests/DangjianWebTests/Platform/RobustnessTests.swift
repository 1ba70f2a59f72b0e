import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 15: the requests an outside probe used to stop the server, and the classes of fault behind them.
@Suite("Robustness (issue 15)")
struct RobustnessTests {
    /// H1: each request of the probe that trapped the process now answers 400 with a Chinese message naming the
    /// field, and the server answers the next request.
    @Test(
        "H1: the probe's crashing GETs answer 400 with the field named",
        arguments: [
            ("/members?age_min=100000", Who.worker, "年龄"),
            ("/members?page=9223372036854775807", .worker, "页码"),
            ("/members/statistics?age_min=100000", .worker, "年龄"),
            ("/members/statistics?standing_min=-9223372036854775808", .worker, "党龄"),
            ("/members/export.csv?age_min=100000", .worker, "年龄"),
            ("/members/export.xlsx?age_max=9223372036854775807", .worker, "年龄"),
            ("/audit?page=9223372036854775807", .auditor, "页码"),
        ])
    func crashingPages(uri: String, who: Who, label: String) async throws {
        let harness = try await WebHarness.make()
        let org = harness.fixture.organisation(.own, for: who)
        let full = uri.contains("/members") ? uri + "&org=\(org)" : uri
        let (response, after) = try await harness.withClient { client in
            let response = try await client.send(.get, full, as: harness.fixture.actors[who])
            let after = try await client.send(
                .get, "/members?org=\(harness.fixture.organisation(.own, for: .worker))", as: harness.fixture.actors[.worker])
            return (response, after)
        }
        #expect(response.status == .badRequest, "\(full): \(response.status.code)")
        #expect(response.body.contains("“\(label)”应为"), "\(full): \(response.body.prefix(300))")
        #expect(after.status == .ok)
        await harness.close()
    }

    @Test("H1: the compliance year and the API's numbers are bounded (400, JSON names the field)")
    func boundedYearAndAPI() async throws {
        let harness = try await WebHarness.make()
        let worker = harness.fixture.actors[.worker]!
        let org = harness.fixture.organisation(.own, for: .worker)
        let responses = try await harness.withClient { client in
            var out: [(String, TestResponse)] = []
            for uri in [
                "/orgs/\(org)/meetings?year=10000", "/orgs/\(org)/meetings?year=-9223372036854775808",
                "/api/v1/members?org=\(org)&age_max=9223372036854775807", "/api/v1/members?org=\(org)&age_min=100000",
                "/api/v1/members?org=\(org)&offset=-9223372036854775808", "/api/v1/members?org=\(org)&limit=99999999999999999999",
            ] {
                out.append((uri, try await client.send(.get, uri, as: worker)))
            }
            return out
        }
        for (uri, response) in responses {
            #expect(response.status == .badRequest, "\(uri): \(response.status.code) \(response.body.prefix(200))")
            if uri.hasPrefix("/api/") {
                let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: String]
                #expect(json?["error"] == "bad_parameter", "\(uri)")
                #expect(json?["field"]?.isEmpty == false, "\(uri)")
            }
        }
        // In range, the same pages work.
        let fine = try await harness.withClient { client in
            try await client.send(.get, "/orgs/\(org)/meetings?year=2100", as: worker)
        }
        #expect(fine.status == .ok)
        await harness.close()
    }

    @Test("H1: date arithmetic saturates instead of trapping")
    func dateArithmeticIsTotal() {
        let day = CivilDate(year: 2026, month: 12, day: 6)!
        #expect(day.adding(years: Int.max) == .latest)
        #expect(day.adding(years: Int.min) == .earliest)
        #expect(day.adding(years: -100_000) == .earliest)
        #expect(day.adding(months: Int.max) == .latest)
        #expect(day.adding(months: Int.min) == .earliest)
        #expect(day.adding(days: Int.max) == .latest)
        #expect(day.adding(days: Int.min) == .earliest)
        #expect(day.adding(years: -26) == CivilDate(year: 2000, month: 12, day: 6))
        #expect(CivilDate(year: 2024, month: 2, day: 29)!.adding(years: 1) == CivilDate(year: 2025, month: 2, day: 28))
        #expect(CivilDate.fromExcelSerial(Int.max) == nil)
        #expect(CivilDate.fromExcelSerial(45_000) == CivilDate(year: 2023, month: 3, day: 15))
        #expect(CivilDate(year: 2023, month: 3, day: 15)!.excelSerial == 45_000)
        #expect(CivilDate(compact: "20250230") == nil)
    }

    @Test("H1: bounded numbers parse only their range")
    func boundedNumbers() throws {
        #expect(try Age.parse(" 150 ", field: "age_min")?.value == 150)
        #expect(try Age.parse("", field: "age_min") == nil)
        #expect(try CalendarYear.parse("２０２６", field: "year")?.value == 2026)
        for bad in ["151", "-1", "100000", "9223372036854775807", "99999999999999999999", "abc", "1.5", "1e3"] {
            #expect(throws: ValidationFailure.self, "\(bad)") { try Age.parse(bad, field: "age_min") }
        }
        do {
            _ = try PageNumber.parse("0", field: "page")
            Issue.record("page 0 accepted")
        } catch {
            #expect(error.field == "page")
            #expect(error.isRequestParameter)
            #expect(error.message.contains("“页码”应为 1 至 100000 之间的整数"))
        }
        #expect(PageNumber(100_000)?.offset(pageSize: 50) == 4_999_950)
    }

    /// H3 at CI scale (the full-scale figures are in docs/performance.md, `bench/concurrency.py`): detail views that
    /// each append an audit row, sign-ins and health checks all at once, on SQLite — nothing fails, nothing is lost.
    @Test("H3: 200 concurrent detail views, 50 concurrent sign-ins and health checks: no errors, every view audited")
    func concurrentWrites() async throws {
        let harness = try await WebHarness.make()
        let worker = harness.fixture.actors[.worker]!
        var sessions: [FixtureActor] = []
        for _ in 0..<10 {
            let session = try await harness.services.sessions.start(userID: worker.userID, ip: "127.0.0.1", userAgent: "load")
            var actor = worker
            actor.sessionToken = session.token
            actor.csrf = session.record.csrfToken
            sessions.append(actor)
        }
        let member = harness.fixture.member(.own, for: .worker)
        let viewsBefore = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.personViewed.rawValue), database: harness.scratch.database
        ).total
        let statuses = try await harness.withClient { [sessions] client in
            try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for i in 0..<200 {
                    group.addTask { ("view", try await client.send(.get, "/members/\(member)", as: sessions[i % sessions.count]).status.code) }
                }
                for i in 0..<50 {
                    group.addTask {
                        (
                            "login",
                            try await SignInTests.signIn(client, username: "worker", password: WebFixture.password, ip: "10.20.0.\(i)").0.status.code
                        )
                    }
                }
                for _ in 0..<50 {
                    group.addTask { ("health", try await client.send(.get, "/healthz", as: nil).status.code) }
                }
                return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
            }
        }
        let failures = statuses.filter { $0.1 >= 500 }
        #expect(failures.isEmpty, "server errors: \(failures.count) — \(Dictionary(grouping: failures, by: \.0).mapValues(\.count))")
        #expect(statuses.filter { $0.0 == "view" }.allSatisfy { $0.1 == 200 })
        #expect(statuses.filter { $0.0 == "login" }.allSatisfy { $0.1 == 303 }, "\(statuses.filter { $0.0 == "login" }.map(\.1))")
        #expect(statuses.filter { $0.0 == "health" }.allSatisfy { $0.1 == 200 })
        let viewsAfter = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.personViewed.rawValue), database: harness.scratch.database
        ).total
        #expect(viewsAfter - viewsBefore == 200, "views audited: \(viewsAfter - viewsBefore)")
        await harness.close()
    }

    /// H4: an 8.7 MB multipart body to a form route is refused with 413 before it is read, by anyone; to an upload
    /// route, only a caller with the route's permission has it read at all.
    @Test("H4: bodies are limited per route before they are read")
    func bodyLimits() async throws {
        let harness = try await WebHarness.make()
        let member = harness.fixture.actors[.member]!
        let worker = harness.fixture.actors[.worker]!
        let big = Data(repeating: UInt8(ascii: "a"), count: 8_700_000)
        let before = try await stateFingerprint(harness.scratch.database)
        let (declared, chunked, denied, upload) = try await harness.withClient { client in
            var withLength = HTTPFields()
            withLength[.contentLength] = String(big.count + 400)
            // A form route, with Content-Length and without (as a chunked body arrives).
            let declared = try await client.send(
                .post, "/account/password", as: member, form: ["current_password": "x"], headers: withLength,
                upload: ("big.bin", big), uploadField: "file")
            let chunked = try await client.send(
                .post, "/account/password", as: member, form: ["current_password": "x"], upload: ("big.bin", big), uploadField: "file")
            // An upload route, as someone without its permission: refused before the body is read.
            let denied = try await client.send(
                .post, "/members/import?org=\(harness.fixture.organisation(.own, for: .member))", as: member,
                form: [:], headers: withLength, upload: ("big.csv", big))
            // The same route as a worker: within the upload limit, so read and judged (not a CSV with a header row).
            let upload = try await client.send(
                .post, "/members/import?org=\(harness.fixture.organisation(.own, for: .worker))", as: worker,
                form: [:], upload: ("big.csv", big))
            return (declared, chunked, denied, upload)
        }
        #expect(declared.status == .contentTooLarge, "\(declared.status.code)")
        #expect(chunked.status == .contentTooLarge, "\(chunked.status.code)")
        #expect(denied.status == .forbidden, "\(denied.status.code)")
        #expect(upload.status != .contentTooLarge && upload.status.code < 500, "\(upload.status.code)")
        #expect(try await stateFingerprint(harness.scratch.database) == before)
        // Past the upload limit even an upload route refuses.
        let tooBig = try await harness.withClient { client in
            try await client.send(
                .post, "/members/import?org=\(harness.fixture.organisation(.own, for: .worker))", as: worker,
                form: [:], upload: ("huge.csv", Data(count: RouteBody.upload.limit + 1)))
        }
        #expect(tooBig.status == .contentTooLarge)
        #expect(harness.routes.filter { $0.body == .upload }.count >= 6)
        #expect(harness.routes.filter { $0.method == "GET" }.allSatisfy { $0.body == .form })
        await harness.close()
    }

    @Test("H4: a body made of near-delimiters parses to the parts it has")
    func multipartNearDelimiters() {
        let boundary = "----dangjian"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n--\(boundary)\r\n".utf8)
        body += Data("Content-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n".utf8)
        body += Data(String(repeating: "\r\n--\(boundary.dropLast())", count: 100_000).utf8)
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        let form = MultipartForm.parse(body, boundary: boundary)
        #expect(form.value("_csrf") == "token")
        #expect(form.file("file")?.data.count == 100_000 * (4 + boundary.count - 1))
        #expect(MultipartForm.find(Array("abc".utf8), in: Array("xxabcabc".utf8), from: 3) == 5)
        #expect(MultipartForm.find(Array("abc".utf8), in: Array("xxab".utf8), from: 0) == nil)
        #expect(MultipartForm.find(Array("abc".utf8), in: Array("abc".utf8), from: 4) == nil)
    }

    @Test("M3: tokens expire by default, reach only the API, read-only ones cannot write, a password change revokes them")
    func tokenLimits() async throws {
        let harness = try await WebHarness.make()
        let worker = harness.fixture.actors[.worker]!
        let tokens = harness.services.tokens
        let actor = Actor(userID: worker.userID, name: "worker", ip: "127.0.0.1", requestID: "t")
        let readOnly = try await tokens.create(userID: worker.userID, name: "只读", validDays: nil, scope: .read, actor: actor)
        let expires = try #require(readOnly.record.expiresAt)
        #expect(abs(expires.timeIntervalSince(harness.clock.now()) - 90 * 86_400) < 5, "default validity is 90 days")
        await #expect(throws: ValidationFailure.self) { try await tokens.create(userID: worker.userID, name: "太长", validDays: 366, actor: actor) }
        let org = harness.fixture.organisation(.own, for: .worker)
        @Sendable func bearer(_ token: String) -> HTTPFields { var h = HTTPFields(); h[.authorization] = "Bearer \(token)"; return h }
        let (page, adminPage, read, write) = try await harness.withClient { client in
            (
                try await client.send(.get, "/members?org=\(org)", as: nil, headers: bearer(worker.apiToken)),
                try await client.send(.get, "/admin/users", as: nil, headers: bearer(harness.fixture.actors[.sysadmin]!.apiToken)),
                try await client.send(.get, "/api/v1/members?org=\(org)", as: nil, headers: bearer(readOnly.token)),
                try await client.send(
                    .patch, "/api/v1/members/\(harness.fixture.member(.own, for: .worker))", as: nil,
                    json: "{\"post\":\"只读令牌\",\"version\":1}", csrf: false, headers: bearer(readOnly.token))
            )
        }
        #expect(page.isDenied, "a token opened a page: \(page.status.code)")
        #expect(adminPage.isDenied, "a token opened an administrator's page: \(adminPage.status.code)")
        #expect(read.status == .ok)
        #expect(write.status == .forbidden, "a read-only token wrote: \(write.status.code)")
        // Changing the password revokes every token of the account.
        try await harness.services.accounts.changePassword(
            userID: worker.userID, current: WebFixture.password, new: "Changed#2026-xyz",
            policy: .mlps, actor: actor)
        let after = try await harness.withClient { client in
            try await client.send(.get, "/api/v1/members?org=\(org)", as: nil, headers: bearer(readOnly.token))
        }
        #expect(after.status == .unauthorized)
        #expect(try await tokens.list(userID: worker.userID).allSatisfy { $0.revokedAt != nil })
        await harness.close()
    }

    @Test("L5: a cancelled transfer's letter is not downloadable; a download is audited as a reveal of the ID number")
    func cancelledTransferLetter() async throws {
        let harness = try await WebHarness.make()
        let worker = harness.fixture.actors[.worker]!
        let id = harness.fixture.outgoingTransfer
        let (first, cancel, second) = try await harness.withClient { client in
            (
                try await client.send(.get, "/transfers/\(id)/letter.docx", as: worker),
                try await client.send(.post, "/transfers/\(id)/cancel", as: worker, form: [:]),
                try await client.send(.get, "/transfers/\(id)/letter.docx", as: worker)
            )
        }
        #expect(first.status == .ok)
        #expect(cancel.status.code < 400)
        #expect(second.status == .notFound, "\(second.status.code)")
        let reveals = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.personalDataRevealed.rawValue, objectType: "member_transfer"),
            database: harness.scratch.database)
        #expect(reveals.total == 1)
        await harness.close()
    }

    @Test("M2: the auditor sees which personal field changed, by whom and when, not its values")
    func auditorSeesNoPersonalValues() async throws {
        let harness = try await WebHarness.make()
        let console = Actor.console("test")
        try await harness.services.audit.record(
            AuditEvent(
                action: .update, objectType: "member", objectID: "1", summary: "修改党员信息",
                changes: [
                    FieldChange(field: "name", old: "张三甲", new: "张三乙"), FieldChange(field: "birth_date", old: "1980-05-01", new: "1980-06-01"),
                    FieldChange(field: "version", old: "1", new: "2"),
                ]), by: console, database: harness.scratch.database)
        try await harness.services.audit.record(
            AuditEvent(
                action: .update, objectType: "organisation", objectID: "1", summary: "更名",
                changes: [FieldChange(field: "name", old: "旧支部名称", new: "新支部名称")]), by: console, database: harness.scratch.database)
        let auditor = harness.fixture.actors[.auditor]!
        let (page, csv) = try await harness.withClient { client in
            (try await client.send(.get, "/audit?object_type=member", as: auditor), try await client.send(.get, "/audit/export.csv", as: auditor))
        }
        for body in [page.body, csv.body] {
            #expect(!body.contains("张三甲") && !body.contains("张三乙") && !body.contains("1980-06-01"))
            // The field by its Chinese title (issue 17 item 14), the value hidden.
            #expect(body.contains("出生日期") && !body.contains("birth_date") && body.contains(FieldChange.hiddenValue))
        }
        #expect(page.body.contains("version：1 → 2"))
        #expect(csv.body.contains("新支部名称"), "values of records that are not about a person stay visible")
        await harness.close()
    }

    @Test("M1: 三员分立 cannot be undone from the web: no second role for an administrator, no reset or disabling of one")
    func separationOfAdministrators() async throws {
        let harness = try await WebHarness.make()
        let f = harness.fixture
        let secadmin = f.actors[.secadmin]!, sysadmin = f.actors[.sysadmin]!
        let before = try await stateFingerprint(harness.scratch.database)
        let responses = try await harness.withClient { client in
            [
                (
                    "audit role to sysadmin",
                    try await client.send(.post, "/admin/users/\(sysadmin.userID)/roles", as: secadmin, form: ["role": "audit_admin"])
                ),
                (
                    "org role to sysadmin",
                    try await client.send(
                        .post, "/admin/users/\(sysadmin.userID)/roles", as: secadmin,
                        form: ["role": "org_admin", "organisation_id": "\(f.tree["A"])"])
                ),
                (
                    "worker role to auditor",
                    try await client.send(
                        .post, "/admin/users/\(f.actors[.auditor]!.userID)/roles", as: secadmin,
                        form: ["role": "party_worker", "organisation_id": "\(f.tree["A1a1"])"])
                ),
                (
                    "security role to a worker",
                    try await client.send(
                        .post, "/admin/users/\(f.actors[.worker]!.userID)/roles", as: secadmin,
                        form: ["role": "security_admin"])
                ),
                ("reset auditor", try await client.send(.post, "/admin/users/\(f.actors[.auditor]!.userID)/reset-password", as: sysadmin, form: [:])),
                ("disable auditor", try await client.send(.post, "/admin/users/\(f.actors[.auditor]!.userID)/disable", as: sysadmin, form: [:])),
            ]
        }
        for (what, response) in responses {
            #expect([400, 403].contains(response.status.code), "\(what): \(response.status.code)")
            #expect(response.body.contains("三员"), "\(what): the refusal names the rule")
        }
        #expect(try await stateFingerprint(harness.scratch.database) == before, "a refused change was written")
        // The console (an operator at the server) still can, audited.
        _ = try await harness.services.accounts.resetPassword(
            userID: f.actors[.auditor]!.userID, policy: .mlps, actor: .console("admin reset-password"))
        #expect(Role.member.conflict(with: [.partyWorker]) == nil, "data roles combine")
        #expect(Role.auditAdmin.conflict(with: [.auditAdmin]) == nil)
        await harness.close()
    }

    @Test("M4: requests for records outside the scope are audited once a minute per user and alert past the threshold")
    func outOfScopeProbe() async throws {
        let harness = try await WebHarness.make()
        let worker = harness.fixture.actors[.worker]!
        let foreign = harness.fixture.member(.other, for: .worker)
        let statuses = try await harness.withClient { client in
            var out: [Int] = []
            for i in 0..<40 {
                out.append(try await client.send(.get, "/members/\(i % 2 == 0 ? foreign : 900_000 + Int64(i))", as: worker).status.code)
            }
            return out
        }
        #expect(statuses.allSatisfy { $0 == 404 })
        let db = harness.scratch.database
        let records = try await harness.services.audit.search(AuditQuery(action: AuditAction.outOfScope.rawValue), database: db)
        #expect(records.total == 1, "one record for the minute, not one per request: \(records.total)")
        let alerts = try await harness.services.audit.search(AuditQuery(action: AuditAction.outOfScopeAlert.rawValue), database: db)
        #expect(alerts.total == 1)
        #expect(alerts.records.first?.summary.contains("worker") == true)
        let (metrics, home) = try await harness.withClient { client in
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(WebHarness.metricsToken)"
            return (
                try await client.send(.get, "/metrics", as: nil, headers: bearer),
                try await client.send(.get, "/", as: harness.fixture.actors[.secadmin])
            )
        }
        #expect(metrics.body.contains("dangjian_out_of_scope_alerts_total 1"))
        #expect(home.body.contains("security-alerts") && home.body.contains("疑似遍历探测"))
        // The next minute starts a new count.
        harness.clock.advance(seconds: 60)
        _ = try await harness.withClient { client in try await client.send(.get, "/members/\(foreign)", as: worker) }
        #expect(try await harness.services.audit.search(AuditQuery(action: AuditAction.outOfScope.rawValue), database: db).total == 2)
        await harness.close()
    }

    @Test(
        "M7: common and breached passwords, word+year patterns and the person's own name are refused",
        arguments: [
            "Dangjian@2026", "Admin@2026", "Password123!", "Qwerty@2025", "woaini1314", "Wang19800501", "Zhang@123456",
            "Dragon2024!", "Zuzhibu#2026", "Iloveyou1!", "Sunshine2026",
        ])
    func weakPasswordsRefused(password: String) {
        let problems = PasswordPolicy.mlps.problems(password: password, username: "someone")
        #expect(problems.contains { $0.contains("过于常见") }, "\(password) accepted: \(problems)")
    }

    @Test("M7: the bundled list is tens of thousands long; good passwords and the person's name rule")
    func commonPasswordList() {
        #expect(CommonPasswords.count >= 30_000)
        for good in ["Hongqi#2026", "Hong-Qi-Canal-47!", "Xibaipo@1949qz", "An0ther#Pass", "tRain7%Ladder"] {
            #expect(PasswordPolicy.mlps.problems(password: good, username: "someone").isEmpty, "\(good) refused")
        }
        #expect(PasswordPolicy.mlps.problems(password: "张三#Abc2026x", username: "someone", personalNames: ["张三"]).contains("密码不能包含本人姓名"))
    }

    @Test("L1: the page after sign-in is a local path; tabs, line breaks and backslashes do not make it a foreign one")
    func openRedirect() {
        for hostile in [
            "%2F%09%2Fevil.example", "/\t/evil.example", "/%0a/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
            "%2F%2Fevil.example", "/%E3%80%80/evil.example", "/ /evil.example",
        ] {
            #expect(AuthController.safeNext(hostile) == "/", "\(hostile)")
        }
        #expect(AuthController.safeNext("/members?org=3&scope=own") == "/members?org=3&scope=own")
        #expect(AuthController.safeNext("%2Forgs%2F4") == "/orgs/4")
    }

    @Test("L2: the policy form refuses values outside their bounds and stores nothing")
    func policyBounds() async throws {
        let harness = try await WebHarness.make()
        let secadmin = harness.fixture.actors[.secadmin]!
        let before = try await harness.services.passwordPolicy()
        for (field, value) in [
            ("lockout_minutes", "0"), ("max_age_days", "99999"), ("lockout_threshold", "1"), ("min_character_classes", "9"),
            ("history_count", "-1"), ("absolute_timeout_hours", "9223372036854775807"),
        ] {
            let response = try await harness.withClient { client in
                try await client.send(.post, "/admin/policy", as: secadmin, form: [field: value])
            }
            #expect(response.status == .badRequest, "\(field)=\(value): \(response.status.code)")
            #expect(try await harness.services.passwordPolicy() == before, "\(field)=\(value) was stored")
        }
        await harness.close()
    }
}

/// The class of fault behind H1: a force-unwrap or `try!` anywhere in `Sources/` can stop the server. Only a short,
/// explained list of constant expressions may remain.
@Suite("Source rules (issue 15, H1)")
struct SourceRuleTests {
    /// `Sources/` of the package: the nearest folder above this file that holds `Package.swift`.
    static let sources: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("Sources")
    }()

    /// A postfix `!` after an expression, outside string literals and comments; lines ending in an `// invariant:`
    /// comment are allowed, as are header names built from literals (checked on every response by the tests).
    static func forceUnwraps(in text: String) -> [Int] {
        var lines: [Int] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.contains("// invariant:") { continue }
            var code = ""
            var inString = false
            var previous: Character = " "
            for ch in line {
                if ch == "\"" && previous != "\\" { inString.toggle(); code.append("\""); previous = ch; continue }
                if !inString && ch == "/" && previous == "/" { code.removeLast(); break }
                code.append(inString ? "_" : ch)
                previous = ch
            }
            code = code.replacingOccurrences(of: #"HTTPField\.Name\("_*"\)!"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"TimeZone\(identifier: "_*"\)!"#, with: "", options: .regularExpression)
            if code.range(of: #"[\w\)\]\}"]!(?!=)"#, options: .regularExpression) != nil || code.contains("try!") {
                lines.append(number + 1)
            }
        }
        return lines
    }

    @Test("no force-unwrap or try! in Sources/ outside the explained exceptions")
    func noForceUnwraps() throws {
        var found: [String] = []
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)
        var scanned = 0
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            scanned += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in Self.forceUnwraps(in: text) { found.append("\(url.lastPathComponent):\(line)") }
        }
        #expect(scanned > 100)
        #expect(found.isEmpty, "force-unwraps: \(found)")
        // The scanner itself must see what it is meant to see.
        #expect(
            Self.forceUnwraps(in: "let a = b!\nlet c = d != e\nlet s = \"x!\"\nlet f = try! g()\nlet h = i[0]!.j\nlet k = l.first { $0 }!") == [
                1, 4, 5, 6,
            ])
    }
}

/// Issue 15, L7, L13 and the request log: who reads the metrics, which sessions a user has, what the log keeps.
@Suite("Metrics, sessions and request log (issue 15)")
struct OperationsHardeningTests {
    @Test("L7: /metrics answers only the configured addresses or the metrics token (404 to anyone else)")
    func metricsRestricted() async throws {
        let harness = try await WebHarness.make()
        let (anonymous, wrong, signedIn, right) = try await harness.withClient { client in
            var wrong = HTTPFields()
            wrong[.authorization] = "Bearer not-the-metrics-token-at-all"
            var right = HTTPFields()
            right[.authorization] = "Bearer \(WebHarness.metricsToken)"
            return (
                try await client.send(.get, "/metrics", as: nil), try await client.send(.get, "/metrics", as: nil, headers: wrong),
                try await client.send(.get, "/metrics", as: harness.fixture.actors[.sysadmin]),
                try await client.send(.get, "/metrics", as: nil, headers: right)
            )
        }
        #expect(anonymous.status == .notFound && wrong.status == .notFound && signedIn.status == .notFound)
        #expect(right.status == .ok && right.body.contains("dangjian_http_requests_total"))
        // From the socket: loopback allowed by default, other addresses by DANGJIAN_METRICS_ALLOW.
        #expect(AppConfiguration().metricsAllowedAddresses == ["127.0.0.1", "::1"])
        let configured = AppConfiguration.load(
            environment: ["DANGJIAN_METRICS_ALLOW": "10.0.0.9, 10.0.0.10", "DANGJIAN_METRICS_TOKEN": "short"], dotEnvPath: "/nonexistent")
        #expect(
            configured.metricsAllowedAddresses == ["10.0.0.9", "10.0.0.10"] && configured.metricsToken == nil,
            "a token under 16 characters is ignored")
        await harness.close()
    }

    @Test("info: the request log keeps the path and the query's parameter names, never the values")
    func requestLogRedacted() {
        #expect(
            RequestLogMiddleware<AppRequestContext>.redacted(path: "/members", query: "q=%E5%BC%A0%E4%B8%89&org=4&lookup") == "/members?q&org&lookup")
        #expect(RequestLogMiddleware<AppRequestContext>.redacted(path: "/orgs", query: nil) == "/orgs")
        #expect(!RequestLogMiddleware<AppRequestContext>.redacted(path: "/members", query: "number=11010519491231002X").contains("1101"))
    }

    @Test("L13: a user sees their sessions and ends one or all others; a sixth sign-in ends the least recently active")
    func ownSessions() async throws {
        let harness = try await WebHarness.make()
        let limit = WebHarness.configuration().maxSessions
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            var tokens: [String] = []
            for i in 0..<limit {
                harness.clock.advance(seconds: 61)
                let (_, token) = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password, ip: "10.1.0.\(i)")
                tokens.append(try #require(token))
            }
            // The fixture's session was the least recently active of limit + 1: it has ended.
            #expect(try await client.send(.get, "/", as: worker).isSignInRedirect)
            #expect(try await harness.services.sessions.count(userID: worker.userID) == limit)
            let me = SignInTests.actor(tokens[limit - 1])
            let page = try await client.send(.get, "/account/sessions", as: me)
            #expect(page.status == .ok && page.body.contains("本设备") && page.body.contains("10.1.0.0"))
            let csrf = try #require(page.hiddenField("_csrf"))
            let first = SessionRepository.id(ofToken: tokens[0])
            let ended = try await client.send(.post, "/account/sessions/\(first)/end", as: SignInTests.actor(tokens[limit - 1], csrf: csrf))
            #expect(ended.status == .seeOther && ended.location == "/account/sessions?ended=1")
            #expect(try await client.send(.get, "/", as: SignInTests.actor(tokens[0])).isSignInRedirect)
            // Another user's session id is not found, whatever it is.
            let foreign = SessionRepository.id(ofToken: try #require(harness.fixture.actors[.orgadmin]).sessionToken)
            #expect(
                try await client.send(.post, "/account/sessions/\(foreign)/end", as: SignInTests.actor(tokens[limit - 1], csrf: csrf)).status
                    == .notFound)
            let others = try await client.send(.post, "/account/sessions/end-others", as: SignInTests.actor(tokens[limit - 1], csrf: csrf))
            #expect(others.status == .seeOther)
            #expect(try await harness.services.sessions.count(userID: worker.userID) == 1)
            #expect(try await client.send(.get, "/", as: try #require(harness.fixture.actors[.orgadmin])).status == .ok)
        }
        await harness.close()
    }

    @Test("M1: at the next sign-in the user sees what administrators did to the account and the failed attempts; once read, gone")
    func accountNotices() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let secadmin = try #require(harness.fixture.actors[.secadmin])
        try await harness.withClient { client in
            _ = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password)
            harness.clock.advance(seconds: 60)
            let granted = try await client.send(
                .post, "/admin/users/\(worker.userID)/roles", as: secadmin,
                form: ["role": "member", "organisation_id": String(harness.fixture.tree["A1a1"])])
            #expect(granted.status == .seeOther)
            for _ in 0..<2 { _ = try await SignInTests.signIn(client, username: "worker", password: "wrong-password", ip: "10.9.9.9") }
            harness.clock.advance(seconds: 60)
            let (_, token) = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password)
            let me = SignInTests.actor(try #require(token))
            let home = try await client.send(.get, "/", as: me)
            #expect(home.body.contains("id=\"account-notices\""))
            #expect(home.body.contains("secadmin") && home.body.contains("登录失败 2 次"), "\(home.body.prefix(2000))")
            let dismissed = try await client.send(
                .post, "/account/notices/dismiss", as: SignInTests.actor(try #require(token), csrf: try #require(home.hiddenField("_csrf"))))
            #expect(dismissed.status == .seeOther)
            #expect(!(try await client.send(.get, "/", as: me)).body.contains("account-notices"))
        }
        await harness.close()
    }

    @Test("L4: an ID number on another branch's roster is refused without saying where, and each refusal counts as a probe")
    func identityProbe() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let foreign = try #require(harness.fixture.memberIDs["B1"])
        let number = try #require(try await harness.services.members.reveal(.idNumber, of: foreign, access: .maintenance, actor: .console("t")))
        let org = harness.fixture.organisation(.own, for: .worker)
        var draft = MemberFixtures.draft(name: "探测者")
        draft.idNumber = number
        let fields = MemberFormFixture.fields(draft)
        let (created, opened) = try await harness.withClient { client in
            (
                try await client.send(.post, "/members?org=\(org)", as: worker, form: fields),
                try await client.send(.post, "/development", as: worker, form: ["applicant_name": "探测者", "id_number": number, "org": String(org)])
            )
        }
        for response in [created, opened] {
            #expect(response.status == .badRequest && response.body.contains("组织关系转接"))
            // "B1" as a name, not inside a random token (a CSRF token or request ID may contain those two characters).
            let named = response.body.range(of: "(^|[^A-Za-z0-9+/=_-])B1($|[^A-Za-z0-9+/=_-])", options: .regularExpression) != nil
            #expect(!named && !response.body.contains("乙县"), "where the person is is not said")
        }
        let probes = try await harness.services.audit.search(AuditQuery(action: AuditAction.outOfScope.rawValue), database: harness.scratch.database)
        #expect(probes.total == 1, "first of the minute recorded; the second counted")
        #expect(probes.records.first?.objectID == "MEM-04")
        await harness.close()
    }

    @Test("L6: account linking and supervision groups answer alike for a login name that exists and one that does not")
    func noUsernameEnumeration() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let own = harness.fixture.member(.own, for: .worker)
        func message(_ body: String) -> String {
            // The form's alert, or the error page's message (without the request id, which differs).
            if let match = body.firstMatch(of: /role="alert"[^>]*>([^<]*)</) { return String(match.1) }
            if let match = body.firstMatch(of: /error-page">\s*<h1>[^<]*<\/h1>\s*<p>([^<]*)<\/p>/) { return String(match.1) }
            return body
        }
        let (existingLink, missingLink, existingGroup, missingGroup) = try await harness.withClient { client in
            (
                try await client.send(.post, "/members/\(own)/account", as: worker, form: ["username": "auditor"]),
                try await client.send(.post, "/members/\(own)/account", as: worker, form: ["username": "no-such-user"]),
                try await client.send(
                    .post, "/supervision/groups", as: orgadmin,
                    form: ["name": "督导组", "members": "secadmin 组长", "org": String(harness.fixture.tree["A1"])]),
                try await client.send(
                    .post, "/supervision/groups", as: orgadmin,
                    form: ["name": "督导组", "members": "no-such-user 组长", "org": String(harness.fixture.tree["A1"])])
            )
        }
        #expect(existingLink.status == .badRequest && missingLink.status == .badRequest)
        #expect(
            message(existingLink.body).replacingOccurrences(of: "auditor", with: "X")
                == message(missingLink.body).replacingOccurrences(of: "no-such-user", with: "X"))
        #expect(existingGroup.status == .badRequest && missingGroup.status == .badRequest)
        #expect(
            message(existingGroup.body).replacingOccurrences(of: "secadmin", with: "X")
                == message(missingGroup.body).replacingOccurrences(of: "no-such-user", with: "X"))
        await harness.close()
    }

    @Test("H4: an upload is spooled to a private temporary file, read once by the CSRF check and the handler, and removed")
    func uploadsSpooledToDisk() async throws {
        // Its own spool directory: other tests upload at the same time.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = WebHarness.configuration()
        config.uploadSpoolDirectory = directory
        let harness = try await WebHarness.make(configuration: config)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.organisation(.own, for: .worker)
        func spooled() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("dangjian-upload-") }.count
        }
        let before = try spooled()
        #expect(before == 0)
        let csv = "姓名,身份证号,入党日期,转正日期\n落盘导入,\(MemberFixtures.idNumber(born: "1986-01-01", sequence: 802)),2011-01-01,2012-01-01\n"
        let (preview, forged) = try await harness.withClient { client in
            (
                try await client.send(.post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("m.csv", Data(csv.utf8))),
                try await client.send(.post, "/members/import?org=\(org)", as: worker, form: [:], csrf: false, upload: ("m.csv", Data(csv.utf8)))
            )
        }
        #expect(preview.status == .ok && preview.body.contains("落盘导入"), "the handler read the spooled upload")
        #expect(forged.status == .forbidden, "the CSRF check read the spooled upload too (no token: refused)")
        #expect(try spooled() == before, "no temporary file left behind")
        await harness.close()
    }
}
