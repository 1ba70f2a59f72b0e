import Testing
import Foundation
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 8: "全部" in the 党籍状态 filter means every state, in the list and the export.
@Suite("党籍状态 filter")
struct MemberStateFilterTests {
    @Test("the default shows those on the roster; 全部 adds 停止党籍/出党/死亡; one state shows that state; the export agrees")
    func allMeansAll() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1a1"]
        var draft = MemberFixtures.draft(name: "出党者", born: "1970-01-01", sequence: 401)
        draft.membershipState = MembershipState.left.displayName
        _ = try await harness.services.members.create(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        try await harness.withClient { client in
            let onRoster = try await client.send(.get, "/members?org=\(org)&scope=own", as: orgadmin)
            #expect(onRoster.status == .ok && onRoster.body.contains("党员A1a1") && !onRoster.body.contains("出党者"))
            #expect(onRoster.body.contains("在册（正常、失联）") && onRoster.body.contains("全部（含停止党籍、出党、死亡）"))
            let all = try await client.send(.get, "/members?org=\(org)&scope=own&state=all", as: orgadmin)
            #expect(all.body.contains("党员A1a1") && all.body.contains("出党者"))
            let left = try await client.send(.get, "/members?org=\(org)&scope=own&state=left", as: orgadmin)
            #expect(!left.body.contains("党员A1a1") && left.body.contains("出党者"))
            let export = try await client.send(.get, "/members/export.csv?org=\(org)&scope=own&state=all", as: orgadmin)
            #expect(export.status == .ok && export.body.contains("出党者"))
            let rosterExport = try await client.send(.get, "/members/export.csv?org=\(org)&scope=own", as: orgadmin)
            #expect(rosterExport.status == .ok && !rosterExport.body.contains("出党者"))
        }
        await harness.close()
    }
}
