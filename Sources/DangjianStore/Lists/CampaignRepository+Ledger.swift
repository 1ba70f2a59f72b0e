public import Foundation
public import DangjianDomain
import SQLKit

/// One entry of the one ledger (台账) with what it is about, for reading across a subtree (`/api/v1/ledger`).
public struct LedgerLine: Sendable {
    /// `task` (a 任务清单 assignment) or `duty_item` (a 责任清单 item).
    public var subjectType: String
    public var subjectID: Int64
    public var organisationID: Int64
    public var entry: LedgerEntry
}

extension CampaignRepository {
    /// The ledger entries of the organisations at `anchorID` within `scope` (inside `access`), dated `from`…`to`
    /// (inclusive), newest first; `limit` at most 1,000. Returns the total too, for paging.
    public func ledger(
        anchorID: Int64, scope: OrganisationScope, from: CivilDate?, to: CivilDate?, limit: Int, offset: Int, access: OrganisationAccess
    ) async throws -> (total: Int, lines: [LedgerLine]) {
        let limit = min(max(limit, 1), 1_000)
        let offset = max(offset, 0)
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            var filter: SQLQueryString =
                "\(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))"
            if let from { filter = filter + " AND l.entry_date >= \(bind: from.description)" }
            if let to { filter = filter + " AND l.entry_date <= \(bind: to.description)" }
            let total =
                try await db.raw("SELECT COUNT(*) AS n FROM ledger_entries l JOIN organisations o ON o.id = l.organisation_id WHERE \(filter)")
                .first()?.value("n", Int.self) ?? 0
            let lines = try await db.raw(
                """
                SELECT l.*, u.display_name FROM ledger_entries l JOIN organisations o ON o.id = l.organisation_id
                LEFT JOIN users u ON u.id = l.recorded_by WHERE \(filter)
                ORDER BY l.entry_date DESC, l.id DESC LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """
            ).all().map { r in
                LedgerLine(
                    subjectType: try r.value("subject_type"), subjectID: try r.value("subject_id"), organisationID: try r.value("organisation_id"),
                    entry: try Self.decodeLedger(r))
            }
            return (total, lines)
        }
    }
}
