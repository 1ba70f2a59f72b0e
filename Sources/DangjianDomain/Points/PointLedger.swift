/// 党员积分 (issue 18, item 6; slug `points`): one account per member per calendar year — a base plus dated entries,
/// each item capped per year, never below 0 (POINT-01); the items of the in-service and the floating templates
/// (POINT-02); automatic entries from what the platform knows (POINT-03) and manual ones approved by the branch
/// (POINT-04); a veto sets the year to 0 and no stars (POINT-05); exempt members are not scored (POINT-06); stars by
/// thresholds (POINT-07). Points are kept in tenths, so 0.5 for a month's dues is exact — never floating point. Every
/// value is a rule-book parameter with the documented default; the worked example of evaluation.md §6 (86 → ★4,
/// floating 74) is the default's test.

/// A number of points in tenths (0.5 = 5).
public struct Points: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let tenths: Int

    public init(tenths: Int) { self.tenths = tenths }
    public init(_ whole: Int) { tenths = whole * 10 }

    public static let zero = Points(tenths: 0)

    /// "86", "0.5", "-1", "11.5".
    public var description: String {
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// Reads "3", "0.5", "-2", "+1.5" (at most one decimal, at most ±1000); nil otherwise.
    public static func parse(_ text: String) -> Points? {
        var t = text.trimmed
        var negative = false
        if t.hasPrefix("+") {
            t.removeFirst()
        } else if t.hasPrefix("-") || t.hasPrefix("－") {
            negative = true
            t.removeFirst()
        }
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 4, whole.allSatisfy({ $0.isASCII && $0.isNumber }), let w = Int(whole) else {
            return nil
        }
        var tenth = 0
        if parts.count == 2 {
            guard parts[1].count == 1, let d = Int(parts[1]) else { return nil }
            tenth = d
        }
        let value = w * 10 + tenth
        guard value <= 10_000 else { return nil }
        return Points(tenths: negative ? -value : value)
    }

    public static func < (a: Points, b: Points) -> Bool { a.tenths < b.tenths }
    public static func + (a: Points, b: Points) -> Points { Points(tenths: a.tenths + b.tenths) }
}

/// The items of POINT-02 (and POINT-03's automatic ones).
public enum PointItem: String, Sendable, CaseIterable, Codable {
    /// 1号活动: the monthly 主题党日, from attendance (LIFE-06).
    case themeDay = "theme_day"
    /// 三会一课 other than the 主题党日 (党员大会、党小组会、党课), from attendance; 0 by default.
    case meetings
    /// 交纳党费: each month settled by the collection day (DUES-11/12).
    case dues
    /// 遵规守纪 (manual, usually deductions).
    case discipline
    /// 岗位争先 (manual: commendations, awards).
    case excellence
    /// 社区报到 / 志愿服务 (manual until 双报到 records exist, VOL-03).
    case community
    /// 汇报情况: a floating member's report (the floating template).
    case report
    /// Unexcused absence from organisational life (automatic, a deduction).
    case absence

    public var displayName: String {
        switch self {
        case .themeDay: "1号活动（主题党日）"
        case .meetings: "三会一课"
        case .dues: "交纳党费"
        case .discipline: "遵规守纪"
        case .excellence: "岗位争先"
        case .community: "社区报到、志愿服务"
        case .report: "汇报情况"
        case .absence: "无故缺席组织生活"
        }
    }

    /// Whether the platform posts it from its own records (POINT-03), else a person enters it (POINT-04).
    public var automatic: Bool { [.themeDay, .meetings, .dues, .absence].contains(self) }
}

/// Which items a member's account counts (POINT-02).
public enum PointTemplate: String, Sendable, Codable {
    /// 在职/在册: 1号活动, 交纳党费, 遵规守纪, 岗位争先, 社区报到.
    case standard
    /// 流动党员: only 汇报情况 and 交纳党费.
    case floating

    public var items: [PointItem] {
        switch self {
        case .standard: [.themeDay, .meetings, .dues, .discipline, .excellence, .community, .absence]
        case .floating: [.report, .dues]
        }
    }
}

/// The local parameters (dated in the rule book; defaults from evaluation.md §6, item values UNCONFIRMED).
public struct PointRules: Sendable, Codable, Equatable {
    /// POINT-01: the year's base (60; 70 elsewhere).
    public var base = Points(60)
    /// Points per occurrence of each automatic item.
    public var perTime: [PointItem: Points] = [
        .themeDay: Points(1), .meetings: .zero, .dues: Points(tenths: 5), .absence: Points(-1), .report: Points(2),
    ]
    /// Yearly caps on what an item can add (POINT-03: 三会一课 cap 12 …); nil: no cap.
    public var yearlyCap: [PointItem: Points] = [
        .themeDay: Points(12), .meetings: Points(12), .dues: Points(6), .community: Points(8), .report: Points(8),
    ]
    /// POINT-07: the totals at which a member has 5, 4, 3 and 2 stars (else 1).
    public var starThresholds: [Points] = [Points(90), Points(80), Points(70), Points(60)]
    /// POINT-06 (local practice): members of this age or older (at the year's end) are not scored; 0 = none.
    public var exemptAge = 70

    public init() {}

    public static let national = PointRules()
}

/// One dated entry of an account.
public struct PointEntry: Sendable, Equatable {
    public var item: PointItem
    public var on: CivilDate
    public var points: Points
    /// What it is for: "2026-03-01 主题党日 出席", "6月党费".
    public var note: String

    public init(item: PointItem, on: CivilDate, points: Points, note: String) {
        self.item = item
        self.on = on
        self.points = points
        self.note = note
    }
}

/// A member's year, totalled.
public struct PointAccount: Sendable, Equatable {
    public struct ItemLine: Sendable, Equatable {
        public var item: PointItem
        public var count: Int
        /// What the entries add up to before the cap, and what counts.
        public var raw: Points
        public var counted: Points
        public var capped: Bool { raw != counted }
    }

    public enum Standing: Sendable, Equatable {
        case scored(total: Points, stars: Int)
        /// POINT-05: a veto sets the year to 0 and no stars, with the branch's decision number.
        case vetoed(reference: String)
        /// POINT-06: not scored, not ranked.
        case exempt(reason: String)
    }

    public var year: Int
    public var base: Points
    public var lines: [ItemLine]
    public var standing: Standing

    /// The total shown (0 for a veto, nil for an exempt member).
    public var total: Points? {
        switch standing {
        case .scored(let t, _): t
        case .vetoed: .zero
        case .exempt: nil
        }
    }

    public var stars: Int? {
        switch standing {
        case .scored(_, let s): s
        case .vetoed: 0
        case .exempt: nil
        }
    }
}

public enum PointLedger {
    /// The account for `year` from its entries: the base, each item's entries summed and its additions capped
    /// (deductions are never capped), floored at 0 (POINT-01); a veto or an exemption decides the standing instead.
    public static func account(
        year: Int, template: PointTemplate, entries: [PointEntry], veto: String? = nil, exempt: String? = nil, rules: PointRules = .national
    ) -> PointAccount {
        var lines: [PointAccount.ItemLine] = []
        var sum = rules.base.tenths
        for item in template.items {
            let mine = entries.filter { $0.item == item && $0.on.year == year }
            let raw = mine.reduce(0) { $0 + $1.points.tenths }
            var counted = raw
            if let cap = rules.yearlyCap[item], raw > cap.tenths { counted = cap.tenths }
            sum += counted
            lines.append(.init(item: item, count: mine.count, raw: Points(tenths: raw), counted: Points(tenths: counted)))
        }
        let standing: PointAccount.Standing
        if let exempt {
            standing = .exempt(reason: exempt)
        } else if let veto {
            standing = .vetoed(reference: veto)
        } else {
            let total = Points(tenths: max(0, sum))
            standing = .scored(total: total, stars: stars(total, rules: rules))
        }
        return PointAccount(year: year, base: rules.base, lines: lines, standing: standing)
    }

    /// POINT-07: 5 stars from the first threshold, one fewer for each lower one, else 1.
    public static func stars(_ total: Points, rules: PointRules = .national) -> Int {
        for (i, threshold) in rules.starThresholds.enumerated() where total >= threshold { return 5 - i }
        return 1
    }

    /// "★★★★☆" for 4 of 5.
    public static func starText(_ stars: Int) -> String {
        let n = max(0, min(5, stars))
        return String(repeating: "★", count: n) + String(repeating: "☆", count: 5 - n)
    }
}
