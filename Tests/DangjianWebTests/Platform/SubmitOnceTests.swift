import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport
import SQLKit

/// Issue 17, item 5: "a double tap saves two" — every form a page prints carries a one-time token, and a form sent
/// twice (one after the other, or at the same moment) stores one record, for every capability's create forms.
@Suite("forms are sent once")
struct SubmitOnceTests {
    @Test(
        "a meeting form sent twice, then six times at once, stores one meeting each time; the repeat goes where the first went",
        arguments: TestBackend.enabled)
    func meetingSentTwice(backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let member = try #require(harness.fixture.memberIDs["A1a1"])
        let today = CivilDate(date: harness.services.clock.now())
        let year = today.year
        let before = try await harness.services.meetings.list(organisationID: org, year: year, access: .maintenance).count
        try await harness.withClient { client in
            let page = try await client.send(.get, "/orgs/\(org)/meetings/new?kind=group_meeting", as: worker)
            let token = try #require(page.hiddenField("_once"))
            #expect(token.count >= 16)
            let form = [
                "kind": "group_meeting", "held_on": today.description, "topic": "双击测试支委会", "att_\(member)": "present", "_once": token,
            ]
            let first = try await client.send(.post, "/orgs/\(org)/meetings", as: worker, form: form)
            #expect(first.status == .seeOther && first.location?.hasSuffix("?done=meeting") == true)
            let second = try await client.send(.post, "/orgs/\(org)/meetings", as: worker, form: form)
            let firstPage = try #require(first.location?.components(separatedBy: "?").first)
            #expect(second.status == .seeOther && second.location == firstPage + "?done=repeat")
            let shown = try await client.send(.get, second.location ?? "/", as: worker)
            #expect(shown.body.contains("这张表单已经提交过，本次未重复保存") && shown.body.contains("双击测试支委会"))
            // A fresh page is a fresh token: the same content sent from it is a second meeting, as the user meant.
            let again = try await client.send(.get, "/orgs/\(org)/meetings/new?kind=group_meeting", as: worker)
            #expect(again.hiddenField("_once") != token)
        }
        #expect(try await harness.services.meetings.list(organisationID: org, year: year, access: .maintenance).count == before + 1)
        // Six submissions of one form at the same moment (a nervous double tap on a slow line): one meeting.
        let token = SubmitOnce.newToken()
        let locations = try await harness.withClient { client in
            try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let response = try await client.send(
                            .post, "/orgs/\(org)/meetings", as: worker,
                            form: [
                                "kind": "group_meeting", "held_on": today.description, "topic": "并发提交", "att_\(member)": "present",
                                "_once": token,
                            ])
                        return response.status == .seeOther ? response.location?.components(separatedBy: "?").first : "HTTP \(response.status.code)"
                    }
                }
                var all: [String?] = []
                for try await location in group { all.append(location) }
                return all
            }
        }
        #expect(Set(locations).count == 1, "every submission ends on the one meeting: \(locations)")
        #expect(try await harness.services.meetings.list(organisationID: org, year: year, access: .maintenance).count == before + 2)
        await harness.close()
    }

    @Test("a refused form can be sent again with its token; a problem registered twice is one problem")
    func refusalGivesTheTokenBack() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let fixture = harness.fixture
        try await harness.withClient { client in
            let token = SubmitOnce.newToken()
            var form = [
                "organisation": "\(fixture.tree["A1a1"])", "source": "self_check", "category": "组织生活", "description": "一次提交的问题",
                "found_on": "2026-06-03", "deadline": "下月底", "_once": token,
            ]
            // Refused twice with the same token: each time the reason, never "already sent".
            for _ in 0..<2 {
                let refused = try await client.send(.post, "/problems", as: orgadmin, form: form)
                #expect(refused.status == .badRequest && refused.body.contains("无法识别日期“下月底”"))
            }
            form["deadline"] = "2026-12-31"
            let saved = try await client.send(.post, "/problems", as: orgadmin, form: form)
            #expect(saved.status == .seeOther)
            let repeated = try await client.send(.post, "/problems", as: orgadmin, form: form)
            #expect(repeated.status == .seeOther && repeated.location?.hasSuffix("done=repeat") == true)
            let list = try await client.send(.get, "/problems?q=一次提交的问题", as: orgadmin)
            #expect(list.body.components(separatedBy: "一次提交的问题").count - 1 >= 1)
        }
        let count = try await harness.services.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM problems WHERE description = \(bind: "一次提交的问题")").first()?.decode(column: "n", as: Int.self)
        }
        #expect(count == 1)
        await harness.close()
    }

    @Test("the key: a token of ours only, and two forms of one page never share a key")
    func keys() {
        let token = SubmitOnce.newToken()
        #expect(FormSubmissionLedger.key(token: "short", route: "POST /x", fields: []) == nil)
        #expect(FormSubmissionLedger.key(token: token + "<", route: "POST /x", fields: []) == nil)
        let a = FormSubmissionLedger.key(token: token, route: "POST /problems/1/close", fields: [("reason", "x")])
        let b = FormSubmissionLedger.key(token: token, route: "POST /problems/2/close", fields: [("reason", "x")])
        let c = FormSubmissionLedger.key(token: token, route: "POST /problems/1/close", fields: [("reason", "y")])
        #expect(a != nil && a != b && a != c)
        #expect(SubmitOnce.withoutNotice("/meetings/3?done=meeting") == "/meetings/3")
        #expect(SubmitOnce.withoutNotice("/x?year=2026&done=step") == "/x?year=2026")
    }
}
