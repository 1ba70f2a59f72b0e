import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
import DangjianOffice
@testable import DangjianWeb
import DangjianTestSupport

@Suite("民主评议党员 pages")
struct EvaluationWebTests {
    @Test(
        "a secretary grades members at the evaluation meeting: too many 优秀 and a 不合格 without follow-up are refused with LIFE-08; then fixed and locked; the file and the member's grade follow"
    )
    func gradeAndLock() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        var created = [harness.fixture.memberIDs["A1a1"]!]
        for i in 0..<3 {
            created.append(
                try await harness.services.members.create(
                    MemberFixtures.draft(name: "评议\(i)", born: "1986-03-0\(i + 1)", sequence: 840 + i, status: i == 2 ? .probationary : .full),
                    organisationID: org, access: .maintenance, actor: .console("t")
                ).id)
        }
        let ids = created
        let probationer = ids[3]
        var draft = MeetingDraft(kind: .democraticEvaluation, heldOn: CivilDate(date: harness.services.clock.now()))
        draft.topic = "年度民主评议党员"
        for id in ids { draft.attendance[id] = (.present, "") }
        let meeting = try await harness.services.meetings.record(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        @Sendable func form(_ grades: [Int64: String], follow: [Int64: String] = [:], action: String) -> [String: String] {
            var f: [String: String] = ["action": action, "version": "0"]
            for id in ids {
                f["grade_\(id)"] = grades[id] ?? ""
                f["follow_\(id)"] = follow[id] ?? ""
                f["peer_excellent_\(id)"] = "1"; f["peer_qualified_\(id)"] = "3"
            }
            return f
        }
        try await harness.withClient { client in
            let detail = try await client.send(.get, "/meetings/\(meeting.id)", as: worker)
            #expect(detail.body.contains("/meetings/\(meeting.id)/evaluation"))
            let page = try await client.send(.get, "/meetings/\(meeting.id)/evaluation", as: worker)
            #expect(page.status == .ok && page.body.contains("优秀最多 1 人") && page.body.contains("参加评议，不评定等次"))
            // Each member's points beside the grade, as an input only (POINT-07).
            #expect(page.body.contains("年党员积分：60 分") && page.body.contains("评定等次的参考，POINT-07"))
            // Two 优秀 among three graded full members: over 1/3.
            let over = try await client.send(
                .post, "/meetings/\(meeting.id)/evaluation", as: worker,
                form: form([ids[0]: "excellent", ids[1]: "excellent", ids[2]: "qualified"], action: "finalise"))
            #expect(over.status == .badRequest && over.body.contains("超过参加评定人数的 1/3") && over.body.contains("LIFE-08"))
            // A grade for the probationary member, and a 不合格 without follow-up.
            let bad = try await client.send(
                .post, "/meetings/\(meeting.id)/evaluation", as: worker,
                form: form([ids[0]: "excellent", ids[1]: "unqualified", ids[2]: "qualified", probationer: "qualified"], action: "finalise"))
            #expect(bad.status == .badRequest && bad.body.contains("请写明帮助改进或处置措施"))
            // Nothing was stored by the refused attempts (the first save opens the evaluation).
            #expect(try await harness.services.evaluations.find(meetingID: meeting.id, access: .maintenance) == nil)
            let draftSave = try await client.send(
                .post, "/meetings/\(meeting.id)/evaluation", as: worker,
                form: form([ids[0]: "excellent", ids[1]: "excellent"], action: "save"))
            #expect(draftSave.status == .seeOther, "a draft may be incomplete")
            let stored = try #require(try await harness.services.evaluations.find(meetingID: meeting.id, access: .maintenance))
            var finalForm = form(
                [ids[0]: "excellent", ids[1]: "unqualified", ids[2]: "qualified"], follow: [ids[1]: "谈话提醒，限期改正"], action: "finalise")
            finalForm["version"] = String(stored.version)
            let ok = try await client.send(.post, "/meetings/\(meeting.id)/evaluation", as: worker, form: finalForm)
            #expect(ok.status == .seeOther)
            let locked = try await client.send(.get, "/meetings/\(meeting.id)/evaluation", as: worker)
            #expect(locked.body.contains("evaluation-final") && !locked.body.contains("name=\"grade_") && locked.body.contains("谈话提醒，限期改正"))
            let again = try await client.send(.post, "/meetings/\(meeting.id)/evaluation", as: worker, form: finalForm)
            #expect(again.status == .badRequest && again.body.contains("等次已确定"))
            let xlsx = try await client.send(.get, "/meetings/\(meeting.id)/evaluation.xlsx", as: worker)
            let rows = try XLSXReader.read(Data(xlsx.bodyBytes)).map(\.cells)
            #expect(rows.count == 5 && rows.contains { $0.first == "评议2" && $0.contains("不评定等次") })
            let memberPage = try await client.send(.get, "/members/\(ids[1])", as: worker)
            #expect(memberPage.body.contains("民主评议") && memberPage.body.contains("年 不合格"))
            // A theme day has no evaluation.
            let themeDay = try await client.send(.get, "/meetings/\(harness.fixture.meeting)/evaluation", as: worker)
            #expect(themeDay.status == .badRequest && themeDay.body.contains("LIFE-08"))
        }
        let grades = try await harness.services.evaluations.grades(ofMember: ids[1])
        #expect(grades.map(\.grade) == [.unqualified] && grades.first?.followUp == "谈话提醒，限期改正")
        #expect(try await harness.services.evaluations.grades(ofMember: probationer).isEmpty)
        await harness.close()
    }
}
