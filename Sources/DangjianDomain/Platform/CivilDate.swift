public import Foundation

/// A calendar date without time or zone (入党日期, 出生日期, meeting dates), stored as `YYYY-MM-DD`.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (no 2 月 30 日).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CivilDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYYMMDD`.
    public init?(compact: String) {
        guard compact.count == 8, compact.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let y = Int(compact.prefix(4)), let m = Int(compact.dropFirst(4).prefix(2)), let d = Int(compact.suffix(2)) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DD` (the stored form).
    public init?(iso: String) {
        // Fast path for the stored form "YYYY-MM-DD" (every date column of every listed row), read from the bytes.
        let utf8 = iso.utf8
        if utf8.count == 10,
            let fast = utf8.withContiguousStorageIfAvailable({ b -> (Int, Int, Int)? in
                func digits(_ range: Range<Int>) -> Int? {
                    var value = 0
                    for i in range {
                        guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                        value = value * 10 + Int(b[i] - 0x30)
                    }
                    return value
                }
                guard b[4] == 0x2D, b[7] == 0x2D, let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
                return (y, m, d)
            }), let (y, m, d) = fast
        {
            self.init(year: y, month: m, day: d)
            return
        }
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date of an instant in Beijing time (UTC+8; China has kept no daylight saving time since 1991).
    /// Plain arithmetic: this runs for every row of an import.
    public init(date: Date) {
        let seconds = Int((date.timeIntervalSince1970 + 8 * 3600).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        // 1970-01-01 is day 719_468 counted from 0000-03-01 (see `dayNumber`).
        self = CivilDate(dayNumber: days + 719_468)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        // Without String(format:): this runs for every date of every row written or exported.
        let y = String(year), m = month < 10 ? "0\(month)" : String(month), d = day < 10 ? "0\(day)" : String(day)
        return (y.count >= 4 ? y : String(repeating: "0", count: 4 - y.count) + y) + "-" + m + "-" + d
    }

    /// `2019年7月1日`, for documents.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whole years from `self` to `other` (age, 党龄): the anniversary must have been reached.
    public func years(until other: CivilDate) -> Int {
        var years = other.year - year
        if (other.month, other.day) < (month, day) { years -= 1 }
        return years
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year. Total: a result before
    /// 0001-01-01 or after 9999-12-31 (only reachable with nonsense offsets) saturates at that end, never traps.
    public func adding(years: Int) -> CivilDate {
        let (y, overflow) = year.addingReportingOverflow(years)
        guard !overflow, CivilDate.yearRange.contains(y) else { return years < 0 ? .earliest : .latest }
        return CivilDate(checkedYear: y, month: month, day: min(day, CivilDate.daysIn(month: month, year: y)))
    }

    /// The years a `CivilDate` can hold.
    public static let yearRange = 1...9999
    /// 0001-01-01 and 9999-12-31: where date arithmetic saturates.
    public static let earliest = CivilDate(checkedYear: 1, month: 1, day: 1)
    public static let latest = CivilDate(checkedYear: 9999, month: 12, day: 31)

    /// A date whose parts the caller has already checked (no optional to unwrap).
    init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// 1 January of this date's year.
    public var startOfYear: CivilDate { CivilDate(checkedYear: year, month: 1, day: 1) }
    /// The first day of `month` (clamped to 1–12) in this date's year.
    public func firstDay(ofMonth month: Int) -> CivilDate { CivilDate(checkedYear: year, month: min(max(month, 1), 12), day: 1) }

    /// Parses the forms offices type: `2019-07-01`, `2019-7-1`, `2019.07.01`, `2019/7/1`, `2019年7月1日`,
    /// `20190701`, full-width digits, and Excel serial day numbers (1900 date system).
    public static func parseLenient(_ raw: String) -> CivilDate? {
        // Fast path for the stored form `YYYY-MM-DD` (most cells of a large import).
        let bytes = raw.utf8
        if bytes.count == 10 {
            var digits = [Int](repeating: 0, count: 10)
            var ok = true
            for (i, b) in bytes.enumerated() {
                if i == 4 || i == 7 {
                    if b != UInt8(ascii: "-") { ok = false; break }
                } else if b >= 0x30 && b <= 0x39 {
                    digits[i] = Int(b - 0x30)
                } else {
                    ok = false; break
                }
            }
            if ok {
                return CivilDate(
                    year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                    month: digits[5] * 10 + digits[6], day: digits[8] * 10 + digits[9])
            }
        }
        let text = raw.precomposedStringWithCompatibilityMapping.trimmed
        if text.isEmpty { return nil }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) && text.count == 8 { return CivilDate(compact: text) }
        // An Excel serial day number, as a cell holding a date without its style arrives: "43647" or "43647.0".
        let serialParts = text.split(separator: ".", omittingEmptySubsequences: false)
        if (1...2).contains(serialParts.count), (1...5).contains(serialParts[0].count),
            serialParts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            serialParts.count == 1 || serialParts[1].allSatisfy({ $0 == "0" }), let serial = Int(serialParts[0]),
            !(1900...2099).contains(serial)
        {  // a bare year is not a date, even though it is a valid serial
            return fromExcelSerial(serial)
        }
        let normalised = text.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
            .replacingOccurrences(of: "日", with: "").replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "/", with: "-")
        let parts = normalised.split(separator: "-").map { $0.trimmed }
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// Excel's serial day number (1 = 1900-01-01, with Excel's phantom 1900-02-29 accounted for).
    public static func fromExcelSerial(_ serial: Int) -> CivilDate? {
        // Up to 9999-12-31 (serial 2,958,465), as Excel itself.
        guard serial > 0, serial <= 2_958_465 else { return nil }
        // Serial 60 is the non-existent 1900-02-29; serials after it are one day ahead.
        let days = serial > 60 ? serial - 2 : serial - 1
        return CivilDate.excelBase.adding(days: days)
    }

    /// 1900-01-01, Excel's day 1.
    /// (Also the placeholder old records show for a missing date.)
    public static let excelBase = CivilDate(checkedYear: 1900, month: 1, day: 1)

    /// The Excel serial number of this date.
    public var excelSerial: Int {
        let days = self.days(since: CivilDate.excelBase)
        return days >= 59 ? days + 2 : days + 1
    }

    // Stored as text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad date \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
