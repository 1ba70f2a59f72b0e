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

    /// Changes an organisation's type (升格/降格, e.g. a branch grown past 50 members becomes a general branch,
    /// ORG-04). The parent must be able to hold the new type and the new type its children; a temporary branch
    /// holds no members (LIFE-12).
    public func changeType(
        _ id: Int64, to newType: OrganisationType, approval: String, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        effectiveDate: CivilDate? = nil
    ) async throws -> Organisation {
        let effective = try checkEffective(effectiveDate)
        let approval = try Self.checkApproval(approval)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let current = try await Self.forChange(id, expectedVersion: expectedVersion, access: access, db: db)
            guard !current.isDissolved else { throw ValidationFailure(field: "org_type", message: "已撤销的组织不能调整类型") }
            if current.type == newType { return current }
            if let parentID = current.parentID, let parent = try await Self.find(parentID, access: .maintenance, db: db),
                !parent.type.mayContain(newType)
            {
                throw ValidationFailure(field: "org_type", message: "上级“\(parent.name)”（\(parent.type.displayName)）下不能设立\(newType.displayName)")
            }
            let children = try await db.raw("SELECT o.* FROM organisations o WHERE o.parent_id = \(bind: id) AND o.dissolved_at IS NULL").all().map(
                Self.decode)
            if let child = children.first(where: { !newType.mayContain($0.type) }) {
                throw ValidationFailure(field: "org_type", message: "下级“\(child.name)”是\(child.type.displayName)，\(newType.displayName)下不能设立，请先调整下级")
            }
            if newType == .temporaryBranch || newType == .partyGroup {
                let n =
                    try await db.raw("SELECT COUNT(*) AS n FROM members WHERE organisation_id = \(bind: id) AND deleted_at IS NULL").first()?.value(
                        "n", Int.self) ?? 0
                if n > 0 {
                    throw ValidationFailure(
                        field: "org_type", message: "本组织名册有 \(n) 名党员，\(newType.displayName)不接收党员组织关系",
                        ruleID: newType == .temporaryBranch ? RuleID.life12.code : nil)
                }
            }
            try await db.raw(
                """
                UPDATE organisations SET org_type = \(bind: newType.rawValue), updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: id)
                """
            ).run()
            let direction = newType.level > current.type.level ? "升格" : newType.level < current.type.level ? "降格" : "调整"
            try await Self.checkOrder(id, effective, db: db)
            try await Self.recordEvent(
                .retyped, organisationID: id, effective: effective, name: current.name, parentID: current.parentID, type: newType,
                note: "\(current.type.displayName)→\(newType.displayName)（\(direction)，\(approval)）", db: db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "organisation", objectID: String(id), organisationID: id,
                    summary: "组织“\(current.name)”\(direction)：\(current.type.displayName)→\(newType.displayName)（\(approval)）",
                    changes: [FieldChange(field: "org_type", old: current.type.displayName, new: newType.displayName)]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// What a merge moved.
    public struct MergeOutcome: Sendable {
        public var target: Organisation
        public var membersMoved: Int
        public var childrenMoved: Int
        public var unitsMoved: Int
    }

    /// Merges an organisation into another (合并): its members, units and active sub-organisations move to the
    /// target, and it ends with a 并入 event. Refused while a transfer of one of its members is in progress.
    public func merge(
        _ id: Int64, into targetID: Int64, approval: String, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        effectiveDate: CivilDate? = nil
    ) async throws -> MergeOutcome {
        let effective = try checkEffective(effectiveDate)
        let approval = try Self.checkApproval(approval)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let source = try await Self.forChange(id, expectedVersion: expectedVersion, access: access, db: db)
            guard let target = try await Self.find(targetID, access: access, db: db) else {
                throw AccessDenied(permission: access.permission, reason: "合并目标组织不在您的管理范围内")
            }
            guard !source.isDissolved, !target.isDissolved else {
                throw ValidationFailure(field: "target_id", message: "已撤销的组织不能合并")
            }
            guard source.parentID != nil else { throw ValidationFailure(field: "target_id", message: "顶级组织不能并入其他组织") }
            if source.id == target.id || target.path.contains(source.path) {
                throw ValidationFailure(field: "target_id", message: "不能并入本组织或其下级组织")
            }
            let children = try await db.raw(
                "SELECT o.* FROM organisations o WHERE o.parent_id = \(bind: id) AND o.dissolved_at IS NULL ORDER BY o.id"
            ).all().map(Self.decode)
            if let child = children.first(where: { !target.type.mayContain($0.type) }) {
                throw ValidationFailure(
                    field: "target_id", message: "下级“\(child.name)”是\(child.type.displayName)，不能设在\(target.type.displayName)“\(target.name)”之下")
            }
            let memberRows = try await db.raw("SELECT id FROM members WHERE organisation_id = \(bind: id) AND deleted_at IS NULL ORDER BY id").all()
            let memberIDs = try memberRows.map { try $0.value("id", Int64.self) }
            if !memberIDs.isEmpty && (target.type == .temporaryBranch || target.type == .partyGroup) {
                throw ValidationFailure(
                    field: "target_id", message: "\(target.type.displayName)不接收党员组织关系，不能把 \(memberIDs.count) 名党员并入",
                    ruleID: target.type == .temporaryBranch ? RuleID.life12.code : nil)
            }
            let pending =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM member_transfers WHERE status = 'pending' AND (from_org_id = \(bind: id) OR to_org_id = \(bind: id))
                    """
                ).first()?.value("n", Int.self) ?? 0
            if let refusal = MembershipIdentity.merging(pendingTransfers: pending) { throw refusal }
            try await Self.checkOrder(id, effective, db: db)
            try await Self.checkOrder(targetID, effective, db: db)
            for child in children {
                let fresh = try await Self.find(child.id, access: .maintenance, db: db).required("record", child.id)
                let freshTarget = try await Self.find(targetID, access: .maintenance, db: db).required("record", targetID)
                _ = try await Self.reparent(fresh, under: freshTarget, now: now, db: db)
                try await Self.recordEvent(
                    .moved, organisationID: child.id, effective: effective, name: child.name, parentID: targetID, type: child.type,
                    note: "随“\(source.name)”并入“\(target.name)”", db: db)
            }
            try await db.raw(
                """
                UPDATE members SET organisation_id = \(bind: targetID), updated_at = \(bind: now), version = version + 1
                WHERE organisation_id = \(bind: id) AND deleted_at IS NULL
                """
            ).run()
            let unitCount = try await db.raw("SELECT COUNT(*) AS n FROM units WHERE organisation_id = \(bind: id)").first()?.value("n", Int.self) ?? 0
            try await db.raw(
                "UPDATE units SET organisation_id = \(bind: targetID), updated_at = \(bind: now), version = version + 1 WHERE organisation_id = \(bind: id)"
            ).run()
            let reason = "并入“\(target.name)”（\(approval)）"
            try await db.raw(
                """
                UPDATE organisations SET dissolved_at = \(bind: now), dissolved_reason = \(bind: reason), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: id)
                """
            ).run()
            try await db.raw("UPDATE organisations SET version = version + 1, updated_at = \(bind: now) WHERE id = \(bind: targetID)").run()
            try await Self.recordEvent(
                .merged, organisationID: id, effective: effective, name: source.name, parentID: source.parentID, type: source.type, note: reason,
                db: db)
            try await Self.recordEvent(
                .absorbed, organisationID: targetID, effective: effective, name: target.name, parentID: target.parentID, type: target.type,
                note: "“\(source.name)”并入（\(approval)）", db: db)
            try await audit.append(
                AuditEvent(
                    action: .dissolve, objectType: "organisation", objectID: String(id), organisationID: id,
                    summary:
                        "组织“\(source.name)”并入“\(target.name)”：党员 \(memberIDs.count) 名、下级组织 \(children.count) 个、单位 \(unitCount) 个随之转入（\(approval)）",
                    changes: [
                        FieldChange(field: "dissolved_reason", old: nil, new: reason),
                        FieldChange(field: "member_ids", old: nil, new: memberIDs.map(String.init).joined(separator: ",")),
                        FieldChange(field: "child_ids", old: nil, new: children.map { String($0.id) }.joined(separator: ",")),
                    ]),
                by: actor, in: db, dialect: database.dialect)
            return MergeOutcome(
                target: try await Self.find(targetID, access: .maintenance, db: db).required("record", targetID), membersMoved: memberIDs.count,
                childrenMoved: children.count, unitsMoved: unitCount)
        }
    }

    /// Dissolves an organisation (撤销, soft): it stays in history but leaves lists. Refused while it still has
    /// organisations below it that are not dissolved.
    public func dissolve(
        _ id: Int64, reason: String, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        effectiveDate: CivilDate? = nil
    ) async throws -> Organisation {
        let effective = try checkEffective(effectiveDate)
        let reason = reason.trimmed
        guard !reason.isEmpty else { throw ValidationFailure(field: "reason", message: "请填写撤销原因（如上级批复文号）") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let current = try await Self.forChange(id, expectedVersion: expectedVersion, access: access, db: db)
            guard !current.isDissolved else { return current }
            let active = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM organisations WHERE parent_id = \(bind: id) AND dissolved_at IS NULL
                """
            ).first()
            let activeChildren = try active?.value("n", Int.self) ?? 0
            if activeChildren > 0 {
                throw ValidationFailure(field: "reason", message: "该组织下还有 \(activeChildren) 个未撤销的下级组织，请先划转或撤销它们")
            }
            try await db.raw(
                """
                UPDATE organisations SET dissolved_at = \(bind: now), dissolved_reason = \(bind: reason),
                    updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: id)
                """
            ).run()
            try await Self.checkOrder(id, effective, db: db)
            try await Self.recordEvent(
                .dissolved, organisationID: id, effective: effective, name: current.name, parentID: current.parentID, type: current.type,
                note: reason, db: db)
            try await audit.append(
                AuditEvent(
                    action: .dissolve, objectType: "organisation", objectID: String(id), organisationID: id,
                    summary: "撤销组织“\(current.name)”", changes: [FieldChange(field: "dissolved_reason", old: nil, new: reason)]
                ), by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
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
