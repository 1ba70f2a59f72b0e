public import Foundation
public import DangjianDomain
import SQLKit

/// 为党员开通账户 (issue 17 item 18): an organisation worker creates, in one step, the accounts of the members of an
/// organisation who have none — each with a one-time password that must be changed at first sign-in, the 党员 role on
/// that organisation and the link to the member's record. Decision 0030: this narrow path is open to whoever may
/// write the roster; every other account stays with the 系统管理员 and every other role with the 安全管理员.
public struct MemberAccountProvisioning: Sendable {
    let database: Database
    let members: MemberRepository
    let accounts: AccountRepository

    /// One account made: shown once, with its one-time password.
    public struct Created: Sendable, Equatable {
        public var memberID: Int64
        public var memberName: String
        public var username: String
        public var oneTimePassword: String
    }

    public struct Outcome: Sendable {
        public var created: [Created]
        /// Members on the roster who already have an account.
        public var alreadyLinked: Int
        /// Members whose account could not be made, with why (e.g. a login name already taken).
        public var refused: [String]
    }

    /// The login name of a member's account: `dy` and the member's record number (no personal data in it).
    public static func username(for memberID: Int64) -> String { "dy\(memberID)" }

    /// Creates the accounts of the members of `organisationID`'s own roster who have none. Each account is made
    /// whole (account, role, link) or reported as refused; a member linked meanwhile by someone else is skipped.
    public func createAccounts(organisationID: Int64, access: OrganisationAccess, policy: PasswordPolicy, actor: Actor) async throws -> Outcome {
        let roster = try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            return try await db.raw(
                """
                SELECT m.id, m.name, CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id) THEN 1 ELSE 0 END AS linked FROM members m
                WHERE m.organisation_id = \(bind: org.id) AND m.deleted_at IS NULL
                AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) ORDER BY m.name, m.id
                """
            ).all().map {
                (id: try $0.value("id", Int64.self), name: try $0.value("name", String.self), linked: try $0.value("linked", Int.self) == 1)
            }
        }
        var outcome = Outcome(created: [], alreadyLinked: roster.filter(\.linked).count, refused: [])
        for member in roster where !member.linked {
            let username = Self.username(for: member.id)
            do {
                let made = try await accounts.create(
                    username: username, displayName: member.name, organisationID: organisationID, policy: policy, actor: actor)
                _ = try await accounts.grant(role: .member, to: made.user.id, organisationID: organisationID, scope: nil, actor: actor)
                try await members.linkAccount(username: username, toMember: member.id, access: access, actor: actor)
                outcome.created.append(
                    Created(memberID: member.id, memberName: member.name, username: username, oneTimePassword: made.oneTimePassword))
            } catch let failure as ValidationFailure {
                outcome.refused.append("\(member.name)：\(failure.message)")
            }
        }
        return outcome
    }
}

extension StoreServices {
    /// 为党员开通账户.
    public var memberAccounts: MemberAccountProvisioning {
        MemberAccountProvisioning(database: database, members: members, accounts: accounts)
    }
}
