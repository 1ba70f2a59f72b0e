/// An assessment round (考评验收轮次, ASSESS-01) and its three stages (ASSESS-03): 单位自评, 评审组实地考评,
/// 党工委综合审定 — each with its window; sheets unsubmitted at a window's close are void (EVAL-07).

public enum AssessmentStage: String, Sendable, CaseIterable, Codable {
    /// 单位自评: the unit scores itself with evidence (weight 0: a gap check only, EVAL-08).
    case selfAssessment = "self"
    /// 评审组实地考评: the assessors' sheets.
    case site

    public var displayName: String {
        switch self {
        case .selfAssessment: "单位自评"
        case .site: "实地考评"
        }
    }
}

public enum AssessmentRoundState: String, Sendable, CaseIterable, Codable {
    /// Stages running (by the timetable).
    case open
    /// 综合审定 done: results fixed, problems issued, publicity running (EVAL-11).
    case approved

    public var displayName: String {
        switch self {
        case .open: "进行中"
        case .approved: "已审定"
        }
    }
}

/// Where a round stands on a day, from its timetable.
public enum AssessmentPhase: String, Sendable {
    case beforeSelf, selfAssessment, betweenStages, site, approval, approved

    public var displayName: String {
        switch self {
        case .beforeSelf: "尚未开始"
        case .selfAssessment: "单位自评"
        case .betweenStages: "等待实地考评"
        case .site: "实地考评"
        case .approval: "综合审定"
        case .approved: "已审定"
        }
    }
}

public enum SheetState: String, Sendable, CaseIterable, Codable {
    case draft
    case submitted

    public var displayName: String {
        switch self {
        case .draft: "未提交"
        case .submitted: "已提交"
        }
    }
}

/// The round's dates (ASSESS-01/03). Defaults follow 忻州: implement by 30 Sep, 考评验收 by 31 Oct.
public struct AssessmentTimetable: Sendable, Hashable, Codable {
    public var dataCutoff: CivilDate
    public var selfOpens: CivilDate
    public var selfCloses: CivilDate
    public var siteOpens: CivilDate
    public var siteCloses: CivilDate
    public var approveBy: CivilDate

    public init(dataCutoff: CivilDate, selfOpens: CivilDate, selfCloses: CivilDate, siteOpens: CivilDate, siteCloses: CivilDate, approveBy: CivilDate)
    {
        self.dataCutoff = dataCutoff
        self.selfOpens = selfOpens
        self.selfCloses = selfCloses
        self.siteOpens = siteOpens
        self.siteCloses = siteCloses
        self.approveBy = approveBy
    }

    /// The 忻州 timetable for `year`: data to 30 Sep; self-assessment 1–14 Oct, closing `selfClosesWorkingDaysBefore`
    /// working days before the site window … which ends 31 Oct; 审定 `approvalWorkingDays` working days later.
    public static func proposed(year: Int, parameters: EvaluationParameters, calendar: WorkingDayCalendar) -> AssessmentTimetable {
        let day = { (m: Int, d: Int) in CivilDate(checkedYear: year, month: m, day: d) }
        let siteCloses = day(10, 31)
        let siteOpens = day(10, 15)
        var selfCloses = siteOpens
        for _ in 0..<max(parameters.selfClosesWorkingDaysBefore, 1) { selfCloses = calendar.previousWorkingDay(before: selfCloses) }
        let selfOpens = min(day(9, 1), selfCloses)
        let approveBy = calendar.workingDay(max(parameters.approvalWorkingDays, 1), from: siteCloses)
        return AssessmentTimetable(
            dataCutoff: day(9, 30), selfOpens: selfOpens, selfCloses: selfCloses, siteOpens: siteOpens, siteCloses: siteCloses, approveBy: approveBy)
    }

    /// ASSESS-01/03: the stages in order (self before site, site before 审定) and the cut-off no later than the site's end.
    public func problems() -> [ValidationFailure] {
        var found: [ValidationFailure] = []
        let rule = RuleID.assess03.code
        if selfCloses < selfOpens { found.append(ValidationFailure(field: "self_closes", message: "单位自评截止日期不能早于开始日期", ruleID: rule)) }
        if siteOpens <= selfCloses { found.append(ValidationFailure(field: "site_opens", message: "实地考评应在单位自评截止之后开始", ruleID: rule)) }
        if siteCloses < siteOpens { found.append(ValidationFailure(field: "site_closes", message: "实地考评截止日期不能早于开始日期", ruleID: rule)) }
        if approveBy < siteCloses { found.append(ValidationFailure(field: "approve_by", message: "综合审定日期不能早于实地考评截止", ruleID: rule)) }
        if dataCutoff > siteCloses {
            found.append(ValidationFailure(field: "data_cutoff", message: "数据截止日期不能晚于实地考评截止日期", ruleID: RuleID.eval14.code))
        }
        return found
    }

    public func window(_ stage: AssessmentStage) -> ClosedRange<CivilDate> {
        switch stage {
        case .selfAssessment: selfOpens...selfCloses
        case .site: siteOpens...siteCloses
        }
    }

    public func phase(on day: CivilDate, state: AssessmentRoundState) -> AssessmentPhase {
        if state == .approved { return .approved }
        if day < selfOpens { return .beforeSelf }
        if day <= selfCloses { return .selfAssessment }
        if day < siteOpens { return .betweenStages }
        if day <= siteCloses { return .site }
        return .approval
    }

    /// EVAL-07: a sheet may be saved only inside its stage's window; the refusal names the window and the rule.
    public func refusal(saving stage: AssessmentStage, on day: CivilDate) -> ValidationFailure? {
        let w = window(stage)
        if day < w.lowerBound {
            return ValidationFailure(field: "sheet", message: "\(stage.displayName)自 \(w.lowerBound) 开始，尚未开始", ruleID: RuleID.eval07.code)
        }
        if day > w.upperBound {
            return ValidationFailure(field: "sheet", message: "\(stage.displayName)已于 \(w.upperBound) 截止，评分表不能再保存或提交", ruleID: RuleID.eval07.code)
        }
        return nil
    }
}

/// A panel member's duty (EVAL-03): 组长 (chair: records declarations, reopens sheets), 评审员, 记录员 (no sheet).
public enum PanelDuty: String, Sendable, CaseIterable, Codable {
    case chair
    case assessor
    case recorder

    public var displayName: String {
        switch self {
        case .chair: "组长"
        case .assessor: "评审员"
        case .recorder: "记录员"
        }
    }

    public static func named(_ text: String) -> PanelDuty? {
        let t = text.trimmed
        return PanelDuty(rawValue: t) ?? allCases.first { $0.displayName == t }
            ?? ["评委": .assessor, "成员": .assessor, "组员": .assessor, "主任": .chair][t]
    }

    /// Whether the duty scores (the recorder does not).
    public var scores: Bool { self != .recorder }
}
