import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 述职评议 for the organising committee (`ledger.manage`): open a round, see every reporter's progress, run the
/// phone ballot (the round's QR code and printable one-time codes) and confirm the 综合评价 (REVIEW-01…06).
struct ReviewController {
    let services: AppServices
    var review: ReviewRepository { services.store.review }

    func addRoutes(to site: Site) {
        site.add(.get, ReviewPaths.overview, access: .signedIn) { request, context in
            try await overview(request, context, error: nil, status: .ok)
        }
        site.add(.post, ReviewPaths.rounds, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            let organiserID = try await services.anchorID(form.int64("org"), access)
            guard try await services.organisations.find(organiserID, access: access) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organiserID))
            }
            do {
                var round = try ReviewRoundForm(form)
                round.draft.organiserID = organiserID
                let id = try await review.openRound(round.draft, access: access, actor: context.actor)
                return PageRenderer.redirect(ReviewPaths.round(id))
            } catch let p as any ProblemList {
                return try await overview(
                    request, context, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
            } catch let f as ValidationFailure {
                return try await overview(request, context, error: f.fullMessage, status: .unprocessableContent)
            }
        }
        site.add(.get, ReviewPaths.roundPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            switch FormData.query(request).text("format") {
            case "xlsx":
                let (round, reporters) = try await review.round(id, access: try context.access(for: .ledgerManage))
                return Download.response(
                    try ReviewDocuments.workbook(round, reporters), type: Download.xlsx, name: "review-\(id).xlsx", chineseName: "\(round.name).xlsx")
            case "docx":
                let (round, reporters) = try await review.round(id, access: try context.access(for: .ledgerManage))
                guard round.state == .confirmed else {
                    return try await roundPage(
                        request, context, id: id, error: "确定综合评价后才能生成结果通报（\(RuleID.review09.code)）", status: .unprocessableContent)
                }
                return Download.response(
                    try DocxWriter.official(ReviewDocuments.bulletin(round, reporters, today: CivilDate(date: services.clock.now()))),
                    type: Download.docx, name: "review-\(id)-bulletin.docx", chineseName: "关于\(round.name)结果的通报.docx")
            default:
                return try await roundPage(request, context, id: id, error: nil, status: .ok)
            }
        }
        site.add(.post, ReviewPaths.ballotSessionPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            try await roundAction(request, context, then: ReviewPaths.ballotSession) { id, _, access in
                _ = try await review.openBallotSession(roundID: id, access: access, actor: context.actor)
            }
        }
        site.add(.post, ReviewPaths.ballotSessionClosePattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            try await roundAction(request, context) { id, _, access in
                try await review.closeBallotSession(roundID: id, access: access, actor: context.actor)
            }
        }
        site.add(.get, ReviewPaths.ballotSessionPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .ledgerManage)
            let (round, reporters) = try await review.round(id, access: access)
            let token = try await review.sessionToken(roundID: id, access: access)
            let url = token.map { services.publicAddress(ReviewPaths.ballot($0)) } ?? ""
            let model = ReviewQRPage(
                id: id, name: round.name, open: token != nil,
                svg: try token.map { _ in try QRCode(text: url).svg(pixelsPerModule: 8, label: "测评二维码") } ?? "",
                url: url, expires: round.ballotExpiresAt.map(Format.dateTime) ?? "",
                voters: reporters.map { $0.phoneTally.valid + $0.phoneTally.invalid }.max() ?? 0, codes: [], hasCodes: false)
            var response = services.renderer.page("review/ballot_qr", title: "扫码测评 · \(round.name)", model: model, context: context, request: request)
            response.headers[HTTPField.Name("Refresh")!] = "15"  // the count of ballots updates itself
            return response
        }
        site.add(.post, ReviewPaths.codesPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            try await roundAction(request, context, then: ReviewPaths.codes) { id, form, access in
                let count = try form.number("count", Quantity.self)?.value ?? 0
                _ = try await review.issueCodes(roundID: id, count: count, access: access, actor: context.actor)
            }
        }
        site.add(.get, ReviewPaths.codesPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .ledgerManage)
            let round = try await review.round(id, access: access).0
            let codes = try await review.unusedCodes(roundID: id, access: access)
            let model = ReviewQRPage(
                id: id, name: round.name, open: false, svg: "", url: "", expires: "", voters: 0,
                codes: try codes.enumerated().map { i, token in
                    let url = services.publicAddress(ReviewPaths.ballot(token))
                    return .init(number: i + 1, svg: try QRCode(text: url).svg(pixelsPerModule: 4, label: "一次性测评码 \(i + 1)"), url: url)
                }, hasCodes: !codes.isEmpty)
            return services.renderer.page("review/codes", title: "一次性测评码 · \(round.name)", model: model, context: context, request: request)
        }
        site.add(.post, ReviewPaths.confirmPattern, access: .permission(.ledgerManage), target: .reviewRound) { request, context in
            try await roundAction(request, context) { id, form, access in
                let reporters = try await review.round(id, access: access).1
                let confirm = try ReviewConfirmForm(form, reporterIDs: reporters.map(\.id))
                try await review.confirm(
                    roundID: id, adjustments: confirm.adjustments, expectedVersion: confirm.version, access: access, actor: context.actor)
            }
        }
    }

    /// A POST on a round the caller organises: 404 before the form is read when out of reach; the action, then the
    /// round (or `then`), or the round with the refusal.
    func roundAction(
        _ request: Request, _ context: AppRequestContext, then: (Int64) -> String = ReviewPaths.round,
        _ action: (Int64, FormData, OrganisationAccess) async throws -> Void
    ) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .ledgerManage)
        try await review.requireOrganised(roundID: id, access: access)
        let form = try await FormData.read(&request)
        do {
            try await action(id, form, access)
            return PageRenderer.redirect(then(id))
        } catch let p as any ProblemList {
            return try await roundPage(
                request, context, id: id, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
        } catch let f as ValidationFailure {
            return try await roundPage(request, context, id: id, error: f.fullMessage, status: .unprocessableContent)
        }
    }

    func overview(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let manage = try context.access(for: .ledgerManage)
        let write = try context.access(for: .ledgerWrite)
        let today = CivilDate(date: services.clock.now())
        let rounds = try await review.rounds(access: manage, unitAccess: write)
        var organised: Set<Int64> = []
        for round in rounds where !manage.isEmpty {
            if (try? await review.requireOrganised(roundID: round.id, access: manage)) != nil { organised.insert(round.id) }
        }
        let mine = try await review.myReporters(unitAccess: write)
        let assessments =
            manage.isEmpty
            ? [] : try await services.store.assessment.rounds(userID: nil, access: manage, unitAccess: manage).filter { $0.state == .approved }
        let model = ReviewOverviewPage(
            error: error, canManage: !manage.isEmpty,
            orgs: manage.isEmpty ? [] : try await services.unitChoices(manage, includingAnchors: true),
            unitChoices: manage.isEmpty ? [] : try await services.unitChoices(manage, includingAnchors: false),
            assessmentRounds: [SelectOption(value: "", label: "不结合（仅按测评得分）", selected: true)]
                + assessments.map { SelectOption(value: String($0.id), label: "\($0.name)（\($0.organiserName)）", selected: false) },
            kinds: ReviewRoundKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == .annual) },
            gradeSets: ReviewGradeSetChoice.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == .standard) },
            content: ReviewContentChecklist.standard.items.dropFirst(ReviewContentChecklist.mandatory.count).joined(separator: "\n"),
            year: today.year, heldOn: today.description,
            rounds: rounds.map {
                .init(
                    id: $0.id, name: $0.name, year: $0.year, kind: $0.kind.displayName, organiser: $0.organiserName, heldOn: $0.heldOn.description,
                    state: $0.state.displayName, manage: organised.contains($0.id))
            }, hasRounds: !rounds.isEmpty,
            mine: mine.map { .init(id: $0.id, round: $0.round, organisation: $0.organisation, name: $0.name) }, hasMine: !mine.isEmpty)
        return services.renderer.page("review/index", title: "述职评议", model: model, context: context, request: request, status: status)
    }

    func roundPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response
    {
        let access = try context.access(for: .ledgerManage)
        let (round, reporters) = try await review.round(id, access: access)
        let codes = try await review.unusedCodes(roundID: id, access: access)
        let w = round.weights
        let model = ReviewRoundPage(
            error: error, id: id, name: round.name, kind: round.kind.displayName, organiser: round.organiserName, heldOn: round.heldOn.description,
            gradeSet: round.gradeSet.displayName,
            weights: w.assessmentPercent == 0 ? "测评得分 100%" : "测评 \(w.ballotPercent)% + 年度考评 \(w.assessmentPercent)%",
            content: round.content.items, state: round.state.displayName, isOpen: round.state == .open, ballotOpen: round.ballotOpen,
            unusedCodes: codes.count, version: round.version,
            reporters: reporters.map { r in
                .init(
                    id: r.id, organisation: r.organisationName, name: r.name, mode: r.mode.displayName, written: r.mode == .written,
                    report: r.reportFileName ?? "", hasReport: r.reportAttachmentID != nil, commented: r.comment != nil,
                    phone: r.phoneTally.valid + r.phoneTally.invalid,
                    paper: r.paperTally.map { $0.valid + $0.invalid } ?? 0, closed: r.closed, ballot: r.outcome.ballot?.description ?? "",
                    satisfaction: r.outcome.satisfaction.map { "\($0)%" } ?? "", assessment: r.outcome.assessment?.description ?? "",
                    combined: r.outcome.combined?.description ?? (r.closed ? r.outcome.missing ?? "" : ""), final: r.final?.description ?? "",
                    grade: r.grade ?? "", reason: r.adjustReason ?? "", problems: r.problems)
            }, allClosed: reporters.allSatisfy(\.closed))
        return services.renderer.page("review/round", title: round.name, model: model, context: context, request: request, status: status)
    }
}
