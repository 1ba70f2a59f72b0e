import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 18, item 6 through the router: the branch's board and its wall version (names and stars only), the
/// recomputation from records, a manual entry counted after approval, a veto, and a member's own points.
@Suite("党员积分 pages")
struct PointsWebTests {
    @Test(
        "recompute from a 主题党日; a manual +3 counted after approval; the wall shows stars without totals; a veto needs its reference; the member sees their own; a floating member's template"
    )
    func board() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let memberActor = try #require(harness.fixture.actors[.member])
        let org = harness.fixture.tree["A1a1"]
        let floating = try #require(harness.fixture.memberIDs["A1a1"])  // the fixture's floating member
        let member = try await harness.services.store.members.create(
            MemberFixtures.draft(name: "积分甲", born: "1983-03-03", sequence: 880), organisationID: org, access: .maintenance, actor: .console("t")
        ).id
        let today = CivilDate(date: harness.clock.now())
        var draft = MeetingDraft(kind: .themeDay, heldOn: today)
        draft.topic = "积分主题党日"
        draft.attendance[member] = (.present, "")
        _ = try await harness.services.meetings.record(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        try await harness.withClient { client in
            let recomputed = try await client.send(.post, "/points/recompute", as: worker, form: ["org": String(org), "year": String(today.year)])
            #expect(recomputed.status == .seeOther)
            let board = try await client.send(.get, try #require(recomputed.location), as: worker)
            #expect(board.status == .ok && board.body.contains("已按最新记录重算自动积分项"))
            #expect(board.body.contains("61 分"), "60 + 1 for the 主题党日")
            // A manual +3 with evidence: pending until the branch approves it.
            let bad = try await client.send(
                .post, "/points/members/\(member)/entries", as: worker, form: ["item": "excellence", "points": "两分", "note": "", "evidence": ""])
            #expect(bad.status == .badRequest && bad.body.contains("POINT-04"))
            let submitted = try await client.send(
                .post, "/points/members/\(member)/entries", as: worker,
                form: ["item": "excellence", "points": "3", "on": today.description, "note": "受县委表彰", "evidence": "县委〔2026〕1号"])
            #expect(submitted.status == .seeOther)
            let page = try await client.send(.get, "/points/members/\(member)?year=\(today.year)", as: worker)
            #expect(page.body.contains("待支部审核") && page.body.contains("积分 61 分"))
            let entry = try #require(
                try await harness.services.store.points.account(memberID: member, year: today.year, access: .maintenance).entries.first {
                    !$0.automatic
                }?.id)
            #expect(try await client.send(.post, "/points/entries/\(entry)/decide", as: worker, form: ["action": "approve"]).status == .seeOther)
            let after = try await client.send(.get, "/points/members/\(member)?year=\(today.year)", as: worker)
            #expect(after.body.contains("积分 64 分") && after.body.contains("★★☆☆☆"))
            // The wall: names and stars, no totals.
            let wall = try await client.send(.get, "/points?org=\(org)&year=\(today.year)&wall=1", as: worker)
            #expect(wall.body.contains("实时质量图") && wall.body.contains("积分甲") && !wall.body.contains("64 分"))
            // The monthly chart (POINT-08): at this month's end the entries count; at last month's end (same year) not yet.
            let thisMonth = DuesMonth(containing: today)
            let monthly = try await client.send(.get, "/points?org=\(org)&year=\(today.year)&wall=1&month=\(thisMonth.code)", as: worker)
            #expect(monthly.body.contains("截至\(thisMonth)底") && !monthly.body.contains("64 分"))
            #expect(try await client.send(.get, "/points?org=\(org)&year=\(today.year)&month=\(thisMonth.code)", as: worker).body.contains("64 分"))
            if thisMonth.month > 1 {
                let earlier = try await client.send(
                    .get, "/points?org=\(org)&year=\(today.year)&month=\(thisMonth.adding(months: -1).code)", as: worker)
                #expect(earlier.body.contains("60 分") && !earlier.body.contains("64 分"))
            }
            let badMonth = try await client.send(.get, "/points?org=\(org)&year=\(today.year)&month=13月", as: worker)
            #expect(badMonth.status == .badRequest && badMonth.body.contains("POINT-08"))
            // A veto without its reference is refused; with it, 0 and no stars.
            let noRef = try await client.send(
                .post, "/points/members/\(member)/standing", as: worker, form: ["kind": "veto", "text": "", "year": String(today.year)])
            #expect(noRef.status == .badRequest && noRef.body.contains("POINT-05"))
            _ = try await client.send(
                .post, "/points/members/\(member)/standing", as: worker, form: ["kind": "veto", "text": "支部〔2026〕9号", "year": String(today.year)])
            #expect(try await client.send(.get, "/points/members/\(member)?year=\(today.year)", as: worker).body.contains("一票否决（支部〔2026〕9号）"))
            _ = try await client.send(.post, "/points/members/\(member)/standing", as: worker, form: ["kind": "none", "year": String(today.year)])
            // A floating member counts only 汇报情况 and dues (POINT-02).
            let wrongItem = try await client.send(
                .post, "/points/members/\(floating)/entries", as: worker,
                form: ["item": "excellence", "points": "3", "on": today.description, "note": "表彰", "evidence": "文件"])
            #expect(wrongItem.status == .badRequest && wrongItem.body.contains("流动党员只计"))
            // The member's own page.
            #expect(try await client.send(.get, "/points/mine", as: memberActor).body.contains("没有关联党员信息"))
            try await harness.services.store.members.linkAccount(
                username: memberActor.username, toMember: member, confirmingNameDifference: true, access: .maintenance, actor: .console("t"))
            let mine = try await client.send(.get, "/points/mine", as: memberActor)
            #expect(mine.status == .ok && mine.body.contains("积分 64 分") && !mine.body.contains("审核通过"))
            // The same account through the API.
            let api = try await client.send(
                .get, "/api/v1/members/\(member)/points?year=\(today.year)", as: nil, headers: APIParityTests.bearer(worker.apiToken))
            #expect(api.status == .ok && api.body.contains("\"total\":\"64\"") && api.body.contains("\"stars\":2"))
            // Another branch's member: not found.
            #expect(try await client.send(.get, "/points/members/\(harness.fixture.memberIDs["B1"]!)", as: worker).status == .notFound)
        }
        await harness.close()
    }
}
