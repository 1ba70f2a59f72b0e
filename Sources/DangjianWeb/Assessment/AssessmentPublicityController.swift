import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// After 综合审定: the unit's own result with its request for review (复核, EVAL-12) during publicity (EVAL-11); the
/// organiser's publicity page — the requests and their answers (a correction republishes only the changed lines),
/// the publications, and the 复验 of lagging units once their problems are 销号 (ASSESS-08).
struct AssessmentPublicityController {
    let services: AppServices
    var assessment: AssessmentRepository { services.store.assessment }

    struct UnitResultPage {
        var error: String?
        var unitID: Int64
        var round: String
        var unit: String
        var approved: Bool
        var score: String
        var grade: String
        var rank: Int
        var passed: Bool
        var ends: String
        var final: Bool
        var canAppeal: Bool
        var appeals: [String]
        var hasAppeals: Bool
    }

    struct PublicityPage {
        struct Appeal {
            var id: Int64
            var unit: String
            var reason: String
            var filedOn: String
            var replyDue: String
            var open: Bool
            var answer: String
            var score: String
        }
        struct Publication {
            var title: String
            var lines: [PublishedLine]
        }
        struct Lagging {
            var organisationID: Int64
            var unit: String
            var problems: String
            var indicators: [SelectOption]
            var rechecked: String
        }
        var error: String?
        var id: Int64
        var roundID: Int64
        var name: String
        var ends: String
        var final: Bool
        var appeals: [Appeal]
        var hasAppeals: Bool
        var publications: [Publication]
        var lagging: [Lagging]
        var hasLagging: Bool
        var outcomes: [SelectOption]
    }

    func addRoutes(to site: Site) {
        site.add(.get, AssessmentPaths.unitResultPattern, access: .permission(.ledgerWrite), target: .assessmentUnit) { request, context in
            try await unitPage(request, context, unitID: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, AssessmentPaths.appealPattern, access: .permission(.ledgerWrite), target: .assessmentUnit) { request, context in
            var request = request
            let unitID = try context.parameters.require("id", as: Int64.self)
            let write = try context.access(for: .ledgerWrite)
            guard let (roundID, organisationID) = try await assessment.unitReference(unitID),
                try await services.organisations.find(organisationID, access: write) != nil
            else { throw RecordNotFound(objectType: "assessment_unit", objectID: String(unitID)) }
            let form = try await FormData.read(&request)
            do {
                try await assessment.fileAppeal(
                    roundID: roundID, organisationID: organisationID, reason: form.text("reason"), unitAccess: write, actor: context.actor)
                return PageRenderer.redirect(AssessmentPaths.unitResult(unitID))
            } catch let f as ValidationFailure {
                return try await unitPage(request, context, unitID: unitID, error: f.fullMessage, status: .unprocessableContent)
            }
        }
        site.add(.get, AssessmentPaths.publicityPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await publicityPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, AssessmentPaths.appealsPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await action(request, context) { id, form, access in
                let outcome = AppealOutcome(rawValue: form.text("outcome")) ?? .maintained
                let text = form.text("score")
                var score: Score?
                if !text.isEmpty {
                    guard let parsed = Score.parse(text) else {
                        throw ValidationFailure(field: "score", message: "更正后得分“\(text.prefix(20))”应为数字，最多两位小数", ruleID: RuleID.eval12.code)
                    }
                    score = parsed
                }
                let appeals = try await assessment.publicity(roundID: id, access: access).appeals
                guard let appealID = form.int64("appeal"), appeals.contains(where: { $0.id == appealID }) else {
                    throw ValidationFailure(field: "appeal", message: "请选择本次考评的复核申请", ruleID: RuleID.eval12.code)
                }
                try await assessment.answerAppeal(
                    appealID: appealID, outcome: outcome, correctedScore: score, reply: form.text("reply"), access: access, actor: context.actor)
            }
        }
        site.add(.post, AssessmentPaths.recheckPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await action(request, context) { id, form, access in
                let unit = form.int64("unit") ?? -1
                let lagging = try await assessment.laggingProblems(roundID: id, access: access).first { $0.organisationID == unit }
                var scores: [String: String] = [:]
                for problem in lagging?.problems ?? [] { scores[problem.indicator] = form.text("score_\(problem.indicator)") }
                try await assessment.recheck(roundID: id, organisationID: unit, scores: scores, access: access, actor: context.actor)
            }
        }
    }

    func action(
        _ request: Request, _ context: AppRequestContext, _ run: (Int64, FormData, OrganisationAccess) async throws -> Void
    ) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .ledgerManage)
        _ = try await assessment.organisedRound(id, access: access)  // out of reach: 404 before the form is read
        let form = try await FormData.read(&request)
        do {
            try await run(id, form, access)
            return PageRenderer.redirect(AssessmentPaths.publicity(id))
        } catch let p as any ProblemList {
            return try await publicityPage(
                request, context, id: id, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
        } catch let f as ValidationFailure {
            return try await publicityPage(request, context, id: id, error: f.fullMessage, status: .unprocessableContent)
        }
    }

    func unitPage(
        _ request: Request, _ context: AppRequestContext, unitID: Int64, error: String?, status: HTTPResponse.Status
    ) async throws
        -> Response
    {
        let write = try context.access(for: .ledgerWrite)
        guard let (roundID, organisationID) = try await assessment.unitReference(unitID) else {
            throw RecordNotFound(objectType: "assessment_unit", objectID: String(unitID))
        }
        let result = try await assessment.unitResult(roundID: roundID, organisationID: organisationID, unitAccess: write)
        let round = try await assessment.round(roundID, unitAccess: write, organisationID: organisationID)
        let publicity = try await assessment.unitPublicity(roundID: roundID, organisationID: organisationID, unitAccess: write)
        let today = CivilDate(date: services.clock.now())
        let model = UnitResultPage(
            error: error, unitID: unitID, round: round.name, unit: result?.unit.name ?? "", approved: result != nil,
            score: result?.finalScore.description ?? "", grade: result?.grade ?? "", rank: result?.rank ?? 0, passed: result?.passed ?? false,
            ends: publicity?.ends?.description ?? "", final: publicity?.final ?? false,
            canAppeal: publicity?.ends.map { today <= $0 } ?? false && !(publicity?.appeals.contains { $0.outcome == nil } ?? false),
            appeals: (publicity?.appeals ?? []).map { a in
                "\(a.filedOn) 申请：\(a.reason)" + (a.outcome.map { "；答复（\($0.displayName)）：\(a.reply ?? "")" } ?? "；待答复（\(a.replyDue) 前）")
            }, hasAppeals: !(publicity?.appeals.isEmpty ?? true))
        return services.renderer.page(
            "assessment/unit_result", title: "\(round.name)：本单位结果", model: model, context: context, request: request, status: status)
    }

    func publicityPage(
        _ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status
    ) async throws
        -> Response
    {
        let access = try context.access(for: .ledgerManage)
        let results = try await assessment.results(roundID: id, access: access)
        let publicity = try await assessment.publicity(roundID: id, access: access)
        let problems = try await assessment.laggingProblems(roundID: id, access: access)
        let model = PublicityPage(
            error: error, id: id, roundID: id, name: results.round.name, ends: publicity.ends?.description ?? "", final: publicity.final,
            appeals: publicity.appeals.map { a in
                .init(
                    id: a.id, unit: a.unit, reason: a.reason, filedOn: a.filedOn.description, replyDue: a.replyDue.description,
                    open: a.outcome == nil,
                    answer: a.outcome.map { "\($0.displayName)：\(a.reply ?? "")" } ?? "",
                    score: a.newScore.map { "\(a.oldScore?.description ?? "") → \($0)" } ?? "")
            }, hasAppeals: !publicity.appeals.isEmpty,
            publications: publicity.publications.map { p in
                .init(
                    title: "\(Format.dateTime(Date(timeIntervalSince1970: TimeInterval(p.publishedAt)))) \(p.correction ? "更正（仅列变动的单位）" : "首次公示")",
                    lines: p.lines)
            },
            lagging: problems.map { unit in
                let done = publicity.rechecks.last { $0.organisationID == unit.organisationID }
                return .init(
                    organisationID: unit.organisationID, unit: unit.name,
                    problems: unit.problems.map { "\($0.indicator)：\($0.state.displayName)" }.joined(separator: "；"),
                    indicators: unit.problems.map { SelectOption(value: $0.indicator, label: $0.label, selected: false) },
                    rechecked: done.map { "复验 \($0.total) 分，\($0.passed ? "达标" : "仍未达标")" } ?? "")
            }, hasLagging: !problems.isEmpty,
            outcomes: AppealOutcome.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == .maintained) })
        return services.renderer.page(
            "assessment/publicity", title: "\(results.round.name)：公示与复核", model: model, context: context, request: request, status: status)
    }
}
