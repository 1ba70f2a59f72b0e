/// 党费账目与上缴 (issue 18, item 5; DUES-08/12/20/21): how every fen collected from a member for a month travels up
/// the tree — each organisation passes its share of what reaches it to its parent and keeps the rest — so that for
/// every member-month what was collected equals what was remitted out of the tree plus what each level retained; the
/// periods remittances are made for; the categories dues may be used for.

/// The length of a remittance period (DUES-20 `branch_remit_period`).
public enum DuesRemitPeriod: String, CaseIterable, Sendable, Codable {
    case monthly
    case quarterly
    case halfYearly = "half_yearly"
    case yearly

    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .halfYearly: 6
        case .yearly: 12
        }
    }

    public var displayName: String {
        switch self {
        case .monthly: "按月"
        case .quarterly: "按季"
        case .halfYearly: "按半年"
        case .yearly: "按年"
        }
    }
}

/// One period of a year a remittance is made for: "2026-Q1", "2026-03", "2026-H1", "2026".
public struct DuesPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let length: DuesRemitPeriod
    /// 1-based within the year.
    public let index: Int

    public init?(year: Int, length: DuesRemitPeriod, index: Int) {
        guard (1900...9999).contains(year), (1...(12 / length.months)).contains(index) else { return nil }
        self.year = year
        self.length = length
        self.index = index
    }

    /// The period of `length` that holds `month`.
    public init(containing month: DuesMonth, length: DuesRemitPeriod) {
        year = month.year
        self.length = length
        index = (month.month - 1) / length.months + 1
    }

    /// The periods of `length` in `year`, in order.
    public static func all(year: Int, length: DuesRemitPeriod) -> [DuesPeriod] {
        (1...(12 / length.months)).compactMap { DuesPeriod(year: year, length: length, index: $0) }
    }

    public var first: DuesMonth { DuesMonth(index: year * 12 + (index - 1) * length.months) }
    public var last: DuesMonth { first.adding(months: length.months - 1) }
    public func contains(_ month: DuesMonth) -> Bool { month >= first && month <= last }

    /// As stored: "2026-03", "2026-Q1", "2026-H1", "2026".
    public var code: String {
        switch length {
        case .monthly: first.code
        case .quarterly: "\(year)-Q\(index)"
        case .halfYearly: "\(year)-H\(index)"
        case .yearly: String(year)
        }
    }

    /// As shown: "2026年3月", "2026年第1季度", "2026年上半年", "2026年".
    public var description: String {
        switch length {
        case .monthly: first.description
        case .quarterly: "\(year)年第\(index)季度"
        case .halfYearly: "\(year)年\(index == 1 ? "上" : "下")半年"
        case .yearly: "\(year)年"
        }
    }

    /// Reads a stored code; nil otherwise.
    public static func parse(_ text: String) -> DuesPeriod? {
        let t = text.trimmed
        if t.count == 4, let y = Int(t) { return DuesPeriod(year: y, length: .yearly, index: 1) }
        let parts = t.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]) else { return nil }
        let rest = parts[1]
        if rest.hasPrefix("Q"), let i = Int(rest.dropFirst()) { return DuesPeriod(year: y, length: .quarterly, index: i) }
        if rest.hasPrefix("H"), let i = Int(rest.dropFirst()) { return DuesPeriod(year: y, length: .halfYearly, index: i) }
        if rest.count <= 2, let m = Int(rest) { return DuesPeriod(year: y, length: .monthly, index: m) }
        return nil
    }

    public static func < (a: DuesPeriod, b: DuesPeriod) -> Bool { (a.first, a.last) < (b.first, b.last) }
}

/// What dues retained may be spent on (DUES-21; DUES-14 for help to members in difficulty).
public enum DuesUseCategory: String, CaseIterable, Sendable, Codable {
    case training
    case materials
    case commendation
    case hardship
    case other

    public var displayName: String {
        switch self {
        case .training: "党员教育培训"
        case .materials: "购置学习资料和设备"
        case .commendation: "表彰奖励"
        case .hardship: "补助生活困难党员和受灾党员"
        case .other: "其他"
        }
    }
}

/// The kinds of entry an organisation's dues account holds besides the members' payments.
public enum DuesAccountEntryKind: String, CaseIterable, Sendable, Codable {
    /// 上缴: money sent to the parent organisation (or, from the top of the tree, to the level above it) for a period.
    case remittance
    /// 使用: money spent, by category (DUES-21).
    case expenditure
    /// 利息: interest on the dues account, which is dues income (DUES-21).
    case interest

    public var displayName: String {
        switch self {
        case .remittance: "上缴"
        case .expenditure: "使用"
        case .interest: "利息收入"
        }
    }
}

/// The remittance parameters (DUES-20), dated in the rule book.
public struct DuesRemittanceRules: Sendable, Codable, Equatable {
    /// Branches and general branches pass this share (in basis points, 10,000 = all) of what they collect to their
    /// committee (local practice: all of it, so the committee keeps the account) …
    public var branchShareBasisPoints = 10_000
    /// … for periods of this length (`branch_remit_period`, local practice: quarterly).
    public var branchPeriod: DuesRemitPeriod = .quarterly
    /// Committees (党委, 党工委, 机关党委) pass this share upward — set by the province (DUES-20); the default is the
    /// central organs' 20 % (OrgansDues2021), UNCONFIRMED elsewhere …
    public var committeeShareBasisPoints = 2_000
    /// … for periods of this length (yearly: in the first quarter of the next year, OrgansDues2021).
    public var committeePeriod: DuesRemitPeriod = .yearly

    public init() {}

    public static let national = DuesRemittanceRules()

    /// Whether an organisation of `type` is remitted for as a committee.
    static func isCommittee(_ type: OrganisationType) -> Bool { type.level >= 3 }

    public func share(of type: OrganisationType) -> Int { Self.isCommittee(type) ? committeeShareBasisPoints : branchShareBasisPoints }
    public func period(of type: OrganisationType) -> DuesRemitPeriod { Self.isCommittee(type) ? committeePeriod : branchPeriod }

    /// Temporary branches keep no dues account (LIFE-12: their members pay at their formal branch); Party groups
    /// collect for their branch.
    public static func keepsAccount(_ type: OrganisationType) -> Bool { type != .temporaryBranch && type != .partyGroup }
}

/// How one member-month's fen travel up a chain of organisations.
public struct DuesRemittanceSplit: Sendable, Equatable {
    /// What reached each level of the chain (the collecting organisation first).
    public var arrived: [Int64]
    /// What each level passed up (the last one's leaves the tree).
    public var passed: [Int64]

    /// What each level retained.
    public var retained: [Int64] { zip(arrived, passed).map { $0 - $1 } }
    /// What left the tree from its top.
    public var out: Int64 { passed.last ?? 0 }
}

public enum DuesRemittance {
    /// `fen × basisPoints / 10,000`, rounded half up (DUES-16's rounding), for 0 ≤ basisPoints ≤ 10,000 and
    /// |fen| ≤ `Fen.maximum` (so the product cannot overflow); a negative amount (a reversal) is split as the mirror
    /// image of the positive one, so a payment and its reversal cancel to the fen.
    public static func share(_ fen: Int64, basisPoints: Int) -> Int64 {
        let bp = Int64(min(max(basisPoints, 0), 10_000))
        let magnitude = min(fen.magnitude, UInt64(Fen.maximum))
        let part = (Int64(magnitude) * bp + 5_000) / 10_000
        return fen < 0 ? -part : part
    }

    /// One member-month's `fen` collected by the first organisation of a chain whose shares (basis points) are
    /// `shares`, collecting organisation first: each level passes its share of what reached it and keeps the rest.
    /// `inFull` (a voluntary payment of 1,000 yuan or more, DUES-08) passes everything through to the top and out.
    public static func split(_ fen: Int64, shares: [Int], inFull: Bool = false) -> DuesRemittanceSplit {
        var arrived: [Int64] = []
        var passed: [Int64] = []
        var amount = fen
        for bp in shares {
            arrived.append(amount)
            let up = inFull ? amount : share(amount, basisPoints: bp)
            passed.append(up)
            amount = up
        }
        return DuesRemittanceSplit(arrived: arrived, passed: passed)
    }

    /// The member-month parts of one entry of `amount` fen over `monthCount` months — as `DuesCollection.attribution`
    /// splits it: evenly, the remainder fen to the first month; a voluntary payment (no months) is one part.
    public static func parts(amount: Int64, monthCount: Int) -> [Int64] {
        let n = Int64(max(monthCount, 1))
        let each = amount / n
        let rest = amount - each * n
        return (0..<n).map { each + ($0 == 0 ? rest : 0) }
    }
}

/// One organisation's account for one period (党费账目): what reached it, what it owes upward and has remitted, what
/// it kept, used and earned, and where the cash stands.
public struct DuesAccountFigures: Sendable, Equatable {
    /// 本级收缴: its own members' payments (net of reversals), member-months and fen.
    public var collected: Int64 = 0
    public var memberMonths = 0
    /// … of which single voluntary payments of 1,000 yuan or more, passed up in full (DUES-08).
    public var inFull: Int64 = 0
    /// 下级应缴: what should reach it from the organisations below for their collections in the period.
    public var fromBelowDue: Int64 = 0
    /// 下级实缴: what the organisations below recorded as remitted to it for the period.
    public var fromBelowRemitted: Int64 = 0
    /// 应上缴: its share of what reached it (collected + from below), passed upward.
    public var due: Int64 = 0
    /// 已上缴: what it recorded as remitted for the period.
    public var remitted: Int64 = 0
    /// 使用, by category.
    public var used: [DuesUseCategory: Int64] = [:]
    /// 利息收入.
    public var interest: Int64 = 0

    public init() {}

    /// 留存: what reached it less what it owes upward.
    public var retained: Int64 { collected + fromBelowDue - due }
    /// 待上缴: owed upward but not yet remitted (negative: remitted more than owed).
    public var outstanding: Int64 { due - remitted }
    public var usedTotal: Int64 { used.values.reduce(0, +) }
    /// The cash movement of the period: collected and received and earned, less remitted and spent.
    public var cashChange: Int64 { collected + fromBelowRemitted + interest - remitted - usedTotal }

    public mutating func add(_ o: DuesAccountFigures) {
        collected += o.collected
        memberMonths += o.memberMonths
        inFull += o.inFull
        fromBelowDue += o.fromBelowDue
        fromBelowRemitted += o.fromBelowRemitted
        due += o.due
        remitted += o.remitted
        for (k, v) in o.used { used[k, default: 0] += v }
        interest += o.interest
    }
}
