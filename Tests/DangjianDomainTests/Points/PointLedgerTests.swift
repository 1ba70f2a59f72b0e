import Testing
import DangjianDomain

/// Issue 18, item 6 (domain): the points ledger at its rules — the worked example of evaluation.md §6 with the
/// default parameters (86 → ★4; floating 74), caps, the floor at 0, veto and exemption, and the star boundaries.
@Suite("党员积分 (POINT-01…07)")
struct PointLedgerTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("the worked example: base 60, 1号活动 11 of 12 (+11), dues 12 of 12 (+6), 3 services (+6), a commendation (+3) → 86, four stars")
    func workedExample() {
        var entries: [PointEntry] = []
        for month in 1...12 where month != 7 {  // July on approved leave: neutral, no entry
            entries.append(PointEntry(item: .themeDay, on: CivilDate(year: 2026, month: month, day: 1)!, points: Points(1), note: "出席"))
        }
        for month in 1...12 {
            entries.append(PointEntry(item: .dues, on: CivilDate(year: 2026, month: month, day: 5)!, points: Points(tenths: 5), note: "按时交纳"))
        }
        for d in ["2026-03-05", "2026-06-05", "2026-09-05"] {
            entries.append(PointEntry(item: .community, on: day(d), points: Points(2), note: "志愿服务"))
        }
        entries.append(PointEntry(item: .excellence, on: day("2026-10-01"), points: Points(3), note: "受表彰"))
        let account = PointLedger.account(year: 2026, template: .standard, entries: entries)
        #expect(account.total == Points(86) && account.stars == 4)
        #expect(account.lines.first { $0.item == .dues }?.counted == Points(6))
    }

    @Test("the floating template: 4 of 4 quarterly reports (+8) and dues (+6) → 74; items outside the template do not count")
    func floating() {
        var entries = (1...4).map { q in PointEntry(item: .report, on: CivilDate(year: 2026, month: q * 3, day: 20)!, points: Points(2), note: "季度汇报")
        }
        entries += (1...12).map { m in PointEntry(item: .dues, on: CivilDate(year: 2026, month: m, day: 5)!, points: Points(tenths: 5), note: "") }
        entries.append(PointEntry(item: .themeDay, on: day("2026-05-01"), points: Points(1), note: "不在流动党员模板中"))
        #expect(PointLedger.account(year: 2026, template: .floating, entries: entries).total == Points(74))
    }

    @Test("caps: 5 services are worth 8, not 10; deductions are never capped; the total never goes below 0; other years do not count")
    func capsAndFloor() {
        let services = (1...5).map { PointEntry(item: .community, on: CivilDate(year: 2026, month: $0, day: 2)!, points: Points(2), note: "") }
        let capped = PointLedger.account(year: 2026, template: .standard, entries: services)
        #expect(capped.total == Points(68) && capped.lines.first { $0.item == .community }?.capped == true)
        let deductions = (1...80).map { _ in PointEntry(item: .absence, on: day("2026-04-01"), points: Points(-1), note: "无故缺席") }
        #expect(PointLedger.account(year: 2026, template: .standard, entries: deductions).total == .zero)
        let lastYear = [PointEntry(item: .excellence, on: day("2025-12-31"), points: Points(10), note: "")]
        #expect(PointLedger.account(year: 2026, template: .standard, entries: lastYear).total == Points(60))
    }

    @Test("veto: 0 and no stars whatever the entries (POINT-05); exempt: no total, no stars (POINT-06)")
    func vetoAndExempt() {
        let entries = [PointEntry(item: .excellence, on: day("2026-02-01"), points: Points(30), note: "")]
        let vetoed = PointLedger.account(year: 2026, template: .standard, entries: entries, veto: "党支部〔2026〕3号")
        #expect(vetoed.total == .zero && vetoed.stars == 0)
        let exempt = PointLedger.account(year: 2026, template: .standard, entries: entries, exempt: "年满70周岁")
        #expect(exempt.total == nil && exempt.stars == nil)
    }

    @Test(
        "stars at each threshold (POINT-07): 89.5 ★4, 90 ★5, 60 ★2, 59.5 ★1",
        arguments: [
            (895, 4), (900, 5), (800, 4), (799, 3), (700, 3), (600, 2), (595, 1), (0, 1),
        ])
    func stars(_ tenths: Int, _ stars: Int) {
        #expect(PointLedger.stars(Points(tenths: tenths)) == stars)
    }

    @Test("points are read as people write them and shown without floating point")
    func parsing() {
        #expect(Points.parse("0.5") == Points(tenths: 5) && Points.parse("-2") == Points(-2) && Points.parse("+1.5") == Points(tenths: 15))
        #expect(Points.parse("1.25") == nil && Points.parse("abc") == nil && Points.parse("99999") == nil && Points.parse("") == nil)
        #expect(Points(tenths: 865).description == "86.5" && Points(tenths: -5).description == "-0.5" && PointLedger.starText(4) == "★★★★☆")
    }
}
