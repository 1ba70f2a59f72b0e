import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianDomain
import DangjianStore
import DangjianOffice

/// 组织关系转接 (MEM-04): start a transfer from a member's page, receive incoming ones, confirm receipts of letters
/// sent out of the system, print the letter.
struct TransferController {
    let services: AppServices

    struct Row {
        var id: Int64
        var member: String
        var from: String
        var to: String
        var letter: String
        var issued: String
        var validUntil: String
        var outOfSystem: Bool
        var expired: Bool
        var crossProvince: Bool
        /// MEM-06: across provinces the paper letter must be printed before the receipt is recorded.
        var needsPaperLetter: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.post, MembersPaths.membersTransferPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try access(context)
            let transfer = try TransferForm(form)
            var toOrg: Int64?
            if let name = transfer.internalOrganisationName {
                guard let org = try await services.organisations.findByName(name) else {
                    throw ValidationFailure(field: "to_org_name", message: "系统中没有名为“\(name)”的党组织，请填写全称或简称；转往系统外请选择“转出系统外”")
                }
                toOrg = org.id
            }
            _ = try await services.transfers.start(
                memberID: id, toOrganisationID: toOrg, toName: transfer.externalName, validDays: transfer.validDays,
                duesPaidUntil: transfer.duesPaidUntil, crossProvince: transfer.crossProvince, access: access, actor: context.actor)
            return PageRenderer.redirect(MembersPaths.transfers)
        }
        site.add(.get, MembersPaths.transfers, access: .permission(.membersRead)) { request, context in
            let read = try readAccess(context)
            let pending = try await services.transfers.pending(access: read)
            let today = CivilDate(date: services.clock.now())
            func row(_ t: MemberTransfer) -> Row {
                Row(
                    id: t.id, member: t.memberName, from: t.fromOrganisationName, to: t.toOrganisationName, letter: t.letterNumber,
                    issued: t.issuedOn.description, validUntil: t.validUntil.description, outOfSystem: t.kind == .outgoing,
                    expired: t.validUntil < today, crossProvince: t.crossProvince, needsPaperLetter: t.crossProvince && t.letterPrintedAt == nil)
            }
            let model = TransfersPage(
                incoming: pending.incoming.map(row), outgoing: pending.outgoing.map(row),
                hasIncoming: !pending.incoming.isEmpty, hasOutgoing: !pending.outgoing.isEmpty)
            return services.renderer.page("members/transfers", title: "组织关系转接", model: model, context: context, request: request)
        }
        site.add(.post, MembersPaths.transfersReceivePattern, access: .permission(.membersWrite), target: .incomingTransfer) { _, context in
            _ = try await services.transfers.receive(
                transferID: try context.parameters.require("id", as: Int64.self), access: try access(context), actor: context.actor)
            return PageRenderer.redirect(MembersPaths.transfers)
        }
        site.add(.post, MembersPaths.transfersConfirmPattern, access: .permission(.membersWrite), target: .outgoingTransfer) { _, context in
            _ = try await services.transfers.confirmReceipt(
                transferID: try context.parameters.require("id", as: Int64.self), access: try access(context), actor: context.actor)
            return PageRenderer.redirect(MembersPaths.transfers)
        }
        site.add(.post, MembersPaths.transfersCancelPattern, access: .permission(.membersWrite), target: .outgoingTransfer) { _, context in
            try await services.transfers.cancel(
                transferID: try context.parameters.require("id", as: Int64.self), access: try access(context), actor: context.actor)
            return PageRenderer.redirect(MembersPaths.transfers)
        }
        site.add(.get, MembersPaths.transfersLetterDocxPattern, access: .permission(.membersWrite), target: .outgoingTransfer) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try StepUp.require(request, context, services: services, returnTo: MembersPaths.transfers)  // H6: the letter carries the full ID
            // A cancelled letter is void: it is not printed again (issue 15, L5).
            guard let transfer = try await services.transfers.outgoing(id, access: try access(context)), transfer.status != .cancelled else {
                throw RecordNotFound(objectType: "member_transfer", objectID: String(id))
            }
            let data = try DocxWriter.transferLetter(try await services.transfers.letter(transfer))
            // The letter carries the full ID number: its download is recorded as a reveal of personal data.
            try await services.audit.record(
                AuditEvent(
                    action: .personalDataRevealed, objectType: "member_transfer", objectID: String(id),
                    organisationID: transfer.fromOrganisationID, summary: "打印组织关系介绍信 \(transfer.letterNumber)（含完整身份证号）"), by: context.actor,
                database: services.database)
            return Download.response(data, type: Download.docx, name: "transfer-\(transfer.letterNumber).docx")
        }
    }

    func access(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .membersWrite) }

    func readAccess(_ context: AppRequestContext) throws -> OrganisationAccess {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        return identity.principal.access(for: .membersRead)
    }
}
