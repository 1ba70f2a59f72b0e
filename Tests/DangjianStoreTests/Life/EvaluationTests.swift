import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("民主评议党员 store")
struct EvaluationTests {
    @Test("lines from the meeting's list, a stale version refused, grades fixed once, reads limited to access", arguments: TestBackend.enabled)
    func storeEvaluation(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let roster = kit.store.members
            var ids: [Int64] = []
            for i in 0..<4 {
                ids.append(
                    try await roster.create(
                        MemberFixtures.draft(name: "评\(i)", born: "1980-02-0\(i + 1)", sequence: 760 + i, status: .full),
                        organisationID: tree["A1a1"], access: .maintenance, actor: .console("t")
                    ).id)
            }
            var draft = MeetingDraft(kind: .lifeMeeting, heldOn: CivilDate(year: 2026, month: 11, day: 20)!)
            draft.topic = "组织生活会暨民主评议党员"
            for (i, id) in ids.enumerated() { draft.attendance[id] = (i == 3 ? .leave : .present, i == 3 ? "病假" : "") }
            let meeting = try await kit.store.meetings
                .record(draft, organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            let evaluations = kit.store.evaluations
            let opened = try await evaluations.open(meetingID: meeting.id, access: .maintenance, actor: .console("t"))
            #expect(opened.entries.count == 4 && opened.ballots == 3 && opened.status == .draft)
            var lines = opened.entries
            for i in lines.indices { lines[i].grade = i == 0 ? .excellent : .qualified; lines[i].peerVotes = [.qualified: 3] }
            let saved = try await evaluations.save(
                meetingID: meeting.id, entries: lines, finalise: false, expectedVersion: opened.version, access: .maintenance, actor: .console("t"))
            #expect(saved.version == opened.version + 1 && saved.counts[.excellent] == 1)
            // Someone else saved in between: the old version is refused.
            await #expect(throws: ValidationFailure.self) {
                try await evaluations.save(
                    meetingID: meeting.id, entries: lines, finalise: true, expectedVersion: opened.version, access: .maintenance, actor: .console("t")
                )
            }
            // Four ballots with three present: refused, nothing changes.
            var tooMany = lines
            tooMany[1].peerVotes = [.qualified: 4]
            await #expect(throws: ValidationProblems.self) {
                try await evaluations.save(
                    meetingID: meeting.id, entries: tooMany, finalise: false, expectedVersion: nil, access: .maintenance, actor: .console("t"))
            }
            let fixed = try await evaluations.save(
                meetingID: meeting.id, entries: lines, finalise: true, expectedVersion: saved.version, access: .maintenance, actor: .console("t"))
            #expect(fixed.status == .final && fixed.entries.allSatisfy { $0.peerVotes[.qualified] == 3 })
            await #expect(throws: ValidationFailure.self) {
                try await evaluations.save(
                    meetingID: meeting.id, entries: lines, finalise: true, expectedVersion: nil, access: .maintenance, actor: .console("t"))
            }
            #expect(try await evaluations.grades(ofMember: ids[0]).map(\.grade) == [.excellent])
            let a1a2 = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersRead, reaches: [OrganisationReach(organisationID: a1a2.id, path: a1a2.path, scope: .own)])
            #expect(try await evaluations.find(meetingID: meeting.id, access: other) == nil)
        }
    }
}
