/// Whole numbers that come from outside (a query string, a form, an API body) are read into one of these bounded
/// types before any arithmetic touches them: a value outside its range is refused with a Chinese message naming the
/// field, so no later `+`, `*` or date step can overflow and stop the server for everyone (issue 15, H1).
///
/// The ranges are what the meaning allows, not what an `Int` holds: an age of 100,000 or page 2^63 is not a
/// question anyone asks.
public protocol BoundedNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The values this kind of number may take.
    static var bounds: ClosedRange<Int> { get }
    /// What the number is, in the words of the page (年龄, 页码 …).
    static var label: String { get }
    var value: Int { get }
    /// Only for values already inside `bounds`; use `init?(_:)` or `parse` for anything else.
    init(unchecked value: Int)
}

extension BoundedNumber {
    /// The value when inside `bounds`, else nil.
    public init?(_ value: Int) {
        guard Self.bounds.contains(value) else { return nil }
        self.init(unchecked: value)
    }

    /// The value nearest to `value` inside `bounds` (for values computed from others, never for input).
    public init(clamping value: Int) {
        self.init(unchecked: min(max(value, Self.bounds.lowerBound), Self.bounds.upperBound))
    }

    /// Reads `text` (ASCII or full-width digits, an optional sign, surrounding spaces): nil when empty, a
    /// `ValidationFailure` on `field` when it is not a whole number or lies outside `bounds`.
    public static func parse(_ text: String, field: String) throws(ValidationFailure) -> Self? {
        let trimmed = text.trimmed
        if trimmed.isEmpty { return nil }
        let ascii = String(
            trimmed.unicodeScalars.map { scalar -> Character in
                // Full-width digits and minus (０–９, －) as a phone keyboard may type them.
                if (0xFF10...0xFF19).contains(scalar.value), let digit = Unicode.Scalar(scalar.value - 0xFF10 + 0x30) { return Character(digit) }
                if scalar.value == 0xFF0D { return "-" }
                return Character(scalar)
            })
        guard let number = Int(ascii), let bounded = Self(number) else { throw outOfRange(field: field) }
        return bounded
    }

    /// The refusal for a value that is not a whole number in `bounds`.
    public static func outOfRange(field: String) -> ValidationFailure {
        ValidationFailure(
            field: field, message: "“\(label)”应为 \(bounds.lowerBound) 至 \(bounds.upperBound) 之间的整数", ruleID: nil, isRequestParameter: true)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
    public var description: String { String(value) }
}

/// 年龄 in whole years (member filters and statistics).
public struct Age: BoundedNumber {
    public static let bounds = 0...150
    public static let label = "年龄"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// 党龄 in whole years (member filters and statistics).
public struct PartyStanding: BoundedNumber {
    public static let bounds = 0...150
    public static let label = "党龄"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A page of a paged list, counted from 1.
public struct PageNumber: BoundedNumber {
    public static let bounds = 1...100_000
    public static let label = "页码"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
    public static let first = PageNumber(unchecked: 1)

    /// Rows skipped before this page: at most 100,000 × the page size, far from overflowing.
    public func offset(pageSize: Int) -> Int { (value - 1) * min(max(pageSize, 1), 10_000) }
}

/// A calendar year a record or a report is about (the years Party work is recorded for, with room either side).
public struct CalendarYear: BoundedNumber {
    public static let bounds = 1900...2100
    public static let label = "年份"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }

    /// The year of `date`, clamped into the bounds (a clock far outside them is not a real case).
    public init(of date: CivilDate) { self.init(clamping: date.year) }
    /// 1 January of the year (every year in the bounds has one).
    public var firstDay: CivilDate { CivilDate(checkedYear: value, month: 1, day: 1) }
    /// 31 December of the year.
    public var lastDay: CivilDate { CivilDate(checkedYear: value, month: 12, day: 31) }
    /// The first day of `month` (1–12, clamped) of the year.
    public func firstDay(ofMonth month: Int) -> CivilDate { CivilDate(checkedYear: value, month: min(max(month, 1), 12), day: 1) }
}

/// A month of the year, 1–12.
public struct MonthOfYear: BoundedNumber {
    public static let bounds = 1...12
    public static let label = "月份"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A count of people, votes, seats, forms or items typed on a form (实到人数, 票数, 份数 …).
public struct Quantity: BoundedNumber {
    public static let bounds = 0...1_000_000
    public static let label = "数量"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A number of days typed on a form (有效期, 整改期限, 培训天数 …): up to a hundred years.
public struct DayCount: BoundedNumber {
    public static let bounds = 0...36_500
    public static let label = "天数"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A number of months typed on a form (提前提醒月数 …).
public struct MonthCount: BoundedNumber {
    public static let bounds = 0...1_200
    public static let label = "月数"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// How many rows an API list returns at once, and how many it skips.
public struct RowLimit: BoundedNumber {
    public static let bounds = 1...1_000
    public static let label = "每页条数"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// Rows an API list skips: up to ten million (more than a province's roster).
public struct RowOffset: BoundedNumber {
    public static let bounds = 0...10_000_000
    public static let label = "跳过条数"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A whole-number rule-book or policy parameter typed by an administrator; each parameter narrows it further.
public struct SettingValue: BoundedNumber {
    public static let bounds = 0...1_000_000
    public static let label = "参数值"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}
