import DangjianDomain
import DangjianStore

/// POST /assessment/rounds: a round from a scheme version with its timetable (ASSESS-01/03).
struct AssessmentRoundForm {
    var organiserID: Int64?
    var draft: AssessmentRoundDraft

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        organiserID = reader.id("org")
        let year = reader.number("year", CalendarYear.self)?.value
        let version = reader.id("scheme_version")
        if version == nil { reader.problem("scheme_version", "请选择指标体系") }
        if year == nil { reader.problem("year", "请填写考评年度，如 2026") }
        try reader.finish()
        // The dates are read (and each missing or unreadable one named) by the timetable's own form.
        let timetable = try TimetableForm(form).timetable
        guard let year, let version else { throw ValidationFailure(field: "form", message: "请完整填写考评信息") }
        draft = AssessmentRoundDraft(
            organiserID: organiserID ?? 0, year: year, name: reader.text("name"), schemeVersionID: version, timetable: timetable,
            unitIDs: reader.ids("units"))
    }
}

/// POST /assessment/rounds/{id}/panel: one line per member — 登录名 and 职责 (组长 / 评审员 / 记录员).
struct PanelForm {
    var lines: [(line: Int, username: String, duty: PanelDuty)]

    init(_ form: FormData) throws(ValidationFailure) {
        var found: [(Int, String, PanelDuty)] = []
        for (i, raw) in form.text("members").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let parts = raw.split(whereSeparator: { $0 == " " || $0 == "　" || $0 == "," || $0 == "，" }).map(String.init)
            guard let username = parts.first else { continue }
            let dutyText = parts.dropFirst().joined()
            guard let duty = dutyText.isEmpty ? .assessor : PanelDuty.named(dutyText) else {
                throw ValidationFailure(
                    field: "members", message: "第 \(i + 1) 行：无法识别职责“\(dutyText.prefix(20))”，可填 组长、评审员 或 记录员", ruleID: RuleID.eval03.code)
            }
            found.append((i + 1, username, duty))
        }
        guard !found.isEmpty else { throw ValidationFailure(field: "members", message: "请填写评审组成员，每行一个：登录名 职责", ruleID: RuleID.eval03.code) }
        guard found.filter({ $0.2 == .chair }).count <= 1 else {
            throw ValidationFailure(field: "members", message: "评审组只能有一名组长", ruleID: RuleID.eval03.code)
        }
        lines = found
    }
}

/// POST /assessment/units/{id}/sheet and …/self: one field per indicator (`score_<code>`, `note_<code>`,
/// `verified_<code>`), `version` and `submit`.
struct SheetForm {
    var entries: [SheetEntry]
    var submit: Bool
    var version: Int64?

    init(_ form: FormData, indicators: [Indicator]) {
        entries = indicators.compactMap { indicator in
            let text = form.text("score_\(indicator.code)")
            let note = form.text("note_\(indicator.code)")
            guard !text.isEmpty || !note.isEmpty else { return nil }
            return SheetEntry(code: indicator.code, text: text, note: note, verifiedOnSite: form.text("verified_\(indicator.code)") == "1")
        }
        submit = form.text("submit") == "1"
        version = form.int64("version")
    }
}

/// POST /assessment/rounds/{id}/approve: `final_<unit>` (the approved score when it differs) and `reason_<unit>`.
struct ApproveForm {
    var adjustments: [ApprovalAdjustment]
    var version: Int64

    init(_ form: FormData, units: [AssessmentUnitRecord]) throws(ValidationFailure) {
        var found: [ApprovalAdjustment] = []
        for unit in units {
            let text = form.text("final_\(unit.id)")
            guard !text.isEmpty else { continue }
            guard let score = Score.parse(text) else {
                throw ValidationFailure(
                    field: "final_\(unit.id)", message: "“\(unit.name)”的审定得分“\(text.prefix(20))”应为数字，最多两位小数", ruleID: RuleID.assess03.code)
            }
            found.append(ApprovalAdjustment(organisationID: unit.organisationID, score: score, reason: form.text("reason_\(unit.id)")))
        }
        adjustments = found
        guard let v = form.int64("version") else { throw ValidationFailure(field: "version", message: "页面已过期，请刷新后再审定") }
        version = v
    }
}

/// POST /assessment/rounds/{id}/timetable: the six dates again (EVAL-07: extending a stage).
struct TimetableForm {
    var timetable: AssessmentTimetable

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let example = "2026-10-31"
        let cutoff = reader.date("data_cutoff", "数据截止日期", example: example)
        let selfOpens = reader.date("self_opens", "单位自评开始日期", example: example)
        let selfCloses = reader.date("self_closes", "单位自评截止日期", example: example)
        let siteOpens = reader.date("site_opens", "实地考评开始日期", example: example)
        let siteCloses = reader.date("site_closes", "实地考评截止日期", example: example)
        let approveBy = reader.date("approve_by", "综合审定日期", example: example)
        try reader.finish()
        guard let cutoff, let selfOpens, let selfCloses, let siteOpens, let siteCloses, let approveBy else {
            throw ValidationFailure(field: "form", message: "请完整填写日程")
        }
        timetable = AssessmentTimetable(
            dataCutoff: cutoff, selfOpens: selfOpens, selfCloses: selfCloses, siteOpens: siteOpens, siteCloses: siteCloses, approveBy: approveBy)
    }
}
