import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 18 through `/api/v1`: another system reads a branch's collection and records and reverses payments with the
/// pages' rules (DUES-11/17), amounts as yuan strings and fen integers.
@Suite("党费 API")
struct DuesAPITests {
    @Test("collection read; a month paid twice refused with DUES-11 and nothing stored; 补交 recorded; 冲正 once")
    func collectionAndPayments() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let thisMonth = DuesMonth(containing: CivilDate(date: harness.services.clock.now()))
        let lastMonth = thisMonth.adding(months: -1)
        try await harness.withClient { client in
            let headers = APIParityTests.bearer(worker.apiToken)
            let sheet = try APIParityTests.object(
                try await client.send(.get, "/api/v1/dues/collection?org=\(org)&month=\(thisMonth.code)", as: nil, headers: headers).body)
            let lines = try #require(sheet["lines"] as? [[String: Any]])
            let line = try #require(lines.first { $0["member_id"] as? Int64 == member || ($0["member_id"] as? Int).map(Int64.init) == member })
            #expect(line["paid"] as? Bool == true && line["monthly"] as? String == "43.22" && line["monthly_fen"] as? Int == 4_322)
            #expect(sheet["paid_total"] as? String == "43.22")
            let bad = try await client.send(
                .get, "/api/v1/dues/collection?org=\(org)&month=2026-13", as: nil, headers: headers)
            #expect(bad.status.code == 400 || bad.status.code == 422)

            let twice = try await client.send(
                .post, "/api/v1/members/\(member)/dues", as: nil,
                json: "{\"kind\":\"regular\",\"from\":\"\(thisMonth.code)\",\"count\":1,\"method\":\"cash\"}", headers: headers)
            #expect(twice.status.code == 422 && twice.body.contains("DUES-11") && twice.body.contains("党费已交"))
            let back = try await client.send(
                .post, "/api/v1/members/\(member)/dues", as: nil,
                json: "{\"kind\":\"back_payment\",\"from\":\"\(lastMonth.code)\",\"count\":1,\"method\":\"transfer\"}", headers: headers)
            #expect(back.status == .created)
            let dues = try APIParityTests.object(back.body)
            #expect(dues["paid_up_to"] as? String == thisMonth.code)
            let payments = try #require(dues["payments"] as? [[String: Any]])
            #expect(payments.count == 2 && payments.last?["kind"] as? String == "back_payment" && payments.last?["amount"] as? String == "43.22")
            let id = try #require(payments.last?["id"] as? Int)
            let reversal = try await client.send(
                .post, "/api/v1/dues/payments/\(id)/reverse", as: nil, json: "{\"reason\":\"重复登记\"}", headers: headers)
            #expect(reversal.status == .created && reversal.body.contains("\"reverses\":\(id)"))
            let again = try await client.send(.post, "/api/v1/dues/payments/\(id)/reverse", as: nil, json: "{\"reason\":\"再冲\"}", headers: headers)
            #expect(again.status.code == 422 && again.body.contains("已冲正过"))
            let outsider = try #require(harness.fixture.memberIDs["B1"])
            #expect(try await client.send(.get, "/api/v1/members/\(outsider)/dues", as: nil, headers: headers).status == .notFound)
        }
        await harness.close()
    }
}
