public import Foundation
public import DangjianDomain
import SQLKit
import HummingbirdBcrypt
import Crypto

/// What a sign-in attempt came to. Every failure looks the same to the person signing in.
public enum SignInOutcome: Sendable, Equatable {
    case success(User)
    /// Wrong name, wrong password, locked or disabled: one generic message for all (no user enumeration).
    case failure
    /// Too many failures from this address recently (per-IP throttling, HTTP 429).
    case throttled
}

/// Accounts, passwords, lockout and per-address throttling.
public struct AccountRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let hashCost: UInt8
    /// Failed sign-ins from one address within `throttleWindow` before further attempts are refused.
    public var throttleLimit: Int = 20
    public var throttleWindow: TimeInterval = 15 * 60
    // A real bcrypt hash of a random string: unknown users cost the same time as known ones.
    let dummyHash: String

    public init(database: Database, audit: AuditTrail, clock: any WallClock, hashCost: UInt8) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.hashCost = hashCost
        dummyHash = Bcrypt.hash(RandomToken.make(bytes: 12), cost: hashCost)
    }

    // MARK: reading

    public func find(_ id: Int64) async throws -> User? {
        try await database.read { db in
            try await db.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    public func find(username: String) async throws -> User? {
        let key = User.normaliseUsername(username)
        return try await database.read { db in
            try await db.raw("SELECT * FROM users WHERE username = \(bind: key)").first().map(Self.decode)
        }
    }

    /// All accounts, by login name (account management pages; names only, no member personal data).
    public func all() async throws -> [User] {
        try await database.read { db in
            try await db.raw("SELECT * FROM users ORDER BY username").all().map(Self.decode)
        }
    }

    /// How many accounts exist.
    public func count() async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.value("n", Int.self) ?? 0
        }
    }

    /// The user's active grants with their anchors' paths.
    public func principal(for user: User) async throws -> Principal {
        let grants = try await assignments(of: user.id)
        return Principal(userID: user.id, username: user.username, displayName: user.displayName, assignments: grants)
    }

    /// Active role grants of a user.
    public func assignments(of userID: Int64) async throws -> [RoleAssignment] {
        try await database.read { db in try await Self.assignments(of: userID, db: db) }
    }

    /// The session's account and its principal in one connection checkout: every signed-in request needs them.
    public func signedIn(sessionToken token: String) async throws -> (session: SessionRecord, user: User, principal: Principal)? {
        // One statement for every request's identity: the session, its user and the user's live role assignments
        // (one row per assignment, the user's columns repeated) — a round trip fewer on PostgreSQL.
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT s.csrf_token AS s_csrf_token, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at,
                    s.second_factor_at AS s_second_factor_at, s.step_up_at AS s_step_up_at, s.notices_since AS s_notices_since, u.*,
                    r.id AS r_id, r.role AS r_role, r.organisation_id AS r_organisation_id, r.scope AS r_scope, o.path AS r_path
                FROM sessions s JOIN users u ON u.id = s.user_id
                LEFT JOIN role_assignments r ON r.user_id = u.id AND r.revoked_at IS NULL
                LEFT JOIN organisations o ON o.id = r.organisation_id
                WHERE s.token_hash = \(bind: RandomToken.hash(token)) ORDER BY r.id
                """
            ).all()
        }
        guard let row = rows.first else { return nil }
        let user = try Self.decode(row)
        let session = SessionRecord(
            userID: user.id, csrfToken: try row.value("s_csrf_token"), createdAt: Date(epochSeconds: try row.value("s_created_at")),
            lastSeenAt: Date(epochSeconds: try row.value("s_last_seen_at")),
            secondFactorAt: try row.optional("s_second_factor_at", Int64.self).map { Date(epochSeconds: $0) },
            stepUpAt: try row.optional("s_step_up_at", Int64.self).map { Date(epochSeconds: $0) },
            noticesSince: try row.optional("s_notices_since", Int64.self).map { Date(epochSeconds: $0) })
        let assignments = try rows.compactMap { try Self.assignment($0, userID: user.id) }
        return (session, user, Principal(userID: user.id, username: user.username, displayName: user.displayName, assignments: assignments))
    }

    static func assignments(of userID: Int64, db: any SQLDatabase) async throws -> [RoleAssignment] {
        let rows = try await db.raw(
            """
            SELECT r.id AS r_id, r.role AS r_role, r.organisation_id AS r_organisation_id, r.scope AS r_scope, o.path AS r_path
            FROM role_assignments r LEFT JOIN organisations o ON o.id = r.organisation_id
            WHERE r.user_id = \(bind: userID) AND r.revoked_at IS NULL ORDER BY r.id
            """
        ).all()
        return try rows.compactMap { try assignment($0, userID: userID) }
    }

    /// A live role assignment from columns `r_id`, `r_role`, `r_organisation_id`, `r_scope`, `r_path`; nil when the
    /// row has none (an outer join) or names a role this version does not know.
    static func assignment(_ row: any SQLRow, userID: Int64) throws -> RoleAssignment? {
        guard let id = try row.optional("r_id", Int64.self), let role = Role(rawValue: try row.value("r_role")) else { return nil }
        return RoleAssignment(
            id: id, userID: userID, role: role, organisationID: try row.optional("r_organisation_id"),
            organisationPath: try row.optional("r_path", String.self).flatMap(MaterialisedPath.init),
            scope: OrganisationScope(rawValue: try row.value("r_scope")) ?? .own)
    }

    // MARK: creating and changing accounts

    /// Creates an account with a one-time password, which is returned once and must be changed at first sign-in.
    public func create(
        username: String, displayName: String, organisationID: Int64?, policy: PasswordPolicy, actor: Actor
    ) async throws -> (user: User, oneTimePassword: String) {
        let key = User.normaliseUsername(username)
        if let problem = User.validateUsername(key) { throw problem }
        if let problem = User.validateDisplayName(displayName) { throw problem }
        let displayName = displayName.trimmed
        let oneTime = Self.generateOneTimePassword()
        let hash = try await PasswordHashing.hash(oneTime, cost: hashCost)
        let now = clock.now()
        let expires = now.addingTimeInterval(TimeInterval(policy.initialPasswordValidHours * 3600))
        let user = try await database.write { db in
            // Two creations of one login name at once (two workers opening their members' accounts): the second waits
            // and is told the name is taken, instead of failing on the unique index (SQLite serialises writes anyway).
            if database.dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "username:" + key)))").run()
            }
            if try await db.raw("SELECT id FROM users WHERE username = \(bind: key)").first() != nil {
                throw ValidationFailure(field: "username", message: "登录名“\(key)”已被使用")
            }
            if let organisationID,
                try await db.raw("SELECT id FROM organisations WHERE id = \(bind: organisationID)").first() == nil
            {
                throw ValidationFailure(field: "organisation_id", message: "所属组织不存在")
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO users (username, display_name, password_hash, password_changed_at, must_change_password,
                    initial_password_expires_at, organisation_id, created_at, updated_at)
                VALUES (\(bind: key), \(bind: displayName), \(bind: hash), \(bind: now.epochSeconds), 1,
                    \(bind: expires.epochSeconds), \(bind: organisationID), \(bind: now.epochSeconds), \(bind: now.epochSeconds))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "user", objectID: String(id), organisationID: organisationID,
                    summary: "新建账户 \(key)（\(displayName)）",
                    changes: [
                        FieldChange(field: "username", old: nil, new: key),
                        FieldChange(field: "display_name", old: nil, new: displayName),
                        FieldChange(field: "password", old: nil, new: "******"),
                    ]
                ), by: actor, in: db, dialect: database.dialect)
            return try await db.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.decode).required("user", id)
        }
        return (user, oneTime)
    }

    /// Whether the password has passed the policy's maximum age.
    public func passwordExpired(_ user: User, policy: PasswordPolicy) -> Bool {
        guard let days = policy.maxAgeDays else { return false }
        return clock.now().timeIntervalSince(user.passwordChangedAt) > TimeInterval(days * 86_400)
    }

    /// Changes the user's own password after checking the current one, the policy and the history.
    public func changePassword(
        userID: Int64, current: String, new: String, policy: PasswordPolicy, actor: Actor
    ) async throws {
        guard let user = try await find(userID), let hash = try await passwordHash(of: userID) else {
            throw RecordNotFound(objectType: "user", objectID: String(userID))
        }
        guard try await PasswordHashing.verify(current, hash: hash) else {
            throw ValidationFailure(field: "current_password", message: "当前密码不正确")
        }
        if current == new { throw ValidationFailure(field: "new_password", message: "新密码不能与当前密码相同") }
        let problems = policy.problems(password: new, username: user.username, personalNames: [user.displayName])
        if let first = problems.first {
            throw ValidationFailure(field: "new_password", message: problems.count == 1 ? first : problems.joined(separator: "；"))
        }
        if policy.historyCount > 0 {
            let previous = try await database.read { db in
                try await db.raw(
                    """
                    SELECT password_hash FROM password_history WHERE user_id = \(bind: userID)
                    ORDER BY id DESC LIMIT \(literal: policy.historyCount)
                    """
                ).all().map { try $0.value("password_hash", String.self) }
            }
            if try await PasswordHashing.matchesAny(new, hashes: previous) {
                throw ValidationFailure(field: "new_password", message: "新密码不能与最近 \(policy.historyCount) 次使用过的密码相同")
            }
        }
        let newHash = try await PasswordHashing.hash(new, cost: hashCost)
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw(
                "INSERT INTO password_history (user_id, password_hash, created_at) VALUES (\(bind: userID), \(bind: hash), \(bind: now))"
            ).run()
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: newHash), password_changed_at = \(bind: now),
                    must_change_password = 0, initial_password_expires_at = NULL, updated_at = \(bind: now),
                    version = version + 1
                WHERE id = \(bind: userID)
                """
            ).run()
            // A changed password ends the access tokens made under the old one (issue 15, M3).
            let revoked = try await APITokenRepository.revokeAll(userID: userID, at: now, db: db)
            try await audit.append(
                AuditEvent(
                    action: .passwordChanged, objectType: "user", objectID: String(userID), organisationID: user.organisationID,
                    summary: "修改本人密码" + (revoked > 0 ? "，吊销访问令牌 \(revoked) 个" : ""),
                    changes: [FieldChange(field: "password", old: "******", new: "******")]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// 三员分立 (issue 15, M1): an account holding one of the three administrator roles is reset or disabled only at
    /// the server's console (`dangjian admin reset-password`, audited), never from a web page — otherwise the
    /// 系统管理员 could reset the 审计管理员's password and sign in as the auditor.
    func refuseWebChangeOfSeparatedAdministrator(_ userID: Int64, actor: Actor, what: String) async throws {
        guard actor.userID != nil else { return }
        if try await assignments(of: userID).contains(where: { $0.role.isSeparatedAdministrator }) {
            throw AccessDenied(permission: .usersManage, reason: "三员账户（系统、安全、审计管理员）不能在网页上\(what)，请由运维人员在服务器上使用 dangjian admin 命令办理（等保三员分立）")
        }
    }

    /// Issues a new one-time password (must be changed at next sign-in), unlocks the account and ends its sessions.
    public func resetPassword(userID: Int64, policy: PasswordPolicy, actor: Actor) async throws -> String {
        guard let user = try await find(userID) else { throw RecordNotFound(objectType: "user", objectID: String(userID)) }
        try await refuseWebChangeOfSeparatedAdministrator(userID, actor: actor, what: "重置密码")
        let oneTime = Self.generateOneTimePassword()
        let hash = try await PasswordHashing.hash(oneTime, cost: hashCost)
        let now = clock.now()
        let expires = now.addingTimeInterval(TimeInterval(policy.initialPasswordValidHours * 3600)).epochSeconds
        try await database.write { db in
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = 1,
                    initial_password_expires_at = \(bind: expires), failed_count = 0, locked_until = NULL,
                    locked_permanently = 0, password_changed_at = \(bind: now.epochSeconds),
                    updated_at = \(bind: now.epochSeconds), version = version + 1
                WHERE id = \(bind: userID)
                """
            ).run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
            let revoked = try await APITokenRepository.revokeAll(userID: userID, at: now.epochSeconds, db: db)
            try await audit.append(
                AuditEvent(
                    action: .passwordReset, objectType: "user", objectID: String(userID), organisationID: user.organisationID,
                    summary: "为 \(user.username) 重置密码（须在首次登录时修改）" + (revoked > 0 ? "，吊销访问令牌 \(revoked) 个" : ""),
                    changes: [FieldChange(field: "password", old: "******", new: "******")]),
                by: actor, in: db, dialect: database.dialect)
        }
        return oneTime
    }

    /// Lifts a lockout.
    public func unlock(userID: Int64, actor: Actor) async throws {
        guard let user = try await find(userID) else { throw RecordNotFound(objectType: "user", objectID: String(userID)) }
        try await database.write { db in
            try await db.raw(
                """
                UPDATE users SET failed_count = 0, locked_until = NULL, locked_permanently = 0, version = version + 1
                WHERE id = \(bind: userID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .accountUnlocked, objectType: "user", objectID: String(userID), organisationID: user.organisationID,
                    summary: "解除 \(user.username) 的登录锁定",
                    changes: [FieldChange(field: "failed_count", old: String(user.failedCount), new: "0")]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Disables or re-enables an account; disabling ends its sessions and API tokens stop working.
    public func setDisabled(userID: Int64, disabled: Bool, actor: Actor) async throws {
        guard let user = try await find(userID) else { throw RecordNotFound(objectType: "user", objectID: String(userID)) }
        if actor.userID == userID { throw AccessDenied(permission: .usersManage, reason: "不能停用自己的账户") }
        try await refuseWebChangeOfSeparatedAdministrator(userID, actor: actor, what: disabled ? "停用" : "启用")
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw(
                """
                UPDATE users SET disabled_at = \(bind: disabled ? now : nil), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: userID)
                """
            ).run()
            if disabled { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run() }
            try await audit.append(
                AuditEvent(
                    action: disabled ? .userDisabled : .userEnabled, objectType: "user", objectID: String(userID),
                    organisationID: user.organisationID, summary: (disabled ? "停用账户 " : "启用账户 ") + user.username,
                    changes: [FieldChange(field: "disabled", old: user.disabledAt == nil ? "否" : "是", new: disabled ? "是" : "否")]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    // MARK: helpers

    func passwordHash(of userID: Int64?) async throws -> String? {
        guard let userID else { return nil }
        return try await database.read { db in
            try await db.raw("SELECT password_hash FROM users WHERE id = \(bind: userID)").first()?.value("password_hash", String.self)
        }
    }

    /// Audits a refused sign-in (the attempt itself was counted against its address by `reserveAttempt`).
    func recordFailure(userID: Int64?, key: String, reason: String, actor: Actor) async throws {
        try await database.write { db in
            try await audit.append(
                AuditEvent(
                    action: .loginFailed, objectType: "user", objectID: userID.map(String.init) ?? Self.auditName(key), succeeded: false,
                    summary: "登录失败：\(reason)"), by: userID == nil ? actor : actor.attempting(key), in: db, dialect: database.dialect)
        }
    }

    /// A one-time password that itself satisfies every preset policy: 16 characters, four classes.
    static func generateOneTimePassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), lower = Array("abcdefghijkmnpqrstuvwxyz")
        let digits = Array("23456789"), symbols = Array("@#%+=?")
        let all = upper + lower + digits + symbols
        var rng = SystemRandomNumberGenerator()
        // Index draws from non-empty literal alphabets: no optional to unwrap.
        func pick(_ alphabet: [Character]) -> Character { alphabet[Int.random(in: alphabet.indices, using: &rng)] }
        var chars = [pick(upper), pick(lower), pick(digits), pick(symbols)]
        while chars.count < 16 { chars.append(pick(all)) }
        return String(chars.shuffled(using: &rng))
    }

    static func decode(_ row: any SQLRow) throws -> User {
        var user = User(
            id: try row.value("id"), username: try row.value("username"), displayName: try row.value("display_name"),
            organisationID: try row.optional("organisation_id"),
            mustChangePassword: try row.value("must_change_password", Int64.self) != 0,
            passwordChangedAt: Date(epochSeconds: try row.value("password_changed_at")),
            initialPasswordExpiresAt: try row.optional("initial_password_expires_at", Int64.self).map(Date.init(epochSeconds:)),
            failedCount: Int(try row.value("failed_count", Int64.self)),
            lockedUntil: try row.optional("locked_until", Int64.self).map(Date.init(epochSeconds:)),
            lockedPermanently: try row.value("locked_permanently", Int64.self) != 0,
            disabledAt: try row.optional("disabled_at", Int64.self).map(Date.init(epochSeconds:)),
            lastLoginAt: try row.optional("last_login_at", Int64.self).map(Date.init(epochSeconds:)),
            version: try row.value("version"))
        user.previousLoginAt = try row.optional("previous_login_at", Int64.self).map(Date.init(epochSeconds:))
        user.previousLoginIP = try row.optional("previous_login_ip", String.self)
        return user
    }
}

extension AccountRepository {
    /// Sets a known password without forcing a change — only for the generated demo accounts (`dangjian demo`),
    /// whose passwords are random per start and printed to the operator's console.
    public func setDemoPassword(userID: Int64, password: String, actor: Actor) async throws {
        let hash = try await PasswordHashing.hash(password, cost: hashCost)
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = 0, initial_password_expires_at = NULL,
                    failed_count = 0, locked_until = NULL, locked_permanently = 0, password_changed_at = \(bind: now),
                    updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: userID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .passwordReset, objectType: "user", objectID: String(userID), summary: "演示账户密码重新生成",
                    changes: [FieldChange(field: "password", old: "******", new: "******")]),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}
