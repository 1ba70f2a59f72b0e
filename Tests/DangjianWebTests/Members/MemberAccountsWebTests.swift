import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 18: an organisation worker puts the branch's members on the system in one step.
@Suite("为党员开通账户")
struct MemberAccountsWebTests {
    @Test(
        "a worker creates the accounts of the members without one: 党员 role, link and a one-time password each; twice makes none",
        arguments: TestBackend.enabled)
    func createAccounts(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let rosterCount = try await harness.services.members.list(MemberQuery(anchorID: org, scope: .own), access: .maintenance).total
        try await harness.withClient { client in
            let list = try await client.send(.get, "/members?org=\(org)&scope=own", as: worker)
            #expect(list.body.contains("action=\"/members/accounts?org=\(org)\""))
            let made = try await client.send(.post, "/members/accounts?org=\(org)", as: worker, form: [:])
            #expect(made.status == .ok && made.headers[.cacheControl] == "no-store")
            let rows = made.body.components(separatedBy: "<td data-label=\"登录名\"><code>").dropFirst()
            #expect(rows.count == rosterCount && rosterCount > 0)
            let memberID = harness.fixture.memberIDs["A1a1"]!
            let username = MemberAccountProvisioning.username(for: memberID)
            let password = try #require(
                made.body.range(of: "<code>\(username)</code></td><td data-label=\"一次性密码\"><code>").map {
                    String(made.body[$0.upperBound...].prefix { $0 != "<" })
                })
            // The account: the member's name, the 党员 role on the branch, linked, must change the password.
            let user = try #require(try await harness.services.accounts.find(username: username))
            let memberName = try await harness.services.members.find(memberID, access: .maintenance)?.name
            #expect(user.mustChangePassword && user.displayName == memberName)
            let roles = try await harness.services.accounts.assignments(of: user.id).map(\.role)
            #expect(roles == [.member])
            let linked = try await harness.services.members.linkedMember(userID: user.id)?.id
            #expect(linked == memberID)
            // The member signs in with the one-time password and is sent to change it.
            let (signedIn, _) = try await SignInTests.signIn(client, username: username, password: password)
            #expect(signedIn.status == .seeOther && signedIn.location == "/account/password")
            // A second run makes nothing and says how many already have one.
            let again = try await client.send(.post, "/members/accounts?org=\(org)", as: worker, form: [:])
            #expect(again.body.contains("已开通 0 个账户") && again.body.contains("另有 \(rosterCount) 名党员此前已有账户"))
            #expect(!again.body.contains("一次性密码只在本页显示"))
        }
        await harness.close()
    }

    @Test("concurrent runs make one account per member", arguments: TestBackend.enabled)
    func concurrent(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let org = harness.fixture.tree["A1a1"]
        let store = harness.services.store
        let policy = try await harness.services.passwordPolicy()
        let outcomes = try await withThrowingTaskGroup(of: MemberAccountProvisioning.Outcome.self) { group in
            for i in 0..<4 {
                group.addTask {
                    try await store.memberAccounts.createAccounts(
                        organisationID: org, access: .maintenance, policy: policy,
                        actor: Actor(userID: nil, name: "w\(i)", ip: "127.0.0.1", requestID: "r\(i)"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let made = outcomes.flatMap(\.created)
        #expect(Set(made.map(\.memberID)).count == made.count, "no member got two accounts")
        let roster = try await harness.services.members.list(MemberQuery(anchorID: org, scope: .own), access: .maintenance).total
        #expect(made.count == roster)
        await harness.close()
    }
}
