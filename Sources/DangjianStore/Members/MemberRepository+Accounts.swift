public import Foundation
public import DangjianDomain
import SQLKit

extension MemberRepository {
    /// Links a sign-in account to a member record so the person sees their own record (党员 role). Only an account
    /// holding the 党员 role at the member's organisation can be linked; the caller needs write access to the member.
    /// Refuses an account whose name differs from the member's unless `confirmingNameDifference` (the linking user
    /// checked it is the same person, `AccountLink`).
    public func linkAccount(
        username: String, toMember id: Int64, confirmingNameDifference: Bool = false, access: OrganisationAccess, actor: Actor
    ) async throws {
        let key = User.normaliseUsername(username)
        try await database.write { db in
            guard let member = try await Self.find(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            // Issue 15, L6: one answer whether the name is no account or an account without this organisation's
            // 党员 role, so the form cannot be used to find out which login names exist.
            let user = try await db.raw(
                """
                SELECT u.id, u.display_name FROM users u JOIN role_assignments r ON r.user_id = u.id
                WHERE u.username = \(bind: key) AND r.role = \(bind: Role.member.rawValue) AND r.organisation_id = \(bind: member.organisationID) AND r.revoked_at IS NULL
                """
            ).first()
            guard let user else {
                throw ValidationFailure(field: "username", message: "“\(key)”不是本党组织的党员账户：请核对登录名；新账户请系统管理员开通，并请安全管理员授予本党组织的“党员”角色")
            }
            let userID: Int64 = try user.value("id")
            let accountName: String = try user.value("display_name")
            let agree = AccountLink.namesAgree(accountName: accountName, memberName: member.name)
            if !agree && !confirmingNameDifference {
                throw AccountLink.nameDifference(username: key, accountName: accountName, memberName: member.name)
            }
            try await db.raw("UPDATE users SET member_id = \(bind: id), version = version + 1 WHERE id = \(bind: userID)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "user", objectID: String(userID), organisationID: member.organisationID,
                    summary: "账户 \(key) 关联党员 \(Masking.name(member.name))\(agree ? "" : "（姓名不一致，已核实是本人）")",
                    changes: [FieldChange(field: "member_id", old: nil, new: String(id))]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// What linking accounts in bulk did.
    public struct AccountLinking: Sendable, Equatable {
        /// "登录名 → 姓名" for each link made.
        public var linked: [String]
        /// Accounts whose name matches more than one member on the roster (link these one by one).
        public var ambiguous: [String]
        /// Accounts whose name matches nobody on the roster.
        public var unmatched: [String]
    }

    /// Links, in one go, every account that holds the 党员 role on `organisationID`, is not yet linked, and whose
    /// display name is the name of exactly one member of that organisation's roster not yet linked to an account.
    /// Ambiguous and unmatched accounts are listed, never guessed.
    public func linkAccountsByName(organisationID: Int64, access: OrganisationAccess, actor: Actor) async throws -> AccountLinking {
        try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let accounts = try await db.raw(
                """
                SELECT DISTINCT u.id, u.username, u.display_name FROM users u JOIN role_assignments r ON r.user_id = u.id
                WHERE r.role = \(bind: Role.member.rawValue) AND r.organisation_id = \(bind: org.id) AND r.revoked_at IS NULL AND u.member_id IS NULL
                ORDER BY u.username
                """
            ).all()
            let roster = try await db.raw(
                """
                SELECT m.id, m.name FROM members m WHERE m.organisation_id = \(bind: org.id) AND m.deleted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM users x WHERE x.member_id = m.id)
                """
            ).all()
            var byName: [String: [Int64]] = [:]
            for row in roster { byName[try row.value("name", String.self), default: []].append(try row.value("id")) }
            var result = AccountLinking(linked: [], ambiguous: [], unmatched: [])
            var taken = Set<Int64>()
            for account in accounts {
                let userID: Int64 = try account.value("id")
                let username: String = try account.value("username")
                let name = (try account.value("display_name", String.self)).trimmed
                let candidates = (byName[name] ?? []).filter { !taken.contains($0) }
                guard !candidates.isEmpty else { result.unmatched.append("\(username)（\(name)）"); continue }
                guard candidates.count == 1 else { result.ambiguous.append("\(username)（\(name)，名册中有 \(candidates.count) 人同名）"); continue }
                let memberID = candidates[0]
                taken.insert(memberID)
                try await db.raw("UPDATE users SET member_id = \(bind: memberID), version = version + 1 WHERE id = \(bind: userID)").run()
                try await audit.append(
                    AuditEvent(
                        action: .update, objectType: "user", objectID: String(userID), organisationID: org.id,
                        summary: "账户 \(username) 按姓名批量关联党员 \(Masking.name(name))",
                        changes: [FieldChange(field: "member_id", old: nil, new: String(memberID))]),
                    by: actor, in: db, dialect: database.dialect)
                result.linked.append("\(username) → \(name)")
            }
            return result
        }
    }

    /// The member record linked to an account, if any (for the person's own page).
    public func linkedMember(userID: Int64) async throws -> MemberRecord? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT member_id FROM users WHERE id = \(bind: userID)").first(),
                let memberID = try row.optional("member_id", Int64.self)
            else { return nil }
            return try await Self.find(memberID, access: .maintenance, db: db)
        }
    }
}
