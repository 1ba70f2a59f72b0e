import DangjianDomain
import DangjianStore

/// POST /review/rounds: the round (REVIEW-01…03, 06); the organiser comes from `org`.
struct ReviewRoundForm {
    var organiserID: Int64?
    var draft: ReviewRoundDraft

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        organiserID = reader.id("org")
        let year = reader.number("year", CalendarYear.self)?.value
        if year == nil { reader.problem("year", "请填写述职年度，如 2026") }
        let heldOn = reader.date("held_on", "述职评议会议日期", example: "2026-12-20")
        try reader.finish()
        let content = ReviewContentChecklist.reading(reader.raw("content"))
        if let problem = content.problem { throw problem }
        guard let year, let heldOn, let checklist = content.checklist else { throw ValidationFailure(field: "form", message: "请完整填写述职评议信息") }
        draft = ReviewRoundDraft(
            organiserID: organiserID ?? 0, year: year, kind: reader.choice("kind", ReviewRoundKind.self) ?? .annual, name: reader.text("name"),
            heldOn: heldOn, gradeSet: reader.choice("grade_set", ReviewGradeSetChoice.self) ?? .standard, content: checklist,
            rotation: reader.text("rotation") == "1", assessmentRoundID: reader.id("assessment_round"), organisationIDs: reader.ids("units"))
    }
}

/// POST /review/reporters/{id}/tally: the paper ballots' counts, one per grade, the invalid ones and the attendees
/// who balloted on paper (REVIEW-05). Every count a bounded whole number.
struct ReviewTallyForm {
    var tally: BallotTally
    var attendees: Int

    init(_ form: FormData, grades: Int) throws(ValidationFailure) {
        var reader = FormReader(form)
        var counts: [Int] = []
        for i in 0..<grades { counts.append(reader.number("count_\(i)", Quantity.self)?.value ?? 0) }
        let invalid = reader.number("invalid", Quantity.self)?.value ?? 0
        let attendees = reader.number("attendees", Quantity.self)?.value
        if attendees == nil { reader.problem("attendees", "请填写参加纸质测评的人数") }
        try reader.finish()
        tally = BallotTally(counts: counts, invalid: invalid)
        self.attendees = attendees ?? 0
    }
}

/// POST /review/reporters/{id}/rectify: the three lists, one item per line (REVIEW-07), and an optional deadline.
struct ReviewRectifyForm {
    var items: [(kind: ReviewListKind, text: String)]
    var deadline: CivilDate?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        items = ReviewListKind.allCases.flatMap { kind in
            reader.raw(kind.rawValue).split(whereSeparator: \.isNewline).map { (kind, String($0)) }
        }
        deadline = reader.text("deadline").isEmpty ? nil : reader.date("deadline", "整改期限", example: "2027-10-31")
        try reader.finish()
    }
}

/// POST /review/rounds/{id}/confirm: the committee's score per reporter where it differs, with the reason (REVIEW-06).
struct ReviewConfirmForm {
    var adjustments: [ReviewAdjustment]
    var version: Int64

    init(_ form: FormData, reporterIDs: [Int64]) throws(ValidationFailure) {
        var found: [ReviewAdjustment] = []
        for id in reporterIDs {
            let text = form.text("adjust_\(id)")
            guard !text.isEmpty else { continue }
            guard let score = Score.parse(text) else {
                throw ValidationFailure(field: "adjust_\(id)", message: "确定得分“\(text.prefix(20))”应为数字，最多两位小数", ruleID: RuleID.review06.code)
            }
            found.append(ReviewAdjustment(reporterID: id, score: score, reason: form.text("reason_\(id)")))
        }
        adjustments = found
        version = form.int64("version") ?? -1
    }
}

/// POST /review/ballot/{token}: one grade per reporter on the paper (`reporter_<id>` = grade index; absent = blank).
struct ReviewBallotForm {
    var choices: [Int64: Int]

    init(_ form: FormData, reporterIDs: [Int64]) {
        var found: [Int64: Int] = [:]
        for id in reporterIDs {
            if let index = Int(form.text("reporter_\(id)")), (0..<10).contains(index) { found[id] = index }
        }
        choices = found
    }
}
