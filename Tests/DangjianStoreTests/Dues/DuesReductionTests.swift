import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 3 (store): 少交/免交 — application, the branch's study, the higher committee's approval (never the
/// branch alone), 减免 recorded only inside the approved months at the approved amount, exempt months settled; on
/// SQLite and PostgreSQL.
@Suite("党费减免 (DUES-07/18)")
struct DuesReductionTests {
    @Test(
        "apply → branch agrees → the branch cannot approve, the committee can → 减免 at the approved amount inside the months only",
        arguments: TestBackend.enabled)
    func lifecycle(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "困难党员", born: "1960-02-01", sequence: 850), organisationID: tree["A1a1"], access: .maintenance,
                actor: console)
            let dues = kit.store.dues
            let nov = DuesMonth(year: 2026, month: 11)!
            _ = try await dues.setBase(
                memberID: member.id, year: try #require(CalendarYear(2026)), category: .retired, base: Fen(600_000), expectedVersion: 0,
                access: .maintenance, actor: console)  // 6,000 pension → 60.00
            func access(_ key: String, _ scope: OrganisationScope) async throws -> OrganisationAccess {
                let org = try #require(try await kit.organisations.find(tree[key], access: .maintenance))
                return OrganisationAccess(
                    permission: .membersWrite, reaches: [OrganisationReach(organisationID: org.id, path: org.path, scope: scope)])
            }
            // The branch's worker (its own organisation) and the higher committee (the organisation above and below).
            let branch = try await access("A1a1", .own)
            let parent = try await access("A1a", .subtree)
            // Refusals: no reason; a "reduction" to more than the amount; longer than the validity.
            await #expect(throws: ValidationProblems.self) {
                try await dues.applyReduction(
                    memberID: member.id, DuesReductionDraft(exempt: false, monthly: Fen(7_000)!, from: nov, months: 13, reason: " "), access: branch,
                    actor: console)
            }
            // 减免 before any approval: refused with DUES-18.
            do {
                _ = try await dues.record(
                    memberID: member.id, DuesEntryDraft(kind: .reduction, months: [nov], amount: Fen(1_000)!, paidOn: CivilDate(iso: "2026-11-22")!),
                    method: .cash, access: branch, actor: console)
                Issue.record("a reduction without approval was recorded")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.ruleID == "DUES-18" }) }
            var r = try await dues.applyReduction(
                memberID: member.id, DuesReductionDraft(exempt: false, monthly: Fen(1_000)!, from: nov, months: 2, reason: "大病住院，收入减少"),
                access: branch, actor: console)
            #expect(r.state == .applied && r.until == DuesMonth(year: 2026, month: 12))
            // The committee cannot approve before the branch has studied it; the branch cannot approve at all.
            await #expect(throws: ValidationFailure.self) {
                try await dues.decideReduction(r.id, .approve, note: "", expectedVersion: r.version, access: parent, actor: console)
            }
            r = try await dues.decideReduction(r.id, .branchAgree, note: "支委会研究同意", expectedVersion: r.version, access: branch, actor: console)
            #expect(r.state == .branchAgreed)
            await #expect(throws: AccessDenied.self) {
                try await dues.decideReduction(r.id, .approve, note: "", expectedVersion: r.version, access: branch, actor: console)
            }
            await #expect(throws: EditConflict.self) {
                try await dues.decideReduction(r.id, .approve, note: "", expectedVersion: r.version - 1, access: parent, actor: console)
            }
            r = try await dues.decideReduction(r.id, .approve, note: "同意", expectedVersion: r.version, access: parent, actor: console)
            #expect(r.state == .approved && r.history.count == 3 && r.history[1].contains("支委会研究同意"))
            // At the approved amount only; inside the months only.
            do {
                _ = try await dues.record(
                    memberID: member.id, DuesEntryDraft(kind: .reduction, months: [nov], amount: Fen(500)!, paidOn: CivilDate(iso: "2026-11-22")!),
                    method: .cash, access: branch, actor: console)
                Issue.record("a reduction at another amount was recorded")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.message.contains("经批准每月按 10.00 元交纳") }) }
            do {
                _ = try await dues.record(
                    memberID: member.id,
                    DuesEntryDraft(
                        kind: .reduction, months: [DuesMonth(year: 2026, month: 10)!], amount: Fen(1_000)!, paidOn: CivilDate(iso: "2026-11-22")!),
                    method: .cash, access: branch, actor: console)
                Issue.record("a reduction outside the approved months was recorded")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.ruleID == "DUES-18" }) }
            _ = try await dues.record(
                memberID: member.id, DuesEntryDraft(kind: .reduction, months: [nov], amount: Fen(1_000)!, paidOn: CivilDate(iso: "2026-11-22")!),
                method: .cash, access: branch, actor: console)
            #expect(try await dues.payments(memberID: member.id, access: branch).settled == [nov], "the reduced month counts as paid")
            let audited = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object_type = 'dues_reduction'").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(audited == 3)
        }
    }

    @Test("免交: the amount is 0, the months settle; a branch that disagrees ends it")
    func exemption() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "免交党员", born: "1961-02-01", sequence: 851), organisationID: tree["A1a1"], access: .maintenance,
                actor: console)
            let dues = kit.store.dues
            let nov = DuesMonth(year: 2026, month: 11)!
            _ = try await dues.setBase(
                memberID: member.id, year: try #require(CalendarYear(2026)), category: .employed, base: Fen(300_000), expectedVersion: 0,
                access: .maintenance, actor: console)
            var r = try await dues.applyReduction(
                memberID: member.id, DuesReductionDraft(exempt: true, monthly: .zero, from: nov, months: 1, reason: "失去收入来源"), access: .maintenance,
                actor: console)
            r = try await dues.decideReduction(r.id, .branchAgree, note: "", expectedVersion: r.version, access: .maintenance, actor: console)
            r = try await dues.decideReduction(r.id, .approve, note: "", expectedVersion: r.version, access: .maintenance, actor: console)
            let paid = try await dues.record(
                memberID: member.id, DuesEntryDraft(kind: .reduction, months: [nov], amount: .zero, paidOn: CivilDate(iso: "2026-11-22")!),
                method: .cash, access: .maintenance, actor: console)
            #expect(paid.notes.contains { $0.contains("免交的月份按已交计") })
            var other = try await dues.applyReduction(
                memberID: member.id,
                DuesReductionDraft(exempt: true, monthly: .zero, from: DuesMonth(year: 2026, month: 12)!, months: 1, reason: "再申请"),
                access: .maintenance, actor: console)
            other = try await dues.decideReduction(
                other.id, .branchDisagree, note: "情况已好转", expectedVersion: other.version, access: .maintenance, actor: console)
            #expect(other.state == .rejected)
            await #expect(throws: ValidationFailure.self) {
                try await dues.decideReduction(other.id, .approve, note: "", expectedVersion: other.version, access: .maintenance, actor: console)
            }
        }
    }
}
