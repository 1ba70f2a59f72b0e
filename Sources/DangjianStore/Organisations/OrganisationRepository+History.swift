public import Foundation
public import DangjianDomain
import SQLKit

/// Kinds of organisation history events (组织沿革).
public enum OrganisationEventKind: String, Sendable {
    case established, renamed, moved, dissolved
    /// 升格/降格: the organisation's type changed (e.g. 党支部 → 党总支).
    case retyped
    /// 合并: this organisation was merged into another and ended.
    case merged
    /// 合并: another organisation was merged into this one.
    case absorbed

    public var displayName: String {
        switch self {
        case .established: "成立"
        case .renamed: "更名"
        case .moved: "划转"
        case .dissolved: "撤销"
        case .retyped: "调整类型"
        case .merged: "并入其他组织"
        case .absorbed: "合并"
        }
    }

    /// Whether the organisation no longer exists after the event.
    public var ends: Bool { self == .dissolved || self == .merged }
}

/// One dated event of an organisation's history, with its state after the event.
public struct OrganisationEvent: Sendable, Equatable {
    public var organisationID: Int64
    public var kind: OrganisationEventKind
    /// 生效日期; `0001-01-01` marks a state recorded before history was kept.
    public var effectiveDate: CivilDate
    public var name: String
    public var parentID: Int64?
    public var type: OrganisationType
    public var note: String?
}

extension OrganisationRepository {
    func checkEffective(_ date: CivilDate?) throws -> CivilDate {
        let today = CivilDate(date: clock.now())
        let date = date ?? today
        if date > today { throw ValidationFailure(field: "effective_date", message: "生效日期 \(date) 晚于今天") }
        return date
    }

    /// A change cannot take effect before the organisation's latest recorded event.
    /// ORGNAME-01: no two live organisations under the same parent share a name (the roster import and every
    /// page that names an organisation would not know which is meant). On PostgreSQL the parent's row is locked
    /// first, so two offices creating the same name at once get one organisation and one refusal.
    static func refuseDuplicateName(
        _ name: String, under parent: Organisation?, except id: Int64?, db: any SQLDatabase, dialect: StoreDialect
    ) async throws {
        if let parent, dialect == .postgres {
            _ = try await db.raw("SELECT id FROM organisations WHERE id = \(bind: parent.id) FOR UPDATE").all()
        }
        let parentClause: SQLQueryString = parent.map { "parent_id = \(bind: $0.id)" } ?? "parent_id IS NULL"
        let clash = try await db.raw(
            "SELECT id FROM organisations WHERE \(parentClause) AND name = \(bind: name) AND dissolved_at IS NULL AND id <> \(bind: id ?? 0)"
        ).first()
        if clash != nil {
            throw ValidationFailure(
                field: "name", message: "“\(parent?.name ?? "顶级")”下已有名为“\(name)”的组织，请换一个名称（如注明单位或序号）",
                ruleID: RuleID.orgname01.code)
        }
    }

    static func checkOrder(_ id: Int64, _ effective: CivilDate, db: any SQLDatabase) async throws {
        if let row = try await db.raw("SELECT MAX(effective_date) AS d FROM organisation_events WHERE organisation_id = \(bind: id)").first(),
            let latest = try row.optional("d", String.self).flatMap(CivilDate.init(iso:)), effective < latest
        {
            throw ValidationFailure(field: "effective_date", message: "生效日期 \(effective) 早于该组织上一次变更的生效日期 \(latest)")
        }
    }

    static func recordEvent(
        _ kind: OrganisationEventKind, organisationID: Int64, effective: CivilDate, name: String, parentID: Int64?,
        type: OrganisationType, note: String?, db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO organisation_events (organisation_id, kind, effective_date, name, parent_id, org_type, note, created_at)
            VALUES (\(bind: organisationID), \(bind: kind.rawValue), \(bind: effective.description), \(bind: name), \(bind: parentID),
                \(bind: type.rawValue), \(bind: note), \(bind: Date().epochSeconds))
            """
        ).run()
    }

    /// An active organisation by exact full or short name (for choosing the receiving organisation of a transfer;
    /// organisation names are not personal data).
    public func findByName(_ name: String) async throws -> Organisation? {
        let name = name.trimmed
        guard !name.isEmpty else { return nil }
        return try await database.read { db in
            try await db.raw(
                """
                SELECT o.* FROM organisations o WHERE o.dissolved_at IS NULL AND (o.name = \(bind: name) OR o.short_name = \(bind: name))
                ORDER BY CASE WHEN o.name = \(bind: name) THEN 0 ELSE 1 END, o.id LIMIT 1
                """
            ).first().map(Self.decode)
        }
    }

    /// The history of one organisation, oldest first.
    public func history(of id: Int64, access: OrganisationAccess) async throws -> [OrganisationEvent] {
        try await database.read { db in
            guard try await Self.find(id, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(id))
            }
            return try await db.raw("SELECT * FROM organisation_events WHERE organisation_id = \(bind: id) ORDER BY effective_date, id").all().map(
                Self.decodeEvent)
        }
    }

    /// The organisations inside `access` as they stood on `date`: name, parent and type from the latest event on or
    /// before that day; dissolved ones and ones not yet established are left out.
    public func asOf(_ date: CivilDate, access: OrganisationAccess) async throws -> [OrganisationEvent] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT e.* FROM organisation_events e JOIN organisations o ON o.id = e.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) AND e.effective_date <= \(bind: date.description)
                ORDER BY e.organisation_id, e.effective_date, e.id
                """
            ).all()
            var latest: [Int64: OrganisationEvent] = [:]
            for row in rows { let event = try Self.decodeEvent(row); latest[event.organisationID] = event }
            return latest.values.filter { !$0.kind.ends }.sorted { $0.organisationID < $1.organisationID }
        }
    }

    static func decodeEvent(_ row: any SQLRow) throws -> OrganisationEvent {
        OrganisationEvent(
            organisationID: try row.value("organisation_id"), kind: OrganisationEventKind(rawValue: try row.value("kind")) ?? .established,
            effectiveDate: CivilDate(iso: try row.value("effective_date")) ?? CivilDate.earliest,
            name: try row.value("name"), parentID: try row.optional("parent_id"),
            type: OrganisationType(rawValue: try row.value("org_type")) ?? .branch, note: try row.optional("note"))
    }
}
