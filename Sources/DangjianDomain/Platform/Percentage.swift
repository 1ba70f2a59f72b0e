/// Whole percentages as reports print them (达标率, 参与率, 整改率): rounded half up to the shown precision, never
/// truncated (issue 17, item 3: 7/9 is 78 %, 2/3 is 67 %, not 77 % and 66 %).
public enum Percentage {
    /// `part` of `whole` in whole percent, rounded half up; nil when there is nothing to count (`whole` ≤ 0) or the
    /// counts are negative. Counts are bounded by rows in a database, far from overflowing `Int`.
    public static func of(_ part: Int, _ whole: Int) -> Int? {
        guard whole > 0, part >= 0 else { return nil }
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 200)
        guard !overflow else { return nil }
        return (scaled + whole) / (2 * whole)
    }
}
