import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import Crypto
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The audit search and export pages: the 审计管理员's only tools, and nobody else's.
struct AuditController {
    let services: AppServices

    struct RecordRow {
        var id: Int64
        var at: String
        var actor: String
        var ip: String
        var action: String
        var object: String
        /// The object's other records in the trail (the auditor's way to follow an object; its own page is out of
        /// the 审计管理员's permissions, so it is not linked).
        var objectHref: String
        var failed: Bool
        var result: String
        var summary: String
        var changes: String
        var requestID: String
    }

    struct Model {
        var rows: [RecordRow]
        var total: Int
        var from: String
        var to: String
        var actor: String
        var objectType: String
        var objectID: String
        var failuresOnly: Bool
        var actions: [SelectOption]
        var exportQuery: String
        var previous: String?
        var next: String?
        var page: Int
        /// The last anchor of the chain written outside the database (issue 15, M5), for the 审计管理员 to compare.
        var anchor: String
    }

    static let pageSize = 50

    func addRoutes(to site: Site) {
        site.add(.get, AdminPaths.audit, access: .permission(.auditRead)) { request, context in
            let form = FormData.query(request)
            let pageNumber = try form.number("page", PageNumber.self) ?? .first
            let page = pageNumber.value
            var query = Self.query(form)
            query.limit = Self.pageSize
            query.offset = pageNumber.offset(pageSize: Self.pageSize)
            let result = try await services.audit.search(query, database: services.database)
            try await services.audit.record(
                AuditEvent(
                    action: .auditSearched, objectType: "audit_log", objectID: "-", summary: "查询审计记录（共 \(result.total) 条）"),
                by: context.actor, database: services.database)
            let base = Self.filterQuery(form)
            let model = Model(
                rows: result.records.map(Self.row), total: result.total, from: form.text("from"), to: form.text("to"),
                actor: form.text("actor"), objectType: form.text("object_type"), objectID: form.text("object_id"),
                failuresOnly: form["failures"] != nil,
                actions: [SelectOption(value: "", label: "全部", selected: form.text("action").isEmpty)]
                    + AuditAction.allCases.map {
                        SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form.text("action"))
                    },
                exportQuery: base, previous: page > 1 ? "?\(base)&page=\(page - 1)" : nil,
                next: page * Self.pageSize < result.total ? "?\(base)&page=\(page + 1)" : nil, page: page,
                anchor: Self.anchorText(services.configuration.auditAnchorFile))
            return services.renderer.page("admin/audit", title: "审计日志", model: model, context: context, request: request)
        }
        site.add(.get, AdminPaths.auditExportCsv, access: .permission(.auditExport)) { request, context in
            let form = FormData.query(request)
            var query = Self.query(form)
            query.limit = 10_000
            let result = try await services.audit.search(query, database: services.database)
            var csv = CSVWriter(header: ["编号", "时间", "操作人", "来源地址", "事件", "对象", "结果", "摘要", "字段变化", "请求编号"])
            for record in result.records.map(Self.row) {
                csv.append([
                    String(record.id), record.at, record.actor, record.ip, record.action, record.object, record.result,
                    record.summary, record.changes, record.requestID,
                ])
            }
            let data = csv.data
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "audit_log", objectID: "-",
                    summary: "导出审计记录 \(csv.rowCount) 条，SHA-256 \(digest)"), by: context.actor, database: services.database)
            return Download.response(data, type: Download.csv, name: "audit.csv", chineseName: "审计日志.csv")
        }
    }

    /// "锚点：… 第 N 条（共 M 条），哈希 …" from the anchor file, or why there is none.
    static func anchorText(_ path: String) -> String {
        // Only the last line: the page must not parse a year of anchors on every view (`audit verify` checks them all).
        guard let read = try? AuditAnchorFile(path: path).last() else { return "锚点文件 \(path) 尚无记录（服务运行后每 5 分钟写入一次）" }
        guard let last = read.anchor else { return "锚点文件 \(path) 的最后一行无法识别，文件可能被改动；请运行 dangjian audit verify" }
        return "最近锚点 \(Format.dateTime(last.at))：第 \(last.id) 条（共 \(last.count) 条），哈希 \(last.hash.prefix(16))…；文件 \(path)，共 \(read.lines) 行"
    }

    static func query(_ form: FormData) -> AuditQuery {
        AuditQuery(
            from: Format.day(form.text("from")), to: Format.day(form.text("to")).map { $0.addingTimeInterval(86_400) },
            actorName: form.text("actor"), action: form.text("action"), objectType: form.text("object_type"),
            objectID: form.text("object_id"), failuresOnly: form["failures"] != nil)
    }

    static func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    static func filterQuery(_ form: FormData) -> String {
        ["from", "to", "actor", "action", "object_type", "object_id", "failures"].compactMap { key in
            guard let value = form[key] else { return nil }
            return "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
    }

    static func row(_ record: AuditRecord) -> RecordRow {
        RecordRow(
            id: record.id, at: Format.dateTime(record.at), actor: record.actorName, ip: record.ip,
            action: AuditAction(rawValue: record.action)?.displayName ?? record.action,
            object: AuditVocabulary.objectName(record.objectType) + (record.objectID == "-" ? "" : " \(record.objectID)"),
            objectHref: AdminPaths.audit + "?object_type=\(Self.escaped(record.objectType))&object_id=\(Self.escaped(record.objectID))",
            failed: record.result != "success",
            result: record.result == "success" ? "成功" : "失败", summary: record.summary,
            changes: record.changes.map { $0.forAuditor(objectType: record.objectType) }
                .map { "\(AuditVocabulary.fieldName($0.field, objectType: record.objectType))：\($0.old ?? "（空）") → \($0.new ?? "（空）")" }
                .joined(separator: "；"),
            requestID: record.requestID)
    }
}
