import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 14: the audit trail answers "what did this person do" — by login name or name, sign-ins included —
/// and shows objects and fields in Chinese, each object linked to its own records in the trail.
@Suite("Audit search by person")
struct AuditSearchTests {
    @Test(
        "a person's sign-ins (and failed attempts on their login name) and their changes are found by login name or name",
        arguments: TestBackend.enabled)
    func byPerson(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let auditor = try #require(harness.fixture.actors[.auditor])
        let displayName = try #require(try await harness.services.accounts.find(worker.userID)).displayName
        try await harness.withClient { client in
            _ = try await SignInTests.signIn(client, username: worker.username, password: "wrong-password-1", ip: "10.1.2.3")
            let (signedIn, _) = try await SignInTests.signIn(client, username: worker.username, password: WebFixture.password, ip: "10.1.2.4")
            #expect(signedIn.status == .seeOther)
            let org = harness.fixture.tree["A1a1"]
            let saved = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: ["kind": "theme_day", "held_on": CivilDate(date: harness.clock.now()).description, "topic": "审计检索测试"])
            #expect(saved.status == .seeOther)
            for query in [worker.username, displayName] {
                let page = try await client.send(
                    .get, "/audit?actor=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", as: auditor)
                #expect(page.status == .ok)
                #expect(page.body.contains("登录成功"), "\(query): the sign-in is the person's")
                if query == worker.username {
                    #expect(page.body.contains("（尝试登录 \(worker.username)）"), "the failed attempt on their login name")
                }
                #expect(page.body.contains("审计检索测试"), "\(query): what they recorded")
                #expect(!page.body.contains("meeting#"), "objects in Chinese")
                #expect(page.body.contains(">组织生活记录 "))
                #expect(page.body.contains("href=\"/audit?object_type=meeting&amp;object_id="))
            }
            // Another person's name finds none of it; a LIKE wildcard is a character, not "everyone".
            let other = try await client.send(.get, "/audit?actor=%25", as: auditor)
            #expect(!other.body.contains("审计检索测试"))
        }
        await harness.close()
    }

    @Test("field names are Chinese: the member's from its field table, the others from the vocabulary")
    func fieldNames() {
        #expect(AuditVocabulary.fieldName("held_on", objectType: "meeting") == "日期")
        #expect(AuditVocabulary.fieldName("dues_base", objectType: "dues_base") == "党费基数（元/月）" && AuditVocabulary.objectName("dues_base") == "党费基数")
        #expect(AuditVocabulary.fieldName(MemberField.idNumber.key, objectType: "member") == MemberField.idNumber.title)
        #expect(AuditVocabulary.objectName("development_case") == "发展党员档案" && AuditVocabulary.objectName("unknown_x") == "unknown_x")
    }
}
