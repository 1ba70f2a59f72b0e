import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport
import SQLKit

@Suite("Units, committee checks, by-elections, floating register and rule parameters (pages)")
struct OrganisationSetupWebTests {
    @Test("a new organisation may carry its real establishment date (an existing branch entered late); a bad date names the field")
    func establishedOnAPastDate() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let parent = harness.fixture.tree["A1"]
        try await harness.withClient { client in
            let bad = try await client.send(
                .post, "/orgs", as: orgadmin, form: ["parent_id": String(parent), "org_type": "branch", "name": "补录支部", "effective_date": "去年"])
            #expect(bad.status == .badRequest && bad.body.contains("effective_date"))
            let ok = try await client.send(
                .post, "/orgs", as: orgadmin,
                form: ["parent_id": String(parent), "org_type": "branch", "name": "补录支部", "effective_date": "2021-03-15"])
            let id = try #require(ok.location.flatMap { Int64($0.split(separator: "/").last ?? "") })
            let history = try await harness.services.organisations.history(of: id, access: .maintenance)
            #expect(history.first?.effectiveDate.description == "2021-03-15")
        }
        await harness.close()
    }

    @Test("ORG-09 shows on the organisation page once the committee is recorded, and disappears when a new rule version switches it off")
    func committeeWarningFollowsRuleVersion() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let sysadmin = try #require(harness.fixture.actors[.sysadmin])
        let org = harness.fixture.tree["A1a2"]
        // 8 full members (the fixture's one plus 7) and a committee of 4: ORG-09 (4 × 2 ≥ 8).
        for i in 0..<7 {
            _ = try await harness.services.members.create(
                MemberFixtures.draft(name: "支部成员\(i)", born: "1982-02-02", sequence: 500 + i),
                organisationID: org, access: .maintenance, actor: .console("t"))
        }
        try await harness.withClient { client in
            let elected = try await client.send(
                .post, "/orgs/\(org)/elections", as: orgadmin,
                form: [
                    "held_on": "2025-03-01", "seats": "4", "eligible": "8", "present": "8", "candidates": "甲 8\n乙 7\n丙 7\n丁 6\n戊 1",
                    "posts": "甲 书记\n乙 组织委员\n丙 宣传委员\n丁 纪检委员",
                ])
            #expect(elected.status == .seeOther)
            let page = try await client.send(.get, "/orgs/\(org)", as: orgadmin)
            #expect(page.body.contains("支委会 4 人，达到正式党员 8 人的半数") && page.body.contains("ORG-09"))
            #expect(!page.body.contains("（ORG-06）"), "a committee of 4 is within 3…7")

            let today = CivilDate(date: harness.services.clock.now()).description
            // The 系统管理员 saves a version effective today with ORG-09 off (the checkbox left empty).
            let bad = try await client.send(.post, "/admin/rules", as: sysadmin, form: Self.ruleForm(version: "", minimumAge: "12", effective: today))
            #expect(bad.status == .badRequest && bad.body.contains("DEV-01") && bad.body.contains("版本名称"))
            let saved = try await client.send(
                .post, "/admin/rules", as: sysadmin, form: Self.ruleForm(version: "某县-2026", minimumAge: "18", effective: today))
            #expect(saved.status == .seeOther)
            let rules = try await client.send(.get, "/admin/rules", as: sysadmin)
            #expect(rules.body.contains("某县-2026") && rules.body.contains("生效中"))
            let again = try await client.send(.get, "/orgs/\(org)", as: orgadmin)
            #expect(!again.body.contains("ORG-09"))
            // The new version's assessment categories are what the unit form offers.
            #expect(again.body.contains("<option value=\"乡村振兴\">") && !again.body.contains("<option value=\"执法监督\">"))
        }
        await harness.close()
    }

    static func ruleForm(version: String, minimumAge: String, effective: String) -> [String: String] {
        [
            "version": version, "effective_from": effective, "minimum_age": minimumAge, "probation_years": "1",
            "maximum_probation_extension_months": "12", "medal_years": "50", "lost_contact_months": "6", "branch_minimum_full_members": "3",
            "branch_maximum_members": "50", "committee_threshold_full_members": "7", "committee_minimum_size": "3", "committee_maximum_size": "7",
            "joint_branch_maximum_units": "5", "floating_transfer_months": "6", "political_birthday_anchor": "admission",
            "assessment_categories": "党群政务、乡村振兴",
        ]
    }

    @Test("units: registered on the organisation page, listed and filtered across the subtree, exported; a bad category names the field")
    func units() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1b"]
        try await harness.withClient { client in
            let bad = try await client.send(
                .post, "/orgs/\(org)/units", as: orgadmin, form: ["name": "", "category": "工厂", "assessment_category": ""])
            #expect(bad.status == .badRequest && bad.body.contains("请填写单位名称") && bad.body.contains("单位类别应为"))
            let ok = try await client.send(
                .post, "/orgs/\(org)/units", as: orgadmin, form: ["name": "甲县教育局", "category": "organ", "assessment_category": "社会服务"])
            #expect(ok.status == .seeOther)
            let page = try await client.send(.get, "/orgs/\(org)", as: orgadmin)
            #expect(page.body.contains("甲县教育局") && page.body.contains("社会服务"))
            let list = try await client.send(.get, "/units?org=\(harness.fixture.tree["A1"])&scope=subtree&category=organ", as: orgadmin)
            #expect(list.body.contains("甲县教育局") && list.body.contains("某县某局"))
            let filtered = try await client.send(
                .get, "/units?org=\(harness.fixture.tree["A1"])&scope=subtree&assessment_category=%E7%A4%BE%E4%BC%9A%E6%9C%8D%E5%8A%A1", as: orgadmin)
            #expect(filtered.body.contains("甲县教育局") && !filtered.body.contains("某县某局"))
            let csv = try await client.send(.get, "/units?org=\(harness.fixture.tree["A1"])&scope=subtree&format=csv", as: orgadmin)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.body.contains("甲县教育局,机关,社会服务,甲教育局支部"))
        }
        await harness.close()
    }

    @Test("a by-election from the form replaces the departing secretary in the same term")
    func byElection() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1a"]
        try await harness.withClient { client in
            _ = try await client.send(
                .post, "/orgs/\(org)/elections", as: orgadmin,
                form: [
                    "held_on": "2025-03-01", "seats": "3", "eligible": "20", "present": "18", "candidates": "甲 15\n乙 14\n丙 12\n丁 3",
                    "posts": "甲 书记\n乙 组织委员\n丙 纪检委员",
                ])
            let refused = try await client.send(
                .post, "/orgs/\(org)/by-elections", as: orgadmin,
                form: [
                    "held_on": "2026-06-01", "vacated": "甲", "reason": "调离", "seats": "1", "eligible": "20", "present": "16", "candidates": "戊 15",
                    "posts": "戊 书记",
                ])
            #expect(refused.status == .badRequest && refused.body.contains("ORG-E3"))
            let ok = try await client.send(
                .post, "/orgs/\(org)/by-elections", as: orgadmin,
                form: [
                    "held_on": "2026-06-01", "vacated": "甲", "reason": "调离", "seats": "1", "eligible": "20", "present": "18", "candidates": "戊 15",
                    "posts": "戊 书记",
                ])
            #expect(ok.status == .seeOther)
            let page = try await client.send(.get, "/orgs/\(org)", as: orgadmin)
            #expect(page.body.contains("书记 戊") && !page.body.contains("书记 甲") && page.body.contains("2025-03-01 至 2028-03-01"))
        }
        await harness.close()
    }

    @Test("floating register: issued from the member page, listed with the expired ones flagged, exported with an audit record, taken back")
    func floatingRegister() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let memberID = harness.fixture.memberIDs["A1a1g"]!
        let a1a1 = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            // The worker's scope is A1a1 only: the group's member is out of reach.
            let denied = try await client.send(
                .post, "/members/\(memberID)/floating", as: worker,
                form: [
                    "issued_on": "2026-01-01", "valid_until": "2026-12-31", "reason": "务工", "destination": "某地",
                ])
            #expect(denied.status == .notFound)
            let register = try await client.send(.get, "/floating?org=\(a1a1)&scope=own", as: worker)
            #expect(register.status == .ok && register.body.contains("广东省深圳市") && register.body.contains("流〔2026〕1号"))
            let csv = try await client.send(.get, "/floating?org=\(a1a1)&scope=own&format=csv", as: worker)
            #expect(csv.body.contains("外出务工,广东省深圳市"))
            let exports = try await harness.services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export' AND object_type = 'floating_certificate'").first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            #expect(exports == 1)
            let back = try await client.send(.post, "/floating/\(harness.fixture.floatingCertificate)/return", as: worker, form: [:])
            #expect(back.status == .seeOther)
            let member = try await client.send(.get, "/members/\(harness.fixture.memberIDs["A1a1"]!)", as: worker)
            #expect(member.body.contains("已收回") && !member.body.contains("流动党员</dt>"))
            let long = try await client.send(
                .post, "/members/\(harness.fixture.memberIDs["A1a1"]!)/floating", as: worker,
                form: [
                    "issued_on": "2026-11-01", "valid_until": "2027-06-30", "reason": "长期外出务工", "destination": "浙江省宁波市",
                ])
            #expect(long.status == .seeOther)
            let warned = try await client.send(.get, "/members/\(harness.fixture.memberIDs["A1a1"]!)", as: worker)
            #expect(warned.body.contains("MEM-02") && warned.body.contains("浙江省宁波市"))
        }
        await harness.close()
    }
}

@Suite("Organisation import page")
struct OrganisationImportWebTests {
    @Test("upload → preview with the problem's row and column → fixed file → commit → the tree shows the new organisations")
    func importFlow() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let a1 = harness.fixture.tree["A1"]
        try await harness.withClient { client in
            let template = try await client.send(.get, "/orgs/import/template.xlsx", as: orgadmin)
            #expect(template.status == .ok && template.headers[.contentDisposition]?.contains("organisations.xlsx") == true)
            let bad = try await client.send(
                .post, "/orgs/import?org=\(a1)", as: orgadmin, form: [:],
                upload: ("bad.csv", Data("组织名称,组织类型\n统计局支部,支部委员会\n".utf8)))
            #expect(bad.status == .ok && bad.body.contains("组织类型“支部委员会”无法识别") && !bad.body.contains("id=\"commit-form\""))
            let good = try await client.send(
                .post, "/orgs/import?org=\(a1)", as: orgadmin, form: [:],
                upload: ("good.csv", Data("组织名称,组织类型,所在单位,单位类别\n甲县统计局党支部,党支部,甲县统计局,机关\n".utf8)))
            #expect(good.body.contains("id=\"commit-form\""))
            let job = try #require(good.body.firstMatch(of: /orgs\/import\/(\d+)\/commit/).map { String($0.1) })
            let committed = try await client.send(.post, "/orgs/import/\(job)/commit", as: orgadmin, form: [:])
            #expect(committed.status == .ok && committed.body.contains("新建组织 1 个，登记单位 1 个"))
            let tree = try await client.send(.get, "/orgs", as: orgadmin)
            #expect(tree.body.contains("甲县统计局党支部"))
        }
        await harness.close()
    }
}
