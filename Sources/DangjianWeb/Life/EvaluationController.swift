import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 民主评议党员 (LIFE-08, rules.md §7.4): per member a self-evaluation summary, the peer-ballot tallies, a grade and the
/// follow-up; saved as a draft, then fixed once every check passes (≤ 1/3 优秀, probationary members ungraded by
/// default, follow-up written for 基本合格/不合格). Results download as .xlsx for the file.
struct EvaluationController {
    let services: AppServices

    struct MemberCard {
        var id: Int64
        var name: String
        var status: String
        var graded: Bool
        var selfEvaluation: String
        var peer: [PeerField]
        var suggestion: String
        var grades: [SelectOption]
        var grade: String
        var colour: String
        var followUp: String
        var followHint: String
        var feedbackOn: String
        var errors: [String]
        /// 党员积分 for the year (POINT-07: an input the branch sees, never the grade).
        var points: String = ""
    }

    struct PeerField {
        var field: String
        var label: String
        var value: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, LifePaths.meetingsEvaluationPattern, access: .permission(.membersRead), target: .meeting) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let evaluation = try await services.evaluations.findOrPreview(meetingID: id, access: try context.access(for: .membersRead))
            return try await page(request, context, evaluation, form: nil, problems: [], status: .ok)
        }
        site.add(.post, LifePaths.meetingsEvaluationPattern, access: .permission(.membersWrite), target: .meeting, body: .largeForm) {
            request, context in
            try await saveEvaluation(request, context)
        }
        site.add(.get, LifePaths.meetingsEvaluationXlsxPattern, access: .permission(.membersRead), target: .meeting) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersRead)
            let evaluation = try await services.evaluations.findOrPreview(meetingID: id, access: access)
            var sheet = XLSXWriter(sheetName: "民主评议结果", header: ["姓名", "身份", "自评摘要", "测评·优秀", "测评·合格", "测评·基本合格", "测评·不合格", "评定等次", "后续措施", "反馈日期"])
            for e in evaluation.entries {
                sheet.append(
                    [e.name, e.full ? "正式党员" : "预备党员", e.selfEvaluation] + EvaluationGrade.allCases.map { String(e.peerVotes[$0] ?? 0) }
                        + [e.grade?.displayName ?? (e.full ? "" : "不评定等次"), e.followUp, e.feedbackOn?.description ?? ""])
            }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "evaluation", objectID: String(evaluation.id), organisationID: evaluation.organisationID,
                    summary: "导出民主评议结果（\(evaluation.year) 年，\(evaluation.entries.count) 人）"), by: context.actor, database: services.database)
            return Download.response(
                try sheet.data(), type: Download.xlsx, name: "evaluation-\(evaluation.year).xlsx", chineseName: "\(evaluation.year)年民主评议党员结果.xlsx")
        }
    }

    /// POST /meetings/{id}/evaluation: saves or locks the 民主评议党员 grades.
    func saveEvaluation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request, limit: 2 * 1024 * 1024)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        let preview = try await services.evaluations.findOrPreview(meetingID: id, access: access)
        let sheet: EvaluationForm
        do { sheet = try EvaluationForm(form, lines: preview.entries) } catch {
            return try await page(request, context, preview, form: form, problems: error.problems, status: .badRequest)
        }
        do {
            _ = try await services.evaluations.save(
                meetingID: id, entries: sheet.entries, finalise: sheet.finalise, expectedVersion: sheet.version, access: access,
                actor: context.actor)
            return PageRenderer.redirect(LifePaths.meetingsEvaluation(id) + "?saved=1")
        } catch let errors as ValidationProblems {
            return try await page(request, context, preview, form: form, problems: errors.problems, status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await page(request, context, preview, form: form, problems: [failure], status: .badRequest)
        }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, _ evaluation: DemocraticEvaluationRecord, form: FormData?,
        problems: [ValidationFailure], status: HTTPResponse.Status
    ) async throws -> Response {
        let rules = try await services.rules.inForce()
        guard let org = try await services.organisations.find(evaluation.organisationID, access: .maintenance),
            let meeting = try await services.meetings.find(evaluation.meetingID, access: .maintenance)
        else {
            throw RecordNotFound(objectType: "meeting", objectID: String(evaluation.meetingID))
        }
        let write = try context.access(for: .membersWrite)
        let editable = evaluation.status == .draft && write.covers(path: org.path, parentID: org.parentID)
        func value(_ field: String, _ stored: String) -> String { form.map { $0.text(field) } ?? stored }
        // Each member's points and stars for the year beside the grade (POINT-07: stars are an input to 民主评议;
        // the system never sets the grade).
        var points: [Int64: PointAccount] = [:]
        for m in try await services.store.points.board(organisationID: org.id, year: evaluation.year, access: .maintenance).members {
            points[m.memberID] = m.account
        }
        let cards = evaluation.entries.map { e -> MemberCard in
            let graded = e.full || rules.gradeProbationaryMembers
            let chosen = form.map { EvaluationGrade(rawValue: $0.text("grade_\(e.memberID)")) } ?? e.grade
            return MemberCard(
                id: e.memberID, name: e.name, status: e.full ? "正式党员" : "预备党员（\(graded ? "评定等次" : "参加评议，不评定等次")）", graded: graded,
                selfEvaluation: value("self_\(e.memberID)", e.selfEvaluation),
                peer: EvaluationGrade.allCases.map { g in
                    PeerField(
                        field: "peer_\(g.rawValue)_\(e.memberID)", label: g.displayName,
                        value: value("peer_\(g.rawValue)_\(e.memberID)", String(e.peerVotes[g] ?? 0)))
                },
                suggestion: e.peerSuggestion.map { "测评票最多：\($0.displayName)" } ?? "",
                grades: [SelectOption(value: "", label: graded ? "（未评定）" : "不评定等次", selected: chosen == nil)]
                    + (graded
                        ? EvaluationGrade.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == chosen) } : []),
                grade: chosen?.displayName ?? (graded ? "未评定" : "不评定等次"), colour: chosen?.warningLevel.cssClass ?? "grey",
                followUp: value("follow_\(e.memberID)", e.followUp), followHint: chosen?.defaultFollowUp ?? "",
                feedbackOn: value("feedback_\(e.memberID)", e.feedbackOn?.description ?? ""),
                errors: problems.filter { $0.field.hasSuffix("_\(e.memberID)") }.map(\.fullMessage),
                points: points[e.memberID].map { a in
                    "\(evaluation.year) 年党员积分：" + (a.total.map { "\($0) 分" } ?? "免评")
                        + (a.stars.map { $0 > 0 ? " \(PointLedger.starText($0))" : "" } ?? "") + "（评定等次的参考，\(RuleID.point07)）"
                } ?? "")
        }
        let graded = evaluation.entries.filter { $0.full || rules.gradeProbationaryMembers }.count
        let counts = evaluation.counts
        let model = EvaluationPage(
            org: OrganisationRef(org), meetingID: meeting.id, meetingTitle: "\(meeting.kind.displayName) \(meeting.heldOn)",
            year: evaluation.year, final: evaluation.status == .final, editable: editable, stored: evaluation.id != 0,
            version: evaluation.version, ballots: evaluation.ballots, cards: cards,
            graded: graded, limit: DemocraticEvaluationCheck.excellentLimit(graded: graded, rules: rules).map(String.init) ?? "不限",
            share: "\(rules.excellentShareNumerator)/\(rules.excellentShareDenominator)",
            counts: EvaluationGrade.allCases.map {
                EvaluationPage.Count(label: $0.displayName, count: counts[$0] ?? 0, colour: $0.warningLevel.cssClass)
            },
            errors: problems.filter { p in !evaluation.entries.contains { p.field.hasSuffix("_\($0.memberID)") } }.map(\.fullMessage),
            hasErrors: !problems.isEmpty, saved: FormData.query(request).text("saved") == "1")
        return services.renderer.page(
            "life/evaluation", title: "民主评议党员 · \(org.name)", model: model, context: context, request: request, status: status)
    }
}
