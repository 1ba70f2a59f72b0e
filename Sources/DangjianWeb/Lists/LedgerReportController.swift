import Hummingbird
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 月通报 of the lists and ledger: tasks done and late, problems found / rectified / overdue, supervision visits and
/// reminder letters, per unit with a ranking, for one month and the year to date; on screen with an SVG chart, as
/// .xlsx and .docx, and a public-display version (晒单) with counts only.
struct LedgerReportController {
    let services: AppServices

    static let columns = ["排名", "单位", "任务数", "按期完成", "逾期", "发现问题", "整改销号", "逾期未销号", "督导次数", "提醒函", "责任清单完成率", "星数"]

    static func cells(_ l: LedgerReport.Line) -> [String] {
        [
            String(l.rank), l.name, String(l.year.tasks), String(l.year.tasksDone), String(l.year.tasksLate), String(l.year.problemsFound),
            String(l.year.problemsClosed), String(l.year.problemsOverdue), String(l.year.visits), String(l.year.letters),
            l.year.dutyRate.map { "\($0)%" } ?? "—", String(l.year.stars),
        ]
    }

    static func figures(_ f: LedgerReport.Figures) -> [(String, String)] {
        [
            ("下达任务", String(f.tasks)), ("按期完成", String(f.tasksDone)), ("逾期（含逾期完成）", String(f.tasksLate)),
            ("督导组", String(f.groups)), ("督导轮次", String(f.rounds)), ("督导单位", String(f.unitsVisited)), ("督导次数", String(f.visits)),
            ("发现问题", String(f.problemsFound)), ("整改销号", String(f.problemsClosed)), ("未销号", String(f.problemsOpen)),
            ("逾期未销号", String(f.problemsOverdue)), ("下发提醒函", String(f.letters)), ("已签收", String(f.lettersAcknowledged)),
            ("责任清单到期事项", String(f.dutyItems)), ("责任清单按期完成", String(f.dutyMet)), ("贴星", String(f.stars)),
        ]
    }

    static func summary(_ r: LedgerReport) -> String {
        let y = r.year, m = r.month
        return "\(r.period)：下达任务 \(m.tasks) 项，按期完成 \(m.tasksDone) 项，逾期 \(m.tasksLate) 项；发现问题 \(m.problemsFound) 个，整改销号 \(m.problemsClosed) 个，"
            + "逾期未销号 \(m.problemsOverdue) 个；下发提醒函 \(m.letters) 份。本年累计：\(y.groups) 个督导组、\(y.rounds) 轮次督导 \(y.unitsVisited) 个单位，"
            + "发现问题 \(y.problemsFound) 个，下发提醒函 \(y.letters) 份，整改销号 \(y.problemsClosed) 个；责任清单到期事项 \(y.dutyItems) 项、按期完成 \(y.dutyMet) 项，"
            + "贴星 \(y.stars) 个。（截至 \(r.cutoff)）"
    }

    func addRoutes(to site: Site) {
        site.add(.get, ListsPaths.ledgerReport, access: .permission(.ledgerWrite), target: .organisation) { request, context in
            try await ledgerReport(request, context)
        }
    }

    /// GET /ledger/report: the month's 三单一账 report of the subtree.
    func ledgerReport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .ledgerWrite)
        let anchorID = try await services.anchorID(form.int64("org"), access)
        let today = CivilDate(date: services.clock.now())
        let month = ComplianceReportController.period(form.text("month")).map(\.start) ?? today
        let report = try await services.ledgerReports.report(anchorID: anchorID, scope: .subtree, month: month, access: access, today: today)
        guard let anchor = try await services.organisations.find(anchorID, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
        }
        let title = "\(anchor.name)\(report.period)三单一账工作月通报"
        let code = ComplianceReportController.code(report.period)
        switch form.text("format") {
        case "xlsx", "docx":
            let xlsx = form.text("format") == "xlsx"
            let data = try xlsx ? Self.workbook(report) : Self.document(report, title: title)
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "ledger_report", objectID: code, organisationID: anchorID,
                    summary: "导出\(title)（\(xlsx ? "Excel" : "Word")，\(report.lines.count) 个单位）"), by: context.actor, database: services.database)
            return Download.response(
                data, type: xlsx ? Download.xlsx : Download.docx, name: "ledger-\(code).\(xlsx ? "xlsx" : "docx")",
                chineseName: "\(title).\(xlsx ? "xlsx" : "docx")")
        default: break
        }
        let chart = SVGBarChart(
            title: "各单位整改销号率（%，本年累计）",
            items: report.lines.filter { $0.year.problemsFound > 0 }.prefix(30).map { ($0.name, $0.year.rectificationRate ?? 0) }
        ).render()
        var months: [SelectOption] = []
        var m = CompliancePeriod(.month, containing: today)
        for _ in 0..<24 {
            months.append(SelectOption(value: ComplianceReportController.code(m), label: "\(m)", selected: m == report.period)); m = m.previous
        }
        let model = LedgerReportPage(
            title: title, summary: Self.summary(report), org: anchorID, code: code, chart: chart, public: form.text("public") == "1",
            months: months,
            figures: zip(Self.figures(report.month), Self.figures(report.year)).map { .init(label: $0.0, month: $0.1, year: $1.1) },
            lines: report.lines.map { l in
                .init(cells: zip(Self.columns, Self.cells(l)).map { .init(label: $0, value: $1) }, colour: l.overdueItems > 0 ? "red" : "none")
            }, hasLines: !report.lines.isEmpty,
            columns: Self.columns)
        return services.renderer.page("lists/ledger_report", title: title, model: model, context: context, request: request)
    }

    static func workbook(_ r: LedgerReport) throws -> Data {
        var summary = XLSXWriter(sheetName: "汇总", header: ["项目", "本月", "本年累计"])
        summary.numericColumns = [1, 2]
        for (m, y) in zip(figures(r.month), figures(r.year)) { summary.append([m.0, m.1, y.1]) }
        var ranking = XLSXWriter(sheetName: "各单位排名", header: columns)
        ranking.numericColumns = Set(columns.indices).subtracting([1])
        for l in r.lines { ranking.append(cells(l)) }
        return try XLSXWriter.workbook([summary, ranking])
    }

    static func document(_ r: LedgerReport, title: String) throws -> Data {
        var doc = DocxWriter()
        doc.add(.init(title, alignment: .center, bold: true, size: 36))
        doc.add(.init(summary(r), indentFirstLine: true))
        doc.add(.init("一、总体情况", bold: true))
        doc.add(DocxWriter.Table(header: ["项目", "本月", "本年累计"], rows: zip(figures(r.month), figures(r.year)).map { [$0.0, $0.1, $1.1] }))
        doc.add(.init("二、各单位排名（本年累计；逾期事项少者在前，其次按期完成率、整改销号率）", bold: true))
        doc.add(DocxWriter.Table(header: columns, rows: r.lines.map(cells)))
        return try doc.data()
    }
}
