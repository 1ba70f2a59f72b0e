import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18: the dues and points parameters are dated rule-book versions — a province's farmers' amount, a shorter
/// 补交 limit, another remittance share and an exemption age take effect from their date, and the earlier period is
/// still judged by the earlier version; on SQLite and PostgreSQL.
@Suite("党费 and 积分 parameters in the rule book")
struct DuesRuleBookTests {
    @Test("a local version changes amounts, limits, shares and exemptions from its date", arguments: TestBackend.enabled)
    func localVersion(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let dues = kit.store.dues
            var local = RuleBook.national2014
            local.version = "某省-2026"
            local.effectiveFrom = CivilDate(iso: "2026-11-22")!
            local.duesFarmerMonthlyFen = 50
            local.duesBackPaymentMonths = 3
            local.duesCommitteeRemitPercent = 10
            local.pointsExemptAge = 60
            try await kit.store.rules.save(local, previous: .national2014, actor: console)

            let farmer = try await kit.store.members.create(
                MemberFixtures.draft(name: "农民党员", born: "1960-01-01", sequence: 951), organisationID: tree["A1a1"], access: .maintenance,
                actor: console
            ).id
            let set = try await dues.setBase(
                memberID: farmer, year: CalendarYear(2026)!, category: .farmer, base: nil, expectedVersion: 0, access: .maintenance, actor: console)
            #expect(set.line.monthly == Fen(50) && set.line.parametersVersion == "DuesRules2008+某省-2026")
            // 补交 four months back is beyond this province's three.
            do {
                _ = try await dues.record(
                    memberID: farmer,
                    DuesEntryDraft(
                        kind: .backPayment, months: [DuesMonth(year: 2026, month: 7)!], amount: Fen(50)!, paidOn: CivilDate(iso: "2026-11-22")!),
                    method: .cash, access: .maintenance, actor: console)
                Issue.record("a back payment beyond the local limit was stored")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.message.contains("距今超过 3 个月") }) }
            _ = try await dues.record(
                memberID: farmer,
                DuesEntryDraft(
                    kind: .backPayment, months: [DuesMonth(year: 2026, month: 8)!], amount: Fen(50)!, paidOn: CivilDate(iso: "2026-11-22")!),
                method: .cash, access: .maintenance, actor: console)
            // The committee's share is this version's 10 %.
            let committee = try await dues.accountStatement(organisationID: tree["A1"], year: CalendarYear(2026)!, access: .maintenance)
            #expect(committee.shareBasisPoints == 1_000 && committee.total.due == 5)
            // Members of 60 or more are not scored this year (POINT-06 as this version sets it).
            let account = try await kit.store.points.account(memberID: farmer, year: 2026, access: .maintenance).account
            #expect(account.total == nil && account.standing == .exempt(reason: "年满 60 周岁，免评（POINT-06）"))
            // Last year is judged by the national book: 70, and the member was 65.
            #expect(try await kit.store.points.account(memberID: farmer, year: 2025, access: .maintenance).account.total != nil)
        }
    }
}
