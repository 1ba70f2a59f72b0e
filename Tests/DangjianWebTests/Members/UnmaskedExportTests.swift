import Testing
import Foundation
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 15, M6: one request used to export the whole county unmasked. Now an unmasked export is a request with a
/// purpose, limited per day, approved by a second person above a row count, and its file says who, when and why.
@Suite("Unmasked exports (issue 15, M6)")
struct UnmaskedExportTests {
    static func config(approvalRows: Int = 100, perDay: Int = 10) -> AppConfiguration {
        var config = WebHarness.configuration()
        config.unmaskedApprovalRows = approvalRows
        config.unmaskedExportsPerDay = perDay
        return config
    }

    static func requestID(_ response: TestResponse) throws -> Int64 {
        let location = try #require(response.location)
        let match = try #require(location.firstMatch(of: /^\/exports\/(\d+)\?created=1$/))
        return try #require(Int64(match.1))
    }

    @Test("M6: the old one-request export leads to the form; a purpose is required; the file is watermarked; three downloads")
    func purposeAndWatermark() async throws {
        let harness = try await WebHarness.make(configuration: Self.config())
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1"]
        try await harness.withClient { client in
            let old = try await client.send(.get, "/members/export.csv?org=\(org)&scope=subtree&unmasked=1", as: orgadmin)
            #expect(old.status == .seeOther && old.location?.hasPrefix("/members/export/unmasked?org=\(org)") == true)
            #expect(try await client.send(.get, "/members/export/unmasked?org=\(org)", as: worker).status == .forbidden)
            let form = try await client.send(.get, "/members/export/unmasked?org=\(org)&scope=subtree", as: orgadmin)
            #expect(form.status == .ok && form.body.contains("id=\"export-count\""))
            let filter = try #require(form.hiddenField("filter"))
            let missing = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin, form: ["filter": filter, "purpose": " ", "format": "csv"])
            #expect(missing.status == .badRequest && missing.body.contains("导出用途"))
            let created = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin,
                form: ["filter": filter, "purpose": "报送县委组织部年度核对", "format": "csv"])
            let id = try Self.requestID(created)
            let page = try await client.send(.get, "/exports/\(id)", as: orgadmin)
            #expect(page.body.contains("id=\"download\""))
            // Another organisation's administrator cannot see it; a worker has no exports at all.
            #expect(try await client.send(.get, "/exports/\(id)", as: worker).status == .forbidden)
            for attempt in 1...ExportRequestRepository.maxDownloads {
                let file = try await client.send(.get, "/exports/\(id)/download", as: orgadmin)
                #expect(file.status == .ok, "download \(attempt)")
                let lines = file.body.split(separator: "\r\n").map(String.init)
                #expect(lines.first?.contains("用途：报送县委组织部年度核对") == true && lines.first?.contains("orgadmin") == true, "\(lines.first ?? "")")
                #expect(lines.dropFirst().first?.hasPrefix("姓名,") == true)
                #expect(file.body.contains(/\d{17}[\dX]/), "the full numbers are in the file")
            }
            let fourth = try await client.send(.get, "/exports/\(id)/download", as: orgadmin)
            #expect(fourth.status == .badRequest && fourth.body.contains("已下载 \(ExportRequestRepository.maxDownloads) 次"))
        }
        let audit = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.export.rawValue, objectType: "member"), database: harness.scratch.database)
        #expect(
            audit.records.filter { $0.summary.contains("未脱敏") && $0.summary.contains("用途：报送县委组织部年度核对") }.count == ExportRequestRepository.maxDownloads
        )
        await harness.close()
    }

    @Test("M6: above the row count a second person approves — never the requester — before the download", arguments: TestBackend.enabled)
    func secondPersonApproves(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend, configuration: Self.config(approvalRows: 0))
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let console = Actor.console("t")
        let second = try await harness.services.accounts.create(
            username: "zzb-b", displayName: "第二审批人", organisationID: harness.fixture.tree["A1"],
            policy: .mlps, actor: console
        ).user
        _ = try await harness.services.accounts.grant(
            role: .orgAdmin, to: second.id, organisationID: harness.fixture.tree["A1"], scope: nil, actor: console)
        try await harness.services.accounts.setDemoPassword(userID: second.id, password: WebFixture.password, actor: console)
        let session = try await harness.services.sessions.start(userID: second.id, ip: "127.0.0.1", userAgent: "t", secondFactorPassed: true)
        let approver = FixtureActor(
            userID: second.id, username: "zzb-b", sessionToken: session.token, csrf: session.record.csrfToken, apiToken: "", apiTokenID: 0)
        try await harness.withClient { client in
            let created = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin,
                form: ["filter": "org=\(harness.fixture.tree["A1"])&scope=subtree", "purpose": "换届选举资格审查", "format": "xlsx"])
            let id = try Self.requestID(created)
            let early = try await client.send(.get, "/exports/\(id)/download", as: orgadmin)
            #expect(early.status == .badRequest && early.body.contains("待审批"))
            let own = try await client.send(.post, "/exports/\(id)/approve", as: orgadmin, form: ["note": "自批"])
            #expect(own.status == .badRequest && own.body.contains("不能审批自己的导出申请"))
            let list = try await client.send(.get, "/exports", as: approver)
            #expect(list.body.contains("href=\"/exports/\(id)\"") && list.body.contains("换届选举资格审查"))
            let approved = try await client.send(.post, "/exports/\(id)/approve", as: approver, form: ["note": "同意，限本次使用"])
            #expect(approved.status == .seeOther)
            let again = try await client.send(.post, "/exports/\(id)/reject", as: approver, form: [:])
            #expect(again.status == .badRequest, "decided once")
            #expect(try await client.send(.get, "/exports/\(id)/download", as: approver).status == .notFound, "only the requester downloads")
            let file = try await client.send(.get, "/exports/\(id)/download", as: orgadmin)
            #expect(file.status == .ok && file.headers[.contentType] == Download.xlsx)
        }
        await harness.close()
    }

    @Test("M6: at most the configured number of requests a day; an old request needs step-up again")
    func dailyLimitAndStepUp() async throws {
        // The fixture's own request counts: two more reach the limit of three.
        let harness = try await WebHarness.make(configuration: Self.config(perDay: 3))
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let filter = "org=\(harness.fixture.tree["A1"])"
        try await harness.withClient { client in
            for _ in 0..<2 {
                let ok = try await client.send(
                    .post, "/members/export/unmasked", as: orgadmin, form: ["filter": filter, "purpose": "党员信息核对", "format": "csv"])
                #expect(ok.status == .seeOther)
            }
            let third = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin, form: ["filter": filter, "purpose": "党员信息核对", "format": "csv"])
            #expect(third.status == .badRequest && third.body.contains("达到上限 3 次"))
            harness.clock.advance(seconds: StepUp.freshness + 1)
            let stale = try await client.send(.get, "/exports/1/download", as: orgadmin)
            #expect(stale.status == .seeOther && stale.location?.hasPrefix("/account/step-up") == true)
        }
        await harness.close()
    }
}
