import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Reminder job on both databases")
struct ReminderTests {
    @Test(
        "a secretary of a branch with nothing held is reminded of each red and yellow matter once; after a new period, again",
        arguments: TestBackend.enabled)
    func remindOnce(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let county = try await kit.organisations.create(
                type: .partyCommittee, name: "丙县委", shortName: nil, parentID: nil, access: .maintenance,
                actor: .console("t"), effectiveDate: CivilDate(year: 2019, month: 1, day: 1))
            let branch = try await kit.organisations.create(
                type: .branch, name: "丙县档案局支部", shortName: nil, parentID: county.id, access: .maintenance,
                actor: .console("t"), effectiveDate: CivilDate(year: 2019, month: 1, day: 1))
            let secretary = try await kit.accounts.create(
                username: "bingshuji", displayName: "丙书记", organisationID: branch.id, policy: .mlps, actor: .console("t"))
            _ = try await kit.accounts.grant(role: .partyWorker, to: secretary.user.id, organisationID: branch.id, scope: .own, actor: .console("t"))
            let job = kit.store.reminderJob(board: kit.store.todoBoard([kit.store.lifeTodo]))
            let first = try await job.runOnce()
            let reminders = kit.store.reminders
            let stored = try await reminders.recent(userID: secretary.user.id)
            // October's theme day (LIFE-06) was missed: red through November (the month after, Standing.countsNow);
            // November's turns yellow in the month's last 7 days, not yet on the 22nd. Q3's general meeting (ended in
            // September) and 2025's 组织生活会 no longer count now; 2026's is yellow only from 2 December.
            #expect(first.ran && first.created == stored.count && first.created > 0)
            #expect(stored.contains { $0.ruleID == "LIFE-06" && $0.severity == .urgent && $0.message.contains("2026年10月") })
            #expect(!stored.contains { $0.ruleID == "LIFE-01" && $0.message.contains("第3季度") })
            #expect(!stored.contains { $0.message.contains("2025年") })
            #expect(!stored.contains { $0.ruleID == "LIFE-07" && $0.message.contains("2026年") })
            #expect(!stored.contains { $0.message.contains("2026年11月主题党日") }, "not yet yellow on the 22nd")
            #expect(try await job.runOnce().created == 0)
            // On the 25th November's theme day turns yellow: one new reminder for it.
            clock.advance(seconds: 3 * 86_400)
            let later = try await job.runOnce()
            let after = try await reminders.recent(userID: secretary.user.id)
            #expect(later.created == after.count - stored.count && after.contains { $0.message.contains("2026年11月主题党日") && $0.severity == .warning })
            #expect(try await reminders.markAllRead(userID: secretary.user.id) == after.count)
            #expect(try await reminders.unreadCount(userID: secretary.user.id) == 0)
        }
    }

    @Test("the cached roll-up and board follow a new record at once (the key moves with the audit chain)", arguments: TestBackend.enabled)
    func cacheFollowsWrites(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let branch = try await kit.organisations.create(
                type: .branch, name: "丁县档案局支部", shortName: nil, parentID: nil, access: .maintenance,
                actor: .console("t"), effectiveDate: CivilDate(year: 2019, month: 1, day: 1))
            let service = kit.store.compliance
            func themeDayNow() async throws -> ComplianceState? {
                try await service.rollUp(anchorID: branch.id, scope: .own, access: .maintenance).organisations.first?.findings
                    .first { $0.requirement.ruleID == "LIFE-06" && $0.period.description == "2026年11月" }?.state
            }
            #expect(try await themeDayNow() == .pending)
            #expect(try await themeDayNow() == .pending, "served from the cache")
            let before = try await service.board(anchorID: branch.id, scope: .own, access: .maintenance)
            var draft = MeetingDraft(kind: .themeDay, heldOn: CivilDate(year: 2026, month: 11, day: 20)!)
            draft.topic = "主题党日"
            _ = try await kit.store.meetings.record(draft, organisationID: branch.id, access: .maintenance, actor: .console("t"))
            #expect(try await themeDayNow() == .met)
            // October's theme day recorded late: October's cell on the board goes from red to green (only what fell due
            // in October colours it; the fourth quarter's and the year's items fall due in December).
            draft.heldOn = CivilDate(year: 2026, month: 10, day: 10)!
            _ = try await kit.store.meetings.record(draft, organisationID: branch.id, access: .maintenance, actor: .console("t"))
            let after = try await service.board(anchorID: branch.id, scope: .own, access: .maintenance)
            #expect(before.first?.months[9].state == .overdue && after.first?.months[9].state == .met)
        }
    }
}
