/// An indicator scheme (指标体系, EVAL-01): scheme → aspects (方面) → indicators (指标) with their scoring rule
/// (评分细则), a bonus pool (加分项) and a deduction pool (扣分项) outside the base, and veto items (一票否决).
/// Categories (分类考核, ASSESS-02) may reweight aspects or leave indicators out; a unit's total is normalised to the
/// base. A scheme is a value: a round stores the version it opened with and never sees a later edit (EVAL-01).

/// How an indicator is scored (EVAL-02).
public enum IndicatorMethod: Sendable, Hashable, Codable {
    /// 每…扣 `per` 分，扣完为止: the maximum less `per` for each shortfall, never below 0.
    case deductEach(per: Score)
    /// 按比例: maximum × actual ÷ required, capped at the maximum; full marks when nothing was required.
    case ratio
    /// 分档: one of the listed tiers (档次), each with its points (≤ maximum).
    case tiered([IndicatorTier])
    /// 达到/未达到: the maximum or 0.
    case binary
    /// 评分: any multiple of `step` from 0 to the maximum (def. step 0.5).
    case manual(step: Score)

    public var kind: IndicatorMethodKind {
        switch self {
        case .deductEach: .deductEach
        case .ratio: .ratio
        case .tiered: .tiered
        case .binary: .binary
        case .manual: .manual
        }
    }
}

public enum IndicatorMethodKind: String, Sendable, CaseIterable, Codable {
    case deductEach = "deduct_each"
    case ratio
    case tiered
    case binary
    case manual

    public var displayName: String {
        switch self {
        case .deductEach: "逐项扣分"
        case .ratio: "按比例"
        case .tiered: "分档"
        case .binary: "达标计分"
        case .manual: "评分"
        }
    }

    /// The words offices write in a 计分方法 column.
    public static func named(_ text: String) -> IndicatorMethodKind? {
        let t = text.trimmed
        if let kind = IndicatorMethodKind(rawValue: t) { return kind }
        return allCases.first { $0.displayName == t }
            ?? [
                "扣分": .deductEach, "按次扣分": .deductEach, "比例": .ratio, "比率": .ratio, "档次": .tiered, "是否": .binary, "达标": .binary, "打分": .manual,
                "人工评分": .manual,
            ][t]
    }
}

public struct IndicatorTier: Sendable, Hashable, Codable {
    public var label: String
    public var points: Score
    public init(label: String, points: Score) {
        self.label = label
        self.points = points
    }
}

/// Where an indicator's value comes from (EVAL-01 `source`).
public enum IndicatorSource: String, Sendable, CaseIterable, Codable {
    /// 实地考评: the assessors score it on their sheets.
    case site
    /// 自动: computed from the platform's records at the data cut-off (ASSESS-05).
    case auto
    /// 自评+核实: the unit scores itself with evidence; the assessors verify (their score counts).
    case selfVerify = "self_verify"

    public var displayName: String {
        switch self {
        case .site: "实地考评"
        case .auto: "系统自动"
        case .selfVerify: "自评核实"
        }
    }

    /// Whether the assessors' sheets carry it.
    public var isOnSheet: Bool { self != .auto }
}

/// The facts an automatic indicator is computed from (ASSESS-05); which ones a scheme uses, and their points, is local.
public enum AutoIndicatorKind: String, Sendable, CaseIterable, Codable {
    /// 组织生活: required slots met ÷ slots due (the compliance engine).
    case organisationalLife = "life"
    /// 责任清单星级: mean monthly stars ÷ 5.
    case dutyStars = "duty_stars"
    /// 问题按期整改: problems 销号 by their due date ÷ problems due by the cut-off.
    case rectificationOnTime = "rectification"
    /// 按期换届: any ORG-T4 non-compliance → 0.
    case terms
    /// 按时交纳党费: member-months paid by the collection day ÷ due.
    case duesOnTime = "dues"

    public var displayName: String {
        switch self {
        case .organisationalLife: "组织生活落实率"
        case .dutyStars: "责任清单星级"
        case .rectificationOnTime: "问题按期整改率"
        case .terms: "按期换届"
        case .duesOnTime: "党费按时交纳率"
        }
    }

    public static func named(_ text: String) -> AutoIndicatorKind? {
        let t = text.trimmed
        return AutoIndicatorKind(rawValue: t) ?? allCases.first { $0.displayName == t || t.contains($0.shortName) }
    }

    var shortName: String {
        switch self {
        case .organisationalLife: "组织生活"
        case .dutyStars: "星级"
        case .rectificationOnTime: "整改"
        case .terms: "换届"
        case .duesOnTime: "党费"
        }
    }
}

public struct Indicator: Sendable, Hashable, Codable {
    /// Unique in the scheme ("1.2", "A3"); scores are stored against it.
    public var code: String
    public var name: String
    public var maxPoints: Score
    public var method: IndicatorMethod
    public var source: IndicatorSource
    /// For `source == .auto`: what it is computed from.
    public var autoKind: AutoIndicatorKind?
    /// 佐证材料: what the unit uploads (ASSESS-04: without it, and without 现场核实, the indicator scores 0 at site).
    public var evidenceRequired: [String]
    /// 评分细则, as the office wrote it.
    public var guidance: String
    /// The categories this indicator applies to; empty = every category (ASSESS-02 swapped indicators).
    public var categories: [String]

    public init(
        code: String, name: String, maxPoints: Score, method: IndicatorMethod, source: IndicatorSource = .site,
        autoKind: AutoIndicatorKind? = nil, evidenceRequired: [String] = [], guidance: String = "", categories: [String] = []
    ) {
        self.code = code
        self.name = name
        self.maxPoints = maxPoints
        self.method = method
        self.source = source
        self.autoKind = autoKind
        self.evidenceRequired = evidenceRequired
        self.guidance = guidance
        self.categories = categories
    }

    public func applies(to category: String?) -> Bool {
        guard let category, !categories.isEmpty else { return true }
        return categories.contains(category)
    }

    /// "1.2 组织生活（5分）".
    public var label: String { "\(code) \(name)（\(maxPoints.plain)分）" }
}

public struct Aspect: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    /// The aspect's stated points; Σ of its indicators' maximums must equal it (EVAL-01).
    public var maxPoints: Score
    public var indicators: [Indicator]

    public init(code: String, name: String, maxPoints: Score, indicators: [Indicator]) {
        self.code = code
        self.name = name
        self.maxPoints = maxPoints
        self.indicators = indicators
    }
}

/// A 加分项 or 扣分项 (outside the base, EVAL-01): points per occurrence up to `maxPoints` in total.
public struct AdjustmentItem: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var maxPoints: Score
    public var guidance: String
    /// ASSESS-06 (连续三年未发展党员) is applied by the platform; other items are recorded by the organiser.
    public var isAdmissionDrought: Bool

    public init(code: String, name: String, maxPoints: Score, guidance: String = "", isAdmissionDrought: Bool = false) {
        self.code = code
        self.name = name
        self.maxPoints = maxPoints
        self.guidance = guidance
        self.isAdmissionDrought = isAdmissionDrought
    }
}

/// 一票否决: forces the lowest grade, never changes the score or the rank (EVAL-10).
public struct VetoItem: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// 分类考核 (ASSESS-02): a category's weight per aspect (absent = the aspect's own points); its total is normalised
/// to the scheme's base.
public struct SchemeCategory: Sendable, Hashable, Codable {
    public var name: String
    public var aspectWeights: [String: Score]
    public init(name: String, aspectWeights: [String: Score] = [:]) {
        self.name = name
        self.aspectWeights = aspectWeights
    }
}

public struct IndicatorScheme: Sendable, Hashable, Codable {
    public var name: String
    /// Σ aspect maximums (def. 100).
    public var baseTotal: Score
    public var aspects: [Aspect]
    public var bonusItems: [AdjustmentItem]
    /// The bonus pool's cap (def. 10, UNCONFIRMED: a rule-book parameter).
    public var bonusCap: Score
    public var deductionItems: [AdjustmentItem]
    public var vetoItems: [VetoItem]
    public var categories: [SchemeCategory]

    public init(
        name: String, baseTotal: Score = .hundred, aspects: [Aspect], bonusItems: [AdjustmentItem] = [], bonusCap: Score = Score(points: 10),
        deductionItems: [AdjustmentItem] = [], vetoItems: [VetoItem] = [], categories: [SchemeCategory] = []
    ) {
        self.name = name
        self.baseTotal = baseTotal
        self.aspects = aspects
        self.bonusItems = bonusItems
        self.bonusCap = bonusCap
        self.deductionItems = deductionItems
        self.vetoItems = vetoItems
        self.categories = categories
    }

    public var indicators: [Indicator] { aspects.flatMap(\.indicators) }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }

    /// The indicators an assessor's sheet carries for a unit of `category`.
    public func sheetIndicators(category: String?) -> [Indicator] {
        indicators.filter { $0.source.isOnSheet && $0.applies(to: category) }
    }

    /// EVAL-01 (and ASSESS-02) checks, each problem naming the aspect or indicator; empty when the scheme is sound.
    public func problems() -> [ValidationFailure] {
        var found: [ValidationFailure] = []
        let rule = RuleID.eval01.code
        func fail(_ field: String, _ message: String, _ ruleID: String = rule) {
            found.append(ValidationFailure(field: field, message: message, ruleID: ruleID))
        }
        if name.trimmed.isEmpty { fail("name", "请填写指标体系名称") }
        if aspects.isEmpty { fail("aspects", "指标体系至少要有一个方面") }
        var codes: Set<String> = []
        func claim(_ code: String, _ what: String) {
            if code.trimmed.isEmpty {
                fail("code", "\(what)缺少编号")
            } else if !codes.insert(code).inserted {
                fail("code", "编号“\(code)”重复（\(what)）")
            }
        }
        for aspect in aspects {
            claim(aspect.code, "方面“\(aspect.name)”")
            if aspect.indicators.isEmpty { fail("aspects", "方面“\(aspect.name)”下没有指标") }
            let sum = aspect.indicators.map(\.maxPoints).total()
            if sum != aspect.maxPoints {
                fail("aspects", "方面“\(aspect.name)”分值 \(aspect.maxPoints.plain) 分，其下指标分值合计 \(sum.plain) 分，两者应相等")
            }
            for indicator in aspect.indicators {
                claim(indicator.code, "指标“\(indicator.name)”")
                found += indicator.methodProblems()
            }
        }
        let total = aspects.map(\.maxPoints).total()
        if total != baseTotal { fail("aspects", "各方面分值合计 \(total.plain) 分，应等于基础总分 \(baseTotal.plain) 分") }
        for item in bonusItems + deductionItems {
            claim(item.code, "“\(item.name)”")
            if item.maxPoints <= .zero { fail("adjustments", "“\(item.name)”的分值应大于 0") }
        }
        if bonusCap < .zero { fail("bonus_cap", "加分上限不能为负数") }
        for veto in vetoItems { claim(veto.code, "一票否决项“\(veto.name)”") }
        let aspectCodes = Set(aspects.map(\.code))
        for category in categories {
            for (code, weight) in category.aspectWeights {
                if !aspectCodes.contains(code) {
                    fail("categories", "类别“\(category.name)”的权重指向不存在的方面“\(code)”", RuleID.assess02.code)
                } else if weight < .zero {
                    fail("categories", "类别“\(category.name)”方面“\(code)”的权重不能为负数", RuleID.assess02.code)
                }
            }
            if categoryTotal(category.name) <= .zero {
                fail("categories", "类别“\(category.name)”没有适用的指标", RuleID.assess02.code)
            }
        }
        return found
    }

    /// The points a unit of `category` can reach before normalisation (Σ of its aspects' weights).
    public func categoryTotal(_ category: String?) -> Score {
        aspects.map { aspectWeight($0, category: category) }.total()
    }

    /// The aspect's weight for the category: the category's own, else the sum of the aspect's applicable indicators.
    public func aspectWeight(_ aspect: Aspect, category: String?) -> Score {
        let applicable = aspect.indicators.filter { $0.applies(to: category) }
        guard !applicable.isEmpty else { return .zero }
        if let category, let weight = categories.first(where: { $0.name == category })?.aspectWeights[aspect.code] { return weight }
        return applicable.map(\.maxPoints).total()
    }
}

extension Indicator {
    func methodProblems() -> [ValidationFailure] {
        var found: [ValidationFailure] = []
        func fail(_ message: String) {
            found.append(ValidationFailure(field: "indicator", message: "指标“\(code) \(name)”：\(message)", ruleID: RuleID.eval02.code))
        }
        if name.trimmed.isEmpty { fail("缺少名称") }
        if maxPoints <= .zero { fail("分值应大于 0") }
        switch method {
        case .deductEach(let per):
            if per <= .zero || per > maxPoints { fail("每次扣分应大于 0 且不超过分值 \(maxPoints.plain) 分") }
        case .tiered(let tiers):
            if tiers.count < 2 { fail("分档计分至少要有两个档次") }
            for tier in tiers where tier.points < .zero || tier.points > maxPoints {
                fail("档次“\(tier.label)”的分值应在 0 至 \(maxPoints.plain) 分之间")
            }
            if Set(tiers.map(\.label)).count != tiers.count { fail("档次名称重复") }
        case .manual(let step):
            if step <= .zero || !maxPoints.isMultiple(of: step) { fail("评分步长 \(step.plain) 应大于 0 且能整除分值 \(maxPoints.plain)") }
        case .ratio, .binary: break
        }
        if source == .auto && autoKind == nil { fail("自动计分的指标要说明取自哪项数据（组织生活、责任清单星级、问题整改、换届、党费）") }
        return found
    }
}
