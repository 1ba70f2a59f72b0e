import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("待办 and the reminder job")
struct TodoWebTests {
    @Test(
        "the committee's to-do lists an old branch's overdue organisational life with its rule; the job reminds once per matter, one server at a time; read marks stick; others do not see it"
    )
    func todoAndReminders() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let worker = try #require(harness.fixture.actors[.worker])
        let old = try await harness.services.organisations.create(
            type: .branch, name: "甲档案局支部", shortName: nil, parentID: harness.fixture.tree["A1"],
            access: .maintenance, actor: .console("t"), effectiveDate: CivilDate(year: 2020, month: 1, day: 1))
        // Direct: the service sees red LIFE-06 for the old branch, with a link to record it (the orgadmin may write).
        let principal = try await harness.services.accounts.principal(for: try #require(try await harness.services.accounts.find(orgadmin.userID)))
        let items = try await harness.services.todo.items(for: principal)
        let themeDay = try #require(items.first { $0.organisationID == old.id && $0.ruleID == "LIFE-06" && $0.severity == .urgent })
        #expect(themeDay.link == "/orgs/\(old.id)/meetings/new?kind=theme_day" && themeDay.message.contains("LIFE-06"))
        #expect(items.first?.severity == .urgent, "most urgent first")
        #expect(Set(items.map(\.key)).count == items.count)

        let job = ReminderJob(
            accounts: harness.services.accounts, todo: harness.services.todo, reminders: harness.services.reminders,
            lock: JobLock(database: harness.services.database, clock: harness.services.clock), holder: "server-a")
        let first = try await job.runOnce()
        #expect(first.ran && first.created >= 2 && first.users >= 2)
        let again = try await job.runOnce()
        #expect(again.ran && again.created == 0, "the same matters are not reminded twice")
        let other = ReminderJob(
            accounts: harness.services.accounts, todo: harness.services.todo, reminders: harness.services.reminders,
            lock: JobLock(database: harness.services.database, clock: harness.services.clock), holder: "server-b")
        #expect(try await other.runOnce().ran == false, "another server waits for the lease")
        let unread = try await harness.services.reminders.unreadCount(userID: orgadmin.userID)
        #expect(unread >= 2)

        try await harness.withClient { client in
            let home = try await client.send(.get, "/", as: orgadmin)
            #expect(home.body.contains("新提醒 \(unread) 条"))
            let todo = try await client.send(.get, "/todo", as: orgadmin)
            #expect(todo.status == .ok && todo.body.contains("甲档案局支部") && todo.body.contains("/orgs/\(old.id)/meetings/new?kind=theme_day"))
            #expect(todo.body.contains("未读 \(unread)"))
            // The worker's list is about their own branch; the committee's matters are not theirs. A probationary
            // member whose year ends in 20 days is a vote to prepare (DEV-28); one with years to go is not.
            let today = CivilDate(date: harness.services.clock.now())
            var due = MemberFixtures.draft(name: "预备甲", born: "1995-03-01", sequence: 870, status: .probationary)
            due.joinDate = today.adding(days: 20).adding(years: -1).description
            _ = try await harness.services.members.create(
                due, organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: .console("t"))
            var recent = MemberFixtures.draft(name: "预备乙", born: "1996-03-01", sequence: 871, status: .probationary)
            recent.joinDate = today.adding(days: -30).description
            _ = try await harness.services.members.create(
                recent, organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: .console("t"))
            let workerTodo = try await client.send(.get, "/todo", as: worker)
            #expect(workerTodo.status == .ok && !workerTodo.body.contains("甲档案局支部"))
            #expect(workerTodo.body.contains("预备甲 的预备期将于 \(today.adding(days: 20)) 期满") && workerTodo.body.contains("DEV-28"))
            #expect(!workerTodo.body.contains("预备乙"))
            let read = try await client.send(.post, "/todo/read", as: orgadmin, form: [:])
            #expect(read.status == .seeOther)
            #expect(try await harness.services.reminders.unreadCount(userID: orgadmin.userID) == 0)
            let after = try await client.send(.get, "/", as: orgadmin)
            #expect(!after.body.contains("新提醒"))
        }
        await harness.close()
    }

    @Test(
        "发展党员 in 待办: a talk not held a month after the application is overdue with DEV-03 and links to the case; the plan shows it red; the committee above sees it, a member does not"
    )
    func developmentDeadlines() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let today = CivilDate(date: harness.services.clock.now())
        let console = Actor.console("t")
        let id = try await harness.services.development.open(
            applicantName: "吕谈话", idNumber: MemberFixtures.idNumber(born: "2000-06-06", sequence: 963),
            organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: console)
        _ = try await harness.services.development.record(
            caseID: id, StepRecord(step: .application, date: today.adding(days: -40)), access: .maintenance, actor: console)
        let due = today.adding(days: -40).adding(months: 1)
        func items(_ role: Who) async throws -> [TodoItem] {
            let actor = try #require(harness.fixture.actors[role])
            let user = try #require(try await harness.services.accounts.find(actor.userID))
            return try await harness.services.todo.items(for: try await harness.services.accounts.principal(for: user))
        }
        let talk = try #require(try await items(.worker).first { $0.category == .development })
        #expect(
            talk.ruleID == "DEV-03" && talk.severity == .urgent && talk.link == "/development/\(id)" && talk.dueOn == due
                && talk.message.contains("吕谈话（逾期）"))
        #expect(try await items(.orgadmin).contains { $0.key == talk.key }, "the committee above keeps the files too")
        #expect(try await items(.member).allSatisfy { $0.category != .development })
        try await harness.withClient { client in
            let todo = try await client.send(.get, "/todo", as: worker)
            #expect(todo.body.contains("吕谈话") && todo.body.contains("DEV-03"))
            let plan = try await client.send(.get, "/development?org=\(harness.fixture.tree["A1a1"])", as: worker)
            #expect(plan.body.contains("badge red deadline") && plan.body.contains("逾期：收到入党申请书后一个月内应派人谈话"))
        }
        // Recording the talk clears it.
        _ = try await harness.services.development.record(
            caseID: id, StepRecord(step: .applicationTalk, date: today), access: .maintenance, actor: console)
        #expect(try await items(.worker).allSatisfy { $0.category != .development })
        await harness.close()
    }

    @Test(
        "the conversion reminder: DEV-28 for a 预备党员 on the roster; DEV-31 (may wait up to 6 months) for one received by transfer during probation; a member whose case file is open is reminded once, from the case"
    )
    func conversionReminders() async throws {
        let harness = try await WebHarness.make()
        let services = harness.services
        let today = CivilDate(date: services.clock.now())
        let console = Actor.console("t")
        let end = today.adding(days: 10)
        let joined = end.adding(years: -1)
        var stayed = MemberFixtures.draft(name: "预备留", born: "1995-01-01", sequence: 881, status: .probationary)
        stayed.joinDate = joined.description
        _ = try await services.members.create(stayed, organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: console)
        var moved = MemberFixtures.draft(name: "预备转", born: "1995-02-02", sequence: 883, status: .probationary)
        moved.joinDate = joined.description
        let movedID = try await services.members.create(moved, organisationID: harness.fixture.tree["A1a2"], access: .maintenance, actor: console).id
        let transfer = try await services.transfers.start(
            memberID: movedID, toOrganisationID: harness.fixture.tree["A1a1"], toName: nil, validDays: 30,
            duesPaidUntil: (today.year, today.month), access: .maintenance, actor: console)
        #expect(try await services.transfers.find(transfer.id)?.status == .received, "a move inside the actor's reach is received at once")
        // A case file approved with the fixture's dates (probation ended 2026-07-01) and still open.
        let caseID = try await services.development.open(
            applicantName: "预备档", idNumber: MemberFixtures.idNumber(born: "2000-08-08", sequence: 965),
            organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: console)
        _ = try await services.applicationForms.issue(
            first: "粤2025000701", count: 1, organisationID: harness.fixture.tree["A1"], on: CivilDate(iso: "2025-06-01")!,
            access: .maintenance, actor: console)
        for r in DevelopmentFixtures.records(through: .continuedEducation, formNumber: "粤2025000701") {
            _ = try await services.development.record(caseID: caseID, r, access: .maintenance, actor: console)
        }
        let worker = try #require(harness.fixture.actors[.worker])
        let user = try #require(try await services.accounts.find(worker.userID))
        let items = try await services.todo.items(for: try await services.accounts.principal(for: user))
        let plain = try #require(items.first { $0.message.contains("预备留") })
        #expect(plain.ruleID == "DEV-28" && plain.severity == .warning && plain.dueOn == end)
        let transferred = try #require(items.first { $0.message.contains("预备转") })
        #expect(transferred.ruleID == "DEV-31" && transferred.severity == .warning && transferred.dueOn == end.adding(months: 6))
        #expect(transferred.message.contains("转正日期仍为 \(end)"))
        let fromCase = items.filter { $0.message.contains("预备档") }
        #expect(
            fromCase.count == 1 && fromCase.first?.ruleID == "DEV-28" && fromCase.first?.severity == .urgent
                && fromCase.first?.link == "/development/\(caseID)")
        await harness.close()
    }
}
