import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Member roster pages")
struct MemberWebTests {
    static let fullNumbers = try! NSRegularExpression(pattern: #"(?<![0-9])([0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])"#)

    static func containsFullNumber(_ text: String) -> Bool {
        fullNumbers.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test("a secretary adds a member; errors show next to the fields with the rule; the record is audited", arguments: TestBackend.enabled)
    func addMember(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            var bad = MemberFormFixture.fields(MemberFixtures.draft(name: "孙立", born: "2000-01-01", sequence: 77))
            bad["join_date"] = "2017-06-30"  // aged 17
            bad["full_member_date"] = "2018-06-01"  // less than a year
            bad["phone"] = "123"
            let refused = try await client.send(.post, "/members?org=\(org)", as: worker, form: bad)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("id=\"e-join_date\"") && refused.body.contains("DEV-01"))
            #expect(refused.body.contains("id=\"e-full_member_date\"") && refused.body.contains("DEV-27"))
            #expect(refused.body.contains("id=\"e-phone\""))
            #expect(refused.body.contains("value=\"孙立\""), "the typed input is kept")
            let good = MemberFormFixture.fields(MemberFixtures.draft(name: "孙立", born: "1990-01-01", sequence: 77, phone: "13512345678"))
            let created = try await client.send(.post, "/members?org=\(org)", as: worker, form: good)
            #expect(created.status == .seeOther)
            let detail = try await client.send(.get, try #require(created.location), as: worker)
            #expect(detail.status == .ok && detail.body.contains("孙立") && detail.body.contains("135****5678"))
            #expect(!Self.containsFullNumber(detail.body))
        }
        let creates = try await harness.services.audit.search(AuditQuery(action: "create", objectType: "member"), database: harness.scratch.database)
        #expect(creates.records.first?.actorName == "worker")
        let views = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.personViewed.rawValue, objectType: "member"), database: harness.scratch.database)
        #expect(views.total == 1)
        await harness.close()
    }

    @Test("editing one field writes exactly one audited change; a stale form conflicts")
    func editMember() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let id = harness.fixture.memberIDs["A1a2"]!
        try await harness.withClient { client in
            let form = try await client.send(.get, "/members/\(id)/edit", as: orgadmin)
            #expect(form.status == .ok && form.body.contains("不修改请留空"))
            var fields = MemberFormFixture.fields(try #require(try await harness.services.members.find(id, access: .maintenance)).editDraft)
            fields["post"] = "党支部书记"
            fields["version"] = "1"
            let saved = try await client.send(.post, "/members/\(id)", as: orgadmin, form: fields)
            #expect(saved.status == .seeOther)
            let stale = try await client.send(.post, "/members/\(id)", as: orgadmin, form: fields)
            #expect(stale.status == .conflict)
        }
        let updates = try await harness.services.audit.search(
            AuditQuery(action: "update", objectType: "member", objectID: String(id)), database: harness.scratch.database)
        #expect(updates.total == 1 && updates.records[0].changes == [FieldChange(field: "post", old: nil, new: "党支部书记")])
        await harness.close()
    }

    @Test("revealing a full ID number needs the permission, shows it once and is audited")
    func reveal() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let id = harness.fixture.memberIDs["A1a1"]!
        try await harness.withClient { client in
            let page = try await client.send(.post, "/members/\(id)/reveal", as: worker, form: ["field": "id_number"])
            #expect(page.status == .ok && Self.containsFullNumber(page.body))
            #expect(page.headers[.cacheControl] == "no-store")
            let again = try await client.send(.get, "/members/\(id)", as: worker)
            #expect(!Self.containsFullNumber(again.body))
        }
        let reveals = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.personalDataRevealed.rawValue), database: harness.scratch.database)
        #expect(reveals.total == 1 && reveals.records[0].actorName == "worker")
        await harness.close()
    }

    @Test("exact lookup by ID number goes to the member inside the scope, and finds nothing outside it")
    func lookup() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let keys = harness.fixture.tree.ids.keys.sorted()
        let own = MemberFixtures.idNumber(born: "1980-05-01", sequence: 200 + keys.firstIndex(of: "A1a1")!)
        let other = MemberFixtures.idNumber(born: "1980-05-01", sequence: 200 + keys.firstIndex(of: "B1")!)
        try await harness.withClient { client in
            let hit = try await client.send(.post, "/members/lookup", as: worker, form: ["number": own.lowercased()])
            #expect(hit.status == .seeOther && hit.location == "/members/\(harness.fixture.memberIDs["A1a1"]!)")
            let miss = try await client.send(.post, "/members/lookup", as: worker, form: ["number": other])
            #expect(miss.status == .ok && miss.body.contains("没有找到") && !Self.containsFullNumber(miss.body))
            let phone = try await client.send(
                .post, "/members/lookup", as: worker, form: ["number": "1390000" + String(format: "%04d", keys.firstIndex(of: "A1a1")!)])
            #expect(phone.status == .seeOther)
        }
        await harness.close()
    }

    @Test("exports are masked by default; the unmasked export needs its own permission and is audited with the row count")
    func exports() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let worker = try #require(harness.fixture.actors[.worker])
        let a1 = harness.fixture.tree["A1"]
        try await harness.withClient { client in
            let masked = try await client.send(.get, "/members/export.csv?org=\(a1)&scope=subtree", as: orgadmin)
            #expect(masked.status == .ok && !Self.containsFullNumber(masked.body))
            #expect(masked.body.split(separator: "\r\n").count == 1 + 6)  // A1, A1a, A1a1, A1a1g, A1a2, A1b
            // The unmasked export is a request with a purpose (issue 15, M6; UnmaskedExportTests).
            let request = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin,
                form: ["filter": "org=\(a1)&scope=subtree", "purpose": "组织关系核查", "format": "csv"])
            let id = try UnmaskedExportTests.requestID(request)
            let full = try await client.send(.get, "/exports/\(id)/download", as: orgadmin)
            #expect(full.status == .ok && Self.containsFullNumber(full.body) && full.body.contains("A1b住址"))
            #expect(!full.body.contains("党员B1"), "never beyond the user's subtree")
            let refused = try await client.send(.get, "/members/export.csv?org=\(harness.fixture.tree["A1a1"])&unmasked=1", as: worker)
            #expect(refused.status == .forbidden)
        }
        let exports = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.export.rawValue, objectType: "member"), database: harness.scratch.database)
        #expect(exports.total == 2)
        #expect(exports.records.contains { $0.summary.contains("未脱敏") && $0.summary.contains("6 条") && $0.summary.contains("用途：组织关系核查") })
        await harness.close()
    }

    @Test("an export larger than the configured limit is refused with the count, never cut short, and not audited as an export")
    func exportLimit() async throws {
        var configuration = WebHarness.configuration()
        configuration.exportRowLimit = 5
        let harness = try await WebHarness.make(configuration: configuration)
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1 = harness.fixture.tree["A1"]
        try await harness.withClient { client in
            let tooMany = try await client.send(.get, "/members/export.xlsx?org=\(a1)&scope=subtree", as: orgadmin)
            #expect(tooMany.status == .badRequest && tooMany.body.contains("共 6 名党员") && tooMany.body.contains("上限 5 人"))
            let csv = try await client.send(.get, "/members/export.csv?org=\(a1)&scope=subtree", as: orgadmin)
            #expect(csv.status == .badRequest)
            let fits = try await client.send(.get, "/members/export.csv?org=\(harness.fixture.tree["A1a"])&scope=subtree", as: orgadmin)
            #expect(fits.status == .ok && fits.body.split(separator: "\r\n").count == 1 + 4)  // A1a, A1a1, A1a1g, A1a2
        }
        let exports = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.export.rawValue, objectType: "member"), database: harness.scratch.database)
        #expect(exports.total == 1)
        await harness.close()
    }

    @Test("list and statistics pages show only masked numbers, and the statistics match a count made from the records")
    func listAndStatistics() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1 = harness.fixture.tree["A1"]
        // Independent recount: every fixture member was born 1980-05-01 and converted at 26.
        let expectedInScope = 6
        try await harness.withClient { client in
            let list = try await client.send(.get, "/members?org=\(a1)&scope=subtree", as: orgadmin)
            #expect(list.status == .ok && list.body.contains("共 \(expectedInScope) 人") && !Self.containsFullNumber(list.body))
            let stats = try await client.send(.get, "/members/statistics?org=\(a1)&scope=subtree", as: orgadmin)
            #expect(stats.status == .ok && stats.body.contains("共 \(expectedInScope) 人") && stats.body.contains("<svg"))
            let csv = try await client.send(.get, "/members/statistics?org=\(a1)&scope=subtree&format=csv", as: orgadmin)
            let lines = Set(csv.body.split(separator: "\r\n").map(String.init))
            let age = CivilDate(year: 1980, month: 5, day: 1)!.years(until: CivilDate(date: harness.clock.now()))
            let ageBand = RosterStatistics.ageBandLimits.first { age >= $0.1 && age <= ($0.2 ?? 200) }!.0
            let standing = CivilDate(year: 2006, month: 5, day: 1)!.years(until: CivilDate(date: harness.clock.now()))
            let standingBand = RosterStatistics.standingBandLimits.first { standing >= $0.1 && standing <= ($0.2 ?? 200) }!.0
            #expect(lines.contains("年龄,\(ageBand),\(expectedInScope)"))
            #expect(lines.contains("党龄,\(standingBand),\(expectedInScope)"))
            #expect(lines.contains("学历,大学本科,\(expectedInScope)") && lines.contains("民族,汉族,\(expectedInScope)"))
            #expect(lines.contains("党员身份,正式党员,\(expectedInScope)"))
        }
        await harness.close()
    }
}
