import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// Results, ranking and 综合审定 for the organiser: the ranking overall and per category (EVAL-09, ASSESS-02), grades
/// and 达标 (EVAL-10, ASSESS-07), an SVG chart, the .xlsx with every sheet, every score, every automatic value with
/// its inputs and every change with its reason; the 公示 version shows names and grades only (EVAL-11).
struct AssessmentResultsController {
    let services: AppServices
    var assessment: AssessmentRepository { services.store.assessment }

    func addRoutes(to site: Site) {
        site.add(.get, AssessmentPaths.resultsPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .ledgerManage)
            let results = try await assessment.results(roundID: id, access: access)
            if FormData.query(request).text("format") == "xlsx" {
                guard results.visible else {
                    throw ValidationFailure(field: "round", message: "评分表尚未全部提交、实地考评尚未截止，暂不能导出得分", ruleID: RuleID.eval05.code)
                }
                try await services.audit.record(
                    AuditEvent(
                        action: .export, objectType: "assessment_round", objectID: String(id), organisationID: results.round.organiserID,
                        summary: "导出考评结果“\(results.round.name)”（Excel）"), by: context.actor, database: services.database)
                return Download.response(
                    try await workbook(results, access: access), type: Download.xlsx, name: "assessment-\(id).xlsx",
                    chineseName: "\(results.round.name)考评结果.xlsx")
            }
            if FormData.query(request).text("format") == "docx" {
                guard results.round.state == .approved else {
                    throw ValidationFailure(field: "round", message: "综合审定后才能印发结果通报", ruleID: RuleID.assess09.code)
                }
                try await services.audit.record(
                    AuditEvent(
                        action: .export, objectType: "assessment_round", objectID: String(id), organisationID: results.round.organiserID,
                        summary: "下载考评结果通报“\(results.round.name)”（Word）"), by: context.actor, database: services.database)
                return Download.response(
                    try DocxWriter.official(Self.bulletin(results, today: CivilDate(date: services.clock.now()))), type: Download.docx,
                    name: "assessment-\(id)-bulletin.docx", chineseName: "关于\(results.round.name)结果的通报.docx")
            }
            return try await page(request, context, results, error: nil, status: .ok)
        }
        site.add(.post, AssessmentPaths.approvePattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            var request = request
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .ledgerManage)
            let before = try await assessment.results(roundID: id, access: access)  // out of reach: 404 first
            let form = try await FormData.read(&request)
            do {
                let approve = try ApproveForm(form, units: before.rows.map(\.unit))
                _ = try await assessment.approve(
                    roundID: id, adjustments: approve.adjustments, expectedVersion: approve.version, access: access, actor: context.actor)
                return PageRenderer.redirect(AssessmentPaths.results(id) + "?approved=1")
            } catch let p as any ProblemList {
                return try await page(
                    request, context, before, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
            } catch let f as ValidationFailure {
                return try await page(request, context, before, error: f.fullMessage, status: .unprocessableContent)
            }
        }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, _ results: RoundResults, error: String?, status: HTTPResponse.Status
    ) async throws
        -> Response
    {
        let publicity = FormData.query(request).text("publicity") == "1"
        let names = Dictionary(results.rows.map { ($0.unit.organisationID, $0.unit.name) }, uniquingKeysWith: { a, _ in a })
        let rows = results.rows.map { Self.row($0) }
        let chart = SVGBarChart(title: "各单位得分", items: results.rows.prefix(40).map { ($0.unit.name, Int($0.finalScore.hundredths / 100)) }).render()
        let model = ResultsPage(
            error: error, id: results.round.id, name: results.round.name, organiser: results.round.organiserName, visible: results.visible,
            publicity: publicity, approved: results.round.state == .approved, rows: rows, incomplete: results.incomplete.joined(separator: "、"),
            hasIncomplete: !results.incomplete.isEmpty,
            changes: results.changes.map {
                .init(
                    what: Self.changeName($0.field), unit: names[$0.organisationID] ?? results.round.organiserName, oldValue: $0.oldValue,
                    newValue: $0.newValue, reason: $0.reason)
            },
            hasChanges: !results.changes.isEmpty, chart: results.visible && !publicity ? chart : "", version: results.round.version,
            canApprove: results.visible && results.round.state == .open && results.incomplete.isEmpty,
            grades: results.round.parameters.gradeScale.summary)
        return services.renderer.page(
            "assessment/results", title: "\(results.round.name)：考评结果", model: model, context: context, request: request, status: status)
    }

    /// 考评结果通报 (official-letter layout): the round in a sentence, the units by grade, the lagging units' 限期达标,
    /// then the table of ranks, units, scores and grades. Organisations only, no person (REVIEW-09, BULLETIN-05).
    static func bulletin(_ results: RoundResults, today: CivilDate) -> OfficialDocument {
        let scale = results.round.parameters.gradeScale
        var paragraphs = [
            "根据\(results.round.year)年度工作安排，\(results.round.organiserName)组织开展了\(results.round.name)，经单位自评、评审组实地考评、综合审定，现将结果通报如下。"
        ]
        for band in scale.bands {
            let names = results.rows.filter { $0.grade == band.name }.map(\.unit.name)
            if !names.isEmpty { paragraphs.append("\(band.name)（\(names.count) 个）：\(names.joined(separator: "、"))。") }
        }
        let lagging = results.rows.filter { !$0.passed }.map(\.unit.name)
        paragraphs.append(
            lagging.isEmpty
                ? "各单位均已达标。希望各单位对照考评中发现的问题持续改进，巩固提升创建成效。"
                : "以下单位未达标，已列出问题清单，请限期整改达标，整改完成后组织复验：\(lagging.joined(separator: "、"))。")
        return OfficialDocument(
            title: "关于\(results.round.name)结果的通报", recipient: "各党组织：", paragraphs: paragraphs, tableHeader: ["名次", "单位", "得分", "等次"],
            tableRows: results.rows.map { [String($0.rank), $0.unit.name, $0.finalScore.description, $0.grade] }, issuer: results.round.organiserName,
            date: today)
    }

    static func changeName(_ field: String) -> String {
        ["final_score": "审定得分", "bonus": "加分", "deduction": "扣分", "veto": "一票否决", "timetable": "日程"][field] ?? field
    }

    static func row(_ r: UnitResultRow) -> ResultsPage.Row {
        var notes: [String] = []
        if let tie = r.tieNote { notes.append(tie) }
        if r.result.vetoed { notes.append("一票否决") }
        if !r.selfTooHigh.isEmpty { notes.append("自评偏高：\(r.selfTooHigh.joined(separator: "、"))") }
        if !r.quorumMet { notes.append("有效评分表不足") }
        return ResultsPage.Row(
            rank: r.rank, categoryRank: r.categoryRank, unitID: r.unit.id, unit: r.unit.name, category: r.unit.category ?? "",
            site: r.result.sitePart.description, auto: r.result.autoPart.description, bonus: r.result.bonus.description,
            deduction: r.result.deduction.description, computed: r.result.total.description, final: r.finalScore.description, grade: r.grade,
            passed: r.passed, sheets: "\(r.validSheets)/\(r.assigned)", note: notes.joined(separator: "；"))
    }

    /// 考评结果 (the screen's ranking first), then every sheet's every score, the automatic values with their inputs, and
    /// the changes of 审定 with their reasons.
    func workbook(_ results: RoundResults, access: OrganisationAccess) async throws -> Data {
        let header = ["排名", "类别内排名", "单位", "考核类别", "实地考评", "自动指标", "加分", "扣分", "计算得分", "审定得分", "等次", "是否达标", "有效评分表", "说明"]
        var ranking = XLSXWriter(sheetName: "考评结果", header: header)
        ranking.numericColumns = [0, 1, 4, 5, 6, 7, 8, 9]
        for r in results.rows.map(Self.row) {
            ranking.append([
                String(r.rank), String(r.categoryRank), r.unit, r.category, r.site, r.auto, r.bonus, r.deduction, r.computed, r.final, r.grade,
                r.passed ? "达标" : "未达标", r.sheets, r.note,
            ])
        }
        let indicators = results.scheme.indicators
        var scores = XLSXWriter(sheetName: "评分明细", header: ["单位", "评分人", "阶段"] + indicators.map(\.label) + ["合计"])
        for (unit, assessor, sheet) in try await assessment.sheetDetails(roundID: results.round.id, access: access) {
            scores.append(
                [unit.name, assessor, sheet.stage.displayName] + indicators.map { sheet.scores[$0.code]?.points.description ?? "" }
                    + [sheet.scores.values.map(\.points).total().description])
        }
        var auto = XLSXWriter(sheetName: "自动指标", header: ["单位", "指标", "得分", "完成数", "应完成数", "依据"])
        let inputs = try await assessment.autoInputs(roundID: results.round.id, access: access)
        for row in results.rows {
            for (code, value) in (inputs[row.unit.organisationID] ?? [:]).sorted(by: { $0.key < $1.key }) {
                auto.append([
                    row.unit.name, results.scheme.indicator(code)?.label ?? code, value.0.description, String(value.1.actual),
                    String(value.1.required),
                    value.1.note,
                ])
            }
        }
        var changes = XLSXWriter(sheetName: "审定调整", header: ["事项", "单位", "原值", "新值", "理由"])
        let names = Dictionary(results.rows.map { ($0.unit.organisationID, $0.unit.name) }, uniquingKeysWith: { a, _ in a })
        for c in results.changes {
            changes.append([Self.changeName(c.field), names[c.organisationID] ?? results.round.organiserName, c.oldValue, c.newValue, c.reason])
        }
        return try XLSXWriter.workbook([ranking, scores, auto, changes])
    }
}
