import Hummingbird
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 组织生活月报/季报: the compliance report of a subtree for one month or quarter, on screen (tables and an SVG
/// chart, printable) and as .xlsx and .docx for sending up the tree (rules LIFE-01…09).
struct ComplianceReportController {
    let services: AppServices

    struct GroupRow {
        var name: String
        var organisations: Int
        var met: Int
        var overdue: Int
        var rate: String
    }

    struct RequirementRow {
        var summary: String
        var organisations: Int
        var met: Int
        var held: Int
        var rate: String
    }

    struct OrganisationRow {
        var id: Int64
        var name: String
        var colour: String
        var result: String
        var problems: [String]
    }

    func addRoutes(to site: Site) {
        site.add(.get, LifePaths.complianceReport, access: .permission(.organisationsRead), target: .organisation) { request, context in
            try await complianceReport(request, context)
        }
    }

    /// GET /compliance/report: the period report of the subtree (月报/季报), as a page or a sheet.
    func complianceReport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .organisationsRead)
        let anchorID = try await services.anchorID(form.int64("org"), access)
        let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
        let today = CivilDate(date: services.clock.now())
        let period = Self.period(form.text("period")) ?? Self.defaultPeriod(today: today)
        let report = try await services.compliance.report(anchorID: anchorID, scope: scope, access: access, period: period, today: today)
        guard let anchor = try await services.organisations.find(anchorID, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
        }
        let title = Self.title(report, anchor: anchor)
        switch form.text("format") {
        case "xlsx", "docx":
            let xlsx = form.text("format") == "xlsx"
            let data = try xlsx ? Self.workbook(report) : Self.document(report, title: title)
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "compliance_report", objectID: Self.code(period), organisationID: anchorID,
                    summary: "导出\(title)（\(xlsx ? "Excel" : "Word")，\(report.judged) 个党组织）"), by: context.actor, database: services.database)
            return Download.response(
                data, type: xlsx ? Download.xlsx : Download.docx, name: "compliance-\(Self.code(period)).\(xlsx ? "xlsx" : "docx")",
                chineseName: "\(title).\(xlsx ? "xlsx" : "docx")")
        default:
            break
        }
        let showAll = form.text("all") == "1"
        let chart = SVGBarChart(title: "各项组织生活达标率（%）", items: report.requirements.map { ("\($0.requirement.kind.displayName)", $0.rate ?? 0) })
            .render()
        let query = "org=\(anchorID)&scope=\(scope.rawValue)&period=\(Self.code(period))"
        let model = ComplianceReportPage(
            title: title, summary: Self.summary(report), final: report.final, asOf: report.asOf.description, rules: report.rules,
            org: anchorID, query: query, showAll: showAll, chart: chart, hasRequirements: !report.requirements.isEmpty,
            periods: Self.periodOptions(today: today, selected: period),
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) },
            groups: report.groups.map {
                GroupRow(
                    name: $0.organisation.name, organisations: $0.organisations, met: $0.met, overdue: $0.overdue, rate: Self.percent($0.rate))
            },
            hasGroups: !report.groups.isEmpty,
            requirements: report.requirements.map {
                RequirementRow(
                    summary: $0.requirement.summary, organisations: $0.organisations, met: $0.met, held: $0.held, rate: Self.percent($0.rate))
            },
            rows: report.lines.filter { !$0.due.isEmpty && (showAll || !$0.met) }.map { line in
                OrganisationRow(
                    id: line.organisation.id, name: line.organisation.name, colour: line.state?.warningLevel.cssClass ?? "none",
                    result: Self.result(line), problems: line.problems)
            })
        return services.renderer.page("life/compliance_report", title: title, model: model, context: context, request: request)
    }

    // MARK: periods

    /// "2026-10" (a month) or "2026-Q3" (a quarter).
    static func code(_ period: CompliancePeriod) -> String {
        period.length == .quarter ? "\(period.start.year)-Q\(period.number)" : String(format: "%04d-%02d", period.start.year, period.number)
    }

    static func period(_ code: String) -> CompliancePeriod? {
        let parts = code.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]) else { return nil }
        if parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()) { return CompliancePeriod(.quarter, year: year, number: q) }
        return Int(parts[1]).flatMap { CompliancePeriod(.month, year: year, number: $0) }
    }

    /// The month just ended: the report offices write at the start of a month.
    static func defaultPeriod(today: CivilDate) -> CompliancePeriod { CompliancePeriod(.month, containing: today).previous }

    /// The current and previous 23 months, then the current and previous 7 quarters.
    static func periodOptions(today: CivilDate, selected: CompliancePeriod) -> [SelectOption] {
        var options: [SelectOption] = []
        var m = CompliancePeriod(.month, containing: today)
        for _ in 0..<24 { options.append(SelectOption(value: code(m), label: "\(m)月报", selected: m == selected)); m = m.previous }
        var q = CompliancePeriod(.quarter, containing: today)
        for _ in 0..<8 { options.append(SelectOption(value: code(q), label: "\(q)季报", selected: q == selected)); q = q.previous }
        return options
    }

    // MARK: wording

    static func title(_ report: ComplianceReport, anchor: Organisation) -> String {
        "\(anchor.name)\(report.period)组织生活\(report.period.length == .quarter ? "季报" : "月报")"
    }

    static func percent(_ rate: Int?) -> String { rate.map { "\($0)%" } ?? "—" }

    static func summary(_ report: ComplianceReport) -> String {
        let status = report.final ? "截至 \(report.asOf)" : "期间尚未结束，截至 \(report.asOf) 的进度"
        return
            "\(report.period)（\(status)，规则版本 \(report.rules)）：应考核党组织 \(report.judged) 个，全部达标 \(report.met) 个，达标率 \(percent(report.rate))；逾期未开展的 \(report.overdue) 个。"
    }

    static func result(_ line: ComplianceReport.OrganisationLine) -> String {
        if line.met { return "达标" }
        return line.state?.displayName ?? "—"
    }

    // MARK: files

    static func workbook(_ report: ComplianceReport) throws -> Data {
        var summary = XLSXWriter(sheetName: "汇总", header: ["要求", "规则", "应开展党组织数", "达标数", "开展次数", "达标率"])
        summary.numericColumns = [2, 3, 4, 5]
        for r in report.requirements {
            summary.append([r.requirement.summary, r.requirement.ruleID, String(r.organisations), String(r.met), String(r.held), percent(r.rate)])
        }
        summary.append(["合计（全部达标的党组织）", "", String(report.judged), String(report.met), "", percent(report.rate)])
        var groups = XLSXWriter(sheetName: "分组", header: ["党组织", "考核党组织数", "全部达标", "有逾期", "达标率"])
        groups.numericColumns = [1, 2, 3, 4]
        for g in report.groups { groups.append([g.organisation.name, String(g.organisations), String(g.met), String(g.overdue), percent(g.rate)]) }
        var detail = XLSXWriter(sheetName: "明细", header: ["党组织", "结果", "需要关注（规则）"])
        for line in report.lines where !line.due.isEmpty {
            detail.append([line.organisation.name, result(line), line.problems.joined(separator: "；")])
        }
        return try XLSXWriter.workbook([summary, groups, detail])
    }

    static func document(_ report: ComplianceReport, title: String) throws -> Data {
        var doc = DocxWriter()
        doc.add(.init(title, alignment: .center, bold: true, size: 36))
        doc.add(.init(summary(report), indentFirstLine: true))
        doc.add(.init("一、各项组织生活开展情况", bold: true))
        doc.add(
            DocxWriter.Table(
                header: ["要求", "应开展党组织数", "达标数", "开展次数", "达标率"],
                rows: report.requirements.map {
                    [$0.requirement.summary, String($0.organisations), String($0.met), String($0.held), percent($0.rate)]
                }))
        if !report.groups.isEmpty {
            doc.add(.init("二、各单位情况", bold: true))
            doc.add(
                DocxWriter.Table(
                    header: ["党组织", "考核党组织数", "全部达标", "有逾期", "达标率"],
                    rows: report.groups.map {
                        [$0.organisation.name, String($0.organisations), String($0.met), String($0.overdue), percent($0.rate)]
                    }))
        }
        let problems = report.lines.filter { !$0.due.isEmpty && !$0.met }
        doc.add(.init("\(report.groups.isEmpty ? "二" : "三")、未达标党组织（\(problems.count) 个）", bold: true))
        if problems.isEmpty {
            doc.add(.init("本期所有党组织均按规定开展了组织生活。", indentFirstLine: true))
        } else {
            doc.add(
                DocxWriter.Table(
                    header: ["党组织", "结果", "需要关注（规则）"], rows: problems.map { [$0.organisation.name, result($0), $0.problems.joined(separator: "；")] }))
        }
        return try doc.data()
    }
}
