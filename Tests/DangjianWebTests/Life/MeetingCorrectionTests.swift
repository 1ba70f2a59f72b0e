import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 5 (decision 0031): a meeting record can be corrected (a new version with a reason, the old one
/// kept and audited) and a record entered by mistake deleted (with a reason, audited, left out of every count).
@Suite("组织生活 records put right")
struct MeetingCorrectionTests {
    @Test(
        "a correction keeps the old version with its reason, moves the counts, and refuses a stale or reasonless form", arguments: TestBackend.enabled
    )
    func correction(backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let saved = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: ["kind": "group_meeting", "held_on": today.description, "topic": "党小组会（录错）", "att_\(member)": "present"])
            let id = try #require(saved.location?.components(separatedBy: "?").first?.components(separatedBy: "/").last.flatMap { Int64($0) })
            let detail = try await client.send(.get, "/meetings/\(id)", as: worker)
            #expect(detail.body.contains("href=\"/meetings/\(id)/correct\""))
            // The correction form starts from what the record says.
            let form = try await client.send(.get, "/meetings/\(id)/correct", as: worker)
            #expect(form.status == .ok && form.body.contains("value=\"党小组会（录错）\"") && form.body.contains("name=\"reason\""))
            #expect(form.hiddenField("version") == "1")
            let corrected = [
                "kind": "group_meeting", "held_on": today.description, "topic": "党小组会", "att_\(member)": "leave",
                "reason_\(member)": "出差", "version": "1",
            ]
            // No reason: refused, the input kept, nothing changed.
            let noReason = try await client.send(.post, "/meetings/\(id)/correct", as: worker, form: corrected)
            #expect(noReason.status == .badRequest && noReason.body.contains("请填写更正原因") && noReason.body.contains("value=\"出差\""))
            #expect(try await harness.services.meetings.find(id, access: .maintenance)?.version == 1)
            var withReason = corrected
            withReason["reason"] = "出席情况录错：该党员出差请假"
            let ok = try await client.send(.post, "/meetings/\(id)/correct", as: worker, form: withReason)
            #expect(ok.status == .seeOther && ok.location == "/meetings/\(id)?done=meeting-corrected")
            let after = try await client.send(.get, ok.location ?? "/", as: worker)
            #expect(after.body.contains("已保存更正") && after.body.contains("应到 1 人，实到 0 人"))
            #expect(after.body.contains("第 1 版") && after.body.contains("出席情况录错：该党员出差请假") && after.body.contains("主题“党小组会（录错）”"))
            // The same form again (an old tab): its version is stale — a conflict, not a second correction.
            withReason["_once"] = SubmitOnce.newToken()
            let stale = try await client.send(.post, "/meetings/\(id)/correct", as: worker, form: withReason)
            #expect(stale.status == .conflict)
        }
        let record = try #require(try await harness.services.meetings.find(id: org, harness: harness))
        #expect(record.version == 2 && record.present == 0 && record.attendance.first?.status == .leave)
        let revisions = try await harness.services.meetings.revisions(of: record.id, access: .maintenance)
        #expect(revisions.count == 1 && revisions[0].snapshot.present == 1 && revisions[0].snapshot.topic == "党小组会（录错）")
        let audit = try await harness.services.database.read { db in
            try await db.raw(
                "SELECT summary FROM audit_log WHERE object_type = 'meeting' AND object_id = \(bind: String(record.id)) AND action = 'update'"
            )
            .all().map { try $0.decode(column: "summary", as: String.self) }
        }
        #expect(audit.count == 1 && audit[0].contains("原因：出席情况录错"))
        await harness.close()
    }

    @Test("two clerks correcting the same version at once: one correction, one conflict", arguments: TestBackend.enabled)
    func concurrentCorrections(backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let today = CivilDate(date: harness.services.clock.now())
        let org = harness.fixture.tree["A1a1"]
        var draft = MeetingDraft(kind: .groupMeeting, heldOn: today)
        draft.topic = "并发更正"
        let record = try await harness.services.meetings.record(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        let base = draft
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<4 {
                group.addTask {
                    var fixed = base
                    fixed.topic = "并发更正 \(i)"
                    do {
                        _ = try await harness.services.meetings.correct(
                            record.id, to: fixed, reason: "更正主题", version: 1, access: .maintenance, actor: .console("t\(i)"))
                        return "ok"
                    } catch is EditConflict { return "conflict" }
                }
            }
            var all: [String] = []
            for try await o in group { all.append(o) }
            return all
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 1 && outcomes.filter { $0 == "conflict" }.count == 3)
        #expect(try await harness.services.meetings.revisions(of: record.id, access: .maintenance).count == 1)
        await harness.close()
    }

    @Test(
        "a record entered by mistake is deleted with a reason: kept to read, out of the counts; one with a 民主评议 sheet is not",
        arguments: TestBackend.enabled)
    func deletion(backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let today = CivilDate(date: harness.services.clock.now())
        let year = CalendarYear(of: today)
        var draft = MeetingDraft(kind: .partyLecture, heldOn: today)
        draft.topic = "重复录入的党课"
        draft.lecturer = "书记"
        let record = try await harness.services.meetings.record(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        func lecturesHeld() async throws -> Int {
            try await harness.services.compliance.year(year, organisationID: org, access: .maintenance).months
                .reduce(0) { $0 + ($1.held[.partyLecture] ?? 0) }
        }
        #expect(try await lecturesHeld() == 1)
        try await harness.withClient { client in
            let noReason = try await client.send(.post, "/meetings/\(record.id)/delete", as: worker, form: ["reason": " "])
            #expect(noReason.status == .badRequest && noReason.body.contains("请填写删除原因"))
            let deleted = try await client.send(.post, "/meetings/\(record.id)/delete", as: worker, form: ["reason": "与 3 号记录重复"])
            #expect(deleted.status == .seeOther && deleted.location == "/orgs/\(org)/meetings?done=meeting-deleted")
            let list = try await client.send(.get, deleted.location ?? "/", as: worker)
            #expect(list.body.contains("已删除该记录") && !list.body.contains("重复录入的党课"))
            let shown = try await client.send(.get, "/meetings/\(record.id)", as: worker)
            #expect(shown.status == .ok && shown.body.contains("作为误录删除") && shown.body.contains("与 3 号记录重复"))
            #expect(!shown.body.contains("/meetings/\(record.id)/correct"))
            let again = try await client.send(.post, "/meetings/\(record.id)/correct", as: worker, form: ["reason": "x", "topic": "y"])
            #expect(again.status == .badRequest && again.body.contains("不能再更正或删除"))
            // The 民主评议 meeting with a sheet: deletion refused, correction offered instead.
            let evaluation = harness.fixture.evaluationMeeting
            _ = try await harness.services.evaluations.open(meetingID: evaluation, access: .maintenance, actor: .console("t"))
            let refused = try await client.send(.post, "/meetings/\(evaluation)/delete", as: worker, form: ["reason": "误录"])
            #expect(refused.status == .badRequest && refused.body.contains("已有民主评议表，不能删除"))
        }
        #expect(try await lecturesHeld() == 0)
        #expect(
            try await harness.services.meetings.list(organisationID: org, year: year.value, access: .maintenance).allSatisfy { $0.id != record.id })
        await harness.close()
    }
}

extension MeetingRepository {
    /// The newest meeting of organisation `id` (a test's way to find what it just recorded over HTTP).
    fileprivate func find(id organisationID: Int64, harness: WebHarness) async throws -> MeetingRecord? {
        let today = CivilDate(date: harness.services.clock.now())
        guard let newest = try await list(organisationID: organisationID, year: today.year, access: .maintenance).first else { return nil }
        return try await find(newest.id, access: .maintenance)
    }
}
