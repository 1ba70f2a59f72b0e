import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 2 (store): payments append-only on SQLite and PostgreSQL — a month settled once however many clerks
/// record it at once, refusals naming the rule, reversals with a reason, receipts numbered per branch and year.
@Suite("党费收缴 store (DUES-09/11/17)")
struct DuesPaymentTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    func month(_ s: String) -> DuesMonth { DuesMonth.parse(s)! }

    @Test(
        "a month paid once; the same month again refused; a reversal with a reason opens it; receipts count per branch and year",
        arguments: TestBackend.enabled)
    func recordAndReverse(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let actor = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "交党费", born: "1980-02-01", sequence: 820), organisationID: tree["A1a1"], access: .maintenance, actor: actor
            )
            let dues = kit.store.dues
            // No base for the year yet: refused with DUES-09, nothing stored.
            do {
                _ = try await dues.record(
                    memberID: member.id, DuesEntryDraft(kind: .regular, months: [month("2026-11")], amount: Fen(1_500)!, paidOn: day("2026-11-22")),
                    method: .cash, access: .maintenance, actor: actor)
                Issue.record("a payment without a base was recorded")
            } catch let f as ValidationFailure { #expect(f.ruleID == "DUES-09" && f.message.contains("尚未核定")) }
            _ = try await dues.setBase(
                memberID: member.id, year: try #require(CalendarYear(2026)), category: .employed, base: Fen(300_000), expectedVersion: 0,
                access: .maintenance, actor: actor)  // 3,000.00 → 15.00 a month
            let paid = try await dues.record(
                memberID: member.id, DuesEntryDraft(kind: .regular, months: [month("2026-11")], amount: Fen(1_500)!, paidOn: day("2026-11-22")),
                method: .online, access: .maintenance, actor: actor)
            #expect(paid.payment.receiptNumber == "2026-0001" && paid.payment.amount.description == "15.00")
            do {
                _ = try await dues.record(
                    memberID: member.id, DuesEntryDraft(kind: .regular, months: [month("2026-11")], amount: Fen(1_500)!, paidOn: day("2026-11-22")),
                    method: .cash, access: .maintenance, actor: actor)
                Issue.record("the same month was paid twice")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.ruleID == "DUES-11" && $0.message.contains("2026年11月的党费已交") }) }
            let back = try await dues.record(
                memberID: member.id,
                DuesEntryDraft(kind: .backPayment, months: [month("2026-09"), month("2026-10")], amount: Fen(3_000)!, paidOn: day("2026-11-22")),
                method: .cash, access: .maintenance, actor: actor)
            #expect(back.payment.receiptNumber == "2026-0002")
            do {
                _ = try await dues.record(
                    memberID: member.id,
                    DuesEntryDraft(kind: .backPayment, months: [month("2026-04")], amount: Fen(1_500)!, paidOn: day("2026-11-22")),
                    method: .cash, access: .maintenance, actor: actor)
                Issue.record("a back payment of 7 months was recorded")
            } catch let p as ValidationProblems { #expect(p.problems.first?.message.contains("DUES-19") == true) }
            // Reversal: a reason is needed; the months open again; the entry stays; a reversal is not reversed.
            await #expect(throws: ValidationFailure.self) {
                try await dues.reverse(paymentID: back.payment.id, reason: " ", access: .maintenance, actor: actor)
            }
            let reversal = try await dues.reverse(paymentID: back.payment.id, reason: "金额记错，应为补交 9 月一个月", access: .maintenance, actor: actor)
            #expect(reversal.reverses == back.payment.id && reversal.receiptNumber == "2026-0003")
            await #expect(throws: ValidationFailure.self) {
                try await dues.reverse(paymentID: back.payment.id, reason: "再冲", access: .maintenance, actor: actor)
            }
            await #expect(throws: ValidationFailure.self) {
                try await dues.reverse(paymentID: reversal.id, reason: "反冲", access: .maintenance, actor: actor)
            }
            let after = try await dues.payments(memberID: member.id, access: .maintenance)
            #expect(after.settled == [month("2026-11")] && after.entries.count == 3)
            #expect(DuesCollection.collected(after.entries.map(\.ledgerEntry)) == 1_500)
            #expect(DuesCollection.settledMonths(after.entries.map(\.ledgerEntry)) == after.settled, "the index agrees with the entries")
            _ = try await dues.record(
                memberID: member.id, DuesEntryDraft(kind: .backPayment, months: [month("2026-09")], amount: Fen(1_500)!, paidOn: day("2026-11-22")),
                method: .cash, access: .maintenance, actor: actor)
            // Audited; another branch's worker cannot see or write.
            let audited = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object_type = 'dues_payment'").first()?.decode(column: "n", as: Int.self)
                    ?? 0
            }
            #expect(audited == 4)
            let other = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            let elsewhere = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: other.id, path: other.path, scope: .own)])
            await #expect(throws: RecordNotFound.self) { try await dues.payments(memberID: member.id, access: elsewhere) }
        }
    }

    @Test(
        "six clerks record the same member-month at the same moment: one payment, five clear refusals, nothing half-written",
        arguments: TestBackend.enabled)
    func concurrentClerks(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let actor = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "同时交", born: "1981-03-01", sequence: 821), organisationID: tree["A1a1"], access: .maintenance, actor: actor
            )
            let dues = kit.store.dues
            _ = try await dues.setBase(
                memberID: member.id, year: try #require(CalendarYear(2026)), category: .employed, base: Fen(300_000), expectedVersion: 0,
                access: .maintenance, actor: actor)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await dues.record(
                                memberID: member.id,
                                DuesEntryDraft(
                                    kind: .regular, months: [DuesMonth.parse("2026-11")!], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2026-11-22")!),
                                method: .cash, access: .maintenance, actor: actor)
                            return "saved"
                        } catch let p as ValidationProblems {
                            return p.problems.contains { $0.ruleID == "DUES-11" } ? "refused" : "other: \(p.problems)"
                        } catch let f as ValidationFailure {
                            return f.ruleID == "DUES-11" ? "refused" : "other: \(f)"
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
            let (entries, settled) = try await dues.payments(memberID: member.id, access: .maintenance)
            #expect(entries.count == 1 && settled == [month("2026-11")])
        }
    }
}
