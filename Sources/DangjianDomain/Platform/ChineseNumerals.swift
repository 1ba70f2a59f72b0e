/// Chinese numerals for dates in official documents (大写: 二〇二六年十一月).
public enum ChineseNumerals {
    static let digits: [Character] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 2026 → 二〇二六.
    public static func year(_ year: Int) -> String { String(String(year).compactMap { $0.wholeNumberValue.map { digits[$0] } }) }

    /// 1…31 → 一…三十一.
    public static func number(_ n: Int) -> String {
        switch n {
        case 0..<10: return String(digits[n])
        case 10: return "十"
        case 11..<20: return "十" + String(digits[n - 10])
        default: return String(digits[n / 10]) + "十" + (n % 10 == 0 ? "" : String(digits[n % 10]))
        }
    }

    /// 二〇二六年十一月二十二日.
    public static func date(_ d: CivilDate) -> String { "\(year(d.year))年\(number(d.month))月\(number(d.day))日" }

    /// 二〇二六年十一月.
    public static func yearMonth(_ year: Int, _ month: Int) -> String { "\(Self.year(year))年\(number(month))月" }
}
