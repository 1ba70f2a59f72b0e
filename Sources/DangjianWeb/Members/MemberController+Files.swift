import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import Crypto
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The roster as files (.csv/.xlsx) and the statistics page.
extension MemberController {
    /// The filtered roster as .csv or .xlsx, masked; every export is audited with its row count and SHA-256. An
    /// unmasked export is a request with a purpose (issue 15, M6): `unmasked=1` leads to its form.
    func export(_ request: Request, _ context: AppRequestContext, format: ExportFormat = .csv) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        if form["unmasked"] == "1" {
            if !(context.identity?.principal.has(.exportUnmasked) ?? false) {
                throw AccessDenied(permission: .exportUnmasked, reason: "导出未脱敏名册需要“\(Permission.exportUnmasked.displayName)”权限")
            }
            return PageRenderer.redirect(
                MembersPaths.membersExportUnmasked + "?\(Self.filterString(form))&format=\(format == .xlsx ? "xlsx" : "csv")")
        }
        let file = try await rosterFile(form, access: access, format: format, watermark: nil)
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "member", objectID: "-", organisationID: file.anchorID,
                summary: "导出党员名册\(format == .xlsx ? " .xlsx" : "")（脱敏）\(file.count) 条，SHA-256 \(file.digest)"),
            by: context.actor, database: services.database)
        return Self.download(file.data, format: format)
    }

    static func download(_ data: Data, format: ExportFormat) -> Response {
        format == .csv
            ? Download.response(data, type: Download.csv, name: "members.csv", chineseName: "党员名册.csv")
            : Download.response(data, type: Download.xlsx, name: "members.xlsx", chineseName: "党员名册.xlsx")
    }

    /// The roster file for the filter in `form`: masked, or — with `watermark` — with the full values and the
    /// watermark (who, when, what for) as its first line.
    func rosterFile(
        _ form: FormData, access: OrganisationAccess, format: ExportFormat, watermark: String?
    ) async throws
        -> (data: Data, count: Int, anchorID: Int64, digest: String)
    {
        var q = try query(form, access: access)
        q.limit = services.configuration.exportRowLimit
        let (members, total) = try await services.members.list(q, access: access)
        guard total <= q.limit else {
            throw ValidationFailure(field: "org", message: "所选范围共 \(total) 名党员，超过一次导出的上限 \(q.limit) 人；请缩小筛选条件或按下级组织分别导出")
        }
        let orgs = Dictionary(
            uniqueKeysWithValues: try await services.organisations.visible(access: access, includeDissolved: true).map { ($0.id, $0.name) })
        let sensitive = watermark != nil ? try await services.members.sensitiveValues(for: members.map(\.id), access: access) : [:]
        let row: @Sendable (Int) -> [String] = {
            MemberExport.row(members[$0], organisation: orgs[members[$0].organisationID] ?? "", sensitive: sensitive[members[$0].id])
        }
        let data: Data
        switch format {
        case .csv:
            var csv = CSVWriter(header: watermark.map { [$0] } ?? MemberExport.header)
            if watermark != nil { csv.append(MemberExport.header) }
            for index in members.indices { csv.append(row(index)) }
            data = csv.data
        case .xlsx:
            // Rows are made as the file is written: the sheet's XML is never held whole (decision 0019).
            if let watermark {
                data = try XLSXWriter(sheetName: "党员名册", header: [watermark], rowCount: members.count + 1) {
                    $0 == 0 ? MemberExport.header : row($0 - 1)
                }.data()
            } else {
                data = try XLSXWriter(sheetName: "党员名册", header: MemberExport.header, rowCount: members.count, row: row).data()
            }
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return (data, members.count, q.anchorID, digest)
    }

    /// How many members the filter in `form` selects.
    func rosterCount(_ form: FormData, access: OrganisationAccess) async throws -> (count: Int, anchorID: Int64) {
        var q = try query(form, access: access)
        q.limit = 1
        return (try await services.members.list(q, access: access).total, q.anchorID)
    }

    struct StatTable {
        var title: String
        var rows: [RosterStatistics.Count]
        var chart: String
    }

    func statisticsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let q = try query(form, access: access)
        let stats = try await services.members.statistics(q, access: access)
        let tables = [
            ("性别", stats.gender), ("民族", stats.ethnicity), ("学历", stats.education), ("年龄", stats.ageBands),
            ("党龄", stats.standingBands), ("人员类别", stats.category), ("党员身份", stats.partyStatus),
        ].map { title, rows in
            StatTable(title: title, rows: rows, chart: SVGBarChart(title: "按\(title)", items: rows.map { ($0.label, $0.value) }).render())
        }
        if form["format"] == "csv" {
            var csv = CSVWriter(header: ["分类", "项目", "人数"])
            for table in tables { for row in table.rows { csv.append([table.title, row.label, String(row.value)]) } }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "member_statistics", objectID: "-", organisationID: q.anchorID,
                    summary: "导出党员队伍统计（共 \(stats.total) 人）"), by: context.actor, database: services.database)
            return Download.response(csv.data, type: Download.csv, name: "statistics.csv")
        }
        let org = try await services.organisations.find(q.anchorID, access: access)
        return services.renderer.page(
            "members/statistics", title: "党员队伍统计",
            model: MemberStatisticsPage(
                tables: tables, total: stats.total, organisation: org?.name ?? "", scope: q.scope.displayName,
                query: Self.filterString(form)),
            context: context, request: request)
    }
}
