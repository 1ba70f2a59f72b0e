public import Foundation
public import DangjianDomain
import SQLKit

/// One member's line on a branch's dues sheet for a year: who, and the base and amount set for them (nil: not yet).
public struct DuesBaseLine: Sendable {
    public var memberID: Int64
    public var name: String
    public var full: Bool
    public var category: DuesCategory?
    public var base: Fen?
    public var monthly: Fen?
    public var parametersVersion: String?
    /// 0 before a base is set; the optimistic lock after.
    public var version: Int64
}

/// A branch's dues sheet for a year: its own roster with each member's base and monthly amount.
public struct DuesSheet: Sendable {
    public var organisation: Organisation
    public var year: Int
    public var lines: [DuesBaseLine]
    /// Members whose base is set.
    public var setCount: Int { lines.filter { $0.monthly != nil }.count }
    /// The branch's monthly dues from the members whose base is set, in fen (never more than members × 10^10).
    public var monthlyTotal: Fen {
        // Each amount is at most 2 % of 10^10 fen: no roster is long enough to overflow the sum.
        Fen(clamping: lines.reduce(Int64(0)) { $0 + ($1.monthly?.value ?? 0) })
    }
}

/// 党费基数 (slug `dues`): the yearly base-setting per member (DUES-09) and the monthly amount it gives (DUES-02…06,
/// DUES-16, decided in the Domain by `DuesCalculator`). Reads need `membersRead` over the member's organisation,
/// writes `membersWrite`; every change is audited field by field, and two clerks setting the same member's base at
/// once get one change and one conflict.
public struct DuesRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    /// The parameters amounts are computed under when given; nil (the default): the rule book's in force.
    let parameters: DuesParameters?

    public init(database: Database, audit: AuditTrail, clock: any WallClock, parameters: DuesParameters? = nil) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.parameters = parameters
    }

    /// The sheet of organisation `organisationID` for `year`: every member on its own roster (正常 or 失联), by name.
    public func sheet(organisationID: Int64, year: CalendarYear, access: OrganisationAccess) async throws -> DuesSheet {
        try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let rows = try await db.raw(
                """
                SELECT m.id, m.name, m.party_status, d.category, d.base_fen, d.monthly_fen, d.parameters_version, d.version
                FROM members m LEFT JOIN dues_bases d ON d.member_id = m.id AND d.year = \(bind: year.value)
                WHERE m.organisation_id = \(bind: organisationID) AND m.deleted_at IS NULL
                AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) ORDER BY m.name, m.id
                """
            ).all()
            return DuesSheet(organisation: org, year: year.value, lines: try rows.map(Self.line))
        }
    }

    /// One member's line for `year` and the organisation holding them, inside `access`; nil when out of reach.
    public func line(memberID: Int64, year: CalendarYear, access: OrganisationAccess) async throws -> (line: DuesBaseLine, organisationID: Int64)? {
        try await database.read { db in try await Self.line(memberID, year: year.value, access: access, db: db) }
    }

    /// Sets member `memberID`'s base for `year` (`expectedVersion` 0 when none was set yet, else the version the
    /// form showed): the amount is computed under the repository's parameters; a stale version is `EditConflict`.
    /// Returns the stored line and the organisation holding the member.
    public func setBase(
        memberID: Int64, year: CalendarYear, category: DuesCategory, base: Fen?, expectedVersion: Int64, access: OrganisationAccess,
        actor: Actor
    ) async throws -> (line: DuesBaseLine, organisationID: Int64) {
        let parameters = try await amountParameters(year: year.value)
        let amount = try DuesCalculator.monthly(category, base: category.takesBase ? base : nil, parameters: parameters)
        let base = category.takesBase ? base : nil
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let (old, organisationID) = try await Self.line(memberID, year: year.value, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            guard old.version == expectedVersion else { throw EditConflict(objectType: "dues_base", objectID: memberID) }
            let written: (any SQLRow)?
            if expectedVersion == 0 {
                written = try await db.raw(
                    """
                    INSERT INTO dues_bases (member_id, organisation_id, year, category, base_fen, monthly_fen, parameters_version, recorded_by, recorded_at)
                    VALUES (\(bind: memberID), \(bind: organisationID), \(bind: year.value), \(bind: category.rawValue), \(bind: base?.value),
                        \(bind: amount.monthly.value), \(bind: parameters.version), \(bind: actor.userID), \(bind: now))
                    ON CONFLICT (member_id, year) DO NOTHING RETURNING id
                    """
                ).first()
            } else {
                written = try await db.raw(
                    """
                    UPDATE dues_bases SET category = \(bind: category.rawValue), base_fen = \(bind: base?.value), monthly_fen = \(bind: amount.monthly.value),
                        parameters_version = \(bind: parameters.version), organisation_id = \(bind: organisationID), recorded_by = \(bind: actor.userID),
                        recorded_at = \(bind: now), version = version + 1
                    WHERE member_id = \(bind: memberID) AND year = \(bind: year.value) AND version = \(bind: expectedVersion) RETURNING id
                    """
                ).first()
            }
            guard written != nil else { throw EditConflict(objectType: "dues_base", objectID: memberID) }
            var changes: [FieldChange] = []
            func compare(_ field: String, _ a: String?, _ b: String?) { if a != b { changes.append(FieldChange(field: field, old: a, new: b)) } }
            compare("dues_category", old.category?.displayName, category.displayName)
            compare("dues_base", old.base?.description, base?.description)
            compare("dues_monthly", old.monthly?.description, amount.monthly.description)
            try await audit.append(
                AuditEvent(
                    action: expectedVersion == 0 ? .create : .update, objectType: "dues_base", objectID: "\(memberID):\(year.value)",
                    organisationID: organisationID,
                    summary: "设定 \(year.value) 年党费：\(old.name)，\(category.displayName)，\(amount.explanation)", changes: changes),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.line(memberID, year: year.value, access: .maintenance, db: db).required("member", memberID)
        }
    }

    static func line(
        _ memberID: Int64, year: Int, access: OrganisationAccess, db: any SQLDatabase
    ) async throws -> (
        line: DuesBaseLine, organisationID: Int64
    )? {
        let predicate = AccessSQL.predicate(access, alias: "o")
        guard
            let row = try await db.raw(
                """
                SELECT m.id, m.name, m.party_status, m.organisation_id, d.category, d.base_fen, d.monthly_fen, d.parameters_version, d.version
                FROM members m JOIN organisations o ON o.id = m.organisation_id
                LEFT JOIN dues_bases d ON d.member_id = m.id AND d.year = \(bind: year)
                WHERE m.id = \(bind: memberID) AND m.deleted_at IS NULL AND \(predicate)
                """
            ).first()
        else { return nil }
        return (try line(row), try row.value("organisation_id"))
    }

    static func line(_ row: any SQLRow) throws -> DuesBaseLine {
        DuesBaseLine(
            memberID: try row.value("id"), name: try row.value("name"), full: try row.value("party_status", String.self) == PartyStatus.full.rawValue,
            category: try row.optional("category", String.self).flatMap(DuesCategory.init(rawValue:)),
            base: try row.optional("base_fen", Int64.self).flatMap(Fen.init), monthly: try row.optional("monthly_fen", Int64.self).flatMap(Fen.init),
            parametersVersion: try row.optional("parameters_version"), version: try row.optional("version", Int64.self) ?? 0)
    }
}

extension DuesRepository {
    /// The rule book in force on `day`: the dated dues parameters (DUES-06/11/13/18/19/20 …) with their defaults.
    func ruleBook(on day: CivilDate) async throws -> RuleBook { try await RuleBookRepository.inForce(in: database, on: day) }

    /// The parameters `year`'s amounts are computed under: the repository's when given, else the rule book's in
    /// force on today for this year, on 1 January for a later year and on 31 December for an earlier one.
    func amountParameters(year: Int) async throws -> DuesParameters {
        if let parameters { return parameters }
        return try await Self.amountParameters(year: year, today: CivilDate(date: clock.now()), database: database)
    }

    static func amountParameters(year: Int, today: CivilDate, database: Database) async throws -> DuesParameters {
        try await RuleBookRepository.forYear(year, today: today, in: database).duesParameters
    }
}
