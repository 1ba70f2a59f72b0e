import SQLKit
import DangjianDomain

/// Turns an `OrganisationAccess` into an SQL predicate on an organisations alias. This is the single place where
/// scope becomes SQL, so every list that takes an access is filtered the same way.
enum AccessSQL {
    /// `(…)` limiting `alias` (a row of `organisations`) to the access.
    static func predicate(_ access: OrganisationAccess, alias: String) -> SQLQueryString {
        if access.isUnrestricted { return "1 = 1" }
        if access.reaches.isEmpty { return "1 = 0" }
        let parts = access.reaches.map { reach in scopePredicate(reach.organisationID, reach.path, reach.scope, alias: alias) }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Organisations at `anchor` within `scope` (本级 / 本级及直属下级 / 全部下级).
    static func scopePredicate(_ id: Int64, _ path: MaterialisedPath, _ scope: OrganisationScope, alias: String) -> SQLQueryString {
        switch scope {
        case .own:
            return "\(ident: alias).id = \(bind: id)"
        case .ownAndChildren:
            return "(\(ident: alias).id = \(bind: id) OR \(ident: alias).parent_id = \(bind: id))"
        case .subtree:
            // A prefix range on the indexed path column, not LIKE and not a recursive scan.
            return "(\(ident: alias).path >= \(bind: path.value) AND \(ident: alias).path < \(bind: path.upperBound))"
        }
    }
}
