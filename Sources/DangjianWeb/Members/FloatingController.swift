import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The register of floating-member certificates (流动党员活动证登记, MEM-02/03): issuing from a member's page,
/// taking back on return, and the register across a subtree with the certificates that ran out unreturned.
struct FloatingController {
    let services: AppServices

    struct Row {
        var id: Int64
        var memberID: Int64
        var name: String
        var organisation: String
        var number: String
        var issuedOn: String
        var reason: String
        var destination: String
        var validUntil: String
        var status: String
        var expired: Bool
        var open: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.get, MembersPaths.floating, access: .permission(.membersRead), target: .organisation) { request, context in
            try await floatingRegister(request, context)
        }
        site.add(.post, MembersPaths.membersFloatingPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let certificate = try FloatingCertificateForm(form)
            let result = try await services.floating.issue(
                memberID: id, number: certificate.number, issuedOn: certificate.issuedOn, reason: certificate.reason,
                destination: certificate.destination, validUntil: certificate.validUntil, access: try context.access(for: .membersWrite),
                actor: context.actor)
            // A MEM-02 warning (long absence) is shown on the member page next to the certificate.
            return PageRenderer.redirect(MembersPaths.members(result.certificate.memberID) + "#floating")
        }
        site.add(.post, MembersPaths.floatingReturnPattern, access: .permission(.membersWrite), target: .floatingCertificate) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let date = try CertificateReturnForm(form).returnedOn ?? CivilDate(date: services.clock.now())
            let cert = try await services.floating.takeBack(id, on: date, access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(MembersPaths.members(cert.memberID))
        }
    }

    /// GET /floating: the floating-member register (流动党员).
    func floatingRegister(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(form.int64("org"), access)
        let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
        let openOnly = form.text("all") != "1"
        let list = try await services.floating.register(anchorID: anchor, scope: scope, access: access, openOnly: openOnly)
        let names = Dictionary(
            uniqueKeysWithValues: try await services.organisations.visible(access: access, includeDissolved: true).map { ($0.id, $0.name) })
        let today = CivilDate(date: services.clock.now())
        let canWrite = context.identity?.principal.has(.membersWrite) ?? false
        let rows = list.map { c in
            let status = c.status(on: today)
            return Row(
                id: c.id, memberID: c.memberID, name: c.memberName, organisation: names[c.organisationID] ?? "", number: c.certificateNumber,
                issuedOn: c.issuedOn.description, reason: c.reason, destination: c.destination, validUntil: c.validUntil.description,
                status: status.displayName + (c.returnedOn.map { "（\($0)）" } ?? ""), expired: status == .expired,
                open: status != .returned && canWrite)
        }
        if form.text("format") == "csv" {
            var csv = CSVWriter(header: ["姓名", "所在党组织", "证件编号", "发证日期", "外出原因", "外出去向", "有效期至", "状态"])
            for r in rows { csv.append([r.name, r.organisation, r.number, r.issuedOn, r.reason, r.destination, r.validUntil, r.status]) }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "floating_certificate", objectID: String(anchor), organisationID: anchor,
                    summary: "导出流动党员活动证登记 \(rows.count) 条"), by: context.actor, database: services.database)
            return Download.response(csv.data, type: Download.csv, name: "floating.csv", chineseName: "流动党员.csv")
        }
        let model = FloatingPage(
            rows: rows, count: rows.count, expiredCount: rows.filter(\.expired).count, hasExpired: rows.contains(where: \.expired),
            org: anchor, scope: scope.rawValue, all: !openOnly,
            today: today.description)
        return services.renderer.page("members/floating", title: "流动党员", model: model, context: context, request: request)
    }

}
