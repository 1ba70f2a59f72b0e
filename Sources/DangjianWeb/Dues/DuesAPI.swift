import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 党费 in `/api/v1` (issue 18): a branch's collection for a month, a member's entries, recording an entry and
/// reversing one — through the same form and rules as the pages (DUES-09/11/17/18), so a refusal is the page's
/// Chinese message with its rule (422 with `problems`). Amounts are strings of yuan with two decimals ("43.22") and
/// integers of fen (`*_fen`), never floating-point numbers.
struct DuesAPI {
    let services: AppServices

    struct LineDTO: Encodable {
        var member_id: Int64
        var name: String
        var probationary: Bool
        var monthly: String?
        var monthly_fen: Int64?
        var paid: Bool
        var receipt: String?
        var paid_up_to: String?
        var unpaid_months: Int
        /// none / reminder (DUES-13) / lapse_review (DUES-19).
        var arrears: String
    }

    struct CollectionDTO: Encodable {
        var organisation_id: Int64
        var organisation: String
        var month: String
        var due_count: Int
        var due_total: String
        var paid_count: Int
        var paid_total: String
        var lines: [LineDTO]
    }

    struct PaymentDTO: Encodable {
        var id: Int64
        var member_id: Int64
        var organisation_id: Int64
        var kind: String
        var kind_name: String
        var months: [String]
        var amount: String
        var amount_fen: Int64
        var paid_on: String
        var method: String
        var receipt: String
        var reverses: Int64?
        var reason: String?
        var reversed: Bool

        init(_ p: DuesPayment, reversed: Bool) {
            id = p.id; member_id = p.memberID; organisation_id = p.organisationID; kind = p.kind.rawValue; kind_name = p.kind.displayName
            months = p.months.map(\.code); amount = p.amount.description; amount_fen = p.amount.value; paid_on = p.paidOn.description
            method = p.method.rawValue; receipt = p.receiptNumber; reverses = p.reverses; reason = p.reason; self.reversed = reversed
        }
    }

    struct MemberDuesDTO: Encodable {
        var member_id: Int64
        var paid_up_to: String?
        var settled_months: [String]
        var payments: [PaymentDTO]
    }

    static func level(_ a: DuesArrears) -> String {
        switch a.level {
        case .none: "none"
        case .reminder: "reminder"
        case .lapseReview: "lapse_review"
        }
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/dues/collection", access: .permission(.membersRead), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let text = query.text("month")
            guard let month = text.isEmpty ? DuesMonth(containing: CivilDate(date: services.clock.now())) : DuesMonth.parse(text) else {
                throw ValidationFailure(field: "month", message: "月份“\(text)”应写作 2026-11", isRequestParameter: true)
            }
            let sheet = try await services.store.dues.collection(organisationID: anchor, month: month, access: access)
            return try JSONAPI.encode(
                CollectionDTO(
                    organisation_id: sheet.organisation.id, organisation: sheet.organisation.name, month: month.code, due_count: sheet.dueCount,
                    due_total: sheet.dueTotal.description, paid_count: sheet.paidCount, paid_total: sheet.paidTotal.description,
                    lines: sheet.lines.map { l in
                        LineDTO(
                            member_id: l.memberID, name: l.name, probationary: !l.full, monthly: l.monthly?.description,
                            monthly_fen: l.monthly?.value,
                            paid: l.receipt != nil, receipt: l.receipt, paid_up_to: l.paidUpTo?.code, unpaid_months: l.arrears.unpaidMonths,
                            arrears: Self.level(l.arrears))
                    }))
        }
        site.add(.get, "/api/v1/members/{id}/dues", access: .permission(.membersWrite), target: .member) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try JSONAPI.encode(try await memberDues(id, context))
        }
        // {"kind", "from", "count", "amount", "paid_on", "method", "branch_consent"}: as the payment form.
        site.add(.post, "/api/v1/members/{id}/dues", access: .permission(.membersWrite), target: .member) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let posted = try DuesPaymentForm(body.form, today: CivilDate(date: services.clock.now()))
            _ = try await services.store.dues.record(
                memberID: id, try await posted.draft(memberID: id, dues: services.store.dues, access: access), method: posted.method, access: access,
                actor: context.actor)
            return try JSONAPI.encode(try await memberDues(id, context), status: .created)
        }
        // {"reason"}: 冲正.
        site.add(.post, "/api/v1/dues/payments/{id}/reverse", access: .permission(.membersWrite), target: .duesPayment) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let reversal = try await services.store.dues.reverse(
                paymentID: id, reason: body.form.text("reason"), access: access, actor: context.actor)
            return try JSONAPI.encode(PaymentDTO(reversal, reversed: false), status: .created)
        }
    }

    func memberDues(_ id: Int64, _ context: AppRequestContext) async throws -> MemberDuesDTO {
        let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
        let history = try await services.store.dues.payments(memberID: id, access: access)
        let reversed = Set(history.entries.compactMap(\.reverses))
        return MemberDuesDTO(
            member_id: id, paid_up_to: DuesCollection.paidUpTo(history.settled)?.code, settled_months: history.settled.sorted().map(\.code),
            payments: history.entries.map { PaymentDTO($0, reversed: reversed.contains($0.id)) })
    }
}
