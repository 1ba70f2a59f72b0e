import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Terms pages")
struct TermWebTests {
    @Test("an election recorded on the organisation page shows the leaders and the term; bad figures are refused with the rule")
    func election() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1a = harness.fixture.tree["A1a"]
        try await harness.withClient { client in
            let noQuorum = try await client.send(
                .post, "/orgs/\(a1a)/elections", as: orgadmin,
                form: [
                    "held_on": "2025-03-01", "seats": "3", "eligible": "20", "present": "16", "candidates": "甲 15\n乙 14\n丙 12\n丁 3", "posts": "甲 书记",
                ])
            #expect(noQuorum.status == .badRequest && noQuorum.body.contains("ORG-E3"))
            let ok = try await client.send(
                .post, "/orgs/\(a1a)/elections", as: orgadmin,
                form: [
                    "held_on": "2025-03-01", "seats": "3", "eligible": "20", "present": "18", "candidates": "甲 15\n乙 14\n丙 12\n丁 3",
                    "posts": "甲 书记\n乙 组织委员\n丙 纪检委员",
                ])
            #expect(ok.status == .seeOther)
            let page = try await client.send(.get, "/orgs/\(a1a)", as: orgadmin)
            #expect(page.body.contains("书记 甲") && page.body.contains("2025-03-01 至 2028-03-01"))
            let ledger = try await client.send(.get, "/terms?months=60", as: orgadmin)
            #expect(ledger.status == .ok && ledger.body.contains("甲财政局党总支") && ledger.body.contains("尚未录入任期"))
        }
        await harness.close()
    }
}

@Suite("Organisation history pages")
struct OrganisationHistoryWebTests {
    @Test("a dated rename shows in the history, and the tree as of an earlier day shows the old name")
    func history() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        // An organisation whose history starts in 2020 (the fixture's start today).
        let old = try await harness.services.organisations.create(
            type: .branch, name: "甲教育局支部旧称", shortName: nil, parentID: harness.fixture.tree["A1"],
            access: .maintenance, actor: .console("t"), effectiveDate: CivilDate(year: 2020, month: 1, day: 1))
        let a1b = old.id
        try await harness.withClient { client in
            let refused = try await client.send(
                .post, "/orgs/\(a1b)/rename", as: orgadmin, form: ["name": "倒填", "version": "1", "effective_date": "2019-01-01"])
            #expect(refused.status == .badRequest && refused.body.contains("早于"))
            let renamed = try await client.send(
                .post, "/orgs/\(a1b)/rename", as: orgadmin, form: ["name": "甲教体局支部", "version": "1", "effective_date": "2024-01-01"])
            #expect(renamed.status == .seeOther)
            let page = try await client.send(.get, "/orgs/\(a1b)", as: orgadmin)
            #expect(page.body.contains("2024-01-01 更名：甲教体局支部"))
            let before = try await client.send(.get, "/orgs?as_of=2023-12-31", as: orgadmin)
            #expect(before.body.contains("甲教育局支部旧称") && !before.body.contains("甲教体局支部"))
            let after = try await client.send(.get, "/orgs?as_of=2024-01-01", as: orgadmin)
            #expect(after.body.contains("甲教体局支部"))
        }
        await harness.close()
    }
}
