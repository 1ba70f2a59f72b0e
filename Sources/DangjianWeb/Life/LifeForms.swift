import DangjianDomain
import DangjianStore

/// POST /orgs/{id}/meetings: a meeting of 组织生活 with its attendance (one choice per member of the roster) and, for
/// the meetings that vote (LIFE-02), up to three motions with their tallies. The rules (quorum, tallies, LIFE-xx)
/// are checked by the Domain when the meeting is recorded; this form only reads what was posted.
struct MeetingForm {
    var draft: MeetingDraft
    /// 扫码签到: those not on leave start absent and sign themselves in by scanning.
    var awaitCheckin: Bool

    /// The kind the form was for (a theme day when not given), also for showing the form again after a problem.
    static func kind(_ form: FormData) -> MeetingKind { MeetingKind(rawValue: form.text("kind")) ?? .themeDay }

    init(_ form: FormData, roster: [Int64]) throws(ValidationProblems) {
        var reader = FormReader(form)
        let kind = Self.kind(form)
        let heldOn = reader.date("held_on", "日期", example: "2026-03-28")
        var draft = MeetingDraft(kind: kind, heldOn: heldOn ?? .earliest)
        draft.place = reader.text("place")
        draft.host = reader.text("host")
        draft.recorder = reader.text("recorder")
        draft.topic = reader.text("topic")
        draft.agenda = reader.text("agenda")
        draft.minutes = reader.text("minutes")
        draft.decisions = reader.text("decisions")
        draft.lecturer = reader.text("lecturer")
        draft.themeItems = reader.text("theme_items")
        awaitCheckin = reader.text("await_checkin") == "1"
        for member in roster {
            var status = reader.choice("att_\(member)", AttendanceStatus.self) ?? .absent
            if awaitCheckin && status == .present { status = .absent }
            draft.attendance[member] = (status, reader.text("reason_\(member)"))
        }
        if kind.takesVotes {
            for i in 1...3 where !reader.text("vote_motion_\(i)").isEmpty {
                func count(_ field: String) -> Int { reader.number("vote_\(field)_\(i)", Quantity.self)?.value ?? 0 }
                let vote = ResolutionVote(
                    entitled: count("entitled"), present: count("present"), inFavour: count("for"), against: count("against"),
                    abstaining: count("abstain"), writtenInFavour: count("written_for"), writtenAgainst: count("written_against"))
                draft.votes.append(VoteDraft(motion: reader.text("vote_motion_\(i)"), vote: vote))
            }
        }
        if !reader.problems.isEmpty { throw ValidationProblems(problems: reader.problems) }
        self.draft = draft
    }
}
