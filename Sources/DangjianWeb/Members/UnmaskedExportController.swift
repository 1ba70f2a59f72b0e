import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// 未脱敏导出 (issue 15, M6): an unmasked roster export is a request — step-up, a stated purpose, at most a few a day,
/// a second person's approval above a row count — and the file it gives carries who, when and what for.
struct UnmaskedExportController {
    let services: AppServices

    struct FormModel {
        var filter: String
        var format: String
        var isCSV: Bool
        var organisation: String
        var count: Int
        var needsApproval: Bool
        var approvalRows: Int
        var purpose: String
        var error: String?
    }
    struct RequestRow {
        var id: Int64
        var requester: String
        var organisation: String
        var count: Int
        var purpose: String
        var status: String
        var created: String
        var decider: String
        var canDownload: Bool
        var pending: Bool
    }
    struct ListModel { var mine: [RequestRow]; var awaiting: [RequestRow]; var hasMine: Bool; var hasAwaiting: Bool }
    struct DetailModel {
        var request: RequestRow
        var note: String
        var canDownload: Bool
        var canDecide: Bool
        var downloadsLeft: Int
        var created: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.get, MembersPaths.membersExportUnmasked, access: .permission(.exportUnmasked)) { request, context in
            let form = FormData.query(request)
            return try await formPage(request, context, form: form, purpose: "", error: nil, status: .ok)
        }
        site.add(.post, MembersPaths.membersExportUnmasked, access: .permission(.exportUnmasked)) { request, context in
            var request = request
            let body = try await FormData.read(&request)
            let filter = FormData(encoded: body.text("filter"))
            try StepUp.require(
                request, context, services: services, returnTo: MembersPaths.membersExportUnmasked + "?" + MemberController.filterString(filter))
            let access = try context.access(for: .exportUnmasked)
            let (count, anchor) = try await MemberController(services: services).rosterCount(filter, access: try context.access(for: .membersRead))
            guard try await services.organisations.find(anchor, access: access) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchor))
            }
            let id: Int64
            do {
                id = try await services.exportRequests.create(
                    requesterID: try SecondFactorController.identity(context).user.id, organisationID: anchor,
                    filter: MemberController.filterString(filter), format: body.text("format") == "csv" ? "csv" : "xlsx",
                    purpose: body.text("purpose"), rowCount: count, approvalRows: services.configuration.unmaskedApprovalRows,
                    perDay: services.configuration.unmaskedExportsPerDay, actor: context.actor)
            } catch let failure as ValidationFailure {
                return try await formPage(request, context, form: filter, purpose: body.text("purpose"), error: failure.message, status: .badRequest)
            }
            return PageRenderer.redirect(MembersPaths.exports(id) + "?created=1")
        }
        site.add(.get, MembersPaths.exports, access: .permission(.exportUnmasked)) { request, context in
            let identity = try SecondFactorController.identity(context)
            let now = services.clock.now()
            let mine = try await services.exportRequests.mine(userID: identity.user.id).map { row($0, now: now, mine: true) }
            let awaiting = try await services.exportRequests.awaiting(access: try context.access(for: .exportUnmasked), excluding: identity.user.id)
                .map { row($0, now: now, mine: false) }
            return services.renderer.page(
                "members/exports", title: "未脱敏导出申请",
                model: ListModel(mine: mine, awaiting: awaiting, hasMine: !mine.isEmpty, hasAwaiting: !awaiting.isEmpty),
                context: context, request: request)
        }
        site.add(.get, MembersPaths.exportsPattern, access: .permission(.exportUnmasked)) { request, context in
            let (export, mine, decidable) = try await visible(context)
            let now = services.clock.now()
            let model = DetailModel(
                request: row(export, now: now, mine: mine), note: export.note ?? "",
                canDownload: mine && export.downloadable(at: now), canDecide: decidable && export.status == .pending,
                downloadsLeft: max(0, ExportRequestRepository.maxDownloads - export.downloads),
                created: FormData.query(request)["created"] != nil)
            return services.renderer.page("members/export_request", title: "未脱敏导出申请 \(export.id)", model: model, context: context, request: request)
        }
        for (path, approve) in [("approve", true), ("reject", false)] {
            site.add(.post, "/exports/{id}/\(path)", access: .permission(.exportUnmasked)) { request, context in
                var request = request
                let id = try context.parameters.require("id", as: Int64.self)
                try StepUp.require(request, context, services: services, returnTo: MembersPaths.exports(id))
                let form = try await FormData.read(&request)
                try await services.exportRequests.decide(
                    id, approve: approve, note: ExportDecisionForm(form).note,
                    access: try context.access(for: .exportUnmasked), actor: context.actor)
                return PageRenderer.redirect(MembersPaths.exports(id))
            }
        }
        site.add(.get, MembersPaths.exportsDownloadPattern, access: .permission(.exportUnmasked)) { request, context in
            try await downloadExport(request, context)
        }
    }

    /// GET /exports/{id}/download: the approved unmasked export, watermarked.
    func downloadExport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (export, mine, _) = try await visible(context)
        guard mine else { throw RecordNotFound(objectType: "export_request", objectID: String(export.id)) }
        try StepUp.require(request, context, services: services, returnTo: MembersPaths.exports(export.id))
        guard export.downloadable(at: services.clock.now()) else {
            throw ValidationFailure(
                field: "download",
                message: export.status == .approved
                    ? "该申请已过有效期（24 小时）或已下载 \(ExportRequestRepository.maxDownloads) 次，请重新申请"
                    : "该申请\(export.status.displayName)，不能下载")
        }
        let identity = try SecondFactorController.identity(context)
        let stamp = Format.dateTime(services.clock.now())
        let watermark =
            "未脱敏党员名册｜申请编号 \(export.id)｜导出人 \(identity.user.displayName)（\(identity.user.username)）｜\(stamp)｜用途：\(export.purpose)"
            + (export.deciderName.map { "｜审批人 \($0)" } ?? "") + "｜仅限上述用途使用，不得复制、转发或公开"
        let format: MemberController.ExportFormat = export.format == "csv" ? .csv : .xlsx
        let file = try await MemberController(services: services).rosterFile(
            FormData(encoded: export.filter), access: try context.access(for: .membersRead),
            format: format, watermark: watermark)
        guard try await services.exportRequests.recordDownload(export.id, requesterID: identity.user.id) else {
            throw ValidationFailure(field: "download", message: "该申请已不能下载，请重新申请")
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "member", objectID: "export_request:\(export.id)", organisationID: file.anchorID,
                summary: "导出党员名册\(format == .xlsx ? " .xlsx" : "")（未脱敏）\(file.count) 条，用途：\(export.purpose)，SHA-256 \(file.digest)"),
            by: context.actor, database: services.database)
        return MemberController.download(file.data, format: format)
    }

    /// The request in the path if the caller made it or may decide on it; else 404.
    private func visible(_ context: AppRequestContext) async throws -> (ExportRequest, mine: Bool, decidable: Bool) {
        let id = try context.parameters.require("id", as: Int64.self)
        let identity = try SecondFactorController.identity(context)
        guard let export = try await services.exportRequests.find(id) else {
            throw RecordNotFound(objectType: "export_request", objectID: String(id))
        }
        let mine = export.requesterID == identity.user.id
        let org = try await services.organisations.find(export.organisationID, access: try context.access(for: .exportUnmasked))
        guard mine || org != nil else { throw RecordNotFound(objectType: "export_request", objectID: String(id)) }
        return (export, mine, !mine && org != nil)
    }

    private func row(_ r: ExportRequest, now: Date, mine: Bool) -> RequestRow {
        RequestRow(
            id: r.id, requester: r.requesterName, organisation: r.organisationName, count: r.rowCount, purpose: r.purpose,
            status: r.status == .approved && !r.downloadable(at: now) ? "已失效" : r.status.displayName,
            created: CivilDate(date: r.createdAt).description, decider: r.deciderName ?? "", canDownload: mine && r.downloadable(at: now),
            pending: r.status == .pending)
    }

    private func formPage(
        _ request: Request, _ context: AppRequestContext, form: FormData, purpose: String, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let (count, anchor) = try await MemberController(services: services).rosterCount(form, access: try context.access(for: .membersRead))
        let org = try await services.organisations.find(anchor, access: try context.access(for: .exportUnmasked))
        guard let org else { throw RecordNotFound(objectType: "organisation", objectID: String(anchor)) }
        let model = FormModel(
            filter: MemberController.filterString(form),
            format: form.text("format") == "csv" ? "csv" : "xlsx", isCSV: form.text("format") == "csv", organisation: org.name, count: count,
            needsApproval: count > services.configuration.unmaskedApprovalRows,
            approvalRows: services.configuration.unmaskedApprovalRows, purpose: purpose, error: error)
        return services.renderer.page("members/export_unmasked", title: "申请导出未脱敏名册", model: model, context: context, request: request, status: status)
    }
}
