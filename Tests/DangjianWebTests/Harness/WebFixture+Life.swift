import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension RouteTarget {
    /// A 民主评议党员 meeting (the evaluation routes' meeting; a test-only kind, the routes declare `.meeting`).
    static let evaluationMeeting = RouteTarget("evaluationMeeting")
}

extension LifeFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        try await fixture.addLife(store: setup.store, clock: setup.clock, console: setup.console)
        fixture.records[.meeting] = fixture.meeting
        fixture.records[.evaluationMeeting] = fixture.evaluationMeeting
    }

    /// In each position's organisation a 主题党日 with an open QR sign-in, and a 民主评议党员 meeting.
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        let (store, console, today) = (setup.store, setup.console, setup.today)
        for key in setup.keys {
            let org = setup.tree[key]
            var themeDay = MeetingDraft(kind: .themeDay, heldOn: today)
            themeDay.topic = "主题党日（\(key)）"
            let meeting = try await store.meetings.record(themeDay, organisationID: org, access: .maintenance, actor: console).id
            _ = try await store.checkins.open(meetingID: meeting, access: .maintenance, actor: console)
            records.add(.meeting, in: org, meeting)
            var evaluation = MeetingDraft(kind: .democraticEvaluation, heldOn: today)
            evaluation.topic = "民主评议党员（\(key)）"
            evaluation.attendance[setup.members[key]!] = (.present, "")
            records.add(
                .evaluationMeeting, in: org, try await store.meetings.record(evaluation, organisationID: org, access: .maintenance, actor: console).id
            )
        }
    }
}

extension WebFixture {
    /// The life capability's records: a 主题党日 in A1a1 with an open QR sign-in, a 民主评议党员 meeting.
    mutating func addLife(store: StoreServices, clock: ManualClock, console: Actor) async throws {
        let today = CivilDate(date: clock.now())
        var themeDay = MeetingDraft(kind: .themeDay, heldOn: today)
        themeDay.topic = "主题党日"
        meeting = try await store.meetings.record(themeDay, organisationID: tree["A1a1"], access: .maintenance, actor: console).id
        checkinToken = try await store.checkins.open(meetingID: meeting, access: .maintenance, actor: console).token
        var evaluation = MeetingDraft(kind: .democraticEvaluation, heldOn: today)
        evaluation.topic = "民主评议党员"
        evaluation.attendance[memberIDs["A1a1"]!] = (.present, "")
        evaluationMeeting = try await store.meetings.record(evaluation, organisationID: tree["A1a1"], access: .maintenance, actor: console).id
    }
}
