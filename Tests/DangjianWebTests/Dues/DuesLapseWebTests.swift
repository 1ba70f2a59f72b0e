import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 18, item 4 through the router (DUES-13/19): a member a year without dues shows the case to open beside their
/// organisational life; the secretary opens it, is refused a deadline before 批评教育, records the steps; 待办 says
/// what comes next; a decision closes it. Nothing about the member changes on its own.
@Suite("自行脱党审查 pages")
struct DuesLapseWebTests {
    @Test("open, refuse out of order, educate, 待办, decide")
    func caseFlow() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let today = CivilDate(date: harness.clock.now())
        let store = harness.services.store
        // A member with bases last year and this, who has paid nothing.
        let id = try await store.members.create(
            MemberFixtures.draft(name: "脱党审查对象", born: "1975-05-05", sequence: 931), organisationID: harness.fixture.tree["A1a1"],
            access: .maintenance, actor: .console("t")
        ).id
        for year in [today.year - 1, today.year] {
            _ = try await store.dues.setBase(
                memberID: id, year: CalendarYear(year)!, category: .employed, base: Fen(300_000), expectedVersion: 0, access: .maintenance,
                actor: .console("t"))
        }
        try await harness.withClient { client in
            let page = try await client.send(.get, "/dues/members/\(id)/payments", as: worker)
            #expect(page.status == .ok && page.body.contains("应由支部审查有无正当理由") && page.body.contains("组织生活：连续"))
            #expect(page.body.contains("/dues/members/\(id)/lapse"))
            let opened = try await client.send(.post, "/dues/members/\(id)/lapse", as: worker, form: ["note": "支委会研究立案"])
            #expect(opened.status == .seeOther)
            let again = try await client.send(.post, "/dues/members/\(id)/lapse", as: worker, form: ["note": "再次"])
            #expect(again.status == .badRequest && again.body.contains("已有未办结的自行脱党审查"))
            let c = try #require(try await store.dues.lapseCases(memberID: id, access: .maintenance).first)
            let step = "/dues/lapse/\(c.id)/steps"
            let early = try await client.send(
                .post, step, as: worker,
                form: ["step": "deadline", "on": today.description, "deadline": today.adding(days: 30).description, "note": "限期", "version": "1"])
            #expect(early.status == .badRequest && early.body.contains("不能“限期改正”"))
            let educated = try await client.send(
                .post, step, as: worker, form: ["step": "education", "on": today.description, "note": "书记谈心谈话", "version": "1"])
            #expect(educated.status == .seeOther)
            let todo = try await client.send(.get, "/todo", as: worker)
            #expect(todo.body.contains("脱党审查对象 自行脱党审查") && todo.body.contains("请限期改正"))
            let decided = try await client.send(
                .post, step, as: worker,
                form: ["step": "decision", "on": today.description, "outcome": "good_reason", "note": "长期在外地住院治疗", "version": "2"])
            #expect(decided.status == .seeOther)
            let after = try await client.send(.get, "/dues/members/\(id)/payments", as: worker)
            #expect(after.body.contains("有正当理由，不作自行脱党处理") && after.body.contains("长期在外地住院治疗"))
            #expect(try await store.members.find(id, access: .maintenance)?.membershipState == .normal)
        }
    }
}
