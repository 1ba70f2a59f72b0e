import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianOffice
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 19 (述职评议) through the router: the 工委 (orgadmin at A1) opens a round over its units from the form; an
/// attendee without an account ballots with a one-time code (spent once used), an anonymous visitor with the round's
/// QR token is sent to sign in; the branch (worker at A1a1) uploads its report but sees no score before the round is
/// confirmed (REVIEW-09) and its own grade after; the API refuses a tally that does not add up naming REVIEW-05 and
/// stores nothing; the member sees no review pages at all.
@Suite("述职评议 pages")
struct ReviewWebTests {
    @Test("open, one-time code ballot, report, hidden result, confirm, API tally")
    func roundFlow() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let office = try #require(fixture.actors[.orgadmin])
        let worker = try #require(fixture.actors[.worker])
        let member = try #require(fixture.actors[.member])
        let review = harness.services.store.review
        let today = CivilDate(date: harness.clock.now())
        try await harness.withClient { client in
            // A missing date is refused naming the field; nothing stored.
            let before = try await review.rounds(access: .maintenance, unitAccess: .maintenance).count
            let bad = try await client.send(
                .post, "/review/rounds", as: office, form: ["org": String(fixture.tree["A1"]), "name": "述职评议", "year": String(today.year)])
            #expect(bad.status == .unprocessableContent && bad.body.contains("请填写述职评议会议日期"))
            #expect(try await review.rounds(access: .maintenance, unitAccess: .maintenance).count == before)
            let opened = try await client.send(
                .post, "/review/rounds", as: office,
                form: [
                    "org": String(fixture.tree["A1"]), "name": "\(today.year)年度述职评议", "year": String(today.year), "held_on": today.description,
                    "rotation": "1", "units": String(fixture.tree["A1a1"]),
                ])
            #expect(opened.status == .seeOther)
            let roundPath = try #require(opened.location)
            let roundID = try #require(Int64(roundPath.split(separator: "/").last ?? ""))
            let (_, reporters) = try await review.round(roundID, access: .maintenance)
            #expect(reporters.map(\.organisationID) == [fixture.tree["A1a1"]])
            let page = try await client.send(.get, roundPath, as: office)
            #expect(page.status == .ok && page.body.contains("（书记空缺）") && page.body.contains("待点评"))
            // 待办: the branch is told its written report is due today (REVIEW-01/02).
            let todo = try await client.send(.get, "/todo", as: worker)
            #expect(todo.body.contains("的书面述职报告未上传") && todo.body.contains("REVIEW-02"))
            // The member and the branch's worker do not see the committee's page.
            #expect(try await client.send(.get, roundPath, as: member).status.code >= 400)
            #expect(try await client.send(.get, roundPath, as: worker).status.code >= 400)

            // A one-time code: no sign-in, every line on the paper, spent once used.
            let codes = try await client.send(.post, "/review/rounds/\(roundID)/codes", as: office, form: ["count": "2"])
            #expect(codes.status == .seeOther && codes.location == "/review/rounds/\(roundID)/codes")
            #expect(try await client.send(.get, "/review/rounds/\(roundID)/codes", as: office).body.contains("测评码 2"))
            let tokens = try await review.unusedCodes(roundID: roundID, access: .maintenance)
            let paper = try await client.send(.get, "/review/ballot/\(tokens[0])", as: nil)
            #expect(paper.status == .ok && reporters.allSatisfy { paper.body.contains("reporter_\($0.id)") })
            let cast = try await client.send(
                .post, "/review/ballot/\(tokens[0])", as: nil, form: ["reporter_\(reporters[0].id)": "0"])
            #expect(cast.status == .ok && cast.body.contains("测评票已提交"))
            #expect(try await review.round(roundID, access: .maintenance).1[0].phoneTally == BallotTally(counts: [1, 0, 0, 0]))
            let again = try await client.send(.post, "/review/ballot/\(tokens[0])", as: nil, form: ["reporter_\(reporters[0].id)": "0"])
            #expect(again.status == .notFound && again.body.contains("已使用"))
            // The round's QR token needs a signed-in attendee.
            let session = try await review.openBallotSession(roundID: roundID, access: .maintenance, actor: .console("t"))
            let anonymous = try await client.send(.get, "/review/ballot/\(session)", as: nil)
            #expect(anonymous.status == .seeOther && anonymous.location?.hasPrefix("/login") == true)
            let signedIn = try await client.send(.post, "/review/ballot/\(session)", as: member, form: ["reporter_\(reporters[0].id)": "1"])
            #expect(signedIn.status == .ok && signedIn.body.contains("测评票已提交"))

            // The branch's worker (A1a1) sees the branch's line, uploads the report, sees no score.
            let a1a = reporters[0]
            let upload = try await client.send(
                .post, "/review/reporters/\(a1a.id)/report", as: worker, form: ["covered": ReviewContentChecklist.mandatory[0]],
                upload: ("report.png", WebFixture.png), uploadField: "evidence_file")
            #expect(upload.status == .unprocessableContent && upload.body.contains("REVIEW-03") && upload.body.contains("党员教育管理情况"))
            let comment = try await client.send(.post, "/review/reporters/\(a1a.id)/comment", as: office, form: ["comment": "履职到位"])
            #expect(comment.status == .seeOther)
            #expect(try await client.send(.post, "/review/reporters/\(a1a.id)/comment", as: worker, form: ["comment": "自评"]).status.code >= 400)

            // The API: a tally that does not add up is refused naming REVIEW-05, nothing stored; then one that does.
            let wrong = try await client.send(
                .post, "/api/v1/review/reporters/\(a1a.id)/tally", as: office,
                json: #"{"count_0":"3","count_1":"1","count_2":"0","count_3":"0","invalid":"0","attendees":"5"}"#)
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("REVIEW-05") && wrong.body.contains("5 人"))
            #expect(try await review.round(roundID, access: .maintenance).1.first { $0.id == a1a.id }?.paperTally == nil)
            let right = try await client.send(
                .post, "/api/v1/review/reporters/\(a1a.id)/tally", as: office,
                json: #"{"count_0":"3","count_1":"1","count_2":"0","count_3":"0","invalid":"1","attendees":"5"}"#)
            #expect(right.status == .ok && right.body.contains("\"closed\":false"))

            // Close both ballots, confirm; the worker sees the grade only now.
            for r in reporters {
                _ = try await client.send(.post, "/review/reporters/\(r.id)/comment", as: office, form: ["comment": "点评"])
                #expect(try await client.send(.post, "/review/reporters/\(r.id)/close", as: office, form: [:]).status == .seeOther)
            }
            let hidden = try await client.send(.get, "/review/reporters/\(a1a.id)", as: worker)
            #expect(hidden.status == .ok && !hidden.body.contains("reporter-grade") && !hidden.body.contains("phone-tally"))
            #expect(try await client.send(.get, "/review/rounds/\(roundID)?format=docx", as: office).status == .unprocessableContent)
            let version = try await review.round(roundID, access: .maintenance).0.version
            let confirmed = try await client.send(.post, "/review/rounds/\(roundID)/confirm", as: office, form: ["version": String(version)])
            #expect(confirmed.status == .seeOther)
            // A1a: phone 好 1 (code) + 较好 1 (member) + paper 好 3 较好 1 → 好 4 较好 2 of 6 valid → 93.33 → 好.
            let shown = try await client.send(.get, "/review/reporters/\(a1a.id)", as: worker)
            #expect(shown.body.contains("reporter-grade") && shown.body.contains("93.33") && shown.body.contains("好"))
            // The .xlsx is the committee's record: every count and the result, the same as the page.
            let sheet = try XLSXReader.read(Data(try await client.send(.get, "/review/rounds/\(roundID)?format=xlsx", as: office).bodyBytes)).map(
                \.cells)
            #expect(sheet.count == 2 && sheet[1].prefix(2) == [a1a.organisationName, a1a.name])
            #expect(sheet[1].contains("93.33") && sheet[1].contains("好") && sheet[0].contains("满意率"))
            let bulletin = try await client.send(.get, "/review/rounds/\(roundID)?format=docx", as: office)
            #expect(bulletin.status == .ok && bulletin.bodyBytes.count > 1000)
            #expect(try await client.send(.get, "/review/rounds/\(roundID)?format=xlsx", as: worker).status.code >= 400)
            #expect(!(try await client.send(.get, "/todo", as: worker).body.contains("的书面述职报告")))
            let api = try await client.send(.get, "/api/v1/review/rounds/\(roundID)", as: office)
            #expect(api.status == .ok && api.body.contains("\"state\":\"confirmed\"") && api.body.contains("\"final\":\"93.33\""))
        }
    }
}
