import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// 述职评议's part of the web tests: in each organisation a round it organises with its own secretary as the reporter
/// (so every position has a round and a reporter), a report uploaded; in the core fixture the round's phone ballot
/// is open (`texts["reviewBallotToken"]`).
extension ReviewFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        let made = try await make(in: fixture.tree["A1a1"], store: setup.store, console: setup.console, today: setup.today)
        fixture.records[.reviewRound] = made.round
        fixture.records[.reviewReporter] = made.reporter
        fixture.texts["reviewBallotToken"] = try await setup.store.review.openBallotSession(
            roundID: made.round, access: .maintenance, actor: setup.console)
    }

    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for key in setup.keys {
            let org = setup.tree[key]
            let made = try await make(in: org, store: setup.store, console: setup.console, today: setup.today)
            records.add(.reviewRound, in: org, made.round)
            records.add(.reviewReporter, in: org, made.reporter)
        }
    }

    static func make(in org: Int64, store: StoreServices, console: Actor, today: CivilDate) async throws -> (round: Int64, reporter: Int64) {
        let round = try await store.review.openRound(
            ReviewRoundDraft(organiserID: org, year: today.year, name: "矩阵述职评议", heldOn: today, organisationIDs: [org]), access: .maintenance,
            actor: console)
        let reporter = try await store.review.round(round, access: .maintenance).1[0].id
        try await store.review.uploadReport(
            reporterID: reporter, file: try EvidenceFile(fileName: "述职报告.png", data: WebFixture.png)!, covered: Set(ReviewContentChecklist.mandatory),
            access: .maintenance, unitAccess: .maintenance, actor: console)
        return (round, reporter)
    }

    static func matrixCall(_ route: String, _ c: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        let round = { c.target(.reviewRound) }
        let reporter = { c.target(.reviewReporter) }
        let token = c.fixture.texts["reviewBallotToken"] ?? "r0-x"
        switch route {
        case "GET /review": return .init(method: .get, uri: "/review")
        case "POST /review/rounds":
            return .init(
                method: .post, uri: "/review/rounds",
                form: ["org": String(c.org), "name": "矩阵述职二", "year": "2026", "held_on": "2026-12-20", "units": String(c.org)])
        case "GET /review/rounds/{id}": return .init(method: .get, uri: "/review/rounds/\(round())")
        case "POST /review/rounds/{id}/ballot": return .init(method: .post, uri: "/review/rounds/\(round())/ballot", form: [:])
        case "GET /review/rounds/{id}/ballot": return .init(method: .get, uri: "/review/rounds/\(round())/ballot")
        case "POST /review/rounds/{id}/ballot/close": return .init(method: .post, uri: "/review/rounds/\(round())/ballot/close", form: [:])
        case "POST /review/rounds/{id}/codes": return .init(method: .post, uri: "/review/rounds/\(round())/codes", form: ["count": "1"])
        case "GET /review/rounds/{id}/codes": return .init(method: .get, uri: "/review/rounds/\(round())/codes")
        case "POST /review/rounds/{id}/confirm": return .init(method: .post, uri: "/review/rounds/\(round())/confirm", form: ["version": "1"])
        case "GET /review/reporters/{id}": return .init(method: .get, uri: "/review/reporters/\(reporter())")
        case "POST /review/reporters/{id}/report":
            return .init(
                method: .post, uri: "/review/reporters/\(reporter())/report", form: ["covered": ReviewContentChecklist.mandatory[0]],
                upload: ("r.png", WebFixture.png))
        case "GET /review/reporters/{id}/report": return .init(method: .get, uri: "/review/reporters/\(reporter())/report")
        case "POST /review/reporters/{id}/mode": return .init(method: .post, uri: "/review/reporters/\(reporter())/mode", form: ["mode": "written"])
        case "POST /review/reporters/{id}/comment":
            return .init(method: .post, uri: "/review/reporters/\(reporter())/comment", form: ["comment": "点评意见"])
        case "POST /review/reporters/{id}/tally":
            return .init(
                method: .post, uri: "/review/reporters/\(reporter())/tally",
                form: ["count_0": "1", "count_1": "0", "count_2": "0", "count_3": "0", "invalid": "0", "attendees": "1"])
        case "POST /review/reporters/{id}/close": return .init(method: .post, uri: "/review/reporters/\(reporter())/close", form: [:])
        case "POST /review/reporters/{id}/rectify":
            return .init(method: .post, uri: "/review/reporters/\(reporter())/rectify", form: ["problem": "整改事项"])
        case "GET /review/ballot/{token}": return .init(method: .get, uri: "/review/ballot/\(token)")
        case "POST /review/ballot/{token}": return .init(method: .post, uri: "/review/ballot/\(token)", form: [:])
        case "GET /api/v1/review/rounds/{id}": return .init(method: .get, uri: "/api/v1/review/rounds/\(round())")
        case "POST /api/v1/review/reporters/{id}/tally":
            return .init(
                method: .post, uri: "/api/v1/review/reporters/\(reporter())/tally",
                json: "{\"count_0\":\"1\",\"count_1\":\"0\",\"count_2\":\"0\",\"count_3\":\"0\",\"invalid\":\"0\",\"attendees\":\"1\"}")
        default: return nil
        }
    }
}
