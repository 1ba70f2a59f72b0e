import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 17: every role's home page shows what is theirs to do now.
@Suite("首页 by role")
struct HomeWebTests {
    @Test(
        "a secretary sees what is due with a 记录 button; an office its subtree's red and yellow counts; a member their meetings, sign-in, 民主评议 and dues; 访问令牌 is under 账户设置"
    )
    func homeByRole() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let orgadmin = try #require(fixture.actors[.orgadmin])
        let member = try #require(fixture.actors[.member])
        let org = fixture.tree["A1a1"]
        let memberID = try #require(fixture.memberIDs["A1a1"])
        let memberUsername = try #require(try await harness.services.accounts.find(member.userID)).username
        try await harness.services.members.linkAccount(
            username: memberUsername, toMember: memberID, confirmingNameDifference: true, access: .maintenance, actor: .console("t"))
        // An older branch with nothing held is red in the committee's subtree.
        let old = try await harness.services.organisations.create(
            type: .branch, name: "甲档案局支部", shortName: nil, parentID: fixture.tree["A1"],
            access: .maintenance, actor: .console("t"), effectiveDate: CivilDate(year: 2020, month: 1, day: 1))
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            // The secretary: what is due (a transfer to receive, the problems of the lists fixture), each with its button.
            let home = try await client.send(.get, "/", as: worker)
            let due = try #require(home.body.components(separatedBy: "id=\"home-due\"").dropFirst().first?.components(separatedBy: "</ul>").first)
            #expect(home.status == .ok && home.body.contains("现在要做"))
            #expect(due.contains("问题“记录不全”请制定整改措施") && due.contains("href=\"/transfers\">办理</a>"), "\(due)")
            #expect(!home.body.contains("id=\"home-offices\""), "a branch secretary has no subtree to watch")

            // The office: red and yellow counts of its subtree, one tap from the red list and the board.
            let office = try await client.send(.get, "/", as: orgadmin)
            let rollUp = try await harness.services.compliance.rollUp(
                anchorID: fixture.tree["A1"], scope: .subtree, access: .maintenance)
            let red = rollUp.counts[.overdue] ?? 0
            #expect(red >= 1 && rollUp.organisations.contains { $0.organisation.id == old.id && $0.worst == .overdue })
            let offices = try #require(office.body.components(separatedBy: "id=\"home-offices\"").dropFirst().first)
            #expect(offices.contains("<span class=\"badge red\">\(red)</span>"))
            #expect(offices.contains("/compliance?org=\(fixture.tree["A1"])&amp;scope=subtree&amp;problems=1"))
            // A meeting to record opens the form for its kind: 记录.
            #expect(office.body.contains("href=\"/orgs/\(old.id)/meetings/new?kind=theme_day\"") && office.body.contains(">记录</a>"))

            // The member: a meeting that listed them as present, an open sign-in, their dues line.
            let saved = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "theme_day", "held_on": today.description, "topic": "首页显示的主题党日", "att_\(memberID)": "present", "await_checkin": "1",
                ])
            #expect(saved.status == .seeOther)
            // Their dues: the fixture set the year's base (4,321.57 → 43.22) and recorded this month's payment.
            let mine = try await client.send(.get, "/", as: member)
            let section = try #require(mine.body.components(separatedBy: "id=\"home-member\"").dropFirst().first)
            #expect(section.contains("首页显示的主题党日") && section.contains("出席"))
            #expect(section.contains("正在签到") && section.contains("请扫描会场二维码签到"))
            #expect(
                section.contains("id=\"home-evaluation\"") && section.contains("每月应交党费 43.22 元")
                    && section.contains("党费已交至 \(DuesMonth(containing: today))"))
            let present = try await harness.services.meetings.overview(ofMember: memberID, organisationID: org, year: today.year).present
            #expect(present >= 1 && section.contains("出席 \(present) 次"))
            // Another member's meetings are not shown: the section reads the linked member only.
            #expect(!mine.body.contains("党员A1a2"))

            // 访问令牌 is no longer in the menu; 账户设置 lists it.
            let nav = try #require(mine.body.components(separatedBy: "class=\"site-nav").dropFirst().first?.components(separatedBy: "</nav>").first)
            #expect(!nav.contains("访问令牌") && nav.contains("账户设置"))
            let settings = try await client.send(.get, "/account", as: member)
            #expect(settings.status == .ok && settings.body.contains("href=\"/account/tokens\"") && settings.body.contains("href=\"/account/me\""))
        }
        await harness.close()
    }
}
