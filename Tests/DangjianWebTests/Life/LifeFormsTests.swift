import Testing
import Foundation
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// The meeting form (issue 16, item 3): every problem of the posted fields at once, the input kept.
@Suite("组织生活 forms")
struct LifeFormsTests {
    static func form(_ fields: [String: String]) -> FormData {
        FormData(
            encoded: fields.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)" }
                .joined(separator: "&"))
    }

    @Test("a meeting: attendance per roster member, 扫码签到 starts those present as absent, tallies only for meetings that vote")
    func parsed() throws {
        let fields = [
            "kind": "general_meeting", "held_on": "2026-03-28", "topic": "党员大会", "att_7": "leave", "reason_7": "出差", "att_8": "present",
            "vote_motion_1": "接收预备党员", "vote_entitled_1": "9", "vote_present_1": "8", "vote_for_1": "8",
        ]
        let meeting = try MeetingForm(Self.form(fields), roster: [7, 8, 9])
        #expect(meeting.draft.kind == .generalMeeting && meeting.draft.heldOn.description == "2026-03-28" && meeting.draft.topic == "党员大会")
        #expect(meeting.draft.attendance[7]?.0 == .leave && meeting.draft.attendance[7]?.1 == "出差")
        #expect(meeting.draft.attendance[8]?.0 == .present && meeting.draft.attendance[9]?.0 == .absent)
        #expect(meeting.draft.votes.count == 1 && meeting.draft.votes[0].vote.inFavour == 8 && meeting.draft.votes[0].vote.entitled == 9)
        var checkin = fields
        checkin["await_checkin"] = "1"
        #expect(try MeetingForm(Self.form(checkin), roster: [7, 8]).draft.attendance[8]?.0 == .absent)
        var themeDay = fields
        themeDay["kind"] = "theme_day"
        #expect(try MeetingForm(Self.form(themeDay), roster: [7]).draft.votes.isEmpty)
    }

    @Test("an unreadable date and a tally that is no number are both named, by field")
    func problems() throws {
        let fields = ["kind": "general_meeting", "held_on": "上周五", "vote_motion_1": "决议", "vote_for_1": "十二", "vote_entitled_1": "-1"]
        do {
            _ = try MeetingForm(Self.form(fields), roster: [])
            Issue.record("the form was accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["held_on", "vote_entitled_1", "vote_for_1"])
            #expect(error.problems[0].message == "无法识别日期“上周五”，请按 2026-03-28 的格式填写日期")
        }
    }

    @Test("over HTTP a bad tally shows the form again with what was typed, and stores nothing")
    func overHTTP() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let response = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: ["kind": "general_meeting", "held_on": today.description, "topic": "保留输入的党员大会", "vote_motion_1": "决议", "vote_for_1": "十二"])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("保留输入的党员大会") && response.body.contains("十二"))
            let year = try await client.send(.get, "/orgs/\(org)/meetings", as: worker)
            #expect(!year.body.contains("保留输入的党员大会"))
        }
        await harness.close()
    }
}
