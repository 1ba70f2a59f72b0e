import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianDomain
import DangjianStore
import DangjianOffice

/// Importing a roster spreadsheet (导入花名册) and exporting the roster as .xlsx.
struct MemberImportController {
    let services: AppServices
    /// Uploads above this are refused (the reader's own limit is 10 MB; the multipart envelope adds a little).

    struct ProblemRow {
        var row: Int
        var column: String
        var message: String
    }

    struct ChangeRow {
        var row: Int
        var name: String
        var organisation: String
        var action: String
        var detail: String
    }

    struct Model {
        var organisationID: Int64
        var organisationName: String
        var hasReport: Bool
        var committed: Bool
        var alreadyCommitted: Bool
        var jobID: Int64
        var fileName: String
        var headerRow: Int
        var recognised: String
        var ignored: String
        var fileProblems: [String]
        var creates: Int
        var updates: Int
        var changedFields: Int
        var unchanged: Int
        var invalid: Int
        var problems: [ProblemRow]
        var changes: [ChangeRow]
        var moreChanges: String?
        var canCommit: Bool
        /// The problem rows can be downloaded to fix and upload again (a preview with invalid rows).
        var canDownloadProblems: Bool
        var error: String?
    }

    func addRoutes(to site: Site) {
        site.add(.get, MembersPaths.membersImport, access: .permission(.membersWrite), target: .organisation) { request, context in
            let org = try await organisation(FormData.query(request).int64("org"), context)
            return page(request, context, org: org, report: nil, committed: false, error: nil, status: .ok)
        }
        site.add(.get, MembersPaths.membersImportTemplateXlsx, access: .permission(.membersWrite)) { _, _ in
            Download.response(try MemberImportService.template(), type: Download.xlsx, name: "template.xlsx", chineseName: "党员名册导入模板.xlsx")
        }
        site.add(.post, MembersPaths.membersImport, access: .permission(.membersWrite), target: .organisation, body: .upload) { request, context in
            var request = request
            let org = try await organisation(FormData.query(request).int64("org"), context)
            let form: MultipartForm
            do { form = try await MultipartForm.read(&request, limit: RouteBody.upload.limit) } catch is ValidationFailureError {
                return page(request, context, org: org, report: nil, committed: false, error: "请选择要导入的文件", status: .badRequest)
            }
            guard let upload = form.file("file"), !upload.data.isEmpty else {
                return page(request, context, org: org, report: nil, committed: false, error: "请选择要导入的 .xlsx 或 .csv 文件", status: .badRequest)
            }
            do {
                let report = try await services.importer.preview(
                    file: upload.data, fileName: upload.fileName ?? "upload", organisationID: org.id,
                    access: try access(context), actor: context.actor)
                return page(request, context, org: org, report: report, committed: false, error: nil, status: .ok)
            } catch let failure as ValidationFailure {
                return page(request, context, org: org, report: nil, committed: false, error: failure.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, MembersPaths.membersImportCommitPattern, access: .permission(.membersWrite)) { request, context in
            let jobID = try context.parameters.require("job", as: Int64.self)
            do {
                let report = try await services.importer.commit(jobID: jobID, access: try access(context), actor: context.actor)
                let found = try await services.organisations.find(try await services.importer.organisation(ofJob: jobID), access: .maintenance)
                let org = if let found { found } else { try await organisation(nil, context) }
                return page(request, context, org: org, report: report, committed: true, error: nil, status: .ok)
            } catch let failure as ValidationFailure {
                let org = try await organisation(nil, context)
                return page(request, context, org: org, report: nil, committed: false, error: failure.fullMessage, status: .badRequest)
            }
        }
        // 问题行 (issue 17 item 19): the preview's problem rows as .xlsx, with what to correct, to upload again.
        site.add(.get, MembersPaths.membersImportProblemsXlsxPattern, access: .permission(.membersWrite)) { _, context in
            let jobID = try context.parameters.require("job", as: Int64.self)
            guard let data = try await services.importer.problemRows(jobID: jobID, access: try access(context), actor: context.actor) else {
                throw RecordNotFound(objectType: "import_job", objectID: String(jobID))
            }
            return Download.response(data, type: Download.xlsx, name: "problem-rows.xlsx", chineseName: "导入问题行.xlsx")
        }
        site.add(.get, MembersPaths.membersExportXlsx, access: .permission(.membersRead), target: .organisation) { request, context in
            try await MemberController(services: services).export(request, context, format: .xlsx)
        }
    }

    func access(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .membersWrite) }

    /// The organisation the import starts from: the one asked for, else the user's first.
    func organisation(_ id: Int64?, _ context: AppRequestContext) async throws -> Organisation {
        let access = try access(context)
        guard let id = id ?? access.reaches.first?.organisationID, let org = try await services.organisations.find(id, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(id ?? 0))
        }
        return org
    }

    func page(
        _ request: Request, _ context: AppRequestContext, org: Organisation, report: ImportReport?, committed: Bool,
        error: String?, status: HTTPResponse.Status
    ) -> Response {
        let problems = (report?.rows ?? []).flatMap { row in row.problems.map { ProblemRow(row: $0.row, column: $0.column, message: $0.fullMessage) }
        }
        // Only the first 500 changes are listed: a 100,000-row preview builds no more rows than it shows.
        let changed = (report?.rows ?? []).lazy.compactMap { row -> ChangeRow? in
            switch row.outcome {
            case .create: ChangeRow(row: row.row, name: row.name, organisation: row.organisation, action: "新增", detail: "")
            case .update(let changes):
                ChangeRow(
                    row: row.row, name: row.name, organisation: row.organisation, action: "更新",
                    detail: changes.map { "\(MemberFieldNames.name($0.field))：\($0.old ?? "空") → \($0.new ?? "空")" }.joined(separator: "；"))
            default: nil
            }
        }
        let changeCount = (report?.creates ?? 0) + (report?.updates ?? 0)
        let model = Model(
            organisationID: org.id, organisationName: org.name,
            hasReport: report != nil && !(report?.alreadyCommitted ?? false), committed: committed,
            alreadyCommitted: report?.alreadyCommitted ?? false,
            jobID: report?.jobID ?? 0, fileName: report?.fileName ?? "", headerRow: report?.headerRow ?? 0,
            recognised: report?.recognisedColumns.joined(separator: "、") ?? "", ignored: report?.ignoredColumns.joined(separator: "、") ?? "",
            fileProblems: report?.fileProblems ?? [], creates: report?.creates ?? 0, updates: report?.updates ?? 0,
            changedFields: report?.changedFields ?? 0, unchanged: report?.unchanged ?? 0, invalid: report?.invalid ?? 0,
            problems: problems, changes: Array(changed.prefix(500)), moreChanges: changeCount > 500 ? String(changeCount - 500) : nil,
            canCommit: !committed && ((report?.creates ?? 0) + (report?.updates ?? 0)) > 0,
            canDownloadProblems: !committed && (report?.invalid ?? 0) > 0, error: error)
        return services.renderer.page("members/import", title: "导入党员名册", model: model, context: context, request: request, status: status)
    }
}

/// Chinese names of member fields, for change lists.
enum MemberFieldNames {
    static func name(_ field: String) -> String {
        [
            "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族", "native_place": "籍贯",
            "education": "学历", "personnel_category": "人员类别", "party_status": "党员身份", "membership_state": "党籍状态",
            "join_date": "入党日期", "full_member_date": "转正日期", "work_unit": "工作单位", "post": "职务", "phone": "手机号",
            "address": "家庭住址", "is_floating": "流动党员", "floating_destination": "流入地", "lost_contact_reason": "失联原因",
            "lost_contact_since": "失联日期",
        ][field] ?? field
    }
}
