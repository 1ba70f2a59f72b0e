import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianOffice
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 19 through the router: the 机关工委 (the fixture's orgadmin at A1) imports its own table, opens a round over
/// its units, sets a panel (a conflicted member is refused, EVAL-04), assessors without any role score on their phone
/// page (a score above the maximum is refused naming the indicator and EVAL-02, with what was typed kept; a submitted
/// sheet is locked, EVAL-05; others' sheets are 404), the results stay hidden until all are in, 综合审定 keeps the
/// reason, and the .xlsx's ranking equals the screen.
@Suite("考评验收 pages")
struct AssessmentWebTests {
    static func table(method: String = "评分") throws -> Data {
        var sheet = XLSXWriter(sheetName: "细则", header: ["编号", "方面", "指标", "分值", "评分细则", "计分方法", "佐证材料"])
        sheet.append(["1.1", "政治建设（50分）", "理论学习中心组学习", "50", "", method, ""])
        sheet.append(["2.1", "组织建设（50分）", "三会一课", "50", "每少1次扣5分", "逐项扣分", ""])
        return try sheet.data()
    }

    func signIn(_ harness: WebHarness, _ userID: Int64, _ username: String) async throws -> FixtureActor {
        let session = try await harness.services.sessions.start(userID: userID, ip: "127.0.0.1", userAgent: "test", secondFactorPassed: true)
        return FixtureActor(
            userID: userID, username: username, sessionToken: session.token, csrf: session.record.csrfToken, apiToken: "", apiTokenID: 0)
    }

    @Test("import, open, panel, phone sheets, hidden results, 审定, .xlsx = screen")
    func roundFlow() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let office = try #require(fixture.actors[.orgadmin])
        let services = harness.services
        let console = Actor.console("t")
        let today = CivilDate(date: harness.clock.now())
        // Three assessors with a role at the 工委 itself (outside the units), one on the 财政局 roster.
        var assessors: [FixtureActor] = []
        for name in ["pingshen1", "pingshen2", "pingshen3", "caizheng"] {
            let org = name == "caizheng" ? fixture.tree["A1a1"] : fixture.tree["A1"]
            let user = try await services.accounts.create(
                username: name, displayName: "评审\(name)", organisationID: org, policy: .mlps, actor: console
            ).user
            _ = try await services.accounts.grant(role: .member, to: user.id, organisationID: org, scope: nil, actor: console)
            try await services.accounts.setDemoPassword(userID: user.id, password: WebFixture.password, actor: console)
            assessors.append(try await signIn(harness, user.id, name))
        }
        try await harness.withClient { [assessors] client in
            // A table with an unknown method: refused naming the row and the rule, nothing stored.
            let bad = try await client.send(
                .post, "/assessment/schemes?org=\(fixture.tree["A1"])", as: office, form: ["name": "创建考评细则"],
                upload: ("bad.xlsx", try Self.table(method: "抽签")))
            #expect(
                bad.status == .unprocessableContent && bad.body.contains("第 2 行") && bad.body.contains("无法识别计分方法“抽签”") && bad.body.contains("EVAL-02")
            )
            #expect(try await services.store.assessment.schemes(access: .maintenance).filter { $0.name == "创建考评细则" }.isEmpty)
            let imported = try await client.send(
                .post, "/assessment/schemes?org=\(fixture.tree["A1"])", as: office, form: ["name": "创建考评细则"], upload: ("ok.xlsx", try Self.table()))
            #expect(imported.status == .seeOther)
            let schemePath = try #require(imported.location)
            let scheme = try await client.send(.get, schemePath, as: office)
            #expect(scheme.status == .ok && scheme.body.contains("理论学习中心组学习") && scheme.body.contains("逐项扣分（每次 5 分）"))
            let exported = try XLSXReader.read(Data(try await client.send(.get, schemePath + "?format=xlsx", as: office).bodyBytes)).map(\.cells)
            #expect(exported.count == 3 && exported[1].prefix(4) == ["1.1", "政治建设（50分）", "理论学习中心组学习", "50"])
            let versionID = try #require(Int64(schemePath.split(separator: "/").last ?? ""))

            // Open a round over the 工委's units with the windows around today.
            let opened = try await client.send(
                .post, "/assessment/rounds", as: office,
                form: [
                    "org": String(fixture.tree["A1"]), "name": "2026年度创建考评", "year": String(today.year), "scheme_version": String(versionID),
                    "data_cutoff": today.description, "self_opens": today.adding(days: -3).description,
                    "self_closes": today.adding(days: -1).description,
                    "site_opens": today.description, "site_closes": today.adding(days: 10).description,
                    "approve_by": today.adding(days: 20).description,
                ])
            #expect(opened.status == .seeOther)
            let roundPath = try #require(opened.location)
            let roundID = try #require(Int64(roundPath.split(separator: "/").last ?? ""))
            let panel = try await client.send(
                .post, roundPath + "/panel", as: office, form: ["members": "pingshen1 组长\npingshen2\npingshen3 评审员\ncaizheng"])
            #expect(panel.status == .seeOther)
            let unknown = try await client.send(.post, roundPath + "/panel", as: office, form: ["members": "nobody_here 评审员"])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("不是本单位管理范围内的用户"))
            let units = try await services.store.assessment.progress(roundID: roundID, access: .maintenance).1.map(\.unit)
            let finance = try #require(units.first { $0.organisationID == fixture.tree["A1a"] })
            let education = try #require(units.first { $0.organisationID == fixture.tree["A1b"] })
            let conflicted = try await client.send(
                .post, roundPath + "/assign", as: office,
                form: ["units": String(finance.organisationID), "assessors": String(assessors[3].userID)])
            #expect(conflicted.status == .unprocessableContent && conflicted.body.contains("EVAL-04") && conflicted.body.contains("甲财政局党总支"))
            for unit in [finance, education] {
                for a in assessors.prefix(3) {
                    let assigned = try await client.send(
                        .post, roundPath + "/assign", as: office, form: ["units": String(unit.organisationID), "assessors": String(a.userID)])
                    #expect(assigned.status == .seeOther)
                }
            }

            // An assessor's phone: the task list, the sheet, a refusal that keeps what was typed, a submission that locks.
            let home = try await client.send(.get, "/assessment", as: assessors[0])
            #expect(home.body.contains("我的评审任务") && home.body.contains("/assessment/units/\(finance.id)/sheet"))
            let sheetPath = "/assessment/units/\(finance.id)/sheet"
            #expect(try await client.send(.get, sheetPath, as: assessors[3]).status == .notFound)
            let over = try await client.send(
                .post, sheetPath, as: assessors[0], form: ["score_1.1": "51", "score_2.1": "45", "version": "0", "submit": "1"])
            #expect(over.status == .unprocessableContent && over.body.contains("1.1 理论学习中心组学习") && over.body.contains("EVAL-02"))
            #expect(over.body.contains("value=\"51\""), "what was typed is kept")
            for (i, a) in assessors.prefix(3).enumerated() {
                for (unit, points) in [(finance, ["48", "45"]), (education, ["40", "35"])] {
                    let saved = try await client.send(
                        .post, "/assessment/units/\(unit.id)/sheet", as: a,
                        form: ["score_1.1": i == 2 && unit == education ? "38.5" : points[0], "score_2.1": points[1], "submit": "1"])
                    #expect(saved.status == .seeOther, "\(saved.body.prefix(400))")
                    // Before the last sheet is in, the organiser sees no scores.
                    if i == 0 && unit == finance {
                        let hidden = try await client.send(.get, roundPath + "/results", as: office)
                        #expect(hidden.body.contains("results-hidden") && !hidden.body.contains("results-table"))
                    }
                }
            }
            let locked = try await client.send(.post, sheetPath, as: assessors[0], form: ["score_1.1": "50", "score_2.1": "50", "submit": "1"])
            #expect(locked.status == .unprocessableContent && locked.body.contains("已提交") && locked.body.contains("EVAL-05"))
            // The units see nothing before approval.
            let selfPage = try await client.send(.get, "/assessment/units/\(finance.id)/self", as: office)
            #expect(selfPage.status == .ok && !selfPage.body.contains("unit-result"))

            // Results: 财政局 93.00 (48 + 45) first, 教育局 74.50 ((40 + 40 + 38.5)/3 + 35) second.
            let results = try await client.send(.get, roundPath + "/results", as: office)
            #expect(results.body.contains("93.00") && results.body.contains("74.50") && results.body.contains("approve-form"))
            let noReason = try await client.send(
                .post, roundPath + "/approve", as: office, form: ["version": "1", "final_\(education.id)": "75"])
            #expect(noReason.status == .unprocessableContent && noReason.body.contains("须写明理由") && noReason.body.contains("ASSESS-03"))
            let approved = try await client.send(
                .post, roundPath + "/approve", as: office,
                form: ["version": "1", "final_\(education.id)": "75", "reason_\(education.id)": "现场补充材料经党工委认定"])
            #expect(approved.status == .seeOther)
            let after = try await client.send(.get, roundPath + "/results", as: office)
            #expect(after.body.contains("现场补充材料经党工委认定") && after.body.contains("74.50") && after.body.contains("75.00"))
            let xlsx = try XLSXReader.read(Data(try await client.send(.get, roundPath + "/results?format=xlsx", as: office).bodyBytes)).map(\.cells)
            let screen = try await services.store.assessment.results(roundID: roundID, access: .maintenance).rows.map {
                [String($0.rank), $0.unit.name, $0.finalScore.description, $0.grade]
            }
            let sheetRows = xlsx.dropFirst().prefix(screen.count).map { [$0[0], $0[2], $0[9], $0[10]] }
            #expect(Array(sheetRows) == screen && screen.count == 2)
            // The 通报 (.docx; its text is read by python-docx in e2e/test_assessment.py).
            let docx = try await client.send(.get, roundPath + "/results?format=docx", as: office)
            #expect(docx.status == .ok && docx.headers[.contentType] == Download.docx && Array(docx.bodyBytes.prefix(2)) == Array("PK".utf8))
            // The unit now sees its own result; the 公示 version shows grades without scores.
            let unitView = try await client.send(.get, "/assessment/units/\(finance.id)/self", as: office)
            #expect(unitView.body.contains("unit-result") && unitView.body.contains("审定得分 93.00"))
            let publicity = try await client.send(.get, roundPath + "/results?publicity=1", as: office)
            #expect(publicity.body.contains("优秀") && !publicity.body.contains("93.00"))
        }
        await harness.close()
    }
}
