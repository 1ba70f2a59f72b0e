import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 党费账目 in `/api/v1` (issue 18, item 5; DUES-20/21): an organisation's year by period, recording a remittance,
/// expenditure or interest, and reversing one — through the same form and rules as the page. Amounts are strings of
/// yuan ("43.22") and integers of fen (`*_fen`), never floating-point numbers.
struct DuesAccountAPI {
    let services: AppServices

    struct FiguresDTO: Encodable {
        var period: String?
        var label: String
        var collected_fen: Int64
        var member_months: Int
        var from_below_due_fen: Int64
        var from_below_remitted_fen: Int64
        var due_fen: Int64
        var remitted_fen: Int64
        var outstanding_fen: Int64
        var retained_fen: Int64
        var used_fen: [String: Int64]
        var interest_fen: Int64

        init(_ f: DuesAccountFigures, period: DuesPeriod?, label: String) {
            self.period = period?.code; self.label = label; collected_fen = f.collected; member_months = f.memberMonths
            from_below_due_fen = f.fromBelowDue; from_below_remitted_fen = f.fromBelowRemitted; due_fen = f.due; remitted_fen = f.remitted
            outstanding_fen = f.outstanding; retained_fen = f.retained; interest_fen = f.interest
            used_fen = Dictionary(uniqueKeysWithValues: f.used.map { ($0.key.rawValue, $0.value) })
        }
    }

    struct EntryDTO: Encodable {
        var id: Int64
        var organisation_id: Int64
        var kind: String
        var amount: String
        var amount_fen: Int64
        var occurred_on: String
        var period: String?
        var to_organisation_id: Int64?
        var category: String?
        var voucher: String
        var note: String
        var reverses: Int64?
        var reason: String?

        init(_ e: DuesAccountEntry) {
            id = e.id; organisation_id = e.organisationID; kind = e.kind.rawValue; amount = e.amount.description; amount_fen = e.amount.value
            occurred_on = e.occurredOn.description; period = e.period?.code; to_organisation_id = e.toOrganisationID; category = e.category?.rawValue
            voucher = e.voucher; note = e.note; reverses = e.reverses; reason = e.reason
        }
    }

    struct StatementDTO: Encodable {
        var organisation_id: Int64
        var organisation: String
        var parent_id: Int64?
        var year: Int
        var period_length: String
        var share_basis_points: Int
        var opening_fen: Int64
        var closing_fen: Int64
        var periods: [FiguresDTO]
        var total: FiguresDTO
        var subtree_collected_fen: Int64
        var retained_below_fen: Int64
        var balances: Bool
        var entries: [EntryDTO]
    }

    func addRoutes(to site: Site) {
        // ?org=&year=[&by=monthly|quarterly|half_yearly|yearly]
        site.add(.get, "/api/v1/dues/ledger", access: .permission(.membersRead), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let text = query.text("year")
            var year = CalendarYear(of: CivilDate(date: services.clock.now()))
            if !text.isEmpty {
                guard let y = try query.number("year", CalendarYear.self) else {
                    throw ValidationFailure(field: "year", message: "年度“\(text)”应为四位年份", isRequestParameter: true)
                }
                year = y
            }
            let s = try await services.store.dues.accountStatement(
                organisationID: anchor, year: year, length: DuesRemitPeriod(rawValue: query.text("by")), access: access)
            return try JSONAPI.encode(
                StatementDTO(
                    organisation_id: s.organisation.id, organisation: s.organisation.name, parent_id: s.parent?.id, year: s.year,
                    period_length: s.length.rawValue, share_basis_points: s.shareBasisPoints, opening_fen: s.opening, closing_fen: s.closing,
                    periods: s.lines.map { FiguresDTO($0.figures, period: $0.period, label: $0.period.description) },
                    total: FiguresDTO(s.total, period: nil, label: "\(s.year)年合计"), subtree_collected_fen: s.subtreeCollected,
                    retained_below_fen: s.retainedBelow, balances: s.balances, entries: s.entries.map(EntryDTO.init)))
        }
        // ?org= with {"kind", "amount", "occurred_on", "period", "category", "voucher", "note"}: as the page's form.
        site.add(.post, "/api/v1/dues/ledger/entries", access: .permission(.membersWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            guard let org = FormData.query(request).int64("org") else {
                throw ValidationFailure(field: "org", message: "缺少党组织（org）", isRequestParameter: true)
            }
            let draft = try DuesAccountEntryForm(body.form).entry
            let entry = try await services.store.dues.recordAccountEntry(organisationID: org, draft, access: access, actor: context.actor)
            return try JSONAPI.encode(EntryDTO(entry), status: .created)
        }
        // {"reason"}: 冲正.
        site.add(.post, "/api/v1/dues/ledger/entries/{id}/reverse", access: .permission(.membersWrite), target: .duesAccountEntry) {
            request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let reversal = try await services.store.dues.reverseAccountEntry(
                entryID: id, reason: body.form.text("reason"), access: access, actor: context.actor)
            return try JSONAPI.encode(EntryDTO(reversal), status: .created)
        }
    }
}
