/// 民主评议党员 (LIFE-08, rules.md §7.4): self-evaluation, peer evaluation and a grade per member, with the share of
/// 优秀 limited (generally ≤ 1/3), a follow-up by grade, and probationary members taking part without a grade
/// (local rule, configurable).

/// The four grades (评定等次).
public enum EvaluationGrade: String, CaseIterable, Sendable, Codable {
    case excellent, qualified, basicallyQualified = "basically_qualified", unqualified

    public var displayName: String {
        switch self {
        case .excellent: "优秀"
        case .qualified: "合格"
        case .basicallyQualified: "基本合格"
        case .unqualified: "不合格"
        }
    }

    /// The follow-up by grade (§7.4 step 5), offered as the default text.
    public var defaultFollowUp: String {
        switch self {
        case .excellent: "在支部内公开表扬"
        case .qualified: "肯定成绩，鼓励继续发挥作用"
        case .basicallyQualified: "指出不足，帮助制定改进措施"
        case .unqualified: "先行教育帮助，视情况按程序进行组织处置"
        }
    }

    /// Grades whose follow-up must be written down, not left to the default.
    public var needsRecordedFollowUp: Bool { self == .basicallyQualified || self == .unqualified }

    public var warningLevel: WarningLevel {
        switch self {
        case .excellent, .qualified: .good
        case .basicallyQualified: .caution
        case .unqualified: .alarm
        }
    }
}

/// One member's line in an evaluation.
public struct EvaluationEntry: Sendable, Equatable {
    public var memberID: Int64
    public var name: String
    /// Full member at the time of the evaluation (probationary members take part without a grade by default).
    public var full: Bool
    /// 个人自评 (党性分析) — a short summary; the full text stays on paper if the branch prefers.
    public var selfEvaluation: String
    /// 民主测评 tallies of the peer ballots: 优秀, 合格, 基本合格, 不合格.
    public var peerVotes: [EvaluationGrade: Int]
    public var grade: EvaluationGrade?
    public var followUp: String
    /// When the result was fed back to the member (反馈).
    public var feedbackOn: CivilDate?

    public init(
        memberID: Int64, name: String, full: Bool, selfEvaluation: String = "", peerVotes: [EvaluationGrade: Int] = [:],
        grade: EvaluationGrade? = nil, followUp: String = "", feedbackOn: CivilDate? = nil
    ) {
        self.memberID = memberID
        self.name = name
        self.full = full
        self.selfEvaluation = selfEvaluation
        self.peerVotes = peerVotes
        self.grade = grade
        self.followUp = followUp
        self.feedbackOn = feedbackOn
    }

    /// The grade most peer ballots chose (ties go to the lower grade: a tie is not a mandate for more); nil without
    /// ballots. Shown as the committee's starting point, never applied by itself.
    public var peerSuggestion: EvaluationGrade? {
        let total = peerVotes.values.reduce(0, +)
        guard total > 0 else { return nil }
        var best: EvaluationGrade?
        var bestCount = -1
        for grade in EvaluationGrade.allCases {
            let n = peerVotes[grade] ?? 0
            if n >= bestCount { best = grade; bestCount = n }
        }
        return best
    }
}

/// The checks of an evaluation (LIFE-08 §7.4).
public enum DemocraticEvaluationCheck {
    /// Problems with the entries as saved (a draft), or — when `finalising` — before the grades are fixed. `ballots`
    /// is the number of members who could cast a peer ballot (those present).
    public static func problems(_ entries: [EvaluationEntry], ballots: Int, finalising: Bool, rules: RuleBook) -> [ValidationFailure] {
        var p: [ValidationFailure] = []
        for e in entries {
            let field = "grade_\(e.memberID)"
            let total = e.peerVotes.values.reduce(0, +)
            if e.peerVotes.values.contains(where: { $0 < 0 }) || total > ballots {
                p.append(
                    ValidationFailure(
                        field: "peer_\(e.memberID)", message: "\(e.name)：测评票合计 \(total) 张，应在 0 到参加测评人数（\(ballots)）之间", ruleID: RuleID.life08.code))
            }
            if e.selfEvaluation.count > 2_000 {
                p.append(ValidationFailure(field: "self_\(e.memberID)", message: "\(e.name)：自评摘要不能超过 2000 字"))
            }
            if !e.full && e.grade != nil && !rules.gradeProbationaryMembers {
                p.append(ValidationFailure(field: field, message: "\(e.name)是预备党员，参加评议但不评定等次（可在规则参数中更改）", ruleID: RuleID.life08.code))
            }
            guard finalising else { continue }
            if e.grade == nil && (e.full || rules.gradeProbationaryMembers) {
                p.append(ValidationFailure(field: field, message: "\(e.name)：请评定等次", ruleID: RuleID.life08.code))
            }
            if let g = e.grade, g.needsRecordedFollowUp, e.followUp.trimmed.isEmpty {
                p.append(
                    ValidationFailure(
                        field: "follow_\(e.memberID)", message: "\(e.name)评为“\(g.displayName)”，请写明帮助改进或处置措施", ruleID: RuleID.life08.code))
            }
        }
        if finalising, let limit = excellentLimit(graded: entries.filter { $0.grade != nil }.count, rules: rules) {
            let excellent = entries.filter { $0.grade == .excellent }.count
            if excellent > limit {
                p.append(
                    ValidationFailure(
                        field: "excellent",
                        message: "评为优秀 \(excellent) 人，超过参加评定人数的 \(rules.excellentShareNumerator)/\(rules.excellentShareDenominator)（最多 \(limit) 人）",
                        ruleID: RuleID.life08.code))
            }
        }
        return p
    }

    /// The most members who may be graded 优秀 among `graded` (rounded down); nil when the limit is switched off.
    public static func excellentLimit(graded: Int, rules: RuleBook) -> Int? {
        guard rules.excellentShareDenominator > 0, rules.excellentShareNumerator < rules.excellentShareDenominator else { return nil }
        return graded * rules.excellentShareNumerator / rules.excellentShareDenominator
    }
}
