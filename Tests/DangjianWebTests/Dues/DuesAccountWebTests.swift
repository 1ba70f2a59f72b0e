import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
import DangjianOffice
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 18, item 5 through the router (DUES-12/20/21): a branch's account for the year — the month's payment counted,
/// a remittance refused beyond the cash and accepted for the period, an expenditure without purpose refused, 冲正 with
/// a reason; the .xlsx for the level above equals the screen; the yearly publication names nobody; a Party group keeps
/// no account; the API gives the same statement.
@Suite("党费账目 pages")
struct DuesAccountWebTests {
    @Test("a branch's year: payments counted, remittance checked against cash, refusals in Chinese, xlsx = screen, publication")
    func branchYear() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let office = try #require(harness.fixture.actors[.orgadmin])
        let member = try #require(harness.fixture.actors[.member])
        let org = harness.fixture.tree["A1a1"]
        let today = CivilDate(date: harness.clock.now())
        let quarter = DuesPeriod(containing: DuesMonth(containing: today), length: .quarterly)
        try await harness.withClient { client in
            // The fixture paid this month (43.22) and booked 1.00 interest.
            let page = try await client.send(.get, "/dues/ledger?org=\(org)", as: worker)
            #expect(page.status == .ok && page.body.contains(quarter.description) && page.body.contains("43.22"))
            #expect(page.body.contains("逐笔逐月核对一致") && page.body.contains("目前结余 44.22 元") && page.body.contains("上缴所收党费的 100%"))

            let path = "/dues/ledger/entries?org=\(org)&year=\(today.year)"
            let cases: [([String: String], String)] = [
                (["kind": "remittance", "amount": "100", "occurred_on": today.description, "period": quarter.code], "不足上缴 100.00 元"),
                (["kind": "remittance", "amount": "10", "occurred_on": today.description], "请选择上缴的是哪一期"),
                (["kind": "expenditure", "amount": "10", "occurred_on": today.description, "category": "training"], "请写明用途"),
                (["kind": "expenditure", "amount": "abc", "occurred_on": today.description, "category": "training", "note": "培训"], "金额“abc”"),
                (["kind": "interest", "amount": "1", "occurred_on": today.adding(days: 1).description], "晚于今天"),
            ]
            for (form, message) in cases {
                let refused = try await client.send(.post, path, as: worker, form: form)
                #expect(refused.status == .badRequest && refused.body.contains(message), "\(form) → \(message)")
            }
            let stored = try await harness.services.store.dues.accountStatement(
                organisationID: org, year: CalendarYear(of: today), access: .maintenance)
            #expect(stored.entries.count == 1, "only the fixture's interest")

            let remit = try await client.send(
                .post, path, as: worker,
                form: ["kind": "remittance", "amount": "43.22", "occurred_on": today.description, "period": quarter.code, "voucher": "缴-01"])
            #expect(remit.status == .seeOther)
            let after = try await client.send(.get, try #require(remit.location), as: worker)
            #expect(after.body.contains("已记账") && after.body.contains("目前结余 1.00 元") && after.body.contains("缴-01"))
            let remittance = try #require(
                try await harness.services.store.dues.accountStatement(organisationID: org, year: CalendarYear(of: today), access: .maintenance)
                    .entries.last)
            #expect(remittance.kind == .remittance && remittance.toOrganisationID == harness.fixture.tree["A1a"] && remittance.period == quarter)

            // The general branch above sees it arrive.
            let above = try await client.send(.get, "/dues/ledger?org=\(harness.fixture.tree["A1a"])", as: office)
            #expect(above.status == .ok && above.body.contains("甲财政局一支部") && above.body.contains("43.22"))

            // 冲正 needs a reason; then the entry shows 已冲正 and the cash is back.
            let noReason = try await client.send(.post, "/dues/ledger/entries/\(remittance.id)/reverse", as: worker, form: ["reason": ""])
            #expect(noReason.status == .badRequest && noReason.body.contains("冲正须写明原因"))
            #expect(
                try await client.send(.post, "/dues/ledger/entries/\(remittance.id)/reverse", as: worker, form: ["reason": "期间选错"]).status
                    == .seeOther)
            let reversed = try await client.send(.get, "/dues/ledger?org=\(org)", as: worker)
            #expect(reversed.body.contains("已冲正") && reversed.body.contains("原因：期间选错") && reversed.body.contains("目前结余 44.22 元"))

            // The report upward: the first sheet is the screen's table.
            let xlsx = try await client.send(.get, "/dues/ledger?org=\(org)&format=xlsx", as: worker)
            #expect(xlsx.status == .ok)
            let sheet = try XLSXReader.read(Data(xlsx.bodyBytes)).map(\.cells)
            let statement = try await harness.services.store.dues.accountStatement(
                organisationID: org, year: CalendarYear(of: today), access: .maintenance)
            #expect(sheet == [DuesAccountController.header] + DuesAccountController.rows(statement))
            let monthly = try await client.send(.get, "/dues/ledger?org=\(org)&by=monthly", as: worker)
            #expect(monthly.body.contains(DuesMonth(containing: today).description))

            // The publication: totals, nobody named.
            let publication = try await client.send(.get, "/dues/ledger/publication?org=\(org)&year=\(today.year)", as: worker)
            let memberName = try #require(try await harness.services.store.members.find(harness.fixture.memberIDs["A1a1"]!, access: .maintenance))
                .name
            #expect(publication.status == .ok && publication.body.contains("党费收缴、使用情况公示") && publication.body.contains("43.22"))
            #expect(!publication.body.contains(memberName))
            // The member's own page carries last year's publication of the branch.
            try await harness.services.store.members.linkAccount(
                username: member.username, toMember: harness.fixture.memberIDs["A1a1"]!, confirmingNameDifference: true, access: .maintenance,
                actor: .console("t"))
            let mine = try await client.send(.get, "/dues/mine", as: member)
            #expect(mine.body.contains("\(today.year - 1)年度党费收缴、使用情况公示"))

            // A Party group keeps no account; a temporary one neither (LIFE-12).
            let group = try await client.send(.get, "/dues/ledger?org=\(harness.fixture.tree["A1a1g"])", as: office)
            #expect(group.status == .badRequest && group.body.contains("党小组不设党费账目"))

            // The API: the same statement.
            let api = try await client.send(.get, "/api/v1/dues/ledger?org=\(org)", as: worker)
            #expect(api.status == .ok && api.body.contains("\"balances\":true") && api.body.contains("\"collected_fen\":4322"))
            let refused = try await client.send(
                .post, "/api/v1/dues/ledger/entries?org=\(org)", as: worker,
                json: "{\"kind\":\"expenditure\",\"amount\":\"5\",\"occurred_on\":\"\(today)\"}")
            #expect(refused.status.code == 422 && refused.body.contains("DUES-21"))
        }
    }
}
