public import Foundation
public import DangjianDomain
import SQLKit

/// Reads and writes the organisation tree. Every method takes the caller's `OrganisationAccess`; records outside
/// it behave as if they did not exist.
public struct OrganisationRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// One organisation, or nil when it does not exist or lies outside `access`.
    public func find(_ id: Int64, access: OrganisationAccess) async throws -> Organisation? {
        try await database.read { db in try await Self.find(id, access: access, db: db) }
    }

    static func find(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> Organisation? {
        let predicate = AccessSQL.predicate(access, alias: "o")
        let row = try await db.raw("SELECT o.* FROM organisations o WHERE o.id = \(bind: id) AND \(predicate)").first()
        return try row.map(decode)
    }

    /// The organisations at `anchorID` within `scope`, intersected with `access`, ordered by path.
    public func list(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, includeDissolved: Bool = false
    ) async throws -> [Organisation] {
        try await database.read { db in
            guard let anchor = try await Self.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let scopeSQL = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let accessSQL = AccessSQL.predicate(access, alias: "o")
            let dissolved: SQLQueryString = includeDissolved ? "1 = 1" : "o.dissolved_at IS NULL"
            let rows = try await db.raw(
                """
                SELECT o.* FROM organisations o WHERE \(scopeSQL) AND \(accessSQL) AND \(dissolved)
                ORDER BY o.path
                """
            ).all()
            return try rows.map(Self.decode)
        }
    }

    /// Every organisation visible under `access`, ordered by path (for the tree browser).
    public func visible(access: OrganisationAccess, includeDissolved: Bool = false) async throws -> [Organisation] {
        try await database.read { db in
            let accessSQL = AccessSQL.predicate(access, alias: "o")
            let dissolved: SQLQueryString = includeDissolved ? "1 = 1" : "o.dissolved_at IS NULL"
            let rows = try await db.raw(
                "SELECT o.* FROM organisations o WHERE \(accessSQL) AND \(dissolved) ORDER BY o.depth, o.sort_order, o.id"
            ).all()
            return try rows.map(Self.decode)
        }
    }

    /// The ancestors of an organisation from the root down (names for breadcrumbs). Ancestors outside the
    /// caller's access are returned too, but only their names are used (the tree's shape is not personal data).
    public func ancestors(of organisation: Organisation) async throws -> [Organisation] {
        let ids = organisation.path.ids.dropLast()
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            let rows = try await db.raw("SELECT o.* FROM organisations o WHERE o.id IN (\(binds: Array(ids))) ORDER BY o.depth").all()
            return try rows.map(Self.decode)
        }
    }

    /// Creates an organisation under `parentID` (or a root when nil, which needs unrestricted access).
    public func create(
        type: OrganisationType, name: String, shortName: String?, parentID: Int64?, access: OrganisationAccess,
        actor: Actor, effectiveDate: CivilDate? = nil
    ) async throws -> Organisation {
        let effective = try checkEffective(effectiveDate)
        if let problem = Organisation.validateName(name) { throw problem }
        let name = name.trimmed
        let shortName = shortName?.trimmed.nilIfEmpty
        if let shortName, shortName.count > 30 {
            throw ValidationFailure(field: "short_name", message: "简称不能超过 30 个字")
        }
        return try await database.write { db in
            try await insert(
                type: type, name: name, shortName: shortName, parentID: parentID, access: access, actor: actor, effective: effective, db: db)
        }
    }

    /// Creates an organisation inside an open transaction (shared by `create` and the organisation import).
    /// `name` and `shortName` must already be validated and trimmed.
    func insert(
        type: OrganisationType, name: String, shortName: String?, parentID: Int64?, access: OrganisationAccess, actor: Actor,
        effective: CivilDate, db: any SQLDatabase
    ) async throws -> Organisation {
        let now = clock.now().epochSeconds
        var parent: Organisation?
        if let parentID {
            guard let p = try await Self.find(parentID, access: access, db: db) else {
                throw AccessDenied(permission: access.permission, reason: "上级组织不在您的管理范围内")
            }
            guard !p.isDissolved else {
                throw ValidationFailure(field: "parent_id", message: "上级组织“\(p.name)”已撤销，不能在其下新建组织")
            }
            guard p.type.mayContain(type) else {
                throw ValidationFailure(field: "org_type", message: "\(p.type.displayName)下不能设立\(type.displayName)")
            }
            parent = p
        } else if !access.isUnrestricted {
            throw AccessDenied(permission: access.permission, reason: "只有系统初始化可以新建顶级组织")
        }
        try await Self.refuseDuplicateName(name, under: parent, except: nil, db: db, dialect: database.dialect)
        let pending = "pending:" + RandomToken.make(bytes: 9)
        let id = try await db.insertReturningID(
            """
            INSERT INTO organisations (parent_id, org_type, name, short_name, path, depth, created_at, updated_at)
            VALUES (\(bind: parentID), \(bind: type.rawValue), \(bind: name), \(bind: shortName), \(bind: pending),
                \(bind: (parent?.depth ?? 0) + 1), \(bind: now), \(bind: now))
            """)
        let path = parent.map { $0.path.appending(id: id) } ?? MaterialisedPath.root(id: id)
        try await db.raw("UPDATE organisations SET path = \(bind: path.value) WHERE id = \(bind: id)").run()
        try await Self.recordEvent(
            .established, organisationID: id, effective: effective, name: name, parentID: parentID, type: type, note: nil, db: db)
        try await audit.append(
            AuditEvent(
                action: .create, objectType: "organisation", objectID: String(id), organisationID: id,
                summary: "成立组织“\(name)”（\(type.displayName)）",
                changes: [
                    FieldChange(field: "name", old: nil, new: name),
                    FieldChange(field: "org_type", old: nil, new: type.displayName),
                    FieldChange(field: "parent_id", old: nil, new: parentID.map(String.init)),
                ] + (shortName.map { [FieldChange(field: "short_name", old: nil, new: $0)] } ?? [])
            ), by: actor, in: db, dialect: database.dialect)
        guard let created = try await Self.find(id, access: .maintenance, db: db) else {
            throw StoreError.internalInconsistency("organisation \(id) vanished")
        }
        return created
    }

    /// Renames an organisation (更名). `expectedVersion` is the version the form was loaded with.
    public func rename(
        _ id: Int64, name: String, shortName: String?, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        effectiveDate: CivilDate? = nil
    ) async throws -> Organisation {
        let effective = try checkEffective(effectiveDate)
        if let problem = Organisation.validateName(name) { throw problem }
        let name = name.trimmed
        let shortName = shortName?.trimmed.nilIfEmpty
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let current = try await Self.forChange(id, expectedVersion: expectedVersion, access: access, db: db)
            if current.name != name, let parentID = current.parentID {
                let parent = try await Self.find(parentID, access: .maintenance, db: db)
                try await Self.refuseDuplicateName(name, under: parent, except: id, db: db, dialect: database.dialect)
            }
            var changes: [FieldChange] = []
            if current.name != name { changes.append(FieldChange(field: "name", old: current.name, new: name)) }
            if current.shortName != shortName { changes.append(FieldChange(field: "short_name", old: current.shortName, new: shortName)) }
            if changes.isEmpty { return current }
            let updated = try await db.raw(
                """
                UPDATE organisations SET name = \(bind: name), short_name = \(bind: shortName), updated_at = \(bind: now),
                    version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """
            ).all()
            guard !updated.isEmpty else { throw EditConflict(objectType: "organisation", objectID: id) }
            if current.name != name {
                try await Self.checkOrder(id, effective, db: db)
                try await Self.recordEvent(
                    .renamed, organisationID: id, effective: effective, name: name, parentID: current.parentID, type: current.type,
                    note: "原名：\(current.name)", db: db)
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "organisation", objectID: String(id), organisationID: id,
                    summary: "组织更名：“\(current.name)”→“\(name)”", changes: changes
                ), by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// Moves an organisation and its whole subtree under a new parent (划转), rewriting paths in one transaction.
    public func move(
        _ id: Int64, toParent newParentID: Int64, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        effectiveDate: CivilDate? = nil
    ) async throws -> Organisation {
        let effective = try checkEffective(effectiveDate)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let current = try await Self.forChange(id, expectedVersion: expectedVersion, access: access, db: db)
            guard let newParent = try await Self.find(newParentID, access: access, db: db) else {
                throw AccessDenied(permission: access.permission, reason: "目标上级组织不在您的管理范围内")
            }
            guard current.parentID != nil else {
                throw ValidationFailure(field: "parent_id", message: "顶级组织不能划转")
            }
            if current.path.contains(newParent.path) {
                throw ValidationFailure(field: "parent_id", message: "不能划转到本组织或其下级组织之下")
            }
            guard !newParent.isDissolved else {
                throw ValidationFailure(field: "parent_id", message: "目标上级组织“\(newParent.name)”已撤销")
            }
            guard newParent.type.mayContain(current.type) else {
                throw ValidationFailure(field: "parent_id", message: "\(newParent.type.displayName)下不能设立\(current.type.displayName)")
            }
            if current.parentID == newParentID { return current }
            try await Self.refuseDuplicateName(current.name, under: newParent, except: id, db: db, dialect: database.dialect)
            let oldPath = current.path
            let newPath = try await Self.reparent(current, under: newParent, now: now, db: db)
            try await Self.checkOrder(id, effective, db: db)
            try await Self.recordEvent(
                .moved, organisationID: id, effective: effective, name: current.name, parentID: newParentID, type: current.type,
                note: "划转至“\(newParent.name)”", db: db)
            try await audit.append(
                AuditEvent(
                    action: .move, objectType: "organisation", objectID: String(id), organisationID: id,
                    summary: "组织“\(current.name)”划转至“\(newParent.name)”",
                    changes: [
                        FieldChange(field: "parent_id", old: current.parentID.map(String.init), new: String(newParentID)),
                        FieldChange(field: "path", old: oldPath.value, new: newPath.value),
                    ]
                ), by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// Rewrites the paths of `org`'s subtree to sit under `newParent` and sets its parent; returns the new path.
    static func reparent(_ org: Organisation, under newParent: Organisation, now: Int64, db: any SQLDatabase) async throws -> MaterialisedPath {
        let oldPath = org.path
        let newPath = newParent.path.appending(id: org.id)
        let depthDelta = newParent.depth + 1 - org.depth
        try await db.raw(
            """
            UPDATE organisations
            SET path = CAST(\(bind: newPath.value) AS TEXT) || substr(path, \(literal: oldPath.value.count + 1)),
                depth = depth + \(literal: depthDelta), updated_at = \(bind: now)
            WHERE path >= \(bind: oldPath.value) AND path < \(bind: oldPath.upperBound)
            """
        ).run()
        try await db.raw(
            """
            UPDATE organisations SET parent_id = \(bind: newParent.id), version = version + 1 WHERE id = \(bind: org.id)
            """
        ).run()
        return newPath
    }

    /// The organisation about to be changed: inside `access` (else not found) and still at the version the form was
    /// loaded with (else an edit conflict).
    static func forChange(_ id: Int64, expectedVersion: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> Organisation {
        guard let current = try await find(id, access: access, db: db) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(id))
        }
        guard current.version == expectedVersion else { throw EditConflict(objectType: "organisation", objectID: id) }
        return current
    }

    /// A higher organisation's approval (批复文号 or a note), required for changes of type and merges.
    static func checkApproval(_ text: String) throws -> String {
        let approval = text.trimmed
        guard !approval.isEmpty, approval.count <= 200 else {
            throw ValidationFailure(field: "approval", message: "请填写上级批复文号或说明（不超过 200 个字）")
        }
        return approval
    }

    /// Names (short name when set) of a few organisations, for labelling list rows; not limited by access, as
    /// the tree's shape is not personal data.
    public func labels(_ ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { db in
            var result: [Int64: String] = [:]
            for row in try await db.raw("SELECT id, name, short_name FROM organisations WHERE id IN (\(binds: Array(ids)))").all() {
                let short: String? = try row.optional("short_name")
                let name: String = try row.value("name")
                result[try row.value("id")] = (short?.isEmpty == false ? short : nil) ?? name
            }
            return result
        }
    }

    /// The organisations to offer next to `anchorID` in a chooser: its parent (when inside `access`), itself and
    /// its active children — a step up or down the tree, instead of every organisation of a city in one list.
    public func neighbourhood(of anchorID: Int64, access: OrganisationAccess) async throws -> [Organisation] {
        // One query for the three (it runs on every member-list page): the anchor, its parent and its children
        // that are not dissolved, each within `access`.
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT o.* FROM organisations o
                WHERE (o.id = \(bind: anchorID) OR o.id = (SELECT a.parent_id FROM organisations a WHERE a.id = \(bind: anchorID))
                       OR (o.parent_id = \(bind: anchorID) AND o.dissolved_at IS NULL))
                AND \(AccessSQL.predicate(access, alias: "o")) ORDER BY o.sort_order, o.id
                """
            ).all().map(Self.decode)
        }
        guard let anchor = rows.first(where: { $0.id == anchorID }) else { return [] }
        let parent = rows.first { $0.id == anchor.parentID }
        return (parent.map { [$0] } ?? []) + [anchor] + rows.filter { $0.parentID == anchorID }
    }

    /// How many organisations exist (for health and the demo).
    public func count() async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM organisations").first()?.value("n", Int.self) ?? 0
        }
    }

    static func decode(_ row: any SQLRow) throws -> Organisation {
        let pathText: String = try row.value("path")
        guard let path = MaterialisedPath(pathText) else {
            throw StoreError.internalInconsistency("bad organisation path \(pathText)")
        }
        let typeText: String = try row.value("org_type")
        return Organisation(
            id: try row.value("id"), parentID: try row.optional("parent_id"),
            type: OrganisationType(rawValue: typeText) ?? .branch, name: try row.value("name"),
            shortName: try row.optional("short_name"), path: path, depth: try row.value("depth"),
            dissolvedAt: try row.optional("dissolved_at", Int64.self).map(Date.init(epochSeconds:)),
            dissolvedReason: try row.optional("dissolved_reason"), version: try row.value("version"))
    }
}
