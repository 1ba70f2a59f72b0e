import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// The sheets, on a phone: an assessor's own sheet for an assigned unit (nothing but the assignment is needed), the
/// unit's self-assessment with evidence per indicator (`ledger.write` over the unit), the chair's reopening with a
/// reason (EVAL-05) and a declared conflict (EVAL-04). Anyone else gets 404.
struct AssessmentSheetController {
    let services: AppServices
    var assessment: AssessmentRepository { services.store.assessment }

    func addRoutes(to site: Site) {
        site.add(.get, AssessmentPaths.sheetPattern, access: .signedIn, target: .assessmentUnit) { request, context in
            try await sheetPage(request, context, stage: .site, entered: nil, errors: [], status: .ok)
        }
        site.add(.post, AssessmentPaths.sheetPattern, access: .signedIn, target: .assessmentUnit) { request, context in
            try await save(request, context, stage: .site)
        }
        site.add(.get, AssessmentPaths.selfPattern, access: .permission(.ledgerWrite), target: .assessmentUnit) { request, context in
            try await sheetPage(request, context, stage: .selfAssessment, entered: nil, errors: [], status: .ok)
        }
        site.add(.post, AssessmentPaths.selfPattern, access: .permission(.ledgerWrite), target: .assessmentUnit) { request, context in
            try await save(request, context, stage: .selfAssessment)
        }
        site.add(.post, AssessmentPaths.evidencePattern, access: .permission(.ledgerWrite), target: .assessmentUnit, body: .upload) {
            request, context in
            var request = request
            let unitID = try context.parameters.require("id", as: Int64.self)
            let (roundID, organisationID) = try await reference(unitID)
            let write = try context.access(for: .ledgerWrite)
            // Out of reach: 404 before the body's checks.
            _ = try await assessment.sheetView(
                roundID: roundID, organisationID: organisationID, stage: .selfAssessment, userID: context.identity?.user.id ?? -1, unitAccess: write)
            let upload = try await EvidenceForm.read(&request)
            do {
                guard let file = try upload.evidence() else {
                    throw ValidationFailure(field: "evidence_file", message: "请选择佐证材料（JPG、PNG 照片或 PDF）", ruleID: RuleID.assess04.code)
                }
                try await assessment.addEvidence(
                    roundID: roundID, organisationID: organisationID, indicatorCode: upload.form.text("indicator"), file: file,
                    userID: context.identity?.user.id ?? -1, unitAccess: write, actor: context.actor)
                return PageRenderer.redirect(AssessmentPaths.selfAssessment(unitID) + "#ind-\(upload.form.text("indicator"))")
            } catch let f as ValidationFailure {
                return try await sheetPage(
                    request, context, stage: .selfAssessment, entered: nil, errors: [f.fullMessage], status: .unprocessableContent)
            }
        }
        site.add(.post, AssessmentPaths.declarePattern, access: .signedIn, target: .assessmentUnit) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let unitID = try context.parameters.require("id", as: Int64.self)
            let (roundID, organisationID) = try await reference(unitID)
            let caller = context.identity?.user.id ?? -1
            try await assessment.declareConflict(
                roundID: roundID, userID: form.int64("user") ?? caller, organisationID: organisationID, relation: form.text("relation"),
                callerID: caller,
                actor: context.actor)
            return PageRenderer.redirect(AssessmentPaths.overview + "?declared=1")
        }
        site.add(.post, AssessmentPaths.reopenPattern, access: .signedIn, target: .assessmentUnit) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let unitID = try context.parameters.require("id", as: Int64.self)
            let (roundID, organisationID) = try await reference(unitID)
            try await assessment.reopenSheet(
                roundID: roundID, organisationID: organisationID, assessorID: form.int64("assessor") ?? -1, reason: form.text("reason"),
                callerID: context.identity?.user.id ?? -1, actor: context.actor)
            return PageRenderer.redirect(AssessmentPaths.sheet(unitID) + "?reopened=1")
        }
        site.add(.get, AssessmentPaths.evidenceFilePattern, access: .signedIn, target: .assessmentEvidence) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard
                let (attachment, data) = try await assessment.evidenceFile(
                    id, userID: context.identity?.user.id ?? -1, unitAccess: try context.access(for: .ledgerWrite),
                    organiserAccess: try context.access(for: .ledgerManage))
            else { throw RecordNotFound(objectType: "assessment_evidence", objectID: String(id)) }
            return Download.response(
                data, type: attachment.contentType, name: "evidence-\(id)\(attachment.fileExtension)", chineseName: attachment.fileName)
        }
    }

    /// One fieldset per indicator: the rule, the self-score, the evidence, the score and note inputs (and 现场核实 for
    /// an assessor when the indicator needs evidence, ASSESS-04). Every text is escaped.
    static func indicatorsHTML(_ rows: [SheetPage.IndicatorRow], editable: Bool, isSelf: Bool) -> String {
        let e = HTMLText.escape
        let disabled = editable ? "" : " disabled"
        var out = ""
        out.reserveCapacity(rows.count * 900)
        for r in rows {
            let code = e(r.code)
            out += "<fieldset class=\"indicator\" id=\"ind-\(code)\"><legend>\(e(r.label))</legend><p class=\"hint\">\(e(r.method))"
            if r.hasGuidance { out += "：\(e(r.guidance))" }
            if r.hasTiers { out += "（可填：\(e(r.tiers))）" }
            out += "</p>"
            if r.hasSelfScore { out += "<p class=\"muted\">单位自评 \(e(r.selfScore)) 分</p>" }
            if r.needsEvidence {
                out += "<p class=\"muted\">佐证材料：\(e(r.evidenceNames)) · "
                out +=
                    r.hasEvidence
                    ? "已上传：" + r.evidence.map { "<a href=\"\(AssessmentPaths.overview)/evidence/\($0.id)\">\(e($0.name))</a>" }.joined(separator: " ")
                    : "未上传"
                out += "</p>"
            }
            out +=
                "<label for=\"score_\(code)\">得分</label><input id=\"score_\(code)\" name=\"score_\(code)\" value=\"\(e(r.value))\" inputmode=\"decimal\" autocomplete=\"off\"\(disabled)>"
            out +=
                "<label for=\"note_\(code)\">说明</label><input id=\"note_\(code)\" name=\"note_\(code)\" value=\"\(e(r.note))\" maxlength=\"500\"\(disabled)>"
            if !isSelf && r.needsEvidence {
                out +=
                    "<label><input type=\"checkbox\" name=\"verified_\(code)\" value=\"1\"\(r.verified ? " checked" : "")\(disabled)> 现场核实（无佐证材料时须勾选，否则该项按 0 分计，\(RuleID.assess04.code)）</label>"
            }
            out += "</fieldset>"
        }
        return out
    }

    func reference(_ unitID: Int64) async throws -> (Int64, Int64) {
        guard let reference = try await assessment.unitReference(unitID) else {
            throw RecordNotFound(objectType: "assessment_unit", objectID: String(unitID))
        }
        return reference
    }

    func save(_ request: Request, _ context: AppRequestContext, stage: AssessmentStage) async throws -> Response {
        var request = request
        let unitID = try context.parameters.require("id", as: Int64.self)
        let (roundID, organisationID) = try await reference(unitID)
        let userID = context.identity?.user.id ?? -1
        let write = try context.access(for: .ledgerWrite)
        // Out of reach: 404 before the form is read or checked.
        let view = try await assessment.sheetView(roundID: roundID, organisationID: organisationID, stage: stage, userID: userID, unitAccess: write)
        let form = try await FormData.read(&request)
        let sheet = SheetForm(form, indicators: view.indicators)
        do {
            try await assessment.saveSheet(
                roundID: roundID, organisationID: organisationID, stage: stage, entries: sheet.entries, submit: sheet.submit,
                expectedVersion: sheet.version, userID: userID, unitAccess: write, actor: context.actor)
            let path = stage == .site ? AssessmentPaths.sheet(unitID) : AssessmentPaths.selfAssessment(unitID)
            return PageRenderer.redirect(path + "?saved=1")
        } catch let p as any ProblemList {
            return try await sheetPage(
                request, context, stage: stage, entered: sheet.entries, errors: p.problems.map(\.fullMessage), status: .unprocessableContent)
        } catch let f as ValidationFailure {
            return try await sheetPage(request, context, stage: stage, entered: sheet.entries, errors: [f.fullMessage], status: .unprocessableContent)
        }
    }

    /// The sheet with what is stored, or with what was just entered when it was refused (nothing typed is lost).
    func sheetPage(
        _ request: Request, _ context: AppRequestContext, stage: AssessmentStage, entered: [SheetEntry]?, errors: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let unitID = try context.parameters.require("id", as: Int64.self)
        let (roundID, organisationID) = try await reference(unitID)
        let userID = context.identity?.user.id ?? -1
        let write = try context.access(for: .ledgerWrite)
        let view = try await assessment.sheetView(roundID: roundID, organisationID: organisationID, stage: stage, userID: userID, unitAccess: write)
        let typed = Dictionary((entered ?? []).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = view.indicators.map { i -> SheetPage.IndicatorRow in
            let stored = view.sheet?.scores[i.code]
            let files = view.evidence[i.code] ?? []
            var tiers = ""
            if case .tiered(let list) = i.method { tiers = list.map { "\($0.label)（\($0.points.plain)分）" }.joined(separator: "、") }
            let selfScore = view.selfSheet?.scores[i.code]?.points
            return SheetPage.IndicatorRow(
                code: i.code, label: i.label, method: AssessmentController.methodText(i.method), guidance: i.guidance,
                value: typed[i.code]?.text ?? stored?.entered ?? "", note: typed[i.code]?.note ?? stored?.note ?? "",
                verified: typed[i.code]?.verifiedOnSite ?? stored?.verifiedOnSite ?? false, needsEvidence: !i.evidenceRequired.isEmpty,
                evidenceNames: i.evidenceRequired.joined(separator: "、"), evidence: files.map { .init(id: $0.id, name: $0.attachment.fileName) },
                hasEvidence: !files.isEmpty, selfScore: selfScore?.plain ?? "", hasSelfScore: selfScore != nil, tiers: tiers,
                hasTiers: !tiers.isEmpty,
                hasGuidance: !i.guidance.isEmpty)
        }
        var result = ""
        if stage == .selfAssessment, let row = try await assessment.unitResult(roundID: roundID, organisationID: organisationID, unitAccess: write) {
            result = "审定得分 \(row.finalScore)，等次“\(row.grade)”，\(row.passed ? "达标" : "未达标")，排名第 \(row.rank) 位"
        }
        var assessors: [SheetPage.AssessorRow] = []
        var isChair = false
        if stage == .site, let chair = try await assessment.chairView(roundID: roundID, organisationID: organisationID, callerID: userID) {
            isChair = true
            assessors = chair.map { .init(userID: $0.0.userID, name: $0.0.name, state: $0.1?.displayName ?? "未开始", submitted: $0.1 == .submitted) }
        }
        let window = view.round.timetable.window(stage)
        let model = SheetPage(
            errors: errors, hasErrors: !errors.isEmpty, unitID: unitID, round: view.round.name, unit: view.unit.name, stage: stage.displayName,
            isSelf: stage == .selfAssessment, indicatorsHTML: Self.indicatorsHTML(rows, editable: view.editable, isSelf: stage == .selfAssessment),
            indicatorOptionsHTML: SelectOption.html(rows.map { SelectOption(value: $0.code, label: $0.label, selected: false) }),
            editable: view.editable, lockedReason: view.lockedReason ?? "",
            version: view.sheet?.version ?? 0, state: view.sheet?.state.displayName ?? "未开始",
            total: (view.sheet?.scores.values.map(\.points).total() ?? .zero).description, window: "\(window.lowerBound) 至 \(window.upperBound)",
            result: result, hasResult: !result.isEmpty, isChair: isChair, assessors: assessors,
            saved: FormData.query(request).text("saved") == "1")
        return services.renderer.page(
            "assessment/sheet", title: "\(stage.displayName)：\(view.unit.name)", model: model, context: context, request: request, status: status)
    }
}
