import DangjianDomain
import DangjianStore

/// POST /dues/members/{id}: a member's 党费 category and monthly base for a year, as typed. The amount is computed
/// by the Domain (`DuesCalculator`) when it is stored; this form only reads and bounds what was posted.
struct DuesBaseForm {
    var year: CalendarYear
    var category: DuesCategory
    var base: Fen?
    /// 0 when no base was set for the year yet.
    var version: Int64

    init(_ form: FormData, today: CivilDate) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        var year = CalendarYear(of: today)
        do { year = try form.number("year", CalendarYear.self) ?? year } catch { problems.append(error) }
        let category = DuesCategory(rawValue: form.text("category"))
        if category == nil { problems.append(ValidationFailure(field: "category", message: "请选择缴纳党费人员类别（\(RuleID.dues02)…\(RuleID.dues06)）")) }
        var base: Fen?
        if category?.takesBase ?? true {
            do { base = try Fen.parse(form.text("base"), field: "base", label: "月缴费基数") } catch { problems.append(error) }
        }
        guard problems.isEmpty, let category else { throw ValidationProblems(problems: problems) }
        self.year = year
        self.category = category
        self.base = base
        version = form.int64("version") ?? 0
    }
}

/// POST /dues/members/{id}/payments: one payment entry as typed — the kind, the first month and how many months
/// (or none for 自愿多交), the amount (empty: the months × the member's monthly amount), the day and the method.
/// The rules of DUES-11/17/18 are the Domain's (`DuesCollection.check`); this form only reads and bounds.
struct DuesPaymentForm {
    var kind: DuesEntryKind
    var months: [DuesMonth]
    /// Nil: the months × the monthly amount.
    var amount: Fen?
    var paidOn: CivilDate
    var method: DuesPaymentMethod
    var branchConsent: Bool

    /// At most a year of months in one entry.
    static let maximumMonths = 12

    init(_ form: FormData, today: CivilDate) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        let kind = DuesEntryKind(rawValue: form.text("kind"))
        if kind == nil { problems.append(ValidationFailure(field: "kind", message: "请选择交纳类型", ruleID: RuleID.dues17.code)) }
        var months: [DuesMonth] = []
        if kind != .voluntary {
            let first = DuesMonth.parse(form.text("from"))
            if first == nil {
                problems.append(ValidationFailure(field: "from", message: "所属月份“\(form.text("from"))”应写作 2026-11", ruleID: RuleID.dues17.code))
            }
            var count = 1
            do {
                count = try form.number("count", MonthCount.self)?.value ?? 1
                if !(1...Self.maximumMonths).contains(count) {
                    problems.append(ValidationFailure(field: "count", message: "月数应为 1 至 \(Self.maximumMonths)", ruleID: RuleID.dues17.code))
                }
            } catch { problems.append(error) }
            if let first { months = (0..<min(max(count, 1), Self.maximumMonths)).map { first.adding(months: $0) } }
        }
        var amount: Fen?
        do { amount = try Fen.parse(form.text("amount"), field: "amount", label: "金额") } catch { problems.append(error) }
        let paidOn = form.text("paid_on").isEmpty ? today : CivilDate.parseLenient(form.text("paid_on"))
        if paidOn == nil { problems.append(ValidationFailure(field: "paid_on", message: "交纳日期“\(form.text("paid_on"))”应写作 2026-11-22")) }
        let method = DuesPaymentMethod(rawValue: form.text("method"))
        if method == nil { problems.append(ValidationFailure(field: "method", message: "请选择交纳方式")) }
        guard problems.isEmpty, let kind, let paidOn, let method else { throw ValidationProblems(problems: problems) }
        self.kind = kind
        self.months = months
        self.amount = amount
        self.paidOn = paidOn
        self.method = method
        branchConsent = form.text("branch_consent") == "1"
    }

    /// The entry to record for member `memberID`, the page's and the API's alike: an amount left empty is the months ×
    /// the monthly amount of their year (DUES-09), or of the approved reduction for a 减免 (DUES-18; the store checks
    /// both again).
    func draft(memberID: Int64, dues: DuesRepository, access: OrganisationAccess) async throws -> DuesEntryDraft {
        if kind == .reduction {
            return draft(monthly: try await dues.reductions(memberID: memberID, access: access).first { $0.covers(months) }?.monthly)
        }
        let year = months.first.flatMap { CalendarYear($0.year) } ?? CalendarYear(of: paidOn)
        return draft(monthly: try await dues.line(memberID: memberID, year: year, access: access)?.line.monthly)
    }

    /// The entry to check, with the amount filled in from `monthly` when none was typed.
    func draft(monthly: Fen?) -> DuesEntryDraft {
        let computed = monthly.map { Fen(clamping: Int64(months.count) * $0.value) } ?? .zero
        return DuesEntryDraft(kind: kind, months: months, amount: amount ?? computed, paidOn: paidOn, branchConsent: branchConsent)
    }
}

/// POST /dues/members/{id}/reductions: a 少交/免交 application as typed (DUES-07/18; the rules are the Domain's).
struct DuesReductionForm {
    var draft: DuesReductionDraft

    init(_ form: FormData, today: CivilDate) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        let exempt = form.text("exempt") == "1"
        var monthly = Fen.zero
        if !exempt {
            do {
                if let m = try Fen.parse(form.text("monthly"), field: "monthly", label: "少交后每月金额") {
                    monthly = m
                } else {
                    problems.append(ValidationFailure(field: "monthly", message: "请填写少交后每月交纳的金额，或选择免交", ruleID: RuleID.dues07.code))
                }
            } catch { problems.append(error) }
        }
        let fromText = form.text("from")
        let from = fromText.isEmpty ? DuesMonth(containing: today) : DuesMonth.parse(fromText)
        if from == nil { problems.append(ValidationFailure(field: "from", message: "起始月份“\(fromText)”应写作 2026-11", ruleID: RuleID.dues18.code)) }
        var months = 12
        do { months = try form.number("months", MonthCount.self)?.value ?? 12 } catch { problems.append(error) }
        guard problems.isEmpty, let from else { throw ValidationProblems(problems: problems) }
        draft = DuesReductionDraft(exempt: exempt, monthly: monthly, from: from, months: months, reason: form.text("reason"))
    }
}

/// POST /dues/ledger/entries: one entry of an organisation's dues account as typed — the kind, the amount, the day,
/// the period a remittance is for, the category of an expenditure, the voucher number and what it was for. The
/// rules of DUES-20/21 (period begun, purpose given, enough cash) are the Store's; this form only reads and bounds.
struct DuesAccountEntryForm {
    var entry: DuesAccountEntryDraft

    init(_ form: FormData) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        let kind = DuesAccountEntryKind(rawValue: form.text("kind"))
        if kind == nil { problems.append(ValidationFailure(field: "kind", message: "请选择记账类型（上缴、使用或利息收入）", ruleID: RuleID.dues21.code)) }
        var amount: Fen?
        do { amount = try Fen.parse(form.text("amount"), field: "amount", label: "金额") } catch { problems.append(error) }
        if amount == nil && problems.allSatisfy({ $0.field != "amount" }) {
            problems.append(ValidationFailure(field: "amount", message: "请填写金额", ruleID: RuleID.dues21.code))
        }
        let dayText = form.text("occurred_on")
        let day = CivilDate.parseLenient(dayText)
        if day == nil {
            problems.append(ValidationFailure(field: "occurred_on", message: "日期“\(dayText)”应写作 2026-04-05", ruleID: RuleID.dues21.code))
        }
        let periodText = form.text("period")
        let period = periodText.isEmpty ? nil : DuesPeriod.parse(periodText)
        if kind == .remittance && !periodText.isEmpty && period == nil {
            problems.append(
                ValidationFailure(field: "period", message: "上缴期间“\(periodText)”应写作 2026-Q1、2026-H1、2026-03 或 2026", ruleID: RuleID.dues20.code))
        }
        let categoryText = form.text("category")
        let category = DuesUseCategory(rawValue: categoryText)
        if kind == .expenditure && !categoryText.isEmpty && category == nil {
            problems.append(ValidationFailure(field: "category", message: "党费使用类别“\(categoryText)”不在规定的类别中", ruleID: RuleID.dues21.code))
        }
        guard problems.isEmpty, let kind, let amount, let day else { throw ValidationProblems(problems: problems) }
        entry = DuesAccountEntryDraft(
            kind: kind, amount: amount, occurredOn: day, period: kind == .remittance ? period : nil, category: kind == .expenditure ? category : nil,
            voucher: form.text("voucher"), note: form.text("note"))
    }
}
