import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("组织生活 pages")
struct MeetingWebTests {
    @Test("a secretary records a 支部党员大会 with attendance and a vote; the vote says why it passed; the roll-up and the year view follow")
    func recordGeneralMeeting() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1a1"]
        let member = harness.fixture.memberIDs["A1a1"]!
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let form = try await client.send(.get, "/orgs/\(org)/meetings/new?kind=general_meeting", as: worker)
            #expect(form.status == .ok && form.body.contains("name=\"att_\(member)\"") && form.body.contains("表决事项"))
            // Bad figures: more votes than voters present; the message names the rule-relevant field.
            let bad = try await client.send(.post, "/orgs/\(org)/meetings", as: worker, form: [
                "kind": "general_meeting", "held_on": today.description, "topic": "", "att_\(member)": "present",
                "vote_motion_1": "接收预备党员", "vote_entitled_1": "1", "vote_present_1": "1", "vote_for_1": "2"])
            #expect(bad.status == .badRequest && bad.body.contains("请填写主题") && bad.body.contains("不能超过实到人数"))
            let ok = try await client.send(.post, "/orgs/\(org)/meetings", as: worker, form: [
                "kind": "general_meeting", "held_on": today.description, "topic": "第四季度支部党员大会", "att_\(member)": "present",
                "vote_motion_1": "通过年度工作总结", "vote_entitled_1": "1", "vote_present_1": "1", "vote_for_1": "1"])
            #expect(ok.status == .seeOther)
            let detail = try await client.send(.get, ok.location ?? "/", as: worker)
            #expect(detail.body.contains("第四季度支部党员大会") && detail.body.contains("通过（LIFE-02）") && detail.body.contains("出席"))
            let year = try await client.send(.get, "/orgs/\(org)/meetings", as: worker)
            #expect(year.body.contains("支部党员大会1") && year.body.contains("第四季度支部党员大会"))
            let rollUp = try await client.send(.get, "/compliance?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(rollUp.status == .ok && rollUp.body.contains("甲财政局一支部") && rollUp.body.contains("id=\"compliance-counts\""))
            // The worker's scope is A1a1: the committee above is out of reach.
            let denied = try await client.send(.get, "/orgs/\(harness.fixture.tree["A1a"])/meetings", as: worker)
            #expect(denied.status == .notFound)
        }
        await harness.close()
    }
}
