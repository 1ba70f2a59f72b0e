public import Foundation
public import DangjianDomain
import SQLKit

/// Units (单位) and the Party organisation that covers each. Reads need access to the organisation; writes need
/// `organisationsWrite` access to it. WorkUnit names and categories are not personal data.
public struct UnitRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// The units of the organisations at `anchorID` within `scope` inside `access`, optionally of one category or
    /// assessment category, ordered by organisation path and name.
    public func list(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess,
        category: UnitCategory? = nil, assessmentCategory: String? = nil
    ) async throws -> [WorkUnit] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let scopeSQL = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let categorySQL: SQLQueryString = category.map { "u.category = \(bind: $0.rawValue)" } ?? "1 = 1"
            let assessmentSQL: SQLQueryString = assessmentCategory.map { "u.assessment_category = \(bind: $0)" } ?? "1 = 1"
            return try await db.raw(
                """
                SELECT u.* FROM units u JOIN organisations o ON o.id = u.organisation_id
                WHERE \(scopeSQL) AND \(AccessSQL.predicate(access, alias: "o")) AND \(categorySQL) AND \(assessmentSQL)
                ORDER BY o.path, u.name, u.id
                """
            ).all().map(Self.decode)
        }
    }

    /// The units one organisation covers.
    public func units(of organisationID: Int64, access: OrganisationAccess) async throws -> [WorkUnit] {
        try await list(anchorID: organisationID, scope: .own, access: access)
    }

    /// Whether an organisation covers a village or community (ORG-T1: 5-year terms at every level).
    static func coversVillageOrCommunity(_ organisationID: Int64, db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS x FROM units WHERE organisation_id = \(bind: organisationID)
            AND category IN (\(bind: UnitCategory.village.rawValue), \(bind: UnitCategory.community.rawValue))
            """
        ).first() != nil
    }

    /// Adds a unit to an organisation.
    public func create(
        organisationID: Int64, name: String, category: String, assessmentCategory: String,
        access: OrganisationAccess, actor: Actor
    ) async throws -> WorkUnit {
        let book = try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
        let fields: (String, UnitCategory, String?)
        switch WorkUnit.validate(name: name, category: category, assessmentCategory: assessmentCategory, rules: book) {
        case .success(let f): fields = f
        case .failure(let errors): throw errors
        }
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            return try await insert(fields, into: org, actor: actor, db: db)
        }
    }

    /// Adds a validated unit to `org` inside an open transaction (shared by `create` and the organisation import).
    func insert(_ fields: (String, UnitCategory, String?), into org: Organisation, actor: Actor, db: any SQLDatabase) async throws -> WorkUnit {
        let now = clock.now().epochSeconds
        guard !org.isDissolved else { throw ValidationFailure(field: "organisation_id", message: "组织“\(org.name)”已撤销，不能登记单位") }
        try await refuseDuplicate(name: fields.0, organisationID: org.id, except: nil, db: db)
        let id = try await db.insertReturningID(
            """
            INSERT INTO units (organisation_id, name, category, assessment_category, created_at, updated_at)
            VALUES (\(bind: org.id), \(bind: fields.0), \(bind: fields.1.rawValue), \(bind: fields.2), \(bind: now), \(bind: now))
            """)
        try await audit.append(
            AuditEvent(
                action: .create, objectType: "unit", objectID: String(id), organisationID: org.id,
                summary: "登记单位“\(fields.0)”（\(fields.1.displayName)）于“\(org.name)”",
                changes: [
                    FieldChange(field: "name", old: nil, new: fields.0), FieldChange(field: "category", old: nil, new: fields.1.displayName),
                    FieldChange(field: "assessment_category", old: nil, new: fields.2),
                ]),
            by: actor, in: db, dialect: database.dialect)
        return try await Self.find(id, db: db).required("record", id)
    }

    /// Edits a unit; `organisationID` may move it to another organisation inside `access` (e.g. into a joint branch).
    public func update(
        _ id: Int64, organisationID: Int64, name: String, category: String, assessmentCategory: String,
        expectedVersion: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> WorkUnit {
        let book = try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
        let fields: (String, UnitCategory, String?)
        switch WorkUnit.validate(name: name, category: category, assessmentCategory: assessmentCategory, rules: book) {
        case .success(let f): fields = f
        case .failure(let errors): throw errors
        }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let current = try await Self.find(id, db: db),
                try await OrganisationRepository.find(current.organisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "unit", objectID: String(id))
            }
            guard current.version == expectedVersion else { throw EditConflict(objectType: "unit", objectID: id) }
            guard let target = try await OrganisationRepository.find(organisationID, access: access, db: db), !target.isDissolved else {
                throw ValidationFailure(field: "organisation_id", message: "所选党组织不在您的管理范围内或已撤销")
            }
            var changes: [FieldChange] = []
            if current.name != fields.0 { changes.append(FieldChange(field: "name", old: current.name, new: fields.0)) }
            if current.category != fields.1 {
                changes.append(FieldChange(field: "category", old: current.category.displayName, new: fields.1.displayName))
            }
            if current.assessmentCategory != fields.2 {
                changes.append(FieldChange(field: "assessment_category", old: current.assessmentCategory, new: fields.2))
            }
            if current.organisationID != organisationID {
                changes.append(FieldChange(field: "organisation_id", old: String(current.organisationID), new: String(organisationID)))
            }
            if changes.isEmpty { return current }
            try await refuseDuplicate(name: fields.0, organisationID: organisationID, except: id, db: db)
            try await db.raw(
                """
                UPDATE units SET organisation_id = \(bind: organisationID), name = \(bind: fields.0), category = \(bind: fields.1.rawValue),
                    assessment_category = \(bind: fields.2), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: id)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "unit", objectID: String(id), organisationID: organisationID,
                    summary: "修改单位“\(fields.0)”", changes: changes), by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, db: db).required("record", id)
        }
    }

    /// WorkUnit counts per organisation for a set of organisations (for the ORG-02 joint-branch check).
    static func counts(_ organisationIDs: [Int64], db: any SQLDatabase) async throws -> [Int64: Int] {
        guard !organisationIDs.isEmpty else { return [:] }
        var result: [Int64: Int] = [:]
        for start in stride(from: 0, to: organisationIDs.count, by: 500) {
            let chunk = Array(organisationIDs[start..<min(start + 500, organisationIDs.count)])
            for row in try await db.raw(
                "SELECT organisation_id, COUNT(*) AS n FROM units WHERE organisation_id IN (\(binds: chunk)) GROUP BY organisation_id"
            ).all() {
                result[try row.value("organisation_id")] = try row.value("n")
            }
        }
        return result
    }

    func refuseDuplicate(name: String, organisationID: Int64, except: Int64?, db: any SQLDatabase) async throws {
        if let row = try await db.raw("SELECT id FROM units WHERE organisation_id = \(bind: organisationID) AND name = \(bind: name)").first(),
            try row.value("id", Int64.self) != except
        {
            throw ValidationFailure(field: "name", message: "该党组织已登记名为“\(name)”的单位")
        }
    }

    static func find(_ id: Int64, db: any SQLDatabase) async throws -> WorkUnit? {
        try await db.raw("SELECT * FROM units WHERE id = \(bind: id)").first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> WorkUnit {
        WorkUnit(
            id: try row.value("id"), organisationID: try row.value("organisation_id"), name: try row.value("name"),
            category: UnitCategory(rawValue: try row.value("category")) ?? .organ,
            assessmentCategory: try row.optional("assessment_category"), version: try row.value("version"))
    }
}
