/// Where an organisation stands, defined once (issue 17, items 1–2; decision 0032). The 实时质量图 (board), the
/// calendar heat-map, the roll-up, the monthly report, the duty list (责任清单) and 待办 all read these definitions:
///
/// - **A period's state** (per requirement or duty item, per month/quarter/year): 达标 when done as often as
///   required, 逾期 once it ended without, 临期 inside the warning days before its end, else 进行中
///   (`Standing.state`, LIFE-xx / LIST-09 warning days from the rule book).
/// - **A month's state**: the worst state of what falls due in that month — monthly items of the month, quarterly
///   items in the quarter's last month, yearly items in December. A yearly item is judged once, in its own period;
///   it does not colour the other eleven months.
/// - **A star** (按月贴星): a finished month whose state is 达标 (something fell due and all of it was done).
/// - **The state now**: the worst state of the periods running today and of those that ended last month (a miss
///   stays red through the month after its period, the month the 月通报 reports it), so this month's work shows
///   this month and last year's misses do not hold a tile red all year.
public protocol JudgedPeriod {
    var period: CompliancePeriod { get }
    var state: ComplianceState { get }
}

extension ComplianceFinding: JudgedPeriod {}
extension DutyPeriodState: JudgedPeriod {}

/// One month of an organisation's year: its state and whether it earned a star.
public struct StandingMonth: Sendable, Equatable {
    public var month: Int
    /// The worst state of what fell due in the month; nil when nothing did (or the month has not begun).
    public var state: ComplianceState?
    /// How many requirement periods fell due in the month.
    public var due: Int
    public var star: Bool
}

public enum Standing {
    /// A period's state on `today`, given how often it was done and the warning days of its length.
    public static func state(done: Int, minimum: Int, period: CompliancePeriod, today: CivilDate, warningDays: Int) -> ComplianceState {
        if done >= minimum { return .met }
        if today > period.end { return .overdue }
        if period.end.days(since: today) < warningDays { return .dueSoon }
        return .pending
    }

    /// Whether a period falls due in `month` of `year` (its last day is in that month).
    public static func fallsDue(_ period: CompliancePeriod, year: Int, month: Int) -> Bool {
        period.end.year == year && period.end.month == month
    }

    /// The months of `year` up to the one containing `today` (all twelve for a past year), each with its state and
    /// star, from the judged periods.
    public static func months(_ judged: [any JudgedPeriod], year: Int, today: CivilDate) -> [StandingMonth] {
        let last = year < today.year ? 12 : year > today.year ? 0 : today.month
        guard last > 0 else { return [] }
        return (1...last).map { month in
            let due = judged.filter { fallsDue($0.period, year: year, month: month) }
            let state = due.map(\.state).max()
            let ended = CompliancePeriod(.month, containing: CivilDate(checkedYear: year, month: month, day: 1)).end < today
            return StandingMonth(month: month, state: state, due: due.count, star: ended && !due.isEmpty && state == .met)
        }
    }

    /// Whether a judged period counts in the state now: it runs today, or it ended last month.
    public static func countsNow(_ period: CompliancePeriod, today: CivilDate) -> Bool {
        guard period.start <= today else { return false }
        if period.end >= today { return true }
        let lastMonth = CompliancePeriod(.month, containing: today).previous
        return period.end >= lastMonth.start
    }

    /// The state now of the judged periods (nil when none counts).
    public static func now(_ judged: [any JudgedPeriod], today: CivilDate) -> ComplianceState? {
        judged.filter { countsNow($0.period, today: today) }.map(\.state).max()
    }

    /// What red, yellow, green and grey mean, printed on every page that shows them.
    public static let legend =
        "绿色“达标”：到期事项均已完成；灰色“进行中”：本期尚未完成、离截止还早；黄色“临期”：本期尚未完成且临近截止；"
        + "红色“逾期”：上一期（上月、上季度或上一年度，在其后一个月内显示）应完成而未完成。每月的颜色只看当月到期的事项：月度事项在当月，"
        + "季度事项在季末月，年度事项在 12 月；当月到期事项全部完成的月份贴一颗星。"
}

extension MeetingKind {
    /// The kind of activity a duty item's title names ("每季度 召开一次支部党员大会" → 支部党员大会), so that the item is
    /// fulfilled by the organisational-life records of that kind rather than by a second entry in the ledger. The
    /// more specific names are tried first; nil when the title names none.
    public init?(namedIn title: String) {
        let names: [(String, MeetingKind)] = [
            ("民主生活会", .leadershipLifeMeeting), ("组织生活会", .lifeMeeting), ("民主评议", .democraticEvaluation),
            ("党员大会", .generalMeeting), ("支委会", .committeeMeeting), ("支部委员会", .committeeMeeting), ("党小组会", .groupMeeting),
            ("主题党日", .themeDay), ("谈心谈话", .heartTalk), ("中心组学习", .studyGroup), ("第一议题", .firstTopic), ("党课", .partyLecture),
        ]
        guard let kind = names.first(where: { title.contains($0.0) })?.1 else { return nil }
        self = kind
    }
}
