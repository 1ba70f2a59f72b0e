/// Scoring one indicator by its method (EVAL-02), from what an assessor enters or what the platform counted.

/// What is entered for an indicator, by method.
public enum IndicatorInput: Sendable, Hashable, Codable {
    /// `deduct_each`: the number of shortfalls (每少1次 …).
    case shortfalls(Int)
    /// `ratio`: what was done of what was required.
    case ratio(actual: Int, required: Int)
    /// `tiered`: the chosen tier's label.
    case tier(String)
    /// `binary`: met or not.
    case met(Bool)
    /// `manual`: the points given.
    case points(Score)
}

public enum IndicatorScoring {
    /// The points `input` earns on `indicator`, or a refusal naming the indicator and EVAL-02 (a score above the
    /// maximum, off the step, a tier not in the scheme, an input of the wrong kind, a count out of range).
    public static func score(_ indicator: Indicator, _ input: IndicatorInput) throws(ValidationFailure) -> Score {
        let field = "score_\(indicator.code)"
        func refuse(_ message: String) -> ValidationFailure {
            ValidationFailure(field: field, message: "指标“\(indicator.code) \(indicator.name)”：\(message)", ruleID: RuleID.eval02.code)
        }
        let max = indicator.maxPoints
        switch (indicator.method, input) {
        case (.deductEach(let per), .shortfalls(let count)):
            guard (0...10_000).contains(count) else { throw refuse("次数应为 0 至 10000 之间的整数") }
            let deducted = per.scaled(by: Int64(count), over: 1)
            return deducted >= max ? .zero : max - deducted  // 扣完为止
        case (.ratio, .ratio(let actual, let required)):
            guard (0...1_000_000).contains(actual), (0...1_000_000).contains(required) else {
                throw refuse("完成数和应完成数应为 0 至 1000000 之间的整数")
            }
            guard required > 0 else { return max }  // nothing was due
            return max.scaled(by: Int64(Swift.min(actual, required)), over: Int64(required))
        case (.tiered(let tiers), .tier(let label)):
            guard let tier = tiers.first(where: { $0.label == label.trimmed }) else {
                throw refuse("档次“\(label.trimmed)”不在评分细则中（可选：\(tiers.map(\.label).joined(separator: "、"))）")
            }
            return tier.points
        case (.binary, .met(let met)):
            return met ? max : .zero
        case (.manual(let step), .points(let points)):
            guard points >= .zero, points <= max else { throw refuse("得分 \(points.plain) 超出范围，应在 0 至 \(max.plain) 分之间") }
            guard points.isMultiple(of: step) else { throw refuse("得分 \(points.plain) 不是 \(step.plain) 分的整数倍") }
            return points
        case (.binary, .points(let points)), (.tiered, .points(let points)), (.deductEach, .points(let points)), (.ratio, .points(let points)):
            // An assessor may always write the resulting points directly; they must be reachable by the method.
            guard points >= .zero, points <= max else { throw refuse("得分 \(points.plain) 超出范围，应在 0 至 \(max.plain) 分之间") }
            guard reachable(points, by: indicator) else { throw refuse("得分 \(points.plain) 不符合评分细则（\(indicator.method.kind.displayName)）") }
            return points
        default:
            throw refuse("录入方式与计分方法（\(indicator.method.kind.displayName)）不符")
        }
    }

    /// Whether `points` can result from the indicator's method.
    public static func reachable(_ points: Score, by indicator: Indicator) -> Bool {
        let max = indicator.maxPoints
        switch indicator.method {
        case .binary: return points == max || points == .zero
        case .tiered(let tiers): return tiers.contains { $0.points == points }
        case .deductEach(let per): return points == .zero || (max - points).isMultiple(of: per)
        case .manual(let step): return points.isMultiple(of: step)
        case .ratio: return points.isMultiple(of: Score(hundredths: 1))
        }
    }

    /// Reads an assessor's entry for `indicator` from a form: a points value ("4.5"), or for a tiered indicator a tier
    /// label, or for a binary one 是/否. Empty = not scored yet (nil).
    public static func input(_ text: String, for indicator: Indicator) throws(ValidationFailure) -> IndicatorInput? {
        let t = text.trimmed
        guard !t.isEmpty else { return nil }
        if case .tiered(let tiers) = indicator.method, tiers.contains(where: { $0.label == t }) { return .tier(t) }
        if case .binary = indicator.method {
            if ["是", "达到", "达标", "yes", "true"].contains(t) { return .met(true) }
            if ["否", "未达到", "未达标", "no", "false"].contains(t) { return .met(false) }
        }
        guard let points = Score.parse(t) else {
            throw ValidationFailure(
                field: "score_\(indicator.code)", message: "指标“\(indicator.code) \(indicator.name)”：无法识别得分“\(t)”，应为数字，最多两位小数",
                ruleID: RuleID.eval02.code)
        }
        return .points(points)
    }
}

/// ASSESS-04 at site: an indicator that needs evidence scores 0 unless evidence was uploaded or the assessor
/// recorded 现场核实; a self-score above the site mean by more than `gapPercent` of the maximum is flagged 自评偏高.
public enum EvidenceRule {
    public static func effective(_ points: Score, indicator: Indicator, hasEvidence: Bool, verifiedOnSite: Bool) -> Score {
        guard !indicator.evidenceRequired.isEmpty, !hasEvidence, !verifiedOnSite else { return points }
        return .zero
    }

    /// 自评偏高 (warning only): self − site mean > `gapPercent` % of the maximum (def. 20).
    public static func selfScoreTooHigh(selfScore: Score, siteMean: Score, maxPoints: Score, gapPercent: Int = 20) -> Bool {
        selfScore - siteMean > maxPoints.weighted(percent: gapPercent)
    }
}
