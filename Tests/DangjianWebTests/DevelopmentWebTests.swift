import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("发展党员 pages")
struct DevelopmentWebTests {
    @Test("a secretary opens a case, records the first six steps, is refused an early development-target designation with DEV-08 and the earliest date, and finds the applicant eligible next month in the plan")
    func earlyTargetRefused() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let today = CivilDate(date: harness.services.clock.now())
        @Sendable func ago(_ days: Int) -> String { today.adding(days: -days).description }
        try await harness.withClient { client in
            let bad = try await client.send(.post, "/development", as: worker, form: ["org": String(org), "applicant_name": "李申请", "id_number": "110105200001010000"])
            #expect(bad.status == .badRequest && bad.body.contains("open-problem"))
            let opened = try await client.send(.post, "/development", as: worker, form: [
                "org": String(org), "applicant_name": "李申请", "id_number": MemberFixtures.idNumber(born: "1999-09-09", sequence: 950)])
            let casePath = try #require(opened.location)
            #expect(opened.status == .seeOther && casePath.hasPrefix("/development/"))
            for (date, extra) in [(ago(400), [:]), (ago(390), [:]), (ago(350), [:]), (ago(349), [:]), (ago(349), ["person_1": "张联系", "full_1": "1"]), (ago(340), [:])] as [(String, [String: String])] {
                let step = try await client.send(.post, casePath + "/steps", as: worker, form: ["date": date].merging(extra) { a, _ in a })
                #expect(step.status == .seeOther, "\(date): \(step.body.components(separatedBy: "step-problems").dropFirst().first?.prefix(300) ?? "")")
            }
            let page = try await client.send(.get, casePath, as: worker)
            #expect(page.body.contains("下一步：第 7 步 确定发展对象") && page.body.contains(today.adding(days: -350).adding(years: 1).description))
            #expect(!page.body.contains("预备期至"), "no probation before admission")
            #expect(page.body.contains("id=\"publicity_start\"") && page.body.contains("公示不少于 5 个工作日"), "DEV-17 asks for the publicity's start")
            let early = try await client.send(.post, casePath + "/steps", as: worker, form: ["date": today.description])
            #expect(early.status == .badRequest && early.body.contains("DEV-08") && early.body.contains("最早可于 \(today.adding(days: -350).adding(years: 1)) 办理"))
            let plan = try await client.send(.get, "/development?org=\(org)&scope=own", as: worker)
            #expect(plan.body.contains("李申请") && plan.body.contains("下月可办理") && plan.body.contains("第 7 步 确定发展对象"))
            // The fixture's case is listed too; a case outside the worker's branch is not reachable.
            #expect(plan.body.contains("申请人甲"))
        }
        await harness.close()
    }

    @Test("节假日安排: the 系统管理员 saves a year's holidays and 调休 days (bad lines named, lines outside the year refused); a 公示 spanning them ends later")
    func holidayCalendar() async throws {
        let harness = try await WebHarness.make()
        let admin = try #require(harness.fixture.actors[.sysadmin])
        try await harness.withClient { client in
            let bad = try await client.send(.post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2025-10-01 国庆节 放假"])
            #expect(bad.status == .badRequest && bad.body.contains("第 1 行") && bad.body.contains("DEV-17"))
            let outside = try await client.send(.post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2026-01-01 元旦 休"])
            #expect(outside.status == .badRequest && outside.body.contains("不在 2025 年内"))
            let saved = try await client.send(.post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2025-10-01~2025-10-08 国庆节 休\n2025-09-28 国庆节调休 班"])
            #expect(saved.status == .seeOther)
            let page = try await client.send(.get, "/admin/holidays?year=2025", as: admin)
            #expect(page.body.contains("放假 8 天，调休上班 1 天") && page.body.contains("2025-09-28 国庆节调休 班"))
        }
        let calendar = try await HolidayCalendarRepository(database: harness.services.database, audit: harness.services.audit).calendar()
        #expect(calendar.workingDay(5, from: CivilDate(iso: "2025-09-26")!) == CivilDate(iso: "2025-10-09")!, "Fri 26, Sun 28 (调休), 29, 30, then Thu 10-09")
        await harness.close()
    }

    @Test("入党志愿书编号台账 page: the office issues a numbered batch, a duplicate batch is refused with DEV-34, a number is voided with its reason")
    func applicationFormPage() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        try await harness.withClient { client in
            #expect(try await client.send(.post, "/development/forms", as: orgadmin, form: ["org": String(harness.fixture.tree["A1"]), "first": "粤2027000010", "count": "2"]).status == .seeOther)
            let dup = try await client.send(.post, "/development/forms", as: orgadmin, form: ["org": String(harness.fixture.tree["A1"]), "first": "粤2027000011", "count": "1"])
            #expect(dup.status == .badRequest && dup.body.contains("DEV-34") && dup.body.contains("粤2027000011"))
            #expect(try await client.send(.post, "/development/forms/void", as: orgadmin, form: ["number": "粤2027000010", "reason": "遗失"]).status == .seeOther)
            let page = try await client.send(.get, "/development/forms", as: orgadmin)
            #expect(page.body.contains("粤2027000011") && page.body.contains("已作废") && page.body.contains("遗失"))
        }
        await harness.close()
    }
}
