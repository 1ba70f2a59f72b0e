/// 年度发展计划: how an organisation stands against the number of new members its committee planned for the year
/// (DEVPLAN-01), and the warning for a branch that has developed no one for N years (DEVPLAN-02, 连续 N 年未发展党员).
/// Both are our rule IDs: rules.md has no article for them; the counties' practice is in docs/decisions/0018.
public struct AnnualDevelopmentStanding: Sendable, Equatable {
    public enum Progress: String, Sendable {
        /// No target set for the year.
        case noTarget
        /// At or above the target.
        case met
        /// Below the target, with time left in the year.
        case open
        /// Below the target in the last quarter of the year, or after it.
        case behind

        public var displayName: String {
            switch self {
            case .noTarget: "未下达计划"
            case .met: "已完成计划"
            case .open: "推进中"
            case .behind: "进度滞后"
            }
        }

        public var colour: String {
            switch self {
            case .noTarget: "grey"
            case .met: "green"
            case .open: "yellow"
            case .behind: "red"
            }
        }
    }

    public var year: Int
    public var target: Int?
    /// Admissions approved by the committee (step 17) in the year.
    public var admitted: Int
    /// The latest 入党日期 known for the organisation (roster and case files).
    public var lastAdmission: CivilDate?

    public init(year: Int, target: Int?, admitted: Int, lastAdmission: CivilDate?) {
        self.year = year
        self.target = target
        self.admitted = admitted
        self.lastAdmission = lastAdmission
    }

    /// DEVPLAN-01: met when the year's admissions reach the target; behind when below it from October of the year
    /// (the last quarter, when the remaining steps can no longer fit the year) or once the year is over.
    public func progress(today: CivilDate) -> Progress {
        guard let target, target > 0 else { return target == 0 ? .met : .noTarget }
        if admitted >= target { return .met }
        return today.year > year || (today.year == year && today.month >= 10) ? .behind : .open
    }

    /// DEVPLAN-02: the warning when nobody has been admitted for `years` years (0 = off). The boundary: admitted on
    /// 2023-11-22 warns from 2026-11-22 (three full years without development).
    public func gapWarning(today: CivilDate, years: Int) -> String? {
        guard years > 0 else { return nil }
        guard let last = lastAdmission else { return "没有发展党员的记录（名册中无入党日期），请核实是否连续 \(years) 年未发展党员（DEVPLAN-02）" }
        guard last.adding(years: years) <= today else { return nil }
        return "最近一次发展党员为 \(last)，已连续 \(years) 年以上未发展党员（DEVPLAN-02）"
    }
}
