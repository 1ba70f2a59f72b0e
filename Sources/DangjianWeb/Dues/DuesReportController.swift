import Foundation
import Hummingbird
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 党费月报 (issue 18, item 5): a month across the caller's subtree — 应交, 已交, 收缴率, 实收, arrears and reductions per
/// group and in total — on screen and as .xlsx (the same summary sheet, plus every organisation's line) for the
/// report upward. The screen and the file are one table (`rows`), so they cannot differ.
struct DuesReportController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, DuesPaths.report, access: .permission(.membersRead), target: .organisation) { request, context in
            try await report(request, context)
        }
    }

    static let header = ["党组织", "党员数", "应交人数", "应交金额（元）", "已交人数", "收缴率", "本月实收（元）", "欠缴3个月以上", "欠缴6个月以上", "减免人数"]

    /// One table row: the organisation's name and its figures in the columns of `header`.
    static func row(_ name: String, _ f: DuesReportFigures) -> [String] {
        [
            name, String(f.members), String(f.due), Fen(clamping: f.dueFen).description, String(f.paid),
            f.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—", Fen.signedYuan(f.collectedFen), String(f.threeMonths), String(f.sixMonths),
            String(f.reductions),
        ]
    }

    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let text = query.text("month")
        let today = CivilDate(date: services.clock.now())
        guard let month = text.isEmpty ? DuesMonth(containing: today) : DuesMonth.parse(text) else {
            throw ValidationFailure(field: "month", message: "月份“\(text)”应写作 2026-11")
        }
        let report = try await services.store.dues.monthReport(anchorID: anchor, month: month, access: access)
        let rows = report.groups.map { Self.row($0.organisation.name, $0.figures) } + [Self.row("合计", report.total)]
        let title = "\(report.anchor.name) \(month)党费收缴情况"
        if query.text("format") == "xlsx" {
            var summary = XLSXWriter(sheetName: "汇总", header: Self.header)
            summary.numericColumns = [1, 2, 3, 4, 6, 7, 8, 9]
            for r in rows { summary.append(r) }
            var detail = XLSXWriter(sheetName: "明细", header: Self.header)
            detail.numericColumns = summary.numericColumns
            for line in report.lines { detail.append(Self.row(line.organisation.name, line.figures)) }
            let data = try XLSXWriter.workbook([summary, detail])
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "dues_report", objectID: month.code, organisationID: anchor,
                    summary: "导出\(title)（Excel，\(report.lines.count) 个党组织）"), by: context.actor, database: services.database)
            return Download.response(data, type: Download.xlsx, name: "dues-\(month.code).xlsx", chineseName: "\(title).xlsx")
        }
        let e = HTMLText.escape
        var html = ""
        for (i, r) in rows.enumerated() {
            html += i == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
            for (j, cell) in r.enumerated() { html += "<td data-label=\"\(e(Self.header[j]))\">\(e(cell))</td>" }
            html += "</tr>"
        }
        let model = DuesReportPage(
            title: title, month: month.description,
            previous: DuesPaths.report(org: anchor, month: month.adding(months: -1).code),
            next: DuesPaths.report(org: anchor, month: month.adding(months: 1).code),
            xlsx: DuesPaths.report(org: anchor, month: month.code) + "&format=xlsx", header: Self.header, rowsHTML: html,
            summary:
                "\(month)：应交 \(report.total.due) 人 \(Fen(clamping: report.total.dueFen)) 元，已交 \(report.total.paid) 人（收缴率 \(rows.last?[5] ?? "—")），本月实收 \(Fen.signedYuan(report.total.collectedFen)) 元；连续 3 个月以上未交 \(report.total.threeMonths) 人，其中 6 个月以上 \(report.total.sixMonths) 人（\(RuleID.dues13)、\(RuleID.dues19)）。"
        )
        return services.renderer.page("dues/report", title: title, model: model, context: context, request: request)
    }
}
