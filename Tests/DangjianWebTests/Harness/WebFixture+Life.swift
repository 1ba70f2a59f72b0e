import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

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
