import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// 扫码测评 (REVIEW-05) on an attendee's phone: the round's QR code (the attendee signs in; their own line is left off
/// the paper) or a one-time code printed for an attendee without an account (no sign-in; spent on use). One paper
/// per attendee; a line left blank counts as an invalid vote.
struct ReviewBallotController {
    let services: AppServices
    var review: ReviewRepository { services.store.review }

    func addRoutes(to site: Site) {
        site.add(.get, ReviewPaths.ballotPattern, access: .anyone) { request, context in
            let token = try context.parameters.require("token")
            return try await page(request, context, token: token, problem: nil, done: nil, status: .ok)
        }
        site.add(.post, ReviewPaths.ballotPattern, access: .anyone) { request, context in
            var request = request
            let token = try context.parameters.require("token")
            guard let needsSignIn = try await review.tokenNeedsSignIn(token) else {
                return try await page(request, context, token: token, problem: nil, done: nil, status: .notFound)
            }
            let userID = context.identity?.user.id
            if needsSignIn && userID == nil { throw NeedsSignIn(isAPI: false) }
            let form = try await FormData.read(&request)
            guard let paper = try await review.ballotPaper(token: token, userID: needsSignIn ? userID : nil) else {
                return try await page(request, context, token: token, problem: nil, done: nil, status: .notFound)
            }
            do {
                let ballot = ReviewBallotForm(form, reporterIDs: paper.reporters.map(\.id))
                let count = try await review.cast(token: token, userID: needsSignIn ? userID : nil, choices: ballot.choices, actor: context.actor)
                return try await page(
                    request, context, token: token, problem: nil, done: "测评票已提交（\(count) 名述职人），感谢参与。测评不记名，任何人都看不到您的选择。",
                    status: .ok)
            } catch let f as ValidationFailure {
                return try await page(request, context, token: token, problem: f.message, done: nil, status: .unprocessableContent)
            }
        }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, token: String, problem: String?, done: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let invalid = "测评二维码无效、已使用或已过期，请向会议组织者索取"
        if let done {
            return services.renderer.page(
                "review/ballot", title: "测评已提交",
                model: ReviewBallotPage(token: token, round: "", lines: [], hasLines: false, problem: nil, done: done, voted: true),
                context: context, request: request)
        }
        guard let needsSignIn = try await review.tokenNeedsSignIn(token) else {
            return services.renderer.page(
                "review/ballot", title: "扫码测评",
                model: ReviewBallotPage(token: token, round: "", lines: [], hasLines: false, problem: invalid, done: nil, voted: false),
                context: context,
                request: request, status: .notFound)
        }
        let userID = context.identity?.user.id
        if needsSignIn && userID == nil { throw NeedsSignIn(isAPI: false) }
        guard let paper = try await review.ballotPaper(token: token, userID: needsSignIn ? userID : nil) else {
            throw NeedsSignIn(isAPI: false)
        }
        let grades = paper.round.gradeSet.gradeSet.grades
        let model = ReviewBallotPage(
            token: token, round: paper.round.name,
            lines: paper.reporters.map { r in
                .init(
                    id: r.id, name: r.name, organisation: r.organisation, mode: r.mode.displayName,
                    grades: grades.enumerated().map { SelectOption(value: String($0.offset), label: $0.element.name, selected: false) })
            }, hasLines: !paper.reporters.isEmpty && !paper.alreadyVoted,
            problem: problem ?? (paper.alreadyVoted ? "您已在本次述职评议中投过票，每人只能投一次" : nil), done: nil, voted: paper.alreadyVoted)
        return services.renderer.page(
            "review/ballot", title: "扫码测评 · \(paper.round.name)", model: model, context: context, request: request, status: status)
    }
}
