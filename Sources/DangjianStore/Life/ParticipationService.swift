public import Foundation
public import DangjianDomain
import SQLKit

/// One member's participation with who they are (name, organisation, status) — no sensitive fields.
public struct MemberParticipationRow: Sendable {
    public var memberID: Int64
    public var name: String
    public var organisationID: Int64
    public var full: Bool
    public var floating: Bool
    public var participation: MemberParticipation
}

/// 党员参加组织生活情况: attendance rates per member and the DUES-13 flags, for one organisation or a subtree.
public struct ParticipationService: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// Every current member (正常 or 失联) of the organisations at `anchorID` within `scope`, with their
    /// participation over the last `months` finished months and this month, judged on `today` (default: now).
    /// Attendance counts wherever the member was listed (also before a transfer), at the kinds every member is
    /// expected at.
    public func members(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, months: Int = 12,
        today: CivilDate? = nil
    ) async throws -> [MemberParticipationRow] {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        // Read far enough back for the longer of the window and the lapse run.
        var from = CompliancePeriod(.month, containing: today)
        for _ in 0..<max(months, rules.lapseMonths + 1) { from = from.previous }
        let kinds = MeetingKind.allCases.filter(\.expectsAllMembers).map(\.rawValue)
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let scopeSQL = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let accessSQL = AccessSQL.predicate(access, alias: "o")
            var rows: [MemberParticipationRow] = []
            var index: [Int64: Int] = [:]
            var cadres: Set<Int64> = []
            for row in try await db.raw(
                """
                SELECT m.id, m.name, m.organisation_id, m.party_status, m.is_floating, m.post FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE \(scopeSQL) AND \(accessSQL) AND m.deleted_at IS NULL AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                ORDER BY o.path, m.name, m.id
                """
            ).all() {
                let id: Int64 = try row.value("id")
                index[id] = rows.count
                if DualOrganisationalLife.isLeadingCadre(post: try row.optional("post", String.self), rules: rules) { cadres.insert(id) }
                rows.append(
                    MemberParticipationRow(
                        memberID: id, name: try row.value("name"), organisationID: try row.value("organisation_id"),
                        full: try row.value("party_status", String.self) == "full",
                        floating: try row.value("is_floating", Int64.self) != 0,
                        participation: .empty))
            }
            var entries: [Int64: [AttendanceEntry]] = [:]
            for row in try await db.raw(
                """
                SELECT a.member_id, a.status, g.held_on FROM meeting_attendance a
                JOIN meetings g ON g.id = a.meeting_id
                JOIN members m ON m.id = a.member_id
                JOIN organisations o ON o.id = m.organisation_id
                WHERE \(scopeSQL) AND \(accessSQL) AND m.deleted_at IS NULL
                AND g.deleted_at IS NULL AND g.kind IN (\(binds: kinds)) AND g.held_on >= \(bind: from.start.description) AND g.held_on <= \(bind: today.description)
                """
            ).all() {
                guard let day = CivilDate(iso: try row.value("held_on")), let status = AttendanceStatus(rawValue: try row.value("status")) else {
                    continue
                }
                entries[try row.value("member_id"), default: []].append(AttendanceEntry(day: day, status: status))
            }
            for (id, list) in entries {
                guard let i = index[id] else { continue }
                rows[i].participation = MemberParticipation.evaluate(list, today: today, months: months, rules: rules)
                if cadres.contains(id) { rows[i].participation.dualLife = DualOrganisationalLife.finding(list, today: today) }
            }
            return rows
        }
    }

    /// Only the members who need attention (DUES-13 warning or review) — for to-do lists over large subtrees: members
    /// without attendance lines cannot be flagged, so only those with lines are read and judged.
    public func flagged(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> [MemberParticipationRow] {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        var from = CompliancePeriod(.month, containing: today)
        for _ in 0..<max(12, rules.lapseMonths + 1) { from = from.previous }
        let kinds = MeetingKind.allCases.filter(\.expectsAllMembers).map(\.rawValue)
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let scopeSQL = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let accessSQL = AccessSQL.predicate(access, alias: "o")
            var entries: [Int64: [AttendanceEntry]] = [:]
            var who: [Int64: (name: String, organisationID: Int64, full: Bool, floating: Bool, cadre: Bool)] = [:]
            for row in try await db.raw(
                """
                SELECT a.member_id, a.status, g.held_on, m.name, m.organisation_id, m.party_status, m.is_floating, m.post FROM meeting_attendance a
                JOIN meetings g ON g.id = a.meeting_id
                JOIN members m ON m.id = a.member_id
                JOIN organisations o ON o.id = m.organisation_id
                WHERE \(scopeSQL) AND \(accessSQL) AND m.deleted_at IS NULL AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                AND g.deleted_at IS NULL AND g.kind IN (\(binds: kinds)) AND g.held_on >= \(bind: from.start.description) AND g.held_on <= \(bind: today.description)
                """
            ).all() {
                guard let day = CivilDate(iso: try row.value("held_on")), let status = AttendanceStatus(rawValue: try row.value("status")) else {
                    continue
                }
                let id: Int64 = try row.value("member_id")
                entries[id, default: []].append(AttendanceEntry(day: day, status: status))
                if who[id] == nil {
                    who[id] = (
                        try row.value("name"), try row.value("organisation_id"), try row.value("party_status", String.self) == "full",
                        try row.value("is_floating", Int64.self) != 0,
                        DualOrganisationalLife.isLeadingCadre(post: try row.optional("post", String.self), rules: rules)
                    )
                }
            }
            return entries.compactMap { id, list -> MemberParticipationRow? in
                var p = MemberParticipation.evaluate(list, today: today, rules: rules)
                guard let w = who[id] else { return nil }
                if w.cadre { p.dualLife = DualOrganisationalLife.finding(list, today: today) }
                guard p.needsAttention else { return nil }
                return MemberParticipationRow(
                    memberID: id, name: w.name, organisationID: w.organisationID, full: w.full, floating: w.floating, participation: p)
            }.sorted {
                ($0.participation.level, $0.participation.monthsWithout, $1.memberID) > (
                    $1.participation.level, $1.participation.monthsWithout, $0.memberID
                )
            }
        }
    }
}
