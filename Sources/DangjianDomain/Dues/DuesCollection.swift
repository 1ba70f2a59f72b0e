/// 党费收缴 (issue 18, item 2): what one payment entry may be — the kinds of DUES-17, the months it settles, the amount
/// it must carry — checked before anything is stored; the months a member's entries settle once reversals are taken
/// out; how each fen of an entry is attributed to its months; and when six unpaid months open a lapse review
/// (DUES-19). Entries are never changed: a mistake is put right by a reversing entry with a reason.

/// A calendar month a payment belongs to (党费所属月份).
public struct DuesMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Nil outside 1900-01…9999-12.
    public init?(year: Int, month: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init(containing day: CivilDate) {
        year = day.year
        month = day.month
    }

    /// Reads "2026-03", "2026-3", "2026.3", "2026年3月" or "202603"; nil otherwise.
    public static func parse(_ text: String) -> DuesMonth? {
        // The stored form ("2026-03"), read from its bytes without allocating: pages parse every settled month of a
        // branch.
        let bytes = text.utf8
        if bytes.count == 7 {
            var value = 0
            var ok = true
            for (i, b) in bytes.enumerated() {
                if i == 4 {
                    ok = ok && b == UInt8(ascii: "-")
                } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                    value = value * 10 + Int(b - UInt8(ascii: "0"))
                } else {
                    ok = false
                }
            }
            if ok { return DuesMonth(year: value / 100, month: value % 100) }
        }
        let t = text.trimmed
        if t.count == 6, t.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(t.prefix(4)), let m = Int(t.suffix(2)) {
            return DuesMonth(year: y, month: m)
        }
        let parts = t.split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "/" || $0 == "年" || $0 == "月" })
        guard parts.count == 2, parts[0].count == 4, parts[1].count <= 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return DuesMonth(year: y, month: m)
    }

    /// 9999年12月: "never" for a start that has not come (nothing is owed before it).
    public static let latest = DuesMonth(index: 9999 * 12 + 11)

    /// Months since year 0: for differences without calendar arithmetic.
    var index: Int { year * 12 + month - 1 }

    init(index: Int) {
        year = index / 12
        month = index % 12 + 1
    }

    /// The month `count` months later (earlier when negative), kept within 1900…9999.
    public func adding(months count: Int) -> DuesMonth {
        DuesMonth(index: min(max(index + count, 1900 * 12), 9999 * 12 + 11))
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    public func months(until later: DuesMonth) -> Int { later.index - index }

    public var firstDay: CivilDate { CivilDate(checkedYear: year, month: month, day: 1) }

    /// "2026-03", as stored.
    public var code: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// "2026年3月", as shown.
    public var description: String { "\(year)年\(month)月" }

    public static func < (a: DuesMonth, b: DuesMonth) -> Bool { a.index < b.index }
}

/// The kinds of payment entry (DUES-17).
public enum DuesEntryKind: String, CaseIterable, Sendable, Codable {
    /// 按月交纳: the month it is paid in.
    case regular
    /// 按季交纳: the three months of a quarter, with the branch's consent (DUES-11).
    case quarterly
    /// 补交: earlier unpaid months, at most six months back (DUES-11/17).
    case backPayment = "back_payment"
    /// 预交: later months (DUES-11).
    case prepayment
    /// 差额补交: the difference for months already paid at a lower amount (DUES-09/17).
    case difference
    /// 自愿多交: any amount, no month; ≥ 1,000 yuan goes in full to the Centre (DUES-08).
    case voluntary
    /// 减免: months paid at less than the amount, or not at all, under an approved reduction (DUES-07/18).
    case reduction

    public var displayName: String {
        switch self {
        case .regular: "按月交纳"
        case .quarterly: "按季交纳"
        case .backPayment: "补交"
        case .prepayment: "预交"
        case .difference: "差额补交"
        case .voluntary: "自愿多交"
        case .reduction: "减免"
        }
    }

    /// Whether the entry settles the months it names (a difference or a voluntary payment settles none).
    public var settlesMonths: Bool { self != .difference && self != .voluntary }
}

/// The local parameters of collection (dated in the rule book with their documented defaults).
public struct DuesCollectionRules: Sendable, Codable, Equatable {
    /// DUES-11/17: 补交 at most this many months back.
    public var backPaymentMonths: Int = 6
    /// DUES-11: 预交 at most this many months ahead ("预交或补交 ≤ 6 months"; 12 is UNCONFIRMED).
    public var prepaymentMonths: Int = 6
    /// DUES-08: a single voluntary payment from this amount goes in full to the Centre.
    public var voluntaryCentreThreshold = Fen(unchecked: 100_000)
    /// DUES-19: consecutive months with neither payment nor exemption that open a lapse review.
    public var lapseMonths: Int = 6
    /// DUES-13: consecutive unpaid months at which the branch is reminded (the system's alert before the hard flag).
    public var alertMonths: Int = 3

    public init() {}

    public static let national = DuesCollectionRules()
}

/// One payment entry as a clerk records it.
public struct DuesEntryDraft: Sendable, Equatable {
    public var kind: DuesEntryKind
    public var months: [DuesMonth]
    public var amount: Fen
    public var paidOn: CivilDate
    /// 按季交纳 needs the branch's consent (DUES-11).
    public var branchConsent: Bool
    /// 减免 needs a reduction approved by the higher committee for these months (DUES-07/18).
    public var reductionApproved: Bool
    /// The approved reduction's monthly amount (0 for 免交): a 减免 entry carries exactly months × this.
    public var reducedMonthly: Fen?

    public init(
        kind: DuesEntryKind, months: [DuesMonth], amount: Fen, paidOn: CivilDate, branchConsent: Bool = false, reductionApproved: Bool = false,
        reducedMonthly: Fen? = nil
    ) {
        self.kind = kind
        self.months = months
        self.amount = amount
        self.paidOn = paidOn
        self.branchConsent = branchConsent
        self.reductionApproved = reductionApproved
        self.reducedMonthly = reducedMonthly
    }
}

/// A stored entry as the ledger reads it: what it settled, how much, and whether a later entry reversed it.
public struct DuesLedgerEntry: Sendable, Equatable {
    public var id: Int64
    public var kind: DuesEntryKind
    public var months: [DuesMonth]
    public var amount: Fen
    /// The entry this one reverses (冲正), if it is a reversal; a reversal carries the reversed entry's months and
    /// amount and is itself never reversed.
    public var reverses: Int64?

    public init(id: Int64, kind: DuesEntryKind, months: [DuesMonth], amount: Fen, reverses: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.months = months
        self.amount = amount
        self.reverses = reverses
    }
}

public enum DuesCollection {
    /// Checks an entry against the member's monthly amount and the months already settled, on `today`. Every problem
    /// at once, each naming its field and rule; the notes say what follows from an accepted entry. `monthlyFor`: each
    /// month's own amount when it differs from `monthly` (DUES-09 mid-year changes); `differenceDue`: what each month
    /// paid at a lower amount still owes, which a 差额补交 must carry exactly (DUES-17).
    public static func check(
        _ draft: DuesEntryDraft, monthly: Fen, settled: Set<DuesMonth>, today: CivilDate, rules: DuesCollectionRules = .national,
        monthlyFor: ((DuesMonth) -> Fen)? = nil, differenceDue: [DuesMonth: Int64]? = nil
    ) -> Result<[String], ValidationProblems> {
        var problems: [ValidationFailure] = []
        func refuse(_ field: String, _ message: String, _ rule: RuleID) {
            problems.append(ValidationFailure(field: field, message: message, ruleID: rule.code))
        }
        let paidIn = DuesMonth(containing: draft.paidOn)
        let months = draft.months.sorted()
        if draft.paidOn > today { refuse("paid_on", "交纳日期 \(draft.paidOn) 晚于今天", .dues11) }
        if Set(months).count != months.count { refuse("months", "同一月份填写了两次", .dues17) }
        switch draft.kind {
        case .voluntary:
            if !months.isEmpty { refuse("months", "自愿多交不对应月份，请不要选择月份", .dues17) }
        default:
            if months.isEmpty { refuse("months", "请选择\(draft.kind.displayName)所属的月份", .dues17) }
        }
        if draft.kind.settlesMonths {
            for m in months where settled.contains(m) { refuse("months", "\(m)的党费已交，不能重复交纳；如记错了，请先冲正原记录", .dues11) }
        }
        switch draft.kind {
        case .regular:
            if months.count > 1 || months.first.map({ $0 != paidIn }) == true {
                refuse("months", "按月交纳是交纳当月（\(paidIn)）的党费；以前的月份请选“补交”，以后的月份请选“预交”", .dues17)
            }
        case .quarterly:
            let quarterStart = months.first.map { DuesMonth(index: $0.index - ($0.month - 1) % 3) }
            if months.count != 3 || quarterStart.map({ $0 != months[0] || months[2] != $0.adding(months: 2) }) == true {
                refuse("months", "按季交纳应为同一季度的 3 个月", .dues11)
            }
            if !draft.branchConsent { refuse("branch_consent", "按季交纳须经党支部同意", .dues11) }
        case .backPayment:
            let earliest = paidIn.adding(months: -rules.backPaymentMonths)
            for m in months where m >= paidIn { refuse("months", "\(m)不是以前的月份，不能补交", .dues17) }
            for m in months where m < earliest {
                refuse("months", "\(m)距今超过 \(rules.backPaymentMonths) 个月，不能直接补交：长期未交纳党费的，须先由党支部核实处理（\(RuleID.dues19)）", .dues11)
            }
        case .prepayment:
            let latest = paidIn.adding(months: rules.prepaymentMonths)
            for m in months where m <= paidIn { refuse("months", "\(m)不是以后的月份，不能预交", .dues17) }
            for m in months where m > latest { refuse("months", "预交最多 \(rules.prepaymentMonths) 个月（至 \(latest)），\(m)超出", .dues11) }
        case .difference:
            for m in months where !settled.contains(m) { refuse("months", "\(m)尚未交纳，差额补交只用于已按原标准交纳的月份", .dues17) }
            if draft.amount == .zero { refuse("amount", "差额补交的金额应大于 0", .dues17) }
            if let owed = differenceDue {
                let open = months.filter { settled.contains($0) }
                for m in open where (owed[m] ?? 0) <= 0 { refuse("months", "\(m)已按现行标准交足，无需差额补交", .dues09) }
                let expected = open.reduce(Int64(0)) { $0 + max(0, owed[$1] ?? 0) }
                if problems.isEmpty && draft.amount.value != expected {
                    refuse(
                        "amount", "差额补交应为 \(Fen(clamping: expected)) 元（按调整后的标准补足已交月份的差额），填写的是 \(draft.amount) 元", .dues17)
                }
            }
        case .voluntary:
            if draft.amount == .zero { refuse("amount", "自愿多交的金额应大于 0", .dues08) }
        case .reduction:
            if !draft.reductionApproved { refuse("months", "减免须经党支部研究、报上级党委批准后方可登记", .dues18) }
        }
        // The amount: the months × the monthly amount, except for the kinds that carry their own.
        let amounts = months.map { monthlyFor?($0) ?? monthly }
        let due = amounts.reduce(Int64(0)) { $0 + $1.value }
        let how = Set(amounts).count > 1 ? "按各月标准合计" : "\(months.count) 个月 × \(amounts.first ?? monthly) 元"
        switch draft.kind {
        case .regular, .quarterly, .backPayment, .prepayment:
            if months.count > 0 && draft.amount.value != due {
                refuse("amount", "应交 \(Fen(clamping: due)) 元（\(how)），填写的是 \(draft.amount) 元；多交请另记“自愿多交”", .dues17)
            }
        case .reduction:
            if let reduced = draft.reducedMonthly, draft.reductionApproved, draft.amount.value != Int64(months.count) * reduced.value {
                refuse(
                    "amount",
                    "经批准每月按 \(reduced) 元交纳，\(months.count) 个月应为 \(Fen(clamping: Int64(months.count) * reduced.value)) 元，填写的是 \(draft.amount) 元",
                    .dues18)
            } else if draft.amount.value > due {
                refuse("amount", "减免后实交 \(draft.amount) 元，多于应交 \(Fen(clamping: due)) 元", .dues18)
            }
        case .difference, .voluntary:
            break
        }
        guard problems.isEmpty else { return .failure(ValidationProblems(problems: problems)) }
        var notes: [String] = []
        if draft.kind == .voluntary && draft.amount >= rules.voluntaryCentreThreshold {
            notes.append("单笔 \(rules.voluntaryCentreThreshold) 元以上的自愿多交党费，须全部上缴中央（\(RuleID.dues08)）")
        }
        if draft.kind == .reduction && draft.amount == .zero { notes.append("免交的月份按已交计（\(RuleID.dues18)）") }
        return .success(notes)
    }

    /// The months the entries settle: every settling entry not reversed by another.
    public static func settledMonths(_ entries: [DuesLedgerEntry]) -> Set<DuesMonth> {
        let reversed = Set(entries.compactMap(\.reverses))
        var months: Set<DuesMonth> = []
        for e in entries where e.reverses == nil && !reversed.contains(e.id) && e.kind.settlesMonths { months.formUnion(e.months) }
        return months
    }

    /// Each fen of the entries attributed to a member-month: an entry's amount is split evenly over its months, the
    /// remainder fen to the earliest (so the parts add up to the whole); a reversal takes back exactly what its entry
    /// gave; a voluntary payment belongs to the month it was recorded in (`voluntaryMonth`).
    public static func attribution(_ entries: [DuesLedgerEntry], voluntaryMonth: (Int64) -> DuesMonth) -> [DuesMonth: Int64] {
        var byID: [Int64: DuesLedgerEntry] = [:]
        for e in entries { byID[e.id] = e }
        var result: [DuesMonth: Int64] = [:]
        func share(_ e: DuesLedgerEntry) -> [(DuesMonth, Int64)] {
            let months = e.months.sorted()
            guard !months.isEmpty else { return [(voluntaryMonth(e.id), e.amount.value)] }
            let each = e.amount.value / Int64(months.count)
            let rest = e.amount.value - each * Int64(months.count)
            return months.enumerated().map { i, m in (m, each + (i == 0 ? rest : 0)) }
        }
        for e in entries {
            if let original = e.reverses.flatMap({ byID[$0] }) {
                for (m, fen) in share(original) { result[m, default: 0] -= fen }
            } else {
                for (m, fen) in share(e) { result[m, default: 0] += fen }
            }
        }
        return result
    }

    /// The net amount the entries collected: payments less reversals.
    public static func collected(_ entries: [DuesLedgerEntry]) -> Int64 {
        var byID: [Int64: DuesLedgerEntry] = [:]
        for e in entries { byID[e.id] = e }
        return entries.reduce(0) { total, e in
            if let original = e.reverses.flatMap({ byID[$0] }) { return total - original.amount.value }
            return total + e.amount.value
        }
    }

    /// 党费交至 (the month the transfer letter prints, MEM-04): the last month of the unbroken run of settled months
    /// that starts at the earliest settled month; nil when nothing is settled.
    public static func paidUpTo(_ settled: Set<DuesMonth>) -> DuesMonth? {
        guard var month = settled.min() else { return nil }
        while settled.contains(month.adding(months: 1)) { month = month.adding(months: 1) }
        return month
    }

    /// DUES-19: the day a lapse review opens for a member whose last settled month is `lastSettled` — after
    /// `lapseMonths` whole months with neither payment nor exemption, on the first day of the month after them
    /// (month-end counting, UNCONFIRMED). Last paid 2024-03 → 2024-10-01.
    public static func lapseReviewOpens(lastSettled: DuesMonth, rules: DuesCollectionRules = .national) -> CivilDate {
        lastSettled.adding(months: rules.lapseMonths + 1).firstDay
    }

    /// The whole months before `today`'s month, counting back from the last one, with nothing settled — since
    /// `since` (the month the member started to owe dues, DUES-10).
    public static func unpaidRun(settled: Set<DuesMonth>, since: DuesMonth, today: CivilDate) -> Int {
        var run = 0
        var m = DuesMonth(containing: today).adding(months: -1)
        while m >= since && !settled.contains(m) {
            run += 1
            m = m.adding(months: -1)
        }
        return run
    }

    /// Where a member stands on `today` (DUES-13/19): the whole months before this month with nothing settled, counted
    /// back from last month and not before `since`, and what they call for — a reminder from `alertMonths`, a lapse
    /// review (a person decides; never automatic) from `lapseMonths`.
    public static func arrears(settled: Set<DuesMonth>, since: DuesMonth, today: CivilDate, rules: DuesCollectionRules = .national) -> DuesArrears {
        let run = unpaidRun(settled: settled, since: since, today: today)
        let level: DuesArrears.Level = run >= rules.lapseMonths ? .lapseReview : run >= rules.alertMonths ? .reminder : .none
        return DuesArrears(unpaidMonths: run, level: level)
    }
}

/// A member's arrears on a day (DUES-13/19).
public struct DuesArrears: Sendable, Equatable {
    public enum Level: Sendable, Equatable {
        case none
        /// DUES-13: the branch reminds the member (default from 3 unpaid months).
        case reminder
        /// DUES-19: 6 unpaid months — a review case for 自行脱党, decided by people after 批评教育/限期改正.
        case lapseReview
    }

    public var unpaidMonths: Int
    public var level: Level

    public init(unpaidMonths: Int, level: Level) {
        self.unpaidMonths = unpaidMonths
        self.level = level
    }

    /// "连续 4 个月未交纳党费，请提醒（DUES-13）"; empty when nothing is owed for whole months.
    public var words: String {
        switch level {
        case .none: unpaidMonths > 0 ? "上月未交" : ""
        case .reminder: "连续 \(unpaidMonths) 个月未交纳党费，请提醒（\(RuleID.dues13)）"
        case .lapseReview: "连续 \(unpaidMonths) 个月未交纳党费，应由支部审查是否属自行脱党（\(RuleID.dues19)，须先批评教育、限期改正）"
        }
    }
}
