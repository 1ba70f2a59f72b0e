public import Foundation
public import DangjianDomain
import SQLKit

/// The roster query (党员名册 list and export): filters, scope, access, sorting and paging.
extension MemberRepository {
    /// A page of members matching `query` inside `access`, and the total count.
    /// `anchor`: the query's anchor organisation when the caller has already loaded it under the same `access`
    /// (the list page has, for its chooser), saving a look-up.
    public func list(
        _ query: MemberQuery, access: OrganisationAccess, anchor: Organisation? = nil
    ) async throws -> (members: [MemberRecord], total: Int) {
        try await database.read { db in
            let filter = try await where_(query, access: access, db: db, anchor: anchor?.id == query.anchorID ? anchor : nil)
            let total =
                try await db.raw("SELECT COUNT(*) AS n FROM members m JOIN organisations o ON o.id = m.organisation_id WHERE \(filter)")
                .first()?.value("n", Int.self) ?? 0
            let direction = query.descending ? "DESC" : "ASC"
            let order: String
            switch query.sort {
            case .name: order = "m.name \(direction), m.id"
            case .joinDate: order = "m.join_date \(direction), m.id"
            case .birthDate: order = "m.birth_date \(direction), m.id"
            case .organisation: order = "o.path \(direction), m.name, m.id"
            }
            // A large result sorted by name walks the name index and stops after one page (CROSS JOIN fixes the
            // join order in SQLite; PostgreSQL plans it itself); a small one is gathered by organisation and sorted.
            let join: SQLQueryString =
                (database.dialect == .sqlite && total >= 5_000 && query.sort == .name && !query.descending) ? "CROSS JOIN" : "JOIN"
            // Rows are decoded as they arrive (an export of 100,000 members never holds the raw rows and the records
            // at once).
            let members = RowAccumulator(decode: Self.decode)
            try await db.raw(
                """
                SELECT \(Self.recordColumns) FROM members m \(join) organisations o ON o.id = m.organisation_id WHERE \(filter)
                ORDER BY \(unsafeRaw: order) LIMIT \(literal: max(1, query.limit)) OFFSET \(literal: max(0, query.offset))
                """
            ).run { members.add($0) }
            return (try members.result(), total)
        }
    }

    /// The WHERE clause for a query (shared by list, statistics and export).
    func where_(
        _ query: MemberQuery, access: OrganisationAccess, db: any SQLDatabase, anchor known: Organisation? = nil
    ) async throws -> SQLQueryString {
        let found: Organisation?
        if let known { found = known } else { found = try await OrganisationRepository.find(query.anchorID, access: access, db: db) }
        guard let anchor = found else {
            throw RecordNotFound(objectType: "organisation", objectID: String(query.anchorID))
        }
        var parts: [SQLQueryString] = [
            "m.deleted_at IS NULL", AccessSQL.predicate(access, alias: "o"),
            AccessSQL.scopePredicate(anchor.id, anchor.path, query.scope, alias: "o"),
        ]
        if !query.includeOffRoster { parts.append("m.membership_state IN (\(binds: MembershipState.onRosterValues))") }
        if let name = query.nameContains?.trimmed, !name.isEmpty {
            // Names are matched literally: LIKE wildcards typed by the user are escaped.
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                of: "_", with: "\\_")
            parts.append("m.name LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
        }
        if let id = query.idNumber { parts.append("m.id_number_index = \(bind: keyring.blindIndex(id.value, context: "member.id_number"))") }
        if let phone = query.phone { parts.append("m.phone_index = \(bind: keyring.blindIndex(phone, context: "member.phone"))") }
        if let v = query.partyStatus { parts.append("m.party_status = \(bind: v.rawValue)") }
        if let v = query.personnelCategory { parts.append("m.personnel_category = \(bind: v.rawValue)") }
        if let v = query.education { parts.append("m.education = \(bind: v.rawValue)") }
        if let v = query.gender { parts.append("m.gender = \(bind: v.rawValue)") }
        if let v = query.membershipState { parts.append("m.membership_state = \(bind: v.rawValue)") }
        if query.floatingOnly { parts.append("m.is_floating = 1") }
        let today = self.today
        // Age ≥ a ⇔ born on or before today − a years; age ≤ b ⇔ born after today − (b + 1) years.
        if let a = query.minAge { parts.append("m.birth_date <= \(bind: today.adding(years: -a.value).description)") }
        if let b = query.maxAge { parts.append("m.birth_date > \(bind: today.adding(years: -(b.value + 1)).description)") }
        if let a = query.minStanding { parts.append("m.full_member_date <= \(bind: today.adding(years: -a.value).description)") }
        if let b = query.maxStanding { parts.append("m.full_member_date > \(bind: today.adding(years: -(b.value + 1)).description)") }
        return parts.joined(separator: " AND ")
    }
}
