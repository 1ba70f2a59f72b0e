/// 党费 (slug `dues`): the monthly amount a member owes, from their category and monthly base, in whole fen.
///
/// Money in this capability is only ever a whole number of fen (`Fen`): bases are read from text into fen, rates
/// are basis points, and the amount is `round_half_up(base × rate)` in integers (DUES-16) — never a floating-point
/// number, so 4,321.57 × 1 % is 43.22 on every machine.

/// An amount of money in fen (分). Read from what people type ("3000", "3,000.01", "３０００．５", "¥3000"); never
/// negative, at most two decimals, at most 100 million yuan.
public struct Fen: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: Int64
    /// 100,000,000.00 yuan: more than any monthly wage or dues payment.
    public static let maximum: Int64 = 10_000_000_000

    /// Nil outside 0…`maximum`.
    public init?(_ value: Int64) {
        guard (0...Self.maximum).contains(value) else { return nil }
        self.value = value
    }

    /// Only for values already known to be in range (computed from others in range).
    init(unchecked value: Int64) { self.value = value }

    /// The nearest amount in range (for totals computed from amounts in range, never for input).
    public init(clamping value: Int64) { self.value = min(max(value, 0), Self.maximum) }

    public static let zero = Fen(unchecked: 0)

    /// Reads a yuan amount typed on a form or in a sheet: nil when empty; a refusal naming `label` (and `field`) when
    /// it is not an amount of yuan with at most two decimals between 0 and 100 million.
    public static func parse(_ text: String, field: String, label: String) throws(ValidationFailure) -> Fen? {
        var ascii = ""
        for scalar in text.trimmed.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: ascii.append(Character(String(scalar.value - 0xFF10)))  // full-width digits
            case 0xFF0E, 0x3002: ascii.append(".")  // full-width point, 。
            case 0xFF0D: ascii.append("-")
            case 0x2C, 0xFF0C, 0x20, 0xA5, 0xFFE5: continue  // thousands separators, spaces, ¥ ￥
            default: ascii.unicodeScalars.append(scalar)
            }
        }
        if ascii.hasSuffix("元") { ascii.removeLast() }
        // Excel's text marker ('3000, or '-5 as a guarded export writes it) is not part of the amount.
        if ascii.hasPrefix("'") { ascii.removeFirst() }
        if ascii.isEmpty { return nil }
        let refusal = ValidationFailure(field: field, message: "\(label)“\(text.trimmed)”应为 0 至 1 亿元之间的金额，最多两位小数，如 3000.00")
        guard !ascii.hasPrefix("-") else {
            throw ValidationFailure(field: field, message: "\(label)不能为负数（“\(text.trimmed)”）")
        }
        let parts = ascii.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 9, whole.allSatisfy({ $0.isASCII && $0.isNumber }), let yuan = Int64(whole)
        else { throw refusal }
        var fen: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard decimals.count <= 2, decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw refusal }
            fen = Int64(decimals.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        guard let amount = Fen(yuan * 100 + fen) else { throw refusal }
        return amount
    }

    /// "3000.01" (yuan with two decimals, no separator).
    public var description: String {
        let cents = value % 100
        return "\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }

    /// A net amount of fen (a sum of entries and reversals, which may be negative) as yuan: "43.22", "-43.22".
    public static func signedYuan(_ fen: Int64) -> String { fen < 0 ? "-\(Fen(clamping: -fen))" : Fen(clamping: fen).description }
}

/// 缴纳党费人员类别: which rule sets a member's monthly dues (DUES-02…06).
public enum DuesCategory: String, CaseIterable, Sendable, Codable {
    /// 在职（按月工资）: the after-tax fixed monthly wage (DUES-01/02).
    case employed
    /// 实行年薪制: the pay actually received that month, same bands (DUES-03).
    case annualSalary = "annual_salary"
    /// 个体经营或收入不固定: the previous quarter's average monthly net income (DUES-04).
    case selfEmployed = "self_employed"
    /// 离退休: the pension actually received (DUES-05).
    case retired
    /// 农民: a flat amount the province sets, 0.20–1.00 yuan a month (DUES-06).
    case farmer
    /// 学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金: 0.20 yuan a month (DUES-06).
    case student
    case unemployed
    case relief
    case minimumAllowance = "minimum_allowance"

    public var displayName: String {
        switch self {
        case .employed: "在职（按月工资）"
        case .annualSalary: "年薪制"
        case .selfEmployed: "个体经营或收入不固定"
        case .retired: "离退休"
        case .farmer: "农民"
        case .student: "学生"
        case .unemployed: "下岗失业"
        case .relief: "依靠抚恤或救济生活"
        case .minimumAllowance: "领取最低生活保障金"
        }
    }

    /// The rule that sets this category's dues.
    public var rule: RuleID {
        switch self {
        case .employed: .dues02
        case .annualSalary: .dues03
        case .selfEmployed: .dues04
        case .retired: .dues05
        case .farmer, .student, .unemployed, .relief, .minimumAllowance: .dues06
        }
    }

    /// Whether the amount follows from a monthly base (else it is a flat amount).
    public var takesBase: Bool { [.employed, .annualSalary, .selfEmployed, .retired].contains(self) }

    /// What the base is called for this category on the form.
    public var baseLabel: String {
        switch self {
        case .employed: "月工资收入（税后，按 \(RuleID.dues15) 扣除后）"
        case .annualSalary: "当月实际领取的薪酬"
        case .selfEmployed: "上季度月平均纯收入"
        case .retired: "每月实际领取的离退休费"
        default: "—"
        }
    }
}

/// One band of a rate table: bases up to `upTo` (inclusive; nil = no upper end) pay `basisPoints` / 10,000 of the
/// whole base (DUES-02: the rate applies to the whole base, not marginally).
public struct DuesBand: Sendable, Codable, Equatable {
    public var upTo: Fen?
    public var basisPoints: Int

    public init(upTo: Fen?, basisPoints: Int) {
        self.upTo = upTo
        self.basisPoints = basisPoints
    }

    /// "3000 元以上至 5000 元" style words for the band after `previous`.
    public func words(after previous: Fen?) -> String {
        switch (previous, upTo) {
        case (nil, let top?): "\(Self.yuan(top)) 元以下（含）"
        case (let low?, let top?): "\(Self.yuan(low)) 元以上至 \(Self.yuan(top)) 元"
        case (let low?, nil): "\(Self.yuan(low)) 元以上"
        case (nil, nil): "全部"
        }
    }

    static func yuan(_ fen: Fen) -> String { fen.value % 100 == 0 ? String(fen.value / 100) : fen.description }

    /// "0.5%", "1%", "1.5%".
    public var percent: String {
        let whole = basisPoints / 100, rest = basisPoints % 100
        return rest == 0 ? "\(whole)%" : "\(whole).\(rest % 10 == 0 ? String(rest / 10) : (rest < 10 ? "0\(rest)" : String(rest)))%"
    }
}

/// The dues parameters (DUES-02/05/06/16, defaults from DuesRules2008): the rate bands for wages and pensions, the
/// farmers' amount the province sets and the flat amount. Local practice changes them (a province's farmer amount);
/// every amount records the version it was computed under.
public struct DuesParameters: Sendable, Codable, Equatable {
    public var version: String
    /// DUES-02 (and DUES-03/04): ≤ 3,000 → 0.5 %; ≤ 5,000 → 1 %; ≤ 10,000 → 1.5 %; above → 2 %.
    public var wageBands: [DuesBand]
    /// DUES-05: ≤ 5,000 → 0.5 %; above → 1 %.
    public var pensionBands: [DuesBand]
    /// DUES-06: farmers, set by the province between 0.20 and 1.00 yuan a month.
    public var farmerMonthly: Fen
    /// DUES-06: students, the unemployed, those on relief or 低保: 0.20 yuan a month.
    public var flatMonthly: Fen
    /// DUES-16 (UNCONFIRMED): how `base × rate` is rounded, and to how many fen.
    public var rounding: DuesRounding = .halfUp
    public var roundingUnitFen: Int = 1

    /// The national rules (中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》, 2008), farmers at the lowest amount.
    public static let national = DuesParameters(
        version: "DuesRules2008",
        wageBands: [
            DuesBand(upTo: Fen(300_000), basisPoints: 50), DuesBand(upTo: Fen(500_000), basisPoints: 100),
            DuesBand(upTo: Fen(1_000_000), basisPoints: 150), DuesBand(upTo: nil, basisPoints: 200),
        ],
        pensionBands: [DuesBand(upTo: Fen(500_000), basisPoints: 50), DuesBand(upTo: nil, basisPoints: 100)],
        farmerMonthly: Fen(unchecked: 20), flatMonthly: Fen(unchecked: 20))
}

/// A member's monthly dues and why.
public struct DuesAmount: Sendable, Equatable {
    public var monthly: Fen
    /// The rate applied, in basis points (nil for a flat amount).
    public var basisPoints: Int?
    public var rule: RuleID
    /// How it was reached, in the words a secretary checks: "月基数 3000.01 元，3000 元以上至 5000 元按 1%：30.00 元".
    public var explanation: String
}

/// DUES-02…06 with DUES-16's rounding.
public enum DuesCalculator {
    /// The monthly dues of a member of `category` with monthly `base` (required for the categories with a base).
    public static func monthly(_ category: DuesCategory, base: Fen?, parameters: DuesParameters = .national) throws(ValidationFailure) -> DuesAmount {
        switch category {
        case .farmer:
            return DuesAmount(
                monthly: parameters.farmerMonthly, basisPoints: nil, rule: .dues06,
                explanation: "农民党员每月 \(parameters.farmerMonthly) 元（省级规定，\(RuleID.dues06)）")
        case .student, .unemployed, .relief, .minimumAllowance:
            return DuesAmount(
                monthly: parameters.flatMonthly, basisPoints: nil, rule: .dues06,
                explanation: "\(category.displayName)的党员每月 \(parameters.flatMonthly) 元（\(RuleID.dues06)）")
        case .employed, .annualSalary, .selfEmployed, .retired:
            guard let base else {
                throw ValidationFailure(field: "base", message: "请填写\(category.baseLabel)", ruleID: category.rule.code)
            }
            let bands = category == .retired ? parameters.pensionBands : parameters.wageBands
            var previous: Fen? = nil
            for band in bands {
                if band.upTo.map({ base <= $0 }) ?? true {
                    let fen = rounded(base, basisPoints: band.basisPoints, parameters.rounding, unit: parameters.roundingUnitFen)
                    return DuesAmount(
                        monthly: fen, basisPoints: band.basisPoints, rule: category.rule,
                        explanation: "月基数 \(base) 元，\(band.words(after: previous))按 \(band.percent)：\(fen) 元（\(category.rule)、\(RuleID.dues16)）")
                }
                previous = band.upTo
            }
            throw ValidationFailure(field: "base", message: "费率表没有覆盖 \(base) 元的档次，请检查党费参数", ruleID: category.rule.code)
        }
    }

    /// DUES-16: `base × rate` rounded half up (or down, or up) to `unit` fen, computed in integers (base ≤ 10^10 fen,
    /// rate ≤ 10^4 bp, unit ≤ 100: no overflow).
    static func rounded(_ base: Fen, basisPoints: Int, _ mode: DuesRounding = .halfUp, unit: Int = 1) -> Fen {
        let rate = Int64(max(0, min(basisPoints, 10_000)))
        let step = 10_000 * Int64(max(1, min(unit, 100)))
        let product = base.value * rate
        let units: Int64
        switch mode {
        case .halfUp: units = (product + step / 2) / step
        case .down: units = product / step
        case .up: units = (product + step - 1) / step
        }
        return Fen(clamping: units * (step / 10_000))
    }
}

/// DUES-16's rounding (no national rule, UNCONFIRMED): half up by default.
public enum DuesRounding: String, CaseIterable, Sendable, Codable {
    case halfUp = "half_up"
    case down
    case up

    public var displayName: String {
        switch self {
        case .halfUp: "四舍五入"
        case .down: "舍去"
        case .up: "进位"
        }
    }
}
