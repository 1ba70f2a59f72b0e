import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 19 through the router, after 综合审定: the branch (worker at A1a1) sees its own result and asks for review
/// during publicity (EVAL-11/12); the 工委 (orgadmin at A1) answers 更正 and the correction publication lists only
/// the branch's line; the 复验 of the lagging unit is refused while its problems are open (ASSESS-08); a member sees
/// none of it.
@Suite("考评验收: 公示、复核与复验 pages")
struct AssessmentPublicityWebTests {
    @Test("result, request for review, corrected answer republishing one line, recheck refused while problems are open")
    func publicity() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let office = try #require(fixture.actors[.orgadmin])
        let worker = try #require(fixture.actors[.worker])
        let member = try #require(fixture.actors[.member])
        let repo = harness.services.store.assessment
        let console = Actor.console("t")
        let today = CivilDate(date: harness.clock.now())
        let version = try await repo.saveScheme(
            AssessmentFeature.scheme, sourceNote: "测试", organisationID: fixture.tree["A1"], schemeID: nil, access: .maintenance, actor: console)
        let round = try await repo.openRound(
            AssessmentRoundDraft(
                organiserID: fixture.tree["A1"], year: today.year, name: "公示测试考评", schemeVersionID: version.id,
                timetable: AssessmentTimetable(
                    dataCutoff: today.adding(days: -1), selfOpens: today.adding(days: -20), selfCloses: today.adding(days: -11),
                    siteOpens: today, siteCloses: today.adding(days: 10), approveBy: today.adding(days: 20)),
                unitIDs: [fixture.tree["A1a1"], fixture.tree["A1b"]]), access: .maintenance, actor: console)
        var assessors: [Int64] = []
        for name in ["gongshi1", "gongshi2", "gongshi3"] {
            assessors.append(
                try await harness.services.accounts.create(
                    username: name, displayName: name, organisationID: fixture.tree["A"], policy: .mlps, actor: console
                )
                .user.id)
        }
        try await repo.setPanel(roundID: round.id, members: assessors.map { ($0, PanelDuty.assessor) }, access: .maintenance, actor: console)
        try await repo.assign(
            roundID: round.id, unitIDs: [fixture.tree["A1a1"], fixture.tree["A1b"]], userIDs: assessors, access: .maintenance, actor: console)
        for who in assessors {
            for (unit, values) in [("A1a1", ["45", "45"]), ("A1b", ["20", "40"])] {
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: fixture.tree[unit], stage: .site,
                    entries: zip(["1.1", "1.2"], values).map { SheetEntry(code: $0.0, text: $0.1, verifiedOnSite: true) }, submit: true,
                    expectedVersion: nil, userID: who, unitAccess: .maintenance, actor: console)
            }
        }
        let current = try await repo.organisedRound(round.id, access: .maintenance)
        _ = try await repo.approve(roundID: round.id, adjustments: [], expectedVersion: current.version, access: .maintenance, actor: console)
        let unitID = try #require(
            try await repo.progress(roundID: round.id, access: .maintenance).1.first { $0.unit.organisationID == fixture.tree["A1a1"] }
        )
        .unit.id
        try await harness.withClient { client in
            let mine = try await client.send(.get, "/assessment/units/\(unitID)/result", as: worker)
            #expect(mine.status == .ok && mine.body.contains("90.00") && mine.body.contains("appeal-form"))
            #expect(try await client.send(.get, "/assessment/units/\(unitID)/result", as: member).status.code >= 400)
            let empty = try await client.send(.post, "/assessment/units/\(unitID)/appeal", as: worker, form: ["reason": " "])
            #expect(empty.status == .unprocessableContent && empty.body.contains("EVAL-12"))
            let filed = try await client.send(.post, "/assessment/units/\(unitID)/appeal", as: worker, form: ["reason": "第一议题记录漏算"])
            #expect(filed.status == .seeOther)
            let page = try await client.send(.get, "/assessment/rounds/\(round.id)/publicity", as: office)
            #expect(page.status == .ok && page.body.contains("第一议题记录漏算") && page.body.contains("首次公示"))
            #expect(try await client.send(.get, "/assessment/rounds/\(round.id)/publicity", as: worker).status.code >= 400)
            let appeal = try #require(try await repo.publicity(roundID: round.id, access: .maintenance).appeals.first)
            let answered = try await client.send(
                .post, "/assessment/rounds/\(round.id)/appeals", as: office,
                form: ["appeal": String(appeal.id), "outcome": "corrected", "score": "89.5", "reply": "核实后更正为 89.5 分"])
            #expect(answered.status == .seeOther)
            // 90.00 优秀 → 89.50 良好: the grade follows the corrected score; only this line is republished.
            let publications = try await repo.publicity(roundID: round.id, access: .maintenance).publications
            #expect(publications.count == 2 && publications[1].lines.map(\.organisationID) == [fixture.tree["A1a1"]])
            #expect(publications[1].lines.first?.score == "89.50" && publications[1].lines.first?.grade == "良好")
            #expect(try await client.send(.get, "/assessment/rounds/\(round.id)/publicity", as: office).body.contains("更正（仅列变动的单位）"))
            // 教育局支部 (60.00) lags: its recheck waits for its problems.
            let recheck = try await client.send(
                .post, "/assessment/rounds/\(round.id)/recheck", as: office, form: ["unit": String(fixture.tree["A1b"]), "score_1.1": "45"])
            #expect(recheck.status == .unprocessableContent && recheck.body.contains("ASSESS-08") && recheck.body.contains("未销号"))
        }
    }
}
