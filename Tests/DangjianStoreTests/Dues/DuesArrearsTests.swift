import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 4 (store): arrears counted from the settled months — a reminder at 3 unpaid months (DUES-13), a
/// lapse review on the first day after 6 (DUES-19: last paid March → 1 October, not 30 September), in 待办 for the
/// branch's secretary, on SQLite and PostgreSQL; a payment ends it.
@Suite("党费 arrears and 待办 (DUES-13/19)")
struct DuesArrearsTests {
    @Test(
        "last paid March: nothing in May, a reminder in July, still a reminder on 30 September, a lapse review on 1 October",
        arguments: TestBackend.enabled)
    func boundary(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            // 2024-03-15 12:00 UTC.
            let clock = ManualClock(Date(timeIntervalSince1970: 1_710_504_000))
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let draft = MemberFixtures.draft(name: "欠缴者", born: "1980-02-01", sequence: 830)  // joined 2005
            let member = try await kit.store.members.create(draft, organisationID: tree["A1a1"], access: .maintenance, actor: console)
            let dues = kit.store.dues
            _ = try await dues.setBase(
                memberID: member.id, year: try #require(CalendarYear(2024)), category: .employed, base: Fen(300_000), expectedVersion: 0,
                access: .maintenance, actor: console)
            // January to March paid.
            _ = try await dues.record(
                memberID: member.id,
                DuesEntryDraft(
                    kind: .backPayment, months: [DuesMonth(year: 2024, month: 1)!, DuesMonth(year: 2024, month: 2)!], amount: Fen(3_000)!,
                    paidOn: CivilDate(iso: "2024-03-15")!), method: .cash, access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: member.id,
                DuesEntryDraft(
                    kind: .regular, months: [DuesMonth(year: 2024, month: 3)!], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2024-03-15")!),
                method: .cash, access: .maintenance, actor: console)
            let user = try await kit.accounts.create(
                username: "zhibu", displayName: "支部书记", organisationID: tree["A1a1"], policy: .mlps, actor: console)
            _ = try await kit.accounts.grant(role: .partyWorker, to: user.user.id, organisationID: tree["A1a1"], scope: nil, actor: console)
            let principal = try await kit.accounts.principal(for: try #require(try await kit.accounts.find(user.user.id)))
            func at(_ iso: String) throws {
                let target = try #require(CivilDate(iso: iso))
                let now = CivilDate(date: clock.now())
                clock.advance(seconds: TimeInterval(target.days(since: now)) * 86_400)
            }
            func todo() async throws -> [TodoItem] {
                try await kit.store.duesTodo.items(for: principal, today: CivilDate(date: clock.now())).filter { $0.message.hasPrefix("欠缴者") }
            }
            try at("2024-05-20")
            #expect(try await dues.arrears(memberID: member.id, access: .maintenance) == DuesArrears(unpaidMonths: 1, level: .none))
            #expect(try await todo().isEmpty)
            try at("2024-07-01")
            #expect(try await dues.arrears(memberID: member.id, access: .maintenance).level == .reminder)
            let reminder = try await todo()
            #expect(reminder.count == 1 && reminder.first?.ruleID == "DUES-13" && reminder.first?.severity == .warning)
            #expect(reminder.first?.message.contains("连续 3 个月未交纳党费") == true)
            try at("2024-09-30")
            #expect(try await todo().first?.ruleID == "DUES-13", "the day before: still a reminder")
            try at("2024-10-01")
            let review = try await todo()
            #expect(review.first?.ruleID == "DUES-19" && review.first?.severity == .urgent && review.first?.message.contains("须先批评教育、限期改正") == true)
            #expect(DuesCollection.lapseReviewOpens(lastSettled: DuesMonth(year: 2024, month: 3)!) == CivilDate(iso: "2024-10-01"))
            let listed = try await dues.inArrears(anchorID: tree["A1"], scope: .subtree, access: .maintenance)
            #expect(listed.map(\.memberID) == [member.id] && listed.first?.arrears.unpaidMonths == 6)
            // A back payment (within six months) of the six months ends it.
            _ = try await dues.record(
                memberID: member.id,
                DuesEntryDraft(
                    kind: .backPayment, months: (4...9).map { DuesMonth(year: 2024, month: $0)! }, amount: Fen(9_000)!,
                    paidOn: CivilDate(iso: "2024-10-01")!), method: .cash, access: .maintenance, actor: console)
            #expect(try await todo().isEmpty)
        }
    }
}
