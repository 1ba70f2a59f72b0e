public import Foundation
public import DangjianDomain
import SQLKit

/// 组织调整: changing an organisation's type, merging and dissolving (moved out of OrganisationRepository.swift).
extension OrganisationRepository {
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
                    SELECT COUNT(*) AS n FROM member_transfers WHERE status = \(bind: MemberTransfer.Status.pending.rawValue) AND (from_org_id = \(bind: id) OR to_org_id = \(bind: id))
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
}
