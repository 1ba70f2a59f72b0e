import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
import DangjianOffice
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
            let bad = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "general_meeting", "held_on": today.description, "topic": "", "att_\(member)": "present",
                    "vote_motion_1": "接收预备党员", "vote_entitled_1": "1", "vote_present_1": "1", "vote_for_1": "2",
                ])
            #expect(bad.status == .badRequest && bad.body.contains("请填写主题"))
            // The tally is then checked against the attendance on the same form (issue 17 item 4): ballots add up.
            let tally = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "general_meeting", "held_on": today.description, "topic": "表决不符", "att_\(member)": "present",
                    "vote_motion_1": "接收预备党员", "vote_entitled_1": "1", "vote_present_1": "1", "vote_for_1": "2",
                ])
            #expect(tally.status == .badRequest && tally.body.contains("合计 2 票，应等于实到有表决权的党员 1 人") && tally.body.contains("表决不符"))
            let ok = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "general_meeting", "held_on": today.description, "topic": "第四季度支部党员大会", "att_\(member)": "present",
                    "vote_motion_1": "通过年度工作总结", "vote_entitled_1": "1", "vote_present_1": "1", "vote_for_1": "1",
                ])
            #expect(ok.status == .seeOther)
            let detail = try await client.send(.get, ok.location ?? "/", as: worker)
            #expect(detail.body.contains("第四季度支部党员大会") && detail.body.contains("通过（LIFE-02）") && detail.body.contains("出席"))
            let year = try await client.send(.get, "/orgs/\(org)/meetings", as: worker)
            #expect(year.body.contains("支部党员大会1") && year.body.contains("第四季度支部党员大会"))
            // An older branch (established 2020) with no records is red in the committee's roll-up, naming the rule.
            let old = try await harness.services.organisations.create(
                type: .branch, name: "甲统计局支部", shortName: nil, parentID: harness.fixture.tree["A1"],
                access: .maintenance, actor: .console("t"), effectiveDate: CivilDate(year: 2020, month: 1, day: 1))
            let rollUp = try await client.send(.get, "/compliance?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(rollUp.status == .ok && rollUp.body.contains("/orgs/\(old.id)/meetings\">甲统计局支部"))
            let oldRow = rollUp.body.components(separatedBy: "<tr class=\"state-").first { $0.contains("甲统计局支部") }
            #expect(oldRow?.hasPrefix("red") == true && oldRow?.contains("主题党日未按规定开展") == true && oldRow?.contains("LIFE-06") == true)
            #expect(rollUp.body.contains("id=\"legend\"") && rollUp.body.contains("12 月"), "what the colours mean is on the page")
            // The big-screen board: the red branch first, with its months; organisation names only, no members.
            let board = try await client.send(.get, "/board?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(board.status == .ok && board.headers[HTTPField.Name("Refresh")!] == "300")
            let tiles = board.body.components(separatedBy: "<li class=\"tile-board ")
            let oldTile = try #require(tiles.first { $0.contains("甲统计局支部") })
            #expect(tiles[1].hasPrefix("red") && oldTile.hasPrefix("red"))
            #expect(oldTile.components(separatedBy: "<i class=\"m ").count - 1 == today.month)
            #expect(!board.body.contains("党员A1a1"), "no personal data on the board")
            // The worker's scope is A1a1: the committee above is out of reach.
            let denied = try await client.send(.get, "/orgs/\(harness.fixture.tree["A1a"])/meetings", as: worker)
            #expect(denied.status == .notFound)
        }
        await harness.close()
    }

    @Test("the monthly report: figures on screen, the same figures in the .xlsx, a .docx, the export audited; bad periods fall back")
    func monthlyReport() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1 = harness.fixture.tree["A1"]
        let today = CivilDate(date: harness.services.clock.now())
        let lastMonth = CompliancePeriod(.month, containing: today).previous
        let code = String(format: "%04d-%02d", lastMonth.start.year, lastMonth.number)
        // An older branch with last month's theme day held, another with nothing: one of two meets LIFE-06.
        var created: [Int64] = []
        for name in ["甲审计局支部", "甲统计局支部"] {
            created.append(
                try await harness.services.organisations.create(
                    type: .branch, name: name, shortName: nil, parentID: a1, access: .maintenance,
                    actor: .console("t"), effectiveDate: CivilDate(year: 2020, month: 1, day: 1)
                ).id)
        }
        let ids = created
        var draft = MeetingDraft(kind: .themeDay, heldOn: try #require(CivilDate(year: lastMonth.start.year, month: lastMonth.start.month, day: 4)))
        draft.topic = "主题党日：学习党章"
        _ = try await harness.services.meetings.record(draft, organisationID: ids[0], access: .maintenance, actor: .console("t"))
        try await harness.withClient { client in
            let page = try await client.send(.get, "/compliance/report?org=\(a1)&scope=subtree&period=\(code)", as: orgadmin)
            #expect(page.status == .ok && page.body.contains("\(lastMonth)组织生活月报") && page.body.contains("<svg"))
            #expect(page.body.contains("甲统计局支部") && page.body.contains("主题党日未按规定开展") && page.body.contains("LIFE-06"))
            #expect(!page.body.contains("/orgs/\(ids[0])/meetings\">甲审计局支部"), "a branch that met everything is listed only with 列出全部")
            let all = try await client.send(.get, "/compliance/report?org=\(a1)&scope=subtree&period=\(code)&all=1", as: orgadmin)
            #expect(all.body.contains("/orgs/\(ids[0])/meetings\">甲审计局支部"))
            let xlsx = try await client.send(.get, "/compliance/report?org=\(a1)&scope=subtree&period=\(code)&format=xlsx", as: orgadmin)
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
            let rows = try XLSXReader.read(Data(xlsx.bodyBytes)).map(\.cells)
            #expect(rows.first == ["要求", "规则", "应开展党组织数", "达标数", "开展次数", "达标率"])
            let themeDay = try #require(rows.first { $0.count > 1 && $0[1] == "LIFE-06" })
            // The fixture's own branches (A1a1, A1a2, A1b) were established this year in the harness or earlier; the
            // figures must agree with the service's report whatever they are.
            let report = try await harness.services.compliance.report(anchorID: a1, scope: .subtree, access: .maintenance, period: lastMonth)
            let line = try #require(report.requirements.first { $0.requirement.ruleID == "LIFE-06" })
            #expect(themeDay[2] == String(line.organisations) && themeDay[3] == String(line.met) && line.met >= 1 && line.met < line.organisations)
            let docx = try await client.send(.get, "/compliance/report?org=\(a1)&scope=subtree&period=\(code)&format=docx", as: orgadmin)
            #expect(
                docx.status == .ok && docx.bodyBytes.starts(with: [0x50, 0x4B])
                    && docx.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
            let audit = try await client.send(.get, "/audit", as: try #require(harness.fixture.actors[.auditor]))
            #expect(audit.body.contains("组织生活月报（Excel"))
            // A malformed period falls back to last month rather than failing.
            let fallback = try await client.send(.get, "/compliance/report?org=\(a1)&period=2026-13", as: orgadmin)
            #expect(fallback.status == .ok && fallback.body.contains("\(lastMonth)组织生活月报"))
        }
        await harness.close()
    }

    @Test(
        "participation: a member absent from six months of theme days is flagged for review (DUES-13), one on leave is not; the committee sees only flagged members"
    )
    func participationFlags() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1a1"]
        for i in 0..<2 {
            _ = try await harness.services.members.create(
                MemberFixtures.draft(name: "参加\(i)", born: "1985-02-0\(i + 1)", sequence: 820 + i, status: .full),
                organisationID: org, access: .maintenance, actor: .console("t"))
        }
        let roster = try await harness.services.meetings.roster(of: org, access: .maintenance)
        #expect(roster.count == 3)
        let absentee = roster[0].id
        let onLeave = roster[1].id
        var month = CompliancePeriod(.month, containing: CivilDate(date: harness.services.clock.now()))
        for _ in 0..<6 {
            month = month.previous
            var draft = MeetingDraft(kind: .themeDay, heldOn: try #require(CivilDate(year: month.start.year, month: month.start.month, day: 10)))
            draft.topic = "主题党日 \(month)"
            for m in roster {
                draft.attendance[m.id] = (m.id == absentee ? .absent : m.id == onLeave ? .leave : .present, m.id == onLeave ? "外派" : "")
            }
            _ = try await harness.services.meetings.record(draft, organisationID: org, access: .maintenance, actor: .console("t"))
        }
        try await harness.withClient { client in
            let page = try await client.send(.get, "/participation?org=\(org)&scope=own", as: worker)
            #expect(page.status == .ok && page.body.contains("提请核实 1") && page.body.contains("DUES-13"))
            let rows = page.body.components(separatedBy: "<tr class=\"state-")
            #expect(rows.count == roster.count + 1)
            #expect(rows[1].hasPrefix("red") && rows[1].contains("/members/\(absentee)\"") && rows[1].contains("连续 6 个月未参加组织生活"))
            let leaveRow = try #require(rows.first { $0.contains("/members/\(onLeave)\"") })
            #expect(leaveRow.hasPrefix("green") && leaveRow.contains(">6</td>"), "six leaves, no flag")
            // The committee over the subtree sees only the flagged member by default.
            let committee = try await client.send(.get, "/participation?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(committee.body.components(separatedBy: "<tr class=\"state-").count == 2 && committee.body.contains("/members/\(absentee)\""))
            // The secretary's to-do list carries the same flag (read through the flagged-only query).
            let todo = try await client.send(.get, "/todo", as: worker)
            #expect(todo.body.contains("连续 6 个月未参加组织生活") && todo.body.contains("/participation?org=\(org)&amp;scope=own"))
            // Nothing happened to the member: the flag is advice only.
            let member = try await client.send(.get, "/members/\(absentee)", as: worker)
            #expect(member.status == .ok && member.body.contains("正常"))
        }
        await harness.close()
    }
}
