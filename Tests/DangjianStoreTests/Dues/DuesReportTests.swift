import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 5 (store): the month's report across a subtree adds up — each branch's 应交/已交/实收 from its own
/// members and entries, reversals taken off, arrears of 3 and 6 months, approved reductions — and the groups add up to
/// the total; on SQLite and PostgreSQL.
@Suite("党费月报")
struct DuesReportTests {
    @Test(
        "two branches in November: due, paid, collected net of a reversal, arrears, a reduction; groups sum to the total",
        arguments: TestBackend.enabled)
    func november(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let dues = kit.store.dues
            let year = try #require(CalendarYear(2026))
            func m(_ month: Int) -> DuesMonth { DuesMonth(year: 2026, month: month)! }
            func member(_ name: String, _ org: String, _ seq: Int, base: Int64?) async throws -> Int64 {
                let id = try await kit.store.members.create(
                    MemberFixtures.draft(name: name, born: "1980-01-01", sequence: seq), organisationID: tree[org], access: .maintenance,
                    actor: console
                ).id
                if let base {
                    _ = try await dues.setBase(
                        memberID: id, year: year, category: .employed, base: Fen(base), expectedVersion: 0, access: .maintenance, actor: console)
                }
                return id
            }
            let day = CivilDate(iso: "2026-11-22")!
            // A1a1: paid November (15.00), paid Aug–Oct late in November (45.00, then reversed and paid again), one
            // who stopped after April (6 months+), one without a base.
            let a = try await member("甲", "A1a1", 861, base: 300_000)
            let b = try await member("乙", "A1a1", 862, base: 300_000)
            let c = try await member("丙", "A1a1", 863, base: 300_000)
            _ = try await member("丁", "A1a1", 864, base: nil)
            _ = try await dues.record(
                memberID: a, DuesEntryDraft(kind: .regular, months: [m(11)], amount: Fen(1_500)!, paidOn: day), method: .cash, access: .maintenance,
                actor: console)
            let late = try await dues.record(
                memberID: b, DuesEntryDraft(kind: .backPayment, months: [m(8), m(9), m(10)], amount: Fen(4_500)!, paidOn: day), method: .cash,
                access: .maintenance, actor: console)
            _ = try await dues.reverse(paymentID: late.payment.id, reason: "记错", access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: b, DuesEntryDraft(kind: .backPayment, months: [m(9), m(10)], amount: Fen(3_000)!, paidOn: day), method: .cash,
                access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: c, DuesEntryDraft(kind: .backPayment, months: [m(5)], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2026-11-01")!),
                method: .cash, access: .maintenance, actor: console)
            // A1a2: one member exempt for November under an approved application.
            let e = try await member("戊", "A1a2", 865, base: 600_000)
            var r = try await dues.applyReduction(
                memberID: e, DuesReductionDraft(exempt: true, monthly: .zero, from: m(11), months: 2, reason: "困难"), access: .maintenance,
                actor: console)
            r = try await dues.decideReduction(r.id, .branchAgree, note: "", expectedVersion: r.version, access: .maintenance, actor: console)
            r = try await dues.decideReduction(r.id, .approve, note: "", expectedVersion: r.version, access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: e, DuesEntryDraft(kind: .reduction, months: [m(11)], amount: .zero, paidOn: day), method: .cash, access: .maintenance,
                actor: console)

            let report = try await dues.monthReport(anchorID: tree["A1"], month: m(11), access: .maintenance)
            let first = try #require(report.lines.first { $0.organisation.id == tree["A1a1"] }?.figures)
            #expect(first.members == 4 && first.due == 3 && first.dueFen == 4_500 && first.paid == 1)
            #expect(first.collectedFen == 1_500 + 4_500 - 4_500 + 3_000 + 1_500, "the reversal takes its 45.00 back")
            // 丙 last paid May: June–October unpaid → 3 and (Jun…Oct is 5) not 6; 乙 paid Sep–Oct; 甲 never paid before November.
            #expect(first.threeMonths == 2 && first.sixMonths == 1, "甲 (nothing Aug–Oct, nothing May–Oct) and 丙 (nothing Aug–Oct); 6 months: only 甲")
            let second = try #require(report.lines.first { $0.organisation.id == tree["A1a2"] }?.figures)
            #expect(second.paid == 1 && second.reductions == 1 && second.collectedFen == 0)
            // Groups (the anchor's direct children with their subtrees) add up to the total.
            var sum = DuesReportFigures()
            for g in report.groups { sum.add(g.figures) }
            #expect(sum == report.total && report.total.due == 4 && report.total.paid == 2)
        }
    }
}
