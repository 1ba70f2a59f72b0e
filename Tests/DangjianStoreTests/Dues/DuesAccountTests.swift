import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 5 (store; DUES-08/20/21): the account statement of each level — a branch passes all it collects to
/// its committee, a committee keeps 80 % and passes 20 % a year, a 1,000-yuan voluntary payment goes up whole — with
/// recorded remittances, expenditures and interest, the cash carried, reversals, and the cross-check that every fen
/// collected in the subtree is retained at a level or passed up; on SQLite and PostgreSQL.
@Suite("党费账目与上缴")
struct DuesAccountTests {
    struct Setup {
        var kit: StoreKit
        var tree: FixtureTree
        let console = Actor.console("t")
        var dues: DuesRepository { kit.store.dues }

        func m(_ month: Int) -> DuesMonth { DuesMonth(year: 2026, month: month)! }
        func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

        func member(_ name: String, _ org: String, _ seq: Int, base: Int64) async throws -> Int64 {
            let id = try await kit.store.members.create(
                MemberFixtures.draft(name: name, born: "1980-01-01", sequence: seq), organisationID: tree[org], access: .maintenance, actor: console
            ).id
            _ = try await dues.setBase(
                memberID: id, year: CalendarYear(2026)!, category: .employed, base: Fen(base), expectedVersion: 0, access: .maintenance,
                actor: console)
            return id
        }

        func pay(_ member: Int64, _ kind: DuesEntryKind, _ months: [Int], _ fen: Int64, on: String) async throws -> DuesPayment {
            try await dues.record(
                memberID: member, DuesEntryDraft(kind: kind, months: months.map(m), amount: Fen(fen)!, paidOn: day(on), branchConsent: true),
                method: .transfer, access: .maintenance, actor: console
            ).payment
        }

        func remit(_ org: String, _ fen: Int64, period: String, on: String) async throws -> DuesAccountEntry {
            try await dues.recordAccountEntry(
                organisationID: tree[org],
                DuesAccountEntryDraft(kind: .remittance, amount: Fen(fen)!, occurredOn: day(on), period: DuesPeriod.parse(period)),
                access: .maintenance, actor: console)
        }

        func statement(_ org: String) async throws -> DuesAccountStatement {
            try await dues.accountStatement(organisationID: tree[org], year: CalendarYear(2026)!, access: .maintenance)
        }
    }

    func with(_ backend: TestBackend, _ body: (Setup) async throws -> Void) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            try await body(Setup(kit: kit, tree: try await FixtureTree.create(kit.organisations)))
        }
    }

    func rules(_ error: any Error) -> [String] {
        if let p = error as? ValidationProblems { return p.problems.compactMap(\.ruleID) }
        if let f = error as? ValidationFailure { return [f.ruleID].compactMap { $0 } }
        return ["unexpected: \(error)"]
    }

    @Test("each level's share, remittances, use and cash; the subtree's fen all accounted for", arguments: TestBackend.enabled)
    func levels(_ backend: TestBackend) async throws {
        try await with(backend) { s in
            // 甲 (A1a1, 15.00 a month) pays the first quarter in March; 乙 (A1b, 43.22) pays January, then 1,000 yuan
            // voluntarily in February (DUES-08: up whole) and a back payment reversed in November.
            let jia = try await s.member("甲", "A1a1", 871, base: 300_000)
            let yi = try await s.member("乙", "A1b", 872, base: 432_157)
            _ = try await s.pay(jia, .quarterly, [1, 2, 3], 4_500, on: "2026-03-10")
            _ = try await s.pay(yi, .regular, [1], 4_322, on: "2026-01-15")
            _ = try await s.pay(yi, .voluntary, [], 100_000, on: "2026-02-01")
            let wrong = try await s.pay(yi, .backPayment, [6], 4_322, on: "2026-11-02")
            _ = try await s.dues.reverse(paymentID: wrong.id, reason: "重复登记", access: .maintenance, actor: s.console)

            // The branch: quarterly, passes everything up.
            let branch = try await s.statement("A1a1")
            #expect(branch.length == .quarterly && branch.shareBasisPoints == 10_000 && branch.parent?.id == s.tree["A1a"])
            #expect(branch.lines[0].figures.collected == 4_500 && branch.lines[0].figures.memberMonths == 3)
            #expect(branch.lines[0].figures.due == 4_500 && branch.lines[0].figures.retained == 0 && branch.lines[0].figures.outstanding == 4_500)
            // It remits the first quarter; the cash is then 0 and a second remittance is refused (DUES-20).
            _ = try await s.remit("A1a1", 4_500, period: "2026-Q1", on: "2026-04-05")
            await #expect(throws: ValidationFailure.self) { _ = try await s.remit("A1a1", 100, period: "2026-Q2", on: "2026-07-05") }
            let remitted = try await s.statement("A1a1")
            #expect(remitted.lines[0].figures.outstanding == 0 && remitted.closing == 0 && remitted.balances)

            // The general branch sees what should and did reach it from its branch.
            let general = try await s.statement("A1a")
            #expect(general.total.fromBelowDue == 4_500 && general.total.fromBelowRemitted == 4_500 && general.total.due == 4_500)
            #expect(general.children.map(\.organisation.id) == [s.tree["A1a1"]] && general.children[0].due == 4_500)
            #expect(general.closing == 4_500, "received from the branch, not yet passed on")

            // The working committee (yearly, 20 %): 20 % of 45.00 and of 43.22 (the reversal cancels to the fen),
            // the 1,000 yuan whole.
            let committee = try await s.statement("A1")
            #expect(committee.length == .yearly && committee.lines.count == 1)
            #expect(committee.total.fromBelowDue == 4_500 + 4_322 + 100_000)
            #expect(committee.total.due == 900 + 864 + 100_000 && committee.total.retained == 3_600 + 3_458)
            #expect(committee.balances && committee.subtreeCollected == 108_822 && committee.retainedBelow == 0)
            // The county committee above: every fen of the subtree is retained at a level or passed out.
            let county = try await s.statement("A")
            #expect(county.total.fromBelowDue == 900 + 864 + 100_000 && county.total.due == 180 + 173 + 100_000)
            #expect(county.retainedBelow == 7_058 && county.balances && county.parent == nil)

            // The education bureau's branch remits the year's 1,043.22 in one go; the committee uses 100 yuan for
            // training and earns 1.23 interest.
            _ = try await s.remit("A1b", 104_322, period: "2026-Q1", on: "2026-04-06")
            do {
                _ = try await s.dues.recordAccountEntry(
                    organisationID: s.tree["A1"], DuesAccountEntryDraft(kind: .expenditure, amount: Fen(10_000)!, occurredOn: s.day("2026-05-01")),
                    access: .maintenance, actor: s.console)
                Issue.record("an expenditure without category or purpose was stored")
            } catch { #expect(Set(rules(error)) == ["DUES-21"]) }
            let spent = try await s.dues.recordAccountEntry(
                organisationID: s.tree["A1"],
                DuesAccountEntryDraft(
                    kind: .expenditure, amount: Fen(10_000)!, occurredOn: s.day("2026-05-01"), category: .training, voucher: "记-05", note: "党员培训班资料"),
                access: .maintenance, actor: s.console)
            _ = try await s.dues.recordAccountEntry(
                organisationID: s.tree["A1"], DuesAccountEntryDraft(kind: .interest, amount: Fen(123)!, occurredOn: s.day("2026-06-21")),
                access: .maintenance, actor: s.console)
            var after = try await s.statement("A1")
            #expect(after.total.used[.training] == 10_000 && after.total.interest == 123 && after.total.fromBelowRemitted == 104_322)
            #expect(after.closing == 104_322 - 10_000 + 123 && after.opening == 0)
            // A mistaken expenditure is reversed with a reason, once.
            _ = try await s.dues.reverseAccountEntry(entryID: spent.id, reason: "应由工会经费列支", access: .maintenance, actor: s.console)
            await #expect(throws: ValidationFailure.self) {
                _ = try await s.dues.reverseAccountEntry(entryID: spent.id, reason: "again", access: .maintenance, actor: s.console)
            }
            after = try await s.statement("A1")
            #expect(after.total.usedTotal == 0 && after.closing == 104_322 + 123 && after.reversed == [spent.id])

            // Refused, nothing stored: a remittance without a period or for one not begun, a day in the future,
            // a Party group's account.
            for draft in [
                DuesAccountEntryDraft(kind: .remittance, amount: Fen(100)!, occurredOn: s.day("2026-11-01")),
                DuesAccountEntryDraft(kind: .remittance, amount: Fen(100)!, occurredOn: s.day("2026-11-01"), period: DuesPeriod.parse("2027-Q1")),
                DuesAccountEntryDraft(kind: .interest, amount: Fen(100)!, occurredOn: s.day("2026-12-01")),
            ] {
                do {
                    _ = try await s.dues.recordAccountEntry(organisationID: s.tree["A1"], draft, access: .maintenance, actor: s.console)
                    Issue.record("stored: \(draft)")
                } catch { #expect(!rules(error).isEmpty && rules(error).allSatisfy { $0.hasPrefix("DUES-2") }) }
            }
            await #expect(throws: ValidationFailure.self) { _ = try await s.statement("A1a1g") }
            let count = try await s.kit.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dues_account_entries").first()?.value("n", Int.self)
            }
            #expect(count == 5, "2 remittances, 1 expenditure and its reversal, 1 interest: nothing of the refusals")
        }
    }

    @Test("two treasurers remitting the same cash at once: one entry, one refusal", arguments: TestBackend.enabled)
    func concurrentRemittances(_ backend: TestBackend) async throws {
        try await with(backend) { s in
            let jia = try await s.member("甲", "A1a1", 881, base: 300_000)
            _ = try await s.pay(jia, .quarterly, [1, 2, 3], 4_500, on: "2026-03-10")
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await s.remit("A1a1", 4_500, period: "2026-Q1", on: "2026-04-05")
                            return "saved"
                        } catch let f as ValidationFailure {
                            return f.ruleID == "DUES-20" ? "refused" : "other: \(f)"
                        } catch {
                            return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await o in group { all.append(o) }
                return all
            }
            #expect(outcomes.filter { $0 == "saved" }.count == 1 && outcomes.filter { $0 == "refused" }.count == 5, "\(outcomes)")
            #expect(try await s.statement("A1a1").closing == 0)
        }
    }
}
