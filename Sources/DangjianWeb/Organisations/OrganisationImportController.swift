import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianDomain
import DangjianStore
import DangjianOffice

/// Importing an organisation list (组织机构导入) below an organisation: upload, preview every row, commit all or nothing.
struct OrganisationImportController {
    let services: AppServices

    struct ProblemRow {
        var row: Int
        var column: String
        var message: String
    }

    struct PlanRow {
        var row: Int
        var name: String
        var type: String
        var parent: String
        var unit: String
        var action: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, OrganisationsPaths.orgsImport, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let org = try await anchor(FormData.query(request).int64("org"), context)
            return page(request, context, org: org, report: nil, error: nil, status: .ok)
        }
        site.add(.get, OrganisationsPaths.orgsImportTemplateXlsx, access: .permission(.organisationsWrite)) { _, _ in
            Download.response(try OrganisationImportService.template(), type: Download.xlsx, name: "organisations.xlsx", chineseName: "组织机构导入模板.xlsx")
        }
        site.add(.post, OrganisationsPaths.orgsImport, access: .permission(.organisationsWrite), target: .organisation, body: .upload) {
            request, context in
            var request = request
            let org = try await anchor(FormData.query(request).int64("org"), context)
            let form: MultipartForm
            do { form = try await MultipartForm.read(&request, limit: RouteBody.upload.limit) } catch is ValidationFailureError {
                return page(request, context, org: org, report: nil, error: "请选择要导入的文件", status: .badRequest)
            }
            guard let upload = form.file("file"), !upload.data.isEmpty else {
                return page(request, context, org: org, report: nil, error: "请选择要导入的 .xlsx 或 .csv 文件", status: .badRequest)
            }
            do {
                let report = try await services.organisationImporter.preview(
                    file: upload.data, fileName: upload.fileName ?? "upload", anchorID: org.id, access: try access(context), actor: context.actor)
                return page(request, context, org: org, report: report, error: nil, status: .ok)
            } catch let failure as ValidationFailure {
                return page(request, context, org: org, report: nil, error: failure.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, OrganisationsPaths.orgsImportCommitPattern, access: .permission(.organisationsWrite)) { request, context in
            let jobID = try context.parameters.require("job", as: Int64.self)
            let org = try await anchor(try await services.organisationImporter.anchor(ofJob: jobID), context)
            do {
                let report = try await services.organisationImporter.commit(jobID: jobID, access: try access(context), actor: context.actor)
                return page(request, context, org: org, report: report, error: nil, status: .ok)
            } catch let failure as ValidationFailure {
                return page(request, context, org: org, report: nil, error: failure.fullMessage, status: .badRequest)
            }
        }
    }

    func access(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .organisationsWrite) }

    func anchor(_ id: Int64?, _ context: AppRequestContext) async throws -> Organisation {
        let access = try access(context)
        guard let id = id ?? access.reaches.first?.organisationID, let org = try await services.organisations.find(id, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(id ?? 0))
        }
        return org
    }

    func page(
        _ request: Request, _ context: AppRequestContext, org: Organisation, report: OrganisationImportReport?, error: String?,
        status: HTTPResponse.Status
    ) -> Response {
        let actions: [OrganisationImportReport.Action: String] = [.create: "新建", .addUnit: "补登单位", .unchanged: "已存在"]
        let model = OrganisationImportPage(
            organisationID: org.id, organisationName: org.name, error: error,
            hasReport: report != nil && !(report?.alreadyCommitted ?? false), committed: report?.committed ?? false,
            alreadyCommitted: report?.alreadyCommitted ?? false, jobID: report?.jobID ?? 0, fileName: report?.fileName ?? "",
            headerRow: report?.headerRow ?? 0, fileProblems: report?.fileProblems ?? [],
            creates: report?.creates ?? 0, unitsAdded: report?.unitsAdded ?? 0, unchanged: report?.unchanged ?? 0,
            problemCount: report?.problems.count ?? 0,
            problems: (report?.problems ?? []).map {
                ProblemRow(row: $0.row, column: $0.column, message: $0.message + ($0.ruleID.map { "（规则 \($0)）" } ?? ""))
            },
            planned: (report?.planned ?? []).map {
                PlanRow(
                    row: $0.row, name: $0.name, type: $0.type.displayName, parent: $0.parent, unit: $0.unit ?? "", action: actions[$0.action] ?? "")
            },
            canCommit: !(report?.committed ?? true) && (report?.canCommit ?? false))
        return services.renderer.page("organisations/import", title: "导入组织机构", model: model, context: context, request: request, status: status)
    }
}
