import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, DUES-09: by default the year's amount is fixed in January and a mid-year change is refused; with the
/// rule book's `midyear_changes` on, a raise from July changes July onwards (the collection sheet shows it), a
/// payment across the change is due at each month's amount, and the months paid before it at the old amount owe
/// exactly the difference (差额补交); on SQLite and PostgreSQL.
@Suite("党费 midyear changes (store)")
struct DuesMidyearStoreTests {
    @Test(
        "refused by default; with the parameter on, the new amount from its month and the difference for months paid", arguments: TestBackend.enabled)
    func midyear(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let dues = kit.store.dues
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "调资甲", born: "1980-01-01", sequence: 961), organisationID: tree["A1a1"], access: .maintenance,
                actor: console
            ).id
            _ = try await dues.setBase(
                memberID: member, year: CalendarYear(2026)!, category: .employed, base: Fen(300_000), expectedVersion: 0, access: .maintenance,
                actor: console)  // 15.00 a month
            func m(_ n: Int) -> DuesMonth { DuesMonth(year: 2026, month: n)! }
            func pay(_ kind: DuesEntryKind, _ months: [Int], _ fen: Int64) async throws -> DuesPayment {
                try await dues.record(
                    memberID: member, DuesEntryDraft(kind: kind, months: months.map(m), amount: Fen(fen)!, paidOn: CivilDate(iso: "2026-11-22")!),
                    method: .cash, access: .maintenance, actor: console
                ).payment
            }
            _ = try await pay(.backPayment, [6, 7, 8], 4_500)

            // Off (the default): the year's amount stays.
            await #expect(throws: ValidationFailure.self) {
                _ = try await dues.changeBase(
                    memberID: member, from: m(7), category: .employed, base: Fen(600_000), reason: "晋级", access: .maintenance, actor: console)
            }
            var local = RuleBook.national2014
            local.version = "某省-年中调整"
            local.effectiveFrom = CivilDate(iso: "2026-11-22")!
            local.duesMidyearChanges = true
            try await kit.store.rules.save(local, previous: .national2014, actor: console)
            // January is the yearly setting, not a change; a month outside the year is refused.
            await #expect(throws: ValidationFailure.self) {
                _ = try await dues.changeBase(
                    memberID: member, from: m(1), category: .employed, base: Fen(600_000), reason: "x", access: .maintenance, actor: console)
            }
            let change = try await dues.changeBase(
                memberID: member, from: m(7), category: .employed, base: Fen(600_000), reason: "7月起晋级", access: .maintenance, actor: console)
            #expect(change.monthly == Fen(9_000))  // 6,000.00 × 1.5 %
            // The sheet shows the month's own amount.
            #expect(try await dues.collection(organisationID: tree["A1a1"], month: m(6), access: .maintenance).lines.first?.monthly == Fen(1_500))
            #expect(try await dues.collection(organisationID: tree["A1a1"], month: m(9), access: .maintenance).lines.first?.monthly == Fen(9_000))
            // September and October: due at 90.00 each.
            await #expect(throws: ValidationProblems.self) { _ = try await pay(.backPayment, [9, 10], 3_000) }
            _ = try await pay(.backPayment, [9, 10], 18_000)
            // July and August were paid at 15.00: each owes 75.00; June owes nothing.
            await #expect(throws: ValidationProblems.self) { _ = try await pay(.difference, [7, 8], 10_000) }
            await #expect(throws: ValidationProblems.self) { _ = try await pay(.difference, [6], 100) }
            let difference = try await pay(.difference, [7, 8], 15_000)
            #expect(difference.kind == .difference)
            // Paid up: no difference left for July.
            await #expect(throws: ValidationProblems.self) { _ = try await pay(.difference, [7], 7_500) }
            let audit = try await kit.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object_type = \(bind: "dues_base_change")").first()?.value("n", Int.self)
            }
            #expect(audit == 1)
        }
    }
}
