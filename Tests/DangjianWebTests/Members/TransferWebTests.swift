import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
import DangjianOffice
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Member transfers (MEM-04)")
struct TransferWebTests {
    @Test("an incoming transfer stays with the sender until received; then the member is on the receiver's roster")
    func receive() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let memberB1 = harness.fixture.memberIDs["B1"]!
        #expect(try await harness.services.members.find(memberB1, access: .maintenance)?.organisationID == harness.fixture.tree["B1"])
        try await harness.withClient { client in
            let list = try await client.send(.get, "/transfers", as: worker)
            #expect(list.body.contains("id=\"incoming\"") && list.body.contains("党员B1"))
            #expect(try await client.send(.get, "/members/\(memberB1)", as: worker).status == .notFound, "not ours until received")
            let received = try await client.send(.post, "/transfers/\(harness.fixture.incomingTransfer)/receive", as: worker, form: [:])
            #expect(received.status == .seeOther)
            #expect(try await client.send(.get, "/members/\(memberB1)", as: worker).status == .ok)
        }
        #expect(try await harness.services.members.find(memberB1, access: .maintenance)?.organisationID == harness.fixture.tree["A1a1"])
        let moves = try await harness.services.audit.search(AuditQuery(action: "move", objectType: "member"), database: harness.scratch.database)
        #expect(moves.total == 1)
        await harness.close()
    }

    @Test("a letter out of the system prints as a .docx with the MEM-04 particulars; the receipt takes the member off the roster")
    func letterAndReceipt() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let member = harness.fixture.memberIDs["A1a1"]!
        try await harness.withClient { client in
            let docx = try await client.send(.get, "/transfers/\(harness.fixture.outgoingTransfer)/letter.docx", as: worker)
            #expect(docx.status == .ok && docx.headers[.contentType]?.contains("wordprocessingml") == true)
            let confirm = try await client.send(.post, "/transfers/\(harness.fixture.outgoingTransfer)/confirm", as: worker, form: [:])
            #expect(confirm.status == .seeOther)
            #expect(try await client.send(.get, "/members/\(member)", as: worker).status == .notFound)
        }
        let transfer = try #require(try await harness.services.transfers.find(harness.fixture.outgoingTransfer))
        let letter = try DocxWriter.transferLetter(try await harness.services.transfers.letter(transfer))
        #expect(letter.starts(with: [0x50, 0x4B]))
        // Starting a second transfer for someone with one pending is refused.
        let other = harness.fixture.memberIDs["A1a2"]!
        _ = try await harness.services.transfers.start(
            memberID: other, toOrganisationID: nil, toName: "外地", validDays: 30, duesPaidUntil: (2026, 11), access: .maintenance, actor: .console("t")
        )
        await #expect(throws: ValidationFailure.self) {
            try await harness.services.transfers.start(
                memberID: other, toOrganisationID: nil, toName: "外地", validDays: 30, duesPaidUntil: (2026, 11), access: .maintenance,
                actor: .console("t"))
        }
        await #expect(throws: ValidationFailure.self) {
            try await harness.services.transfers.start(
                memberID: harness.fixture.memberIDs["A1b"]!, toOrganisationID: nil, toName: "外地", validDays: 365, duesPaidUntil: (2026, 11),
                access: .maintenance, actor: .console("t"))
        }
        await harness.close()
    }

    @Test("Chinese numerals in letters")
    func numerals() {
        #expect(ChineseNumerals.yearMonth(2026, 11) == "二〇二六年十一月")
        #expect(ChineseNumerals.number(20) == "二十" && ChineseNumerals.number(31) == "三十一" && ChineseNumerals.number(10) == "十")
    }
}

@Suite("A member's own page")
struct OwnRecordTests {
    @Test("a 党员 sees their own record once an organisation worker links the account, and nobody else's")
    func ownRecord() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let member = try #require(harness.fixture.actors[.member])
        let own = harness.fixture.memberIDs["A1a1"]!
        try await harness.withClient { client in
            let before = try await client.send(.get, "/account/me", as: member)
            #expect(before.status == .ok && before.body.contains("id=\"not-linked\""))
            let wrong = try await client.send(.post, "/members/\(own)/account", as: worker, form: ["username": "auditor"])
            #expect(wrong.status == .badRequest && wrong.body.contains("党员"))
            // Issue 17 item 9: the account (测试党员) and the member (党员A1a1) have different names — refused until the
            // worker confirms it is the same person; the audit says so.
            let differing = try await client.send(.post, "/members/\(own)/account", as: worker, form: ["username": "member"])
            #expect(differing.status == .badRequest && differing.body.contains("不一致") && differing.body.contains("党员A1a1"))
            #expect(try await client.send(.get, "/account/me", as: member).body.contains("id=\"not-linked\""))
            let linked = try await client.send(.post, "/members/\(own)/account", as: worker, form: ["username": "member", "confirm_name": "1"])
            #expect(linked.status == .seeOther)
            let entry = try await harness.services.audit.search(AuditQuery(objectType: "user"), database: harness.services.database).records
                .first { $0.summary.contains("关联党员") }
            #expect(entry?.summary.contains("姓名不一致，已核实是本人") == true)
            let after = try await client.send(.get, "/account/me", as: member)
            #expect(after.body.contains("党员A1a1") && after.body.contains("DEV-32") && !MemberWebTests.containsFullNumber(after.body))
            #expect(try await client.send(.get, "/members/\(own)", as: member).status == .forbidden)
        }
        await harness.close()
    }
}
