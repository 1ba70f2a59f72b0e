/// Combining assessors' sheets into a unit's score (EVAL-06/07/08) and a unit's result from its sheets, its
/// automatic indicators and its bonus and deduction items (EVAL-01, ASSESS-02/04).

/// One submitted sheet: an assessor's points per indicator code.
public struct ScoreSheet: Sendable, Hashable {
    public var assessorID: Int64
    public var points: [String: Score]
    public init(assessorID: Int64, points: [String: Score]) {
        self.assessorID = assessorID
        self.points = points
    }
    public var total: Score { points.values.total() }
}

public struct SheetAggregation: Sendable, Equatable {
    /// The sheets whose totals were averaged.
    public var kept: [ScoreSheet]
    /// The dropped highest and lowest sheets (empty without trimming).
    public var dropped: [ScoreSheet]
    /// The mean of the kept sheets' totals.
    public var mean: Score
    /// Per indicator: the mean over the kept sheets (EVAL-06: trimming is by sheet total).
    public var indicatorMeans: [String: Score]
    /// The median sheet total of all valid sheets (EVAL-09's third tie-break).
    public var median: Score

    /// EVAL-06: with `trimMin` (def. 6) or more sheets drop one highest and one lowest total, then average; else the
    /// plain mean. Nil without sheets. Ties for highest or lowest drop one of them (the later assessor id), so the
    /// result does not depend on the order sheets arrived in.
    public static func aggregate(_ sheets: [ScoreSheet], trimMin: Int = 6) -> SheetAggregation? {
        guard !sheets.isEmpty else { return nil }
        let ordered = sheets.sorted { ($0.total, $0.assessorID) < ($1.total, $1.assessorID) }
        var kept = ordered
        var dropped: [ScoreSheet] = []
        if sheets.count >= max(trimMin, 3) {
            dropped = [kept.removeLast(), kept.removeFirst()]
        }
        let mean = Score.mean(kept.map(\.total)) ?? .zero
        var means: [String: Score] = [:]
        for code in Set(kept.flatMap(\.points.keys)) {
            means[code] = Score.mean(kept.map { $0.points[code] ?? .zero }) ?? .zero
        }
        let totals = ordered.map(\.total)
        let middle = totals.count / 2
        let median = totals.count % 2 == 1 ? totals[middle] : (Score.mean([totals[middle - 1], totals[middle]]) ?? .zero)
        return SheetAggregation(kept: kept, dropped: dropped, mean: mean, indicatorMeans: means, median: median)
    }
}

/// EVAL-07: a stage is complete when its valid (submitted before the close) sheets reach the quorum.
public enum StageQuorum {
    /// `ceil(2/3 × assigned)`, at least 2 (def.); `percent` is the rule-book share.
    public static func minimumValid(assigned: Int, percent: Int = 67) -> Int {
        guard assigned > 0 else { return 2 }
        let needed = (assigned * 2 + 2) / 3
        let byPercent = percent == 67 ? needed : (assigned * max(percent, 0) + 99) / 100
        return max(2, byPercent)
    }

    public static func isComplete(valid: Int, assigned: Int) -> Bool { valid >= minimumValid(assigned: assigned) }

    /// EVAL-07 optional (def. off): a sheet giving every object the same score, or full marks everywhere, is void.
    /// `totals` are one assessor's sheet totals across the objects they scored.
    public static func isUniformSheetSet(_ totals: [Score], maximum: Score) -> Bool {
        isUniformSheetSet(totals.map { ($0, maximum) })
    }

    /// The same where each object's sheet has its own maximum (categories with swapped indicators, ASSESS-02).
    public static func isUniformSheetSet(_ sheets: [(total: Score, maximum: Score)]) -> Bool {
        guard sheets.count >= 2 else { return false }
        return Set(sheets.map(\.total)).count == 1 || sheets.allSatisfy { $0.total == $0.maximum }
    }
}

/// EVAL-08: `final = Σ w_s × stage_s` over stages normalised to 0–100 with whole-percent weights summing to 100.
public enum StageCombination {
    public static func combine(_ parts: [(score: Score, percent: Int)]) -> Score? {
        guard parts.map(\.percent).reduce(0, +) == 100, parts.allSatisfy({ $0.percent >= 0 }) else { return nil }
        return parts.map { $0.score.weighted(percent: $0.percent) }.total()
    }
}

/// A unit's result in an assessment round.
public struct UnitResult: Sendable, Equatable {
    /// The assessors' part: Σ of the per-indicator means of the kept sheets (raw, before normalisation).
    public var sitePart: Score
    /// Σ of the automatic indicators.
    public var autoPart: Score
    /// The base after ASSESS-02 normalisation (equal to site + auto without categories).
    public var base: Score
    public var bonus: Score
    public var deduction: Score
    /// base + bonus − deduction, never below 0.
    public var total: Score
    /// Per indicator: the value that counted (site means, auto values).
    public var indicatorValues: [String: Score]
    public var vetoed: Bool
    /// The number of veto and deduction items applied (EVAL-09's second tie-break).
    public var penaltyCount: Int
    public var aggregation: SheetAggregation?
}

public enum UnitScoring {
    /// A unit's result: the kept sheets' per-indicator means for sheet indicators (ASSESS-04's evidence rule is
    /// applied on each sheet before it is aggregated), the automatic values, each aspect scaled to the category's
    /// weight and the base normalised to the scheme's base total (ASSESS-02), then the bonus pool (capped) and the
    /// deductions (each item capped at its points). The 2-decimal value is what grades and ranks compare.
    public static func result(
        scheme: IndicatorScheme, category: String?, sheets: [ScoreSheet], autoValues: [String: Score], bonuses: [String: Score],
        deductions: [String: Score], vetoes: Set<String>, trimMin: Int = 6
    ) -> UnitResult {
        let aggregation = SheetAggregation.aggregate(sheets, trimMin: trimMin)
        var values: [String: Score] = [:]
        var site = Score.zero
        var auto = Score.zero
        var base = Score.zero
        let categoryTotal = scheme.categoryTotal(category)
        for aspect in scheme.aspects {
            var aspectRaw = Score.zero
            for indicator in aspect.indicators where indicator.applies(to: category) {
                let value: Score
                if indicator.source == .auto {
                    value = min(autoValues[indicator.code] ?? .zero, indicator.maxPoints)
                    auto = auto + value
                } else {
                    value = aggregation?.indicatorMeans[indicator.code] ?? .zero
                    site = site + value
                }
                values[indicator.code] = value
                aspectRaw = aspectRaw + value
            }
            let applicableMax = aspect.indicators.filter { $0.applies(to: category) }.map(\.maxPoints).total()
            let weight = scheme.aspectWeight(aspect, category: category)
            base =
                base + (weight == applicableMax ? aspectRaw : aspectRaw.scaled(by: weight.micro / 10_000, over: max(applicableMax.micro / 10_000, 1)))
        }
        if categoryTotal != scheme.baseTotal, categoryTotal > .zero {
            base = base.scaled(by: scheme.baseTotal.micro / 10_000, over: categoryTotal.micro / 10_000)
        }
        var bonus = Score.zero
        for item in scheme.bonusItems { bonus = bonus + min(max(bonuses[item.code] ?? .zero, .zero), item.maxPoints) }
        bonus = min(bonus, scheme.bonusCap)
        var deduction = Score.zero
        var penalties = 0
        for item in scheme.deductionItems {
            let value = min(max(deductions[item.code] ?? .zero, .zero), item.maxPoints)
            if value > .zero { penalties += 1 }
            deduction = deduction + value
        }
        let applicableVetoes = vetoes.intersection(scheme.vetoItems.map(\.code))
        penalties += applicableVetoes.count
        let total = max(base + bonus - deduction, .zero)
        return UnitResult(
            sitePart: site, autoPart: auto, base: base, bonus: bonus, deduction: deduction, total: total, indicatorValues: values,
            vetoed: !applicableVetoes.isEmpty, penaltyCount: penalties, aggregation: aggregation)
    }
}
