import Testing
import Foundation
@testable import DangjianDomain

/// Issue 18, item 2 (the collection engine): DUES-17 entry kinds, the DUES-11/17 back-payment and prepayment limits,
/// DUES-08/18 notes and approvals, reversals, every fen attributed to a member-month, and DUES-19's boundary.
@Suite("党费收缴: entries, limits, reversals, attribution, lapse")
struct DuesCollectionTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    func month(_ s: String) -> DuesMonth { DuesMonth.parse(s)! }
    let monthly = Fen(1_500)!  // 15.00 yuan

    func check(
        _ kind: DuesEntryKind, _ months: [String], _ fen: Int64, on paid: String = "2026-10-10", settled: [String] = [],
        consent: Bool = false, approved: Bool = false
    ) -> Result<[String], ValidationProblems> {
        DuesCollection.check(
            DuesEntryDraft(
                kind: kind, months: months.map(month), amount: Fen(fen)!, paidOn: day(paid), branchConsent: consent, reductionApproved: approved),
            monthly: monthly, settled: Set(settled.map(month)), today: day("2026-10-10"))
    }

    func refusals(_ r: Result<[String], ValidationProblems>) -> [ValidationFailure] {
        if case .failure(let p) = r { return p.problems }
        return []
    }

    @Test("months are read as offices write them and counted without calendar slips")
    func months() {
        #expect(
            ["2026-03", "2026-3", "2026.3", "2026年3月", "202603", " 2026/03 "].map { DuesMonth.parse($0)?.code }
                == Array(repeating: "2026-03", count: 6))
        #expect(DuesMonth.parse("2026-13") == nil && DuesMonth.parse("26-03") == nil && DuesMonth.parse("三月") == nil && DuesMonth.parse("") == nil)
        #expect(month("2026-11").adding(months: 3).code == "2027-02" && month("2026-01").adding(months: -1).code == "2025-12")
        #expect(month("2025-12").months(until: month("2026-03")) == 3 && month("2026-03").description == "2026年3月")
    }

    @Test("DUES-17 regular: this month only, at the monthly amount; not twice")
    func regular() {
        #expect(refusals(check(.regular, ["2026-10"], 1_500)).isEmpty)
        #expect(refusals(check(.regular, ["2026-09"], 1_500)).first?.message.contains("补交") == true)
        let wrong = refusals(check(.regular, ["2026-10"], 1_600))
        #expect(wrong.first?.field == "amount" && wrong.first?.message.contains("应交 15.00 元") == true && wrong.first?.ruleID == "DUES-17")
        let twice = refusals(check(.regular, ["2026-10"], 1_500, settled: ["2026-10"]))
        #expect(twice.first?.message.contains("2026年10月的党费已交") == true && twice.first?.ruleID == "DUES-11")
    }

    @Test("DUES-11 quarterly: the three months of one quarter, with the branch's consent")
    func quarterly() {
        #expect(refusals(check(.quarterly, ["2026-10", "2026-11", "2026-12"], 4_500, consent: true)).isEmpty)
        #expect(refusals(check(.quarterly, ["2026-10", "2026-11", "2026-12"], 4_500)).map(\.field) == ["branch_consent"])
        #expect(refusals(check(.quarterly, ["2026-09", "2026-10", "2026-11"], 4_500, consent: true)).first?.message.contains("同一季度") == true)
        #expect(refusals(check(.quarterly, ["2026-10", "2026-11"], 3_000, consent: true)).first?.message.contains("同一季度") == true)
    }

    @Test("DUES-11/17 back payment: up to 6 months back, not the current month; older gaps go to the lapse review first (table)")
    func backPayment() {
        // Paid on 2026-10-10: April … September may be paid back; March is 7 months back.
        let vectors: [(String, Bool)] = [("2026-04", true), ("2026-09", true), ("2026-03", false), ("2026-10", false), ("2025-12", false)]
        for (m, ok) in vectors {
            let r = refusals(check(.backPayment, [m], 1_500))
            #expect(r.isEmpty == ok, "\(m): \(r.map(\.message))")
        }
        let old = refusals(check(.backPayment, ["2026-03"], 1_500))
        #expect(old.first?.message.contains("DUES-19") == true && old.first?.ruleID == "DUES-11")
        #expect(refusals(check(.backPayment, ["2026-05", "2026-06"], 3_000)).isEmpty, "two months at once")
        #expect(refusals(check(.backPayment, ["2026-05", "2026-06"], 1_500)).first?.message.contains("2 个月 × 15.00 元") == true)
    }

    @Test("DUES-11 prepayment: later months, up to 6 ahead")
    func prepayment() {
        #expect(refusals(check(.prepayment, ["2026-11", "2027-04"], 3_000)).isEmpty)
        #expect(refusals(check(.prepayment, ["2027-05"], 1_500)).first?.message.contains("预交最多 6 个月") == true)
        #expect(refusals(check(.prepayment, ["2026-10"], 1_500)).first?.message.contains("不是以后的月份") == true)
    }

    @Test("差额补交 only for settled months; 自愿多交 has no month, ≥ 1,000 yuan to the Centre (DUES-08); 减免 needs approval (DUES-07/18)")
    func otherKinds() {
        #expect(refusals(check(.difference, ["2026-03"], 500, settled: ["2026-03"])).isEmpty)
        #expect(refusals(check(.difference, ["2026-03"], 500)).first?.message.contains("尚未交纳") == true)
        guard case .success(let big) = check(.voluntary, [], 100_000), case .success(let small) = check(.voluntary, [], 99_999) else {
            Issue.record("voluntary payments refused"); return
        }
        #expect(big.first?.contains("DUES-08") == true && small.isEmpty, "1,000.00 yuan is the threshold; 999.99 is not")
        #expect(refusals(check(.voluntary, ["2026-10"], 100)).first?.field == "months")
        #expect(refusals(check(.reduction, ["2026-10"], 0)).first?.ruleID == "DUES-18")
        guard case .success(let exempt) = check(.reduction, ["2026-10"], 0, approved: true) else {
            Issue.record("approved exemption refused"); return
        }
        #expect(exempt.first?.contains("按已交计") == true)
        #expect(refusals(check(.reduction, ["2026-10"], 1_600, approved: true)).first?.field == "amount")
        #expect(refusals(check(.regular, ["2026-10"], 1_500, on: "2026-10-11")).first?.field == "paid_on", "not after today")
    }

    @Test("a reversal takes the months back; a reversed month can be paid again")
    func reversals() {
        let entries = [
            DuesLedgerEntry(id: 1, kind: .regular, months: [month("2026-09")], amount: Fen(1_500)!),
            DuesLedgerEntry(id: 2, kind: .regular, months: [month("2026-10")], amount: Fen(1_500)!),
            DuesLedgerEntry(id: 3, kind: .regular, months: [month("2026-10")], amount: Fen(1_500)!, reverses: 2),
        ]
        #expect(DuesCollection.settledMonths(entries) == [month("2026-09")])
        #expect(
            DuesCollection.paidUpTo([month("2026-01"), month("2026-02"), month("2026-03"), month("2026-05")]) == month("2026-03"), "a gap stops it")
        #expect(DuesCollection.paidUpTo([]) == nil && DuesCollection.paidUpTo([month("2025-12"), month("2026-01")]) == month("2026-01"))
        #expect(DuesCollection.collected(entries) == 1_500)
        #expect(refusals(check(.regular, ["2026-10"], 1_500, settled: DuesCollection.settledMonths(entries).map(\.code))).isEmpty)
    }

    @Test("DUES-19: last paid March → the review opens on 1 October, not 30 September; the unpaid run counts whole months")
    func lapse() {
        #expect(DuesCollection.lapseReviewOpens(lastSettled: month("2024-03")).description == "2024-10-01")
        let settled: Set<DuesMonth> = [month("2024-01"), month("2024-02"), month("2024-03")]
        #expect(DuesCollection.unpaidRun(settled: settled, since: month("2024-01"), today: day("2024-09-30")) == 5)
        #expect(DuesCollection.unpaidRun(settled: settled, since: month("2024-01"), today: day("2024-10-01")) == 6)
        #expect(
            DuesCollection.unpaidRun(settled: settled, since: month("2024-06"), today: day("2024-10-01")) == 4,
            "counted from when dues were owed (DUES-10)")
    }

    @Test("property: for 500 random histories of payments and reversals, the member-months hold every fen collected")
    func attributionBalances() {
        var rng = SeededGenerator(seed: 18)  // StandingTests.swift
        for _ in 0..<500 {
            var entries: [DuesLedgerEntry] = []
            var id: Int64 = 0
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                id += 1
                if !entries.isEmpty && Int.random(in: 0..<4, using: &rng) == 0 {
                    // Reverse an earlier entry that is neither a reversal nor reversed already.
                    let reversed = Set(entries.compactMap(\.reverses))
                    if let target = entries.filter({ $0.reverses == nil && !reversed.contains($0.id) }).randomElement(using: &rng) {
                        entries.append(DuesLedgerEntry(id: id, kind: target.kind, months: target.months, amount: target.amount, reverses: target.id))
                        continue
                    }
                }
                let kind = DuesEntryKind.allCases.randomElement(using: &rng) ?? .regular
                let start = DuesMonth(year: 2026, month: Int.random(in: 1...12, using: &rng)) ?? month("2026-01")
                let months = kind == .voluntary ? [] : (0..<Int.random(in: 1...3, using: &rng)).map { start.adding(months: $0) }
                entries.append(DuesLedgerEntry(id: id, kind: kind, months: months, amount: Fen(Int64.random(in: 0...200_000, using: &rng))!))
            }
            let attributed = DuesCollection.attribution(entries) { _ in DuesMonth(year: 2026, month: 12)! }
            #expect(attributed.values.reduce(0, +) == DuesCollection.collected(entries), "\(entries)")
            #expect(attributed.values.allSatisfy { $0 >= 0 }, "a reversal never takes back more than its entry gave a month")
        }
    }
}

/// DUES-09 with `midyear_changes` on: months from the change are due at the new amount; months already paid at the
/// old one owe exactly the difference (差额补交, DUES-17).
@Suite("党费 midyear changes (DUES-09)")
struct DuesMidyearTests {
    func month(_ s: String) -> DuesMonth { DuesMonth.parse(s)! }
    let today = CivilDate(iso: "2026-10-10")!

    @Test("an entry across the change is due at each month's own amount")
    func dueByMonth() {
        let amounts: (DuesMonth) -> Fen = { $0 >= DuesMonth(year: 2026, month: 7)! ? Fen(3_000)! : Fen(1_500)! }
        let q3 = DuesEntryDraft(kind: .backPayment, months: [month("2026-06"), month("2026-07")], amount: Fen(4_500)!, paidOn: today)
        if case .failure(let p) = DuesCollection.check(q3, monthly: Fen(1_500)!, settled: [], today: today, monthlyFor: amounts) {
            Issue.record("\(p.problems)")
        }
        let wrong = DuesEntryDraft(kind: .backPayment, months: [month("2026-06"), month("2026-07")], amount: Fen(3_000)!, paidOn: today)
        guard case .failure(let p) = DuesCollection.check(wrong, monthly: Fen(1_500)!, settled: [], today: today, monthlyFor: amounts) else {
            Issue.record("two months at the old amount were accepted across a change")
            return
        }
        #expect(p.problems.contains { $0.field == "amount" && $0.message.contains("应交 45.00 元") })
    }

    @Test("差额补交 is exactly what the months paid at the old amount still owe; a month paid in full owes nothing")
    func difference() {
        let owed: [DuesMonth: Int64] = [month("2026-07"): 1_500, month("2026-08"): 1_500, month("2026-09"): 0]
        let settled: Set<DuesMonth> = [month("2026-07"), month("2026-08"), month("2026-09")]
        func check(_ months: [String], _ fen: Int64) -> [ValidationFailure] {
            let d = DuesEntryDraft(kind: .difference, months: months.map(month), amount: Fen(fen)!, paidOn: today)
            if case .failure(let p) = DuesCollection.check(d, monthly: Fen(3_000)!, settled: settled, today: today, differenceDue: owed) {
                return p.problems
            }
            return []
        }
        #expect(check(["2026-07", "2026-08"], 3_000).isEmpty)
        #expect(check(["2026-07", "2026-08"], 2_000).contains { $0.field == "amount" && $0.message.contains("差额补交应为 30.00 元") })
        #expect(check(["2026-09"], 100).contains { $0.ruleID == "DUES-09" && $0.message.contains("已按现行标准交足") })
    }
}

@Suite("人民币大写 on receipts")
struct ChineseMoneyTests {
    @Test(
        "amounts in capitals as banks write them, zeros included",
        arguments: [
            (4_322, "肆拾叁元贰角贰分"), (100_000, "壹仟元整"), (20, "贰角"), (5, "伍分"), (0, "零元整"), (1_005, "壹拾元零伍分"),
            (100_500, "壹仟零伍元整"), (1_050_000, "壹万零伍佰元整"), (1_000_000_105, "壹仟万零壹元零伍分"), (10_000_000_000, "壹亿元整"),
        ] as [(Int64, String)])
    func capitals(_ fen: Int64, _ words: String) throws {
        #expect(ChineseMoney.words(try #require(Fen(fen))) == words)
    }
}
