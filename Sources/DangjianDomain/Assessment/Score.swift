/// 考评验收 (slug `assessment`) and the scoring engine that 擂台赛 and 星级评定 reuse (evaluation.md §1, EVAL-01…14).
///
/// A score is kept unrounded and shown at two decimals, half up (EVAL-02): 72.50, 74.00 and 70.00 average to
/// 72.1666…, shown 72.17, and 72.1666… + 4.5833… adds to exactly 76.75. Scores are integers in millionths of a point
/// (百万分之一分) — never floating point — so a sum, a mean or a ratio gives the same figure on every machine and a
/// boundary such as 89.995 shows 90.00. Decision 0037.

/// A number of points, in millionths of a point; at most ±100,000 points.
public struct Score: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let micro: Int64

    public static let perPoint: Int64 = 1_000_000
    /// ±100,000 points: far above any scheme's total, so no sum of scores in range can overflow `Int64`.
    public static let limit: Int64 = 100_000 * perPoint

    /// Clamps to ±`limit`.
    public init(micro: Int64) { self.micro = min(max(micro, -Self.limit), Self.limit) }
    public init(points: Int) { self.init(micro: Int64(clamping: points).multipliedReportingOverflow(by: Self.perPoint).partialValue) }
    public init(hundredths: Int64) { self.init(micro: max(min(hundredths, Self.limit / 10_000), -Self.limit / 10_000) * 10_000) }

    public static let zero = Score(micro: 0)
    public static let hundred = Score(points: 100)

    /// The value rounded half up (away from zero) to hundredths — what is shown and what grades compare (EVAL-02).
    public var hundredths: Int64 {
        let magnitude = (abs(micro) + 5_000) / 10_000
        return micro < 0 ? -magnitude : magnitude
    }

    /// The value rounded to two decimals, as a score: what grades and rankings compare.
    public var rounded: Score { Score(hundredths: hundredths) }

    /// "82.95", "-2.00", "100.00".
    public var description: String {
        let h = hundredths
        let a = abs(h)
        let fraction = a % 100
        return "\(h < 0 ? "-" : "")\(a / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Without trailing zeros: "2", "0.5", "2.25" (maximums and steps as a scheme writes them).
    public var plain: String {
        let h = hundredths
        let a = abs(h)
        let sign = h < 0 ? "-" : ""
        if a % 100 == 0 { return "\(sign)\(a / 100)" }
        if a % 10 == 0 { return "\(sign)\(a / 100).\(a % 100 / 10)" }
        let fraction = a % 100
        return "\(sign)\(a / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Reads what people type: "5", "0.5", "２．５", "+1", "-2", "85分"; at most two decimals and ±100,000; nil otherwise.
    public static func parse(_ text: String) -> Score? {
        var ascii = ""
        for scalar in text.trimmed.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: ascii.append(Character(String(scalar.value - 0xFF10)))
            case 0xFF0E, 0x3002: ascii.append(".")
            case 0xFF0D, 0x2212: ascii.append("-")
            case 0xFF0B: ascii.append("+")
            case 0x20: continue
            default: ascii.unicodeScalars.append(scalar)
            }
        }
        if ascii.hasSuffix("分") { ascii.removeLast() }
        var negative = false
        if ascii.hasPrefix("+") {
            ascii.removeFirst()
        } else if ascii.hasPrefix("-") {
            negative = true
            ascii.removeFirst()
        }
        let parts = ascii.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 6, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
            let w = Int64(whole)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            fraction = Int64(digits.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        let hundredths = w * 100 + fraction
        guard hundredths <= limit / 10_000 else { return nil }
        return Score(hundredths: negative ? -hundredths : hundredths)
    }

    public static func < (a: Score, b: Score) -> Bool { a.micro < b.micro }
    public static func + (a: Score, b: Score) -> Score { Score(micro: a.micro + b.micro) }
    public static func - (a: Score, b: Score) -> Score { Score(micro: a.micro - b.micro) }
    public static prefix func - (a: Score) -> Score { Score(micro: -a.micro) }

    /// `self × numerator ÷ denominator`, rounded half away from zero to the millionth; zero for a denominator ≤ 0.
    /// Factors are bounded (|numerator| ≤ 10⁶) so the product stays within `Int64` for every score in range.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Score {
        guard denominator > 0 else { return .zero }
        let factor = min(max(numerator, -1_000_000), 1_000_000)
        let (product, overflow) = micro.multipliedReportingOverflow(by: factor)
        guard !overflow else { return Score(micro: product < 0 ? Self.limit : -Self.limit) }
        let magnitude = (abs(product) + denominator / 2) / denominator
        return Score(micro: product < 0 ? -magnitude : magnitude)
    }

    /// `self × percent ÷ 100` (a stage or a category weight in whole percent).
    public func weighted(percent: Int) -> Score { scaled(by: Int64(percent), over: 100) }

    /// The mean of `scores` (half away from zero at the millionth); nil for none.
    public static func mean(_ scores: [Score]) -> Score? {
        guard !scores.isEmpty else { return nil }
        var total: Int64 = 0
        for score in scores {
            let (sum, overflow) = total.addingReportingOverflow(score.micro)
            guard !overflow else { return nil }
            total = sum
        }
        let n = Int64(scores.count)
        let magnitude = (abs(total) + n / 2) / n
        return Score(micro: total < 0 ? -magnitude : magnitude)
    }

    /// Whether the score is a whole multiple of `step` (EVAL-02 manual scoring: step 0.5).
    public func isMultiple(of step: Score) -> Bool {
        guard step.micro > 0 else { return true }
        return micro % step.micro == 0
    }
}

extension Sequence where Element == Score {
    public func total() -> Score { reduce(Score.zero, +) }
}
