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

    /// - Parameter kind: the kind when it is fixed (a correction keeps the record's), else read from the form.
    init(_ form: FormData, roster: [Int64], kind fixed: MeetingKind? = nil) throws(ValidationProblems) {
        var reader = FormReader(form)
        let kind = fixed ?? Self.kind(form)
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
        draft.awaitingCheckin = awaitCheckin
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
                // 实到 left empty is the full members this form marks present (LIFE-02, issue 17 item 4).
                let presentGiven = !reader.text("vote_present_\(i)").isEmpty
                draft.votes.append(VoteDraft(motion: reader.text("vote_motion_\(i)"), vote: vote, presentGiven: presentGiven))
            }
        }
        if !reader.problems.isEmpty { throw ValidationProblems(problems: reader.problems) }
        self.draft = draft
    }
}

extension MeetingForm {
    /// A stored record as the form's fields (what a correction starts from): the same names the form posts.
    static func fields(of m: MeetingRecord) -> FormData {
        var fields: [String: [String]] = [
            "kind": [m.kind.rawValue], "held_on": [m.heldOn.description], "topic": [m.topic], "place": [m.place ?? ""], "host": [m.host ?? ""],
            "recorder": [m.recorder ?? ""], "agenda": [m.agenda ?? ""], "minutes": [m.minutes ?? ""], "decisions": [m.decisions ?? ""],
            "lecturer": [m.lecturer ?? ""], "theme_items": [m.themeItems ?? ""],
        ]
        for a in m.attendance {
            fields["att_\(a.memberID)"] = [a.status.rawValue]
            fields["reason_\(a.memberID)"] = [a.reason ?? ""]
        }
        for (i, v) in m.votes.prefix(3).enumerated() {
            let n = i + 1
            let figures = [
                ("entitled", v.vote.entitled), ("present", v.vote.present), ("for", v.vote.inFavour), ("against", v.vote.against),
                ("abstain", v.vote.abstaining), ("written_for", v.vote.writtenInFavour), ("written_against", v.vote.writtenAgainst),
            ]
            fields["vote_motion_\(n)"] = [v.motion]
            for (name, figure) in figures { fields["vote_\(name)_\(n)"] = [String(figure)] }
        }
        return FormData(fields: fields)
    }
}

/// POST /meetings/{id}/evaluation: the 民主评议党员 sheet — per member the self-evaluation, the peer votes per grade,
/// the grade, the follow-up and the feedback date (LIFE-08); save or lock (`finalise`).
struct EvaluationForm {
    var entries: [EvaluationEntry]
    var finalise: Bool
    /// Nil for a sheet not saved before.
    var version: Int64?

    /// - Parameter lines: the sheet's members as stored or previewed; each gets the posted values.
    init(_ form: FormData, lines: [EvaluationEntry]) throws(ValidationProblems) {
        let reader = FormReader(form)
        var problems: [ValidationFailure] = []
        entries = lines.map { line in
            var e = line
            e.selfEvaluation = reader.text("self_\(line.memberID)")
            for grade in EvaluationGrade.allCases {
                let text = reader.text("peer_\(grade.rawValue)_\(line.memberID)")
                if text.isEmpty {
                    e.peerVotes[grade] = 0
                } else if let n = try? Quantity.parse(text, field: "peer_\(line.memberID)") {
                    e.peerVotes[grade] = n.value
                } else {
                    problems.append(
                        ValidationFailure(
                            field: "peer_\(line.memberID)",
                            message: "\(line.name)：“\(grade.displayName)”票数应填 0–\(Quantity.bounds.upperBound) 之间的整数"))
                }
            }
            e.grade = reader.choice("grade_\(line.memberID)", EvaluationGrade.self)
            e.followUp = reader.text("follow_\(line.memberID)")
            let feedback = reader.text("feedback_\(line.memberID)")
            if feedback.isEmpty {
                e.feedbackOn = nil
            } else if let day = CivilDate.parseLenient(feedback) {
                e.feedbackOn = day
            } else {
                problems.append(ValidationFailure(field: "feedback_\(line.memberID)", message: "\(line.name)：反馈日期应为日期，如 2026-12-20"))
            }
            return e
        }
        if !problems.isEmpty { throw ValidationProblems(problems: problems) }
        finalise = reader.text("action") == "finalise"
        version = reader.id("version").flatMap { $0 == 0 ? nil : $0 }
    }
}
