import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// 考评验收's part of the web tests: in each organisation a scheme, a round it organises over itself (so every
/// position has a round and a unit), and an evidence file on the unit's self-assessment.
extension AssessmentFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        let made = try await make(in: fixture.tree["A1a1"], store: setup.store, console: setup.console, today: setup.today)
        fixture.records[.assessmentScheme] = made.scheme
        fixture.records[.assessmentRound] = made.round
        fixture.records[.assessmentUnit] = made.unit
        fixture.records[.assessmentEvidence] = made.evidence
    }

    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for key in setup.keys {
            let org = setup.tree[key]
            let made = try await make(in: org, store: setup.store, console: setup.console, today: setup.today)
            records.add(.assessmentScheme, in: org, made.scheme)
            records.add(.assessmentRound, in: org, made.round)
            records.add(.assessmentUnit, in: org, made.unit)
            records.add(.assessmentEvidence, in: org, made.evidence)
        }
    }

    /// A two-indicator scheme of 100 points (one needing evidence).
    static let scheme = IndicatorScheme(
        name: "矩阵考评细则",
        aspects: [
            Aspect(
                code: "1", name: "党建工作", maxPoints: .hundred,
                indicators: [
                    Indicator(
                        code: "1.1", name: "三会一课", maxPoints: Score(points: 50), method: .manual(step: Score(hundredths: 50)),
                        evidenceRequired: ["会议记录"]),
                    Indicator(code: "1.2", name: "主题党日", maxPoints: Score(points: 50), method: .deductEach(per: Score(points: 5))),
                ])
        ])

    static func make(
        in org: Int64, store: StoreServices, console: Actor, today: CivilDate
    ) async throws -> (
        scheme: Int64, round: Int64, unit: Int64, evidence: Int64
    ) {
        let version = try await store.assessment.saveScheme(
            scheme, sourceNote: "矩阵", organisationID: org, schemeID: nil, access: .maintenance, actor: console)
        let round = try await store.assessment.openRound(
            AssessmentRoundDraft(
                organiserID: org, year: today.year, name: "矩阵考评", schemeVersionID: version.id,
                timetable: AssessmentTimetable(
                    dataCutoff: today, selfOpens: today.adding(days: -5), selfCloses: today.adding(days: 5), siteOpens: today.adding(days: 6),
                    siteCloses: today.adding(days: 20), approveBy: today.adding(days: 30)),
                unitIDs: [org]), access: .maintenance, actor: console)
        let unit = try await store.assessment.progress(roundID: round.id, access: .maintenance).1[0].unit.id
        try await store.assessment.addEvidence(
            roundID: round.id, organisationID: org, indicatorCode: "1.1", file: try EvidenceFile(fileName: "记录.png", data: WebFixture.png)!,
            userID: 0,
            unitAccess: .maintenance, actor: console)
        let evidence = try await store.assessment.sheetView(
            roundID: round.id, organisationID: org, stage: .selfAssessment, userID: 0, unitAccess: .maintenance
        ).evidence["1.1"]![0].id
        return (version.id, round.id, unit, evidence)
    }

    static func matrixCall(_ route: String, _ c: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        let dates = [
            "data_cutoff": "2026-09-30", "self_opens": "2026-09-01", "self_closes": "2026-09-30", "site_opens": "2026-10-15",
            "site_closes": "2026-10-31", "approve_by": "2026-11-13",
        ]
        switch route {
        case "GET /assessment": return .init(method: .get, uri: "/assessment")
        case "GET /assessment/template.xlsx": return .init(method: .get, uri: "/assessment/template.xlsx")
        case "POST /assessment/schemes":
            let csv = "方面,指标,分值,评分细则\n党建工作,三会一课,100,\n"
            return .init(method: .post, uri: "/assessment/schemes?org=\(c.org)", form: ["name": "矩阵导入"], upload: ("s.csv", Data(csv.utf8)))
        case "GET /assessment/schemes/{id}": return .init(method: .get, uri: "/assessment/schemes/\(c.target(.assessmentScheme))")
        case "POST /assessment/rounds":
            return .init(
                method: .post, uri: "/assessment/rounds",
                form: dates.merging(
                    [
                        "org": String(c.org), "name": "矩阵考评二", "year": "2026", "scheme_version": String(c.target(.assessmentScheme)),
                        "units": String(c.org),
                    ]
                ) { a, _ in a })
        case "GET /assessment/rounds/{id}": return .init(method: .get, uri: "/assessment/rounds/\(c.target(.assessmentRound))")
        case "POST /assessment/rounds/{id}/panel":
            return .init(method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/panel", form: ["members": "\(c.actor.username) 组长"])
        case "POST /assessment/rounds/{id}/assign":
            return .init(
                method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/assign",
                form: ["units": String(c.org), "assessors": String(c.user)])
        case "POST /assessment/rounds/{id}/auto": return .init(method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/auto", form: [:])
        case "POST /assessment/rounds/{id}/timetable":
            return .init(
                method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/timetable",
                form: dates.merging(["reason": "延长实地考评"]) { a, _ in a })
        case "POST /assessment/rounds/{id}/adjustments":
            return .init(
                method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/adjustments",
                form: ["unit": String(c.org), "item": "B1", "points": "1", "reason": "获奖"])
        case "GET /assessment/rounds/{id}/results": return .init(method: .get, uri: "/assessment/rounds/\(c.target(.assessmentRound))/results")
        case "POST /assessment/rounds/{id}/approve":
            return .init(method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/approve", form: ["version": "1"])
        case "GET /assessment/rounds/{id}/publicity": return .init(method: .get, uri: "/assessment/rounds/\(c.target(.assessmentRound))/publicity")
        case "POST /assessment/rounds/{id}/appeals":
            return .init(
                method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/appeals",
                form: ["appeal": "1", "outcome": "maintained", "reply": "维持"])
        case "POST /assessment/rounds/{id}/recheck":
            return .init(
                method: .post, uri: "/assessment/rounds/\(c.target(.assessmentRound))/recheck", form: ["unit": String(c.org), "score_1.1": "50"])
        case "GET /assessment/units/{id}/result": return .init(method: .get, uri: "/assessment/units/\(c.target(.assessmentUnit))/result")
        case "POST /assessment/units/{id}/appeal":
            return .init(method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/appeal", form: ["reason": "请求复核"])
        case "GET /assessment/units/{id}/sheet": return .init(method: .get, uri: "/assessment/units/\(c.target(.assessmentUnit))/sheet")
        case "POST /assessment/units/{id}/sheet":
            return .init(method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/sheet", form: ["score_1.1": "40", "version": "0"])
        case "GET /assessment/units/{id}/self": return .init(method: .get, uri: "/assessment/units/\(c.target(.assessmentUnit))/self")
        case "POST /assessment/units/{id}/self":
            return .init(method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/self", form: ["score_1.1": "40", "version": "0"])
        case "POST /assessment/units/{id}/evidence":
            return .init(
                method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/evidence", form: ["indicator": "1.1"],
                upload: ("e.png", WebFixture.png))
        case "POST /assessment/units/{id}/declare":
            return .init(method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/declare", form: ["relation": "配偶在该单位任职"])
        case "POST /assessment/units/{id}/reopen":
            return .init(
                method: .post, uri: "/assessment/units/\(c.target(.assessmentUnit))/reopen", form: ["assessor": String(c.user), "reason": "笔误"])
        case "GET /assessment/evidence/{id}": return .init(method: .get, uri: "/assessment/evidence/\(c.target(.assessmentEvidence))")
        case "GET /api/v1/assessment/schemes/{id}": return .init(method: .get, uri: "/api/v1/assessment/schemes/\(c.target(.assessmentScheme))")
        case "GET /api/v1/assessment/rounds/{id}/results":
            return .init(method: .get, uri: "/api/v1/assessment/rounds/\(c.target(.assessmentRound))/results")
        case "POST /api/v1/assessment/units/{id}/sheet":
            return .init(method: .post, uri: "/api/v1/assessment/units/\(c.target(.assessmentUnit))/sheet", json: "{\"score_1.1\":\"40\"}")
        default: return nil
        }
    }
}
