import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
import DangjianOffice
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 18, item 2 through the router: the monthly collection sheet, the payment form with its refusals, 冲正,
/// receipts (page and .docx) and a member's own dues page.
@Suite("党费收缴 pages")
struct DuesCollectionWebTests {
    @Test("a secretary records, is refused in Chinese with nothing stored, reverses with a reason and prints the receipt; the member sees the month")
    func collectAndReverse() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let memberActor = try #require(harness.fixture.actors[.member])
        let org = harness.fixture.tree["A1a1"]
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let today = CivilDate(date: harness.clock.now())
        let thisMonth = DuesMonth(containing: today)
        let lastMonth = thisMonth.adding(months: -1)
        try await harness.withClient { client in
            // The fixture paid this month (4,321.57 → 43.22).
            let sheet = try await client.send(.get, "/dues/collection?org=\(org)&month=\(thisMonth.code)", as: worker)
            #expect(sheet.status == .ok && sheet.body.contains("已交 1 人 43.22 元") && sheet.body.contains("已交 · \(today.year)-0001"))
            #expect(sheet.body.contains("/dues/members/\(member)/payments"))
            let earlier = try await client.send(.get, "/dues/collection?org=\(org)&month=\(lastMonth.code)", as: worker)
            #expect(earlier.body.contains("已交 0 人 0.00 元"))
            #expect(try await client.send(.get, "/dues/collection?org=\(org)&month=13月", as: worker).status == .badRequest)

            // Refusals, each naming the rule; nothing stored.
            let path = "/dues/members/\(member)/payments"
            let cases: [([String: String], String)] = [
                (["kind": "regular", "from": thisMonth.code, "count": "1", "method": "cash"], "党费已交，不能重复交纳"),
                (["kind": "back_payment", "from": thisMonth.adding(months: -8).code, "count": "1", "method": "cash"], "DUES-19"),
                (["kind": "regular", "from": thisMonth.code, "count": "1", "amount": "四十", "method": "cash"], "金额“四十”应为"),
                (["kind": "regular", "from": "十一月", "count": "1", "method": "cash"], "所属月份“十一月”应写作"),
                (["kind": "prepayment", "from": thisMonth.adding(months: 1).code, "count": "99", "method": "cash"], "月数应为 1 至 12"),
                (["kind": "reduction", "from": lastMonth.code, "count": "1", "amount": "0", "method": "cash"], "DUES-18"),
            ]
            for (form, message) in cases {
                let refused = try await client.send(.post, path, as: worker, form: form)
                #expect(refused.status == .badRequest && refused.body.contains(message), "\(form) → \(message)")
            }
            #expect(try await harness.services.store.dues.payments(memberID: member, access: .maintenance).entries.count == 1)

            // 补交 last month: the amount computed from the base when left empty.
            let back = try await client.send(
                .post, path, as: worker, form: ["kind": "back_payment", "from": lastMonth.code, "count": "1", "method": "transfer"])
            #expect(back.status == .seeOther)
            let page = try await client.send(.get, try #require(back.location), as: worker)
            #expect(page.body.contains("已登记：补交 43.22 元，收据 \(today.year)-0002") && page.body.contains("党费已交至 \(thisMonth)"))
            let backID = try #require(try await harness.services.store.dues.payments(memberID: member, access: .maintenance).entries.last?.id)

            // The receipt: 大写, and as .docx.
            let receipt = try await client.send(.get, "/dues/payments/\(backID)/receipt", as: worker)
            #expect(receipt.status == .ok && receipt.body.contains("肆拾叁元贰角贰分") && receipt.body.contains("补交"))
            let docx = try await client.send(.get, "/dues/payments/\(backID)/receipt?format=docx", as: worker)
            #expect(docx.status == .ok && docx.bodyBytes.starts(with: [0x50, 0x4B]))

            // 冲正: a reason needed; then the month is open again and the original says 已冲正.
            let noReason = try await client.send(.post, "/dues/payments/\(backID)/reverse", as: worker, form: ["reason": " "])
            #expect(noReason.status == .badRequest && noReason.body.contains("冲正须写明原因"))
            let reversed = try await client.send(.post, "/dues/payments/\(backID)/reverse", as: worker, form: ["reason": "记错了月份"])
            #expect(reversed.status == .seeOther)
            let afterReversal = try await client.send(.get, path, as: worker)
            #expect(afterReversal.body.contains("已冲正") && afterReversal.body.contains("原因：记错了月份") && afterReversal.body.contains("-43.22"))
            let again = try await client.send(.post, "/dues/payments/\(backID)/reverse", as: worker, form: ["reason": "再冲"])
            #expect(again.status == .badRequest && again.body.contains("已冲正过"))
            #expect(try await client.send(.get, "/dues/collection?org=\(org)&month=\(lastMonth.code)", as: worker).body.contains("已交 0 人"))

            // Another branch's payment is out of reach.
            let outsider = try #require(harness.fixture.memberIDs["B1"])
            #expect(try await client.send(.get, "/dues/members/\(outsider)/payments", as: worker).status == .notFound)

            // The member's own page: not linked yet, then linked.
            #expect(try await client.send(.get, "/dues/mine", as: memberActor).body.contains("没有关联党员信息"))
            try await harness.services.store.members.linkAccount(
                username: memberActor.username, toMember: member, confirmingNameDifference: true, access: .maintenance, actor: .console("t"))
            let mine = try await client.send(.get, "/dues/mine", as: memberActor)
            #expect(mine.status == .ok && mine.body.contains("党费已交至 \(thisMonth)") && mine.body.contains("每月应交党费 43.22 元"))
            #expect(!mine.body.contains("记错了月份"), "a reversed pair is not the member's business")
        }
        await harness.close()
    }

    @Test("a secretary uploads the payroll sheet, sees each row with last year's amount, commits; a sheet with a problem commits nothing")
    func payrollImport() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let draft = MemberFixtures.draft(name: "工资表甲", born: "1984-04-04", sequence: 840)
        let member = try await harness.services.store.members.create(draft, organisationID: org, access: .maintenance, actor: .console("t")).id
        var sheet = XLSXWriter(sheetName: "工资", header: ["姓名", "身份证号", "应发工资", "个人所得税", "住房公积金"])
        sheet.append(["工资表甲", draft.idNumber, "6000", "100", "720"])
        var bad = XLSXWriter(sheetName: "工资", header: ["姓名", "身份证号", "应发工资"])
        bad.append(["工资表甲", draft.idNumber, "6000"])
        bad.append(["查无此人", MemberFixtures.idNumber(born: "1960-01-01", sequence: 841), "5000"])
        let (goodFile, badFile) = (try sheet.data(), try bad.data())
        try await harness.withClient { client in
            let form = try await client.send(.get, "/dues/import?org=\(org)&year=2027", as: worker)
            #expect(form.status == .ok && form.body.contains("导入 2027 年党费基数") && form.body.contains("奖励性绩效"))
            let refused = try await client.send(
                .post, "/dues/import?org=\(org)", as: worker, form: ["year": "2027"], upload: ("bad.xlsx", badFile))
            #expect(
                refused.status == .ok && refused.body.contains("payroll-blocked") && refused.body.contains("不在")
                    && !refused.body.contains("payroll-commit"))
            let preview = try await client.send(
                .post, "/dues/import?org=\(org)", as: worker, form: ["year": "2027"], upload: ("工资表.xlsx", goodFile))
            // 6000 − 100 − 720 = 5180.00 → 1.5 % = 77.70.
            #expect(preview.status == .ok && preview.body.contains("应发工资 6000.00 − 个人所得税 100.00 − 住房公积金 720.00 = 5180.00"))
            #expect(preview.body.contains("77.70") && preview.body.contains("上年未核定"))
            let action = try #require(preview.body.firstMatch(of: /action="(\/dues\/import\/\d+\/commit)"/)?.1)
            let done = try await client.send(.post, String(action), as: worker, form: ["year": "2027", "org": String(org)])
            #expect(done.status == .ok && done.body.contains("导入完成：新设 1 人"))
            let line = try await harness.services.store.dues.line(memberID: member, year: try #require(CalendarYear(2027)), access: .maintenance)
            #expect(line?.line.monthly == Fen(7_770))
            let again = try await client.send(.post, String(action), as: worker, form: ["year": "2027", "org": String(org)])
            #expect(again.body.contains("已经导入过了"))
            // The fixture's own job (a row naming nobody on the roster): refused whole, 400; another user's job: 404.
            let own = try #require(harness.fixture.extras["duesPayrollJob.\(Who.worker)"])
            let ownCommit = try await client.send(.post, "/dues/import/\(own)/commit", as: worker, form: ["year": "2026"])
            #expect(ownCommit.status == .badRequest && ownCommit.body.contains("整表未导入"), "\(ownCommit.status)")
            let others = try #require(harness.fixture.extras["duesPayrollJob.\(Who.orgadmin)"])
            #expect(try await client.send(.post, "/dues/import/\(others)/commit", as: worker, form: ["year": "2026"]).status == .notFound)
            let template = try await client.send(.get, "/dues/import/template.xlsx", as: worker)
            #expect(template.status == .ok && template.bodyBytes.starts(with: [0x50, 0x4B]))
        }
        await harness.close()
    }

    @Test("少交: the secretary records the application and the branch's agreement; only the higher committee approves; 减免 then at the approved amount")
    func reductionThroughThePages() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let office = try #require(harness.fixture.actors[.orgadmin])
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let month = DuesMonth(containing: CivilDate(date: harness.clock.now()))
        // Next month's year needs its base (in December, next year's).
        let next = month.adding(months: 1)
        if next.year != month.year {
            _ = try await harness.services.store.dues.setBase(
                memberID: member, year: try #require(CalendarYear(next.year)), category: .employed, base: Fen(432_157), expectedVersion: 0,
                access: .maintenance, actor: .console("t"))
        }
        try await harness.withClient { client in
            let path = "/dues/members/\(member)/payments"
            let bad = try await client.send(.post, "/dues/members/\(member)/reductions", as: worker, form: ["monthly": "99", "reason": ""])
            #expect(bad.status == .badRequest && bad.body.contains("请写明困难情况") && bad.body.contains("不需要申请"))
            let applied = try await client.send(
                .post, "/dues/members/\(member)/reductions", as: worker,
                form: ["monthly": "5", "from": month.adding(months: 1).code, "months": "3", "reason": "家庭变故"])
            #expect(applied.status == .seeOther)
            let reduction = try #require(
                try await harness.services.store.dues.reductions(memberID: member, access: .maintenance).first { $0.reason == "家庭变故" })
            let agreed = try await client.send(
                .post, "/dues/reductions/\(reduction.id)/decide", as: worker, form: ["action": "branch_agree", "version": "1"])
            #expect(agreed.status == .seeOther)
            let todo = try await client.send(.get, "/todo", as: office)
            #expect(todo.body.contains("支部已同意，待上级党委批准"))
            let branchApproves = try await client.send(
                .post, "/dues/reductions/\(reduction.id)/decide", as: worker, form: ["action": "approve", "version": "2"])
            #expect(branchApproves.status == .forbidden)
            let list = try await client.send(.get, "/dues/reductions?org=\(harness.fixture.tree["A1"])", as: office)
            #expect(list.status == .ok && list.body.contains("每月按 5.00 元交纳") && list.body.contains("上级党委批准"))
            let approved = try await client.send(
                .post, "/dues/reductions/\(reduction.id)/decide", as: office,
                form: ["action": "approve", "version": "2", "back": "list", "org": String(harness.fixture.tree["A1"])])
            #expect(approved.status == .seeOther)
            // 减免 for next month with the amount left empty: the approved 5.00.
            let recorded = try await client.send(
                .post, path, as: worker, form: ["kind": "reduction", "from": month.adding(months: 1).code, "count": "1", "method": "cash"])
            #expect(recorded.status == .seeOther)
            let page = try await client.send(.get, try #require(recorded.location), as: worker)
            #expect(page.body.contains("已登记：减免 5.00 元") && page.body.contains("已批准"))
        }
        await harness.close()
    }
}
