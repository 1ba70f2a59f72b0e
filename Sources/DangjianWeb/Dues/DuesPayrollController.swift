import Foundation
import Hummingbird
import HTTPTypes
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 党费基数批量核定 (issue 18, item 1; DUES-09/15): the payroll sheet from HR uploaded, previewed row by row with last
/// year's amount beside each, and committed all or nothing.
struct DuesPayrollController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, DuesPaths.payrollImport, access: .permission(.membersWrite), target: .organisation) { request, context in
            let query = FormData.query(request)
            let org = try await organisation(query.int64("org"), context)
            let year = try query.number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
            return try await page(request, context, org: org, year: year.value, report: nil, committed: false, error: nil, status: .ok)
        }
        site.add(.get, DuesPaths.payrollTemplate, access: .permission(.membersWrite)) { _, _ in
            Download.response(try Self.template(), type: Download.xlsx, name: "payroll-template.xlsx", chineseName: "党费基数工资表模板.xlsx")
        }
        site.add(.post, DuesPaths.payrollImport, access: .permission(.membersWrite), target: .organisation, body: .upload) { request, context in
            try await preview(request, context)
        }
        site.add(.post, DuesPaths.payrollCommitPattern, access: .permission(.membersWrite)) { request, context in
            try await commit(request, context)
        }
    }

    func organisation(_ id: Int64?, _ context: AppRequestContext) async throws -> Organisation {
        let access = try context.access(for: .membersWrite)
        let anchor = try await services.anchorID(id, access)
        guard let org = try await services.organisations.find(anchor, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchor))
        }
        return org
    }

    /// POST /dues/import?org=: reads the upload and shows the preview (nothing written).
    func preview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let org = try await organisation(FormData.query(request).int64("org"), context)
        let today = CivilDate(date: services.clock.now())
        let form: MultipartForm
        do { form = try await MultipartForm.read(&request, limit: RouteBody.upload.limit) } catch is ValidationFailureError {
            return try await page(
                request, context, org: org, year: today.year, report: nil, committed: false, error: "请选择要导入的文件", status: .badRequest)
        }
        let yearText = form.value("year") ?? ""
        guard let year = yearText.isEmpty ? CalendarYear(of: today) : Int(yearText.trimmed).flatMap(CalendarYear.init) else {
            return try await page(
                request, context, org: org, year: today.year, report: nil, committed: false, error: "年度“\(yearText)”应为 1900 至 2100 之间的年份",
                status: .badRequest)
        }
        guard let upload = form.file("file"), !upload.data.isEmpty else {
            return try await page(
                request, context, org: org, year: year.value, report: nil, committed: false, error: "请选择要导入的 .xlsx 或 .csv 工资表", status: .badRequest)
        }
        do {
            let report = try await services.store.duesPayroll.preview(
                file: upload.data, fileName: upload.fileName ?? "upload", organisationID: org.id, year: year,
                access: try context.access(for: .membersWrite), actor: context.actor)
            return try await page(request, context, org: org, year: year.value, report: report, committed: false, error: nil, status: .ok)
        } catch let failure as ValidationFailure {
            return try await page(
                request, context, org: org, year: year.value, report: nil, committed: false, error: failure.fullMessage, status: .badRequest)
        }
    }

    /// POST /dues/import/{job}/commit: writes the whole sheet or nothing.
    func commit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let jobID = try context.parameters.require("job", as: Int64.self)
        let today = CivilDate(date: services.clock.now())
        let year = try form.number("year", CalendarYear.self) ?? CalendarYear(of: today)
        let org = try await organisation(form.int64("org"), context)
        do {
            let report = try await services.store.duesPayroll.commit(
                jobID: jobID, year: year, access: try context.access(for: .membersWrite), actor: context.actor)
            return try await page(request, context, org: org, year: year.value, report: report, committed: true, error: nil, status: .ok)
        } catch let failure as ValidationFailure {
            return try await page(
                request, context, org: org, year: year.value, report: nil, committed: false, error: failure.fullMessage, status: .badRequest)
        }
    }

    /// How many rows the preview lists (a 100,000-row sheet builds no more rows than it shows).
    static let shownRows = 500

    func page(
        _ request: Request, _ context: AppRequestContext, org: Organisation, year: Int, report: PayrollImportReport?, committed: Bool,
        error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let lines = report?.lines ?? []
        let problems = lines.flatMap { line in line.problems.map { DuesPayrollPage.Problem(row: $0.row, column: $0.column, message: $0.fullMessage) }
        }
        let shown = lines.lazy.filter { $0.outcome != .invalid }.prefix(Self.shownRows).map { l in
            DuesPayrollPage.Line(
                row: l.row, name: Masking.name(l.name), id: l.idMasked, category: l.category?.displayName ?? "", explanation: l.explanation,
                monthly: l.monthly.map { "\($0)" } ?? "", lastYear: l.lastYear.map { "\($0)" } ?? "—",
                change: Self.change(l), action: Self.action(l.outcome))
        }
        let model = DuesPayrollPage(
            orgID: org.id, orgName: org.name, year: year, sheetHref: DuesPaths.sheet(org: org.id, year: year),
            action: DuesPaths.payrollImport + "?org=\(org.id)", hasReport: report != nil && !(report?.alreadyCommitted ?? false),
            committed: committed, alreadyCommitted: report?.alreadyCommitted ?? false, jobID: report?.jobID ?? 0,
            commitAction: DuesPaths.payrollCommit(report?.jobID ?? 0), fileName: report?.fileName ?? "", headerRow: report?.headerRow ?? 0,
            recognised: report?.recognised.joined(separator: "、") ?? "", ignored: report?.ignored.joined(separator: "、") ?? "",
            fileProblems: report?.fileProblems ?? [], creates: report?.creates ?? 0, updates: report?.updates ?? 0,
            unchanged: report?.unchanged ?? 0, invalid: report?.invalid ?? 0, raised: report?.raised ?? 0, lowered: report?.lowered ?? 0,
            canCommit: !committed && (report?.committable ?? false), problems: problems, hasProblems: !problems.isEmpty,
            lines: Array(shown), moreLines: max(0, lines.filter { $0.outcome != .invalid }.count - Self.shownRows),
            error: error ?? "", templateHref: DuesPaths.payrollTemplate,
            exclusions: try await services.rules.inForce().duesBaseExclusions.joined(separator: "、"))
        return services.renderer.page("dues/import", title: "导入党费基数 · \(org.name)", model: model, context: context, request: request, status: status)
    }

    static func action(_ outcome: ImportOutcome) -> String {
        switch outcome {
        case .create: "新设"
        case .update: "变更"
        case .unchanged: "无变化"
        case .invalid: "有问题"
        }
    }

    /// "比上年 +12.50" / "−3.00" / "持平" / "上年未核定".
    static func change(_ line: PayrollImportLine) -> String {
        guard let now = line.monthly else { return "" }
        guard let before = line.lastYear else { return "上年未核定" }
        if now == before { return "与上年持平" }
        let diff = Fen(clamping: abs(now.value - before.value))
        return now > before ? "比上年多 \(diff)" : "比上年少 \(diff)"
    }

    /// The template: the columns a payroll sheet usually has, with the DUES-15 exclusions.
    static func template() throws -> Data {
        var writer = XLSXWriter(
            sheetName: "党费基数",
            header: ["姓名", "身份证号", "类别", "应发工资", "个人所得税", "养老保险", "医疗保险", "失业保险", "住房公积金", "职业年金", "奖励性绩效", "月基数"])
        writer.append(["（示例，导入前删除本行）", "", "在职", "8000.00", "120.00", "640.00", "160.00", "40.00", "960.00", "320.00", "500.00", ""])
        return try writer.data()
    }
}
