import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("党费 pages")
struct DuesWebTests {
    @Test("a secretary sets a member's base; the sheet shows 30.00 for 3,000.01 (DUES-02/16); bad input is refused in Chinese and kept")
    func setBase() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        // 2027: the fixture already set 2026's base for its dues payment.
        try await harness.withClient { client in
            let sheet = try await client.send(.get, "/dues?org=\(org)&year=2027", as: worker)
            #expect(sheet.status == .ok && sheet.body.contains("已设定党费基数 0 人") && sheet.body.contains("/dues/members/\(member)?year=2027"))
            let form = try await client.send(.get, "/dues/members/\(member)?year=2027", as: worker)
            #expect(form.status == .ok && form.body.contains("尚未设定本年度党费基数") && form.body.contains("3000 元以上至 5000 元 1%"))
            for (bad, message) in [("-5", "月缴费基数不能为负数（“-5”）"), ("三千", "月缴费基数“三千”应为 0 至 1 亿元之间的金额"), ("", "请填写月工资收入")] {
                let refused = try await client.send(
                    .post, "/dues/members/\(member)", as: worker, form: ["year": "2027", "category": "employed", "base": bad, "version": "0"])
                #expect(refused.status == .badRequest && refused.body.contains(message), "\(bad)")
                #expect(refused.body.contains("value=\"\(bad)\""), "what was typed is kept: \(bad)")
            }
            let saved = try await client.send(
                .post, "/dues/members/\(member)", as: worker, form: ["year": "2027", "category": "employed", "base": "3,000.01", "version": "0"])
            #expect(saved.status == .seeOther && saved.location == "/dues?org=\(org)&year=2027&saved=\(member)#m\(member)")
            let after = try await client.send(.get, "/dues?org=\(org)&year=2027&saved=\(member)", as: worker)
            #expect(after.body.contains("每月 30.00 元") && after.body.contains("3000.01 元") && after.body.contains("已设定党费基数 1 人"))
            // The same form again: its version is stale now.
            let stale = try await client.send(
                .post, "/dues/members/\(member)", as: worker, form: ["year": "2027", "category": "student", "version": "0"])
            #expect(stale.status == .conflict)
            // A student pays the flat amount without a base (DUES-06).
            let student = try await client.send(
                .post, "/dues/members/\(member)", as: worker, form: ["year": "2027", "category": "student", "base": "", "version": "1"])
            #expect(student.status == .seeOther)
            #expect(try await client.send(.get, "/dues?org=\(org)&year=2027", as: worker).body.contains("0.20 元"))
            // Another organisation's member is out of reach.
            let outside = try #require(harness.fixture.memberIDs["B1"])
            #expect(try await client.send(.get, "/dues/members/\(outside)?year=2027", as: worker).status == .notFound)
        }
        await harness.close()
    }

    @Test("DUES-09: a mid-year change is refused while the rule book keeps the year's amount, and recorded once it allows it")
    func midyearChange() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let today = CivilDate(date: harness.clock.now())
        try await harness.withClient { client in
            let page = try await client.send(.get, "/dues/members/\(member)?year=\(today.year)", as: worker)
            #expect(page.body.contains("年内不作调整") && !page.body.contains("dues-change-form"))
            let form = ["from": "\(today.year)-12", "category": "employed", "base": "6000", "reason": "晋级"]
            let refused = try await client.send(.post, "/dues/members/\(member)/changes", as: worker, form: form)
            #expect(refused.status == .badRequest && refused.body.contains("DUES-09"))
            var local = try await harness.services.rules.inForce()
            local.version = "年中调整-测试"
            local.effectiveFrom = today
            local.duesMidyearChanges = true
            try await harness.services.rules.save(local, previous: .national2014, actor: .console("t"))
            #expect(try await client.send(.get, "/dues/members/\(member)?year=\(today.year)", as: worker).body.contains("dues-change-form"))
            let saved = try await client.send(.post, "/dues/members/\(member)/changes", as: worker, form: form)
            #expect(saved.status == .seeOther)
            let after = try await client.send(.get, "/dues/members/\(member)?year=\(today.year)", as: worker)
            #expect(after.body.contains("自\(today.year)年12月起") && after.body.contains("每月 90.00 元"))
        }
    }
}
