/// The evaluation parameters that evaluation.md marks UNCONFIRMED or local (EVAL-01…13, ASSESS-03…08, REVIEW-06),
/// with the documented defaults; part of the rule book (dated versions), copied into a round when it opens so a
/// running round keeps them (evaluation.md: "a running round keeps its version").
public struct EvaluationParameters: Sendable, Hashable, Codable {
    /// EVAL-01: the base total (def. 100) and the bonus pool's cap (def. 10), in hundredths of a point.
    public var baseTotalHundredths = 10_000
    public var bonusCapHundredths = 1_000
    /// EVAL-03: assessors per unit (def. 3).
    public var minAssessors = 3
    /// EVAL-06: trim one highest and one lowest from this many sheets (def. 6).
    public var trimMin = 6
    /// EVAL-07: valid sheets needed, as a percentage of those assigned (def. 67 = ⌈2/3⌉), at least 2.
    public var quorumPercent = 67
    /// EVAL-07 optional: void a sheet that gives every unit the same score or full marks (def. off).
    public var voidUniformSheets = false
    /// EVAL-11: publicity in working days (def. 5); EVAL-12: reply to a review request within (def. 10).
    public var publicityWorkingDays = 5
    public var appealReplyWorkingDays = 10
    /// EVAL-13: a finding's problem is due this many days after approval (def. 30).
    public var problemDueDays = 30
    /// ASSESS-07: lower bounds of 优秀, 良好, 一般 and the pass mark 达标, in hundredths (90, 80, 60; 80).
    public var excellentHundredths = 9_000
    public var goodHundredths = 8_000
    public var fairHundredths = 6_000
    public var passMarkHundredths = 8_000
    /// ASSESS-07 optional: 优秀 at most this share in percent (def. 0 = no quota; 30 where used).
    public var excellentQuotaPercent = 0
    /// ASSESS-04: 自评偏高 when the self-score exceeds the site mean by more than this share of the maximum (def. 20).
    public var selfGapPercent = 20
    /// ASSESS-03: self-assessment closes this many working days before the site window (def. 10); 审定 within (def. 10).
    public var selfClosesWorkingDaysBefore = 10
    public var approvalWorkingDays = 10
    /// ASSESS-08: lagging units' indicators below this share of the maximum become problems (def. 60); the bottom
    /// k units lag too (def. 0 = off).
    public var laggingIndicatorPercent = 60
    public var laggingBottomK = 0
    /// ASSESS-06: the window (def. 3 years) and the deduction (def. 2 points, in hundredths).
    public var droughtWindowYears = 3
    public var droughtDeductionHundredths = 200
    /// REVIEW-06: weights of the ballot, the assessment and daily work in percent (def. 40 / 60 / 0).
    public var reviewBallotPercent = 40
    public var reviewAssessmentPercent = 60
    public var reviewDailyPercent = 0

    public init() {}

    public var gradeScale: GradeScale {
        var bands = [
            GradeBand(name: "优秀", lowerBound: Score(hundredths: Int64(excellentHundredths))),
            GradeBand(name: "良好", lowerBound: Score(hundredths: Int64(goodHundredths))),
            GradeBand(name: "一般", lowerBound: Score(hundredths: Int64(fairHundredths))), GradeBand(name: "较差", lowerBound: .zero),
        ]
        if excellentQuotaPercent > 0 { bands[0].quotaPercent = excellentQuotaPercent }
        return GradeScale(bands: bands, passMark: Score(hundredths: Int64(passMarkHundredths)))
    }

    public var admissionDrought: AdmissionDrought {
        AdmissionDrought(windowYears: droughtWindowYears, deduction: Score(hundredths: Int64(droughtDeductionHundredths)))
    }

    public var reviewWeights: ReviewWeights {
        ReviewWeights(ballotPercent: reviewBallotPercent, assessmentPercent: reviewAssessmentPercent, dailyPercent: reviewDailyPercent)
    }

    /// How a parameter is shown and entered: a whole number, or points kept in hundredths.
    public enum Unit: Sendable { case count, points }

    /// Every integer parameter with its form field, label, rule and range — the admin page and the checks read this.
    nonisolated(unsafe) public static let fields:
        [(field: String, label: String, rule: RuleID, unit: Unit, range: ClosedRange<Int>, path: WritableKeyPath<EvaluationParameters, Int>)] = [
            ("eval_base_total", "考评基础总分", .eval01, .points, 1_000...100_000, \.baseTotalHundredths),
            ("eval_bonus_cap", "加分项上限（分，待核实）", .eval01, .points, 0...5_000, \.bonusCapHundredths),
            ("eval_min_assessors", "每个单位至少几名评审人员（待核实）", .eval03, .count, 1...20, \.minAssessors),
            ("eval_trim_min", "评分表达到几份时去掉一个最高分和一个最低分（待核实）", .eval06, .count, 3...50, \.trimMin),
            ("eval_quorum_percent", "有效评分表至少占分配人数的百分比（不少于 2 份）", .eval07, .count, 1...100, \.quorumPercent),
            ("eval_publicity_working_days", "考评结果公示工作日数", .eval11, .count, 1...30, \.publicityWorkingDays),
            ("eval_appeal_reply_working_days", "复核申请答复期限（工作日，待核实）", .eval12, .count, 1...60, \.appealReplyWorkingDays),
            ("eval_problem_due_days", "考评发现问题整改期限（天，待核实）", .eval13, .count, 1...365, \.problemDueDays),
            ("assess_excellent", "考评“优秀”分数线（待核实）", .assess07, .points, 0...20_000, \.excellentHundredths),
            ("assess_good", "考评“良好”分数线", .assess07, .points, 0...20_000, \.goodHundredths),
            ("assess_fair", "考评“一般”分数线", .assess07, .points, 0...20_000, \.fairHundredths),
            ("assess_pass_mark", "达标分数线（待核实）", .assess07, .points, 0...20_000, \.passMarkHundredths),
            ("assess_excellent_quota_percent", "“优秀”比例上限（%，0 = 不设）", .assess07, .count, 0...100, \.excellentQuotaPercent),
            ("assess_self_gap_percent", "自评高于实地考评多少（占该项分值 %）提示“自评偏高”", .assess04, .count, 1...100, \.selfGapPercent),
            ("assess_self_closes_days_before", "单位自评在实地考评前几个工作日截止", .assess03, .count, 0...60, \.selfClosesWorkingDaysBefore),
            ("assess_approval_working_days", "实地考评结束后几个工作日内综合审定", .assess03, .count, 1...60, \.approvalWorkingDays),
            ("assess_lagging_indicator_percent", "滞后单位：得分低于该项分值百分之几的指标列入问题清单", .assess08, .count, 1...100, \.laggingIndicatorPercent),
            ("assess_lagging_bottom_k", "排名末尾几个单位列为滞后单位（0 = 不设）", .assess08, .count, 0...100, \.laggingBottomK),
            ("assess_drought_window_years", "连续几年未发展党员扣分", .assess06, .count, 1...10, \.droughtWindowYears),
            ("assess_drought_deduction", "连续未发展党员扣几分（待核实）", .assess06, .points, 0...2_000, \.droughtDeductionHundredths),
            ("review_ballot_percent", "述职评议：测评得分权重（%）", .review06, .count, 0...100, \.reviewBallotPercent),
            ("review_assessment_percent", "述职评议：年度考评得分权重（%）", .review06, .count, 0...100, \.reviewAssessmentPercent),
            ("review_daily_percent", "述职评议：日常工作得分权重（%）", .review06, .count, 0...100, \.reviewDailyPercent),
        ]

    /// Range and consistency checks, each naming its field and rule.
    public func problems() -> [ValidationFailure] {
        var found: [ValidationFailure] = []
        for f in Self.fields where !f.range.contains(self[keyPath: f.path]) {
            let shown =
                f.unit == .points
                ? "\(Score(hundredths: Int64(f.range.lowerBound)).plain)–\(Score(hundredths: Int64(f.range.upperBound)).plain) 分"
                : "\(f.range.lowerBound)–\(f.range.upperBound)"
            found.append(ValidationFailure(field: f.field, message: "\(f.label)应在 \(shown) 之间", ruleID: f.rule.code))
        }
        if !(excellentHundredths > goodHundredths && goodHundredths > fairHundredths) {
            found.append(ValidationFailure(field: "assess_fair", message: "考评等次分数线应从“优秀”到“一般”依次降低", ruleID: RuleID.assess07.code))
        }
        if reviewBallotPercent + reviewAssessmentPercent + reviewDailyPercent != 100 {
            found.append(ValidationFailure(field: "review_daily_percent", message: "述职评议三项权重之和应为 100%", ruleID: RuleID.review06.code))
        }
        return found
    }
}
