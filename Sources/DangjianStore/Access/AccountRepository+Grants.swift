public import Foundation
public import DangjianDomain
import SQLKit

/// Role grants (角色授权): who may grant what, and revoking; separation of duties is checked here.
extension AccountRepository {
    /// Grants `role` to a user. Nobody can change their own roles; organisational roles need an organisation.
    public func grant(
        role: Role, to userID: Int64, organisationID: Int64?, scope: OrganisationScope?, actor: Actor
    ) async throws -> RoleAssignment {
        if actor.userID == userID { throw AccessDenied(permission: .rolesGrant, reason: "不能修改自己的角色") }
        if role.isOrganisational && organisationID == nil {
            throw ValidationFailure(field: "organisation_id", message: "\(role.displayName)角色必须指定所在组织")
        }
        let organisationID = role.isOrganisational ? organisationID : nil
        let scope = role.isOrganisational ? (scope ?? role.defaultScope) : .own
        let now = clock.now().epochSeconds
        guard let user = try await find(userID) else { throw RecordNotFound(objectType: "user", objectID: String(userID)) }
        try await database.write { db in
            if let organisationID {
                guard let org = try await OrganisationRepository.find(organisationID, access: .maintenance, db: db), !org.isDissolved else {
                    throw ValidationFailure(field: "organisation_id", message: "所选组织不存在或已撤销")
                }
            }
            let held = try await db.raw("SELECT role FROM role_assignments WHERE user_id = \(bind: userID) AND revoked_at IS NULL")
                .all().compactMap { Role(rawValue: try $0.value("role", String.self)) }
            if let conflict = role.conflict(with: held) { throw ValidationFailure(field: "role", message: conflict) }
            let existing = try await db.raw(
                """
                SELECT id FROM role_assignments WHERE user_id = \(bind: userID) AND role = \(bind: role.rawValue)
                AND revoked_at IS NULL AND \(organisationID == nil ? SQLQueryString("organisation_id IS NULL") : "organisation_id = \(bind: organisationID ?? 0)")
                """
            ).first()
            if existing != nil { throw ValidationFailure(field: "role", message: "该用户已在此组织拥有\(role.displayName)角色") }
            let id = try await db.insertReturningID(
                """
                INSERT INTO role_assignments (user_id, role, organisation_id, scope, granted_by, granted_at)
                VALUES (\(bind: userID), \(bind: role.rawValue), \(bind: organisationID), \(bind: scope.rawValue),
                    \(bind: actor.userID), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .roleGranted, objectType: "user", objectID: String(userID), organisationID: organisationID,
                    summary: "授予 \(user.username) \(role.displayName)角色（\(scope.displayName)）",
                    changes: [
                        FieldChange(
                            field: "role_assignment#\(id)", old: nil,
                            new: "\(role.rawValue)@\(organisationID.map(String.init) ?? "全局")/\(scope.rawValue)")
                    ]),
                by: actor, in: db, dialect: database.dialect)
        }
        return try await assignments(of: userID).first { $0.role == role && $0.organisationID == organisationID }
            .required("role_assignment", userID)
    }

    /// Revokes one grant. Nobody can revoke their own.
    public func revoke(assignmentID: Int64, actor: Actor) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM role_assignments WHERE id = \(bind: assignmentID) AND revoked_at IS NULL").first() else {
                throw RecordNotFound(objectType: "role_assignment", objectID: String(assignmentID))
            }
            let userID: Int64 = try row.value("user_id")
            if actor.userID == userID { throw AccessDenied(permission: .rolesGrant, reason: "不能修改自己的角色") }
            let role = Role(rawValue: try row.value("role"))
            try await db.raw(
                """
                UPDATE role_assignments SET revoked_at = \(bind: now), revoked_by = \(bind: actor.userID)
                WHERE id = \(bind: assignmentID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .roleRevoked, objectType: "user", objectID: String(userID),
                    organisationID: try row.optional("organisation_id"),
                    summary: "撤销\(role?.displayName ?? "未知")角色",
                    changes: [FieldChange(field: "role_assignment#\(assignmentID)", old: try row.value("role", String.self), new: nil)]),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}
