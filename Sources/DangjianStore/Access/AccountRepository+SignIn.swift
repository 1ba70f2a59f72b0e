public import Foundation
public import DangjianDomain
import SQLKit
import HummingbirdBcrypt
import Crypto

/// Signing in (登录): throttling per address, the lockout rule, and the proofs a signed-in user gives again.
extension AccountRepository {
    /// Signs a person in, applying per-address throttling, the lockout rule and the expiry of one-time passwords.
    ///
    /// Every decision is taken from what a write transaction has just counted, never from a value read before
    /// bcrypt ran (issue 15, H2): the attempt is recorded against its address first and the address's attempts
    /// counted in the same transaction; a wrong password increments the account's count in the database and the
    /// lock follows from the incremented value; a right password is accepted only by an update that finds the
    /// account still unlocked.
    public func signIn(username: String, password: String, policy: PasswordPolicy, actor: Actor) async throws -> SignInOutcome {
        let key = User.normaliseUsername(username)
        let now = clock.now()
        guard let attempt = try await reserveAttempt(key: key, actor: actor, now: now) else {
            try await audit.record(
                AuditEvent(
                    action: .loginThrottled, objectType: "session", objectID: Self.auditName(key), succeeded: false,
                    summary: "来自 \(actor.ip) 的登录失败次数过多，已限流"), by: actor, database: database)
            return .throttled
        }
        let user = try await find(username: key)
        // Always run bcrypt so unknown and known names take the same time.
        let passwordMatches = try await PasswordHashing.verify(password, hash: try await passwordHash(of: user?.id) ?? dummyHash)
        guard let user else {
            try await recordFailure(userID: nil, key: key, reason: "账户不存在", actor: actor)
            return .failure
        }
        if user.disabledAt != nil {
            try await recordFailure(userID: user.id, key: key, reason: "账户已停用", actor: actor)
            return .failure
        }
        if user.isLocked(at: now) {
            try await recordFailure(userID: user.id, key: key, reason: "账户处于锁定期", actor: actor)
            return .failure
        }
        if !passwordMatches {
            try await recordWrongPassword(user, policy: policy, actor: actor, now: now)
            return .failure
        }
        if user.mustChangePassword, let expires = user.initialPasswordExpiresAt, expires <= now {
            try await recordFailure(userID: user.id, key: key, reason: "初始密码已过期，请联系管理员重置", actor: actor)
            return .failure
        }
        let accepted = try await database.write { db -> Bool in
            // Accepted only if no concurrent attempt has locked or disabled the account since it was read.
            let row = try await db.raw(
                """
                UPDATE users SET failed_count = 0, locked_until = NULL, last_failed_at = NULL,
                    previous_login_at = last_login_at, previous_login_ip = last_login_ip,
                    last_login_at = \(bind: now.epochSeconds), last_login_ip = \(bind: actor.ip)
                WHERE id = \(bind: user.id) AND locked_permanently = 0 AND disabled_at IS NULL
                AND (locked_until IS NULL OR locked_until <= \(bind: now.epochSeconds))
                RETURNING id
                """
            ).first()
            guard row != nil else { return false }
            // A successful sign-in is not a failure of its address.
            try await db.raw("DELETE FROM login_failures WHERE id = \(bind: attempt)").run()
            try await audit.append(
                AuditEvent(
                    action: .loginSucceeded, objectType: "user", objectID: String(user.id), organisationID: user.organisationID,
                    summary: "登录成功"), by: actor.signingIn(userID: user.id, username: user.username), in: db, dialect: database.dialect)
            return true
        }
        guard accepted else {
            try await recordFailure(userID: user.id, key: key, reason: "账户处于锁定期", actor: actor)
            return .failure
        }
        return .success(try await find(user.id) ?? user)
    }

    /// Records the attempt against its address and counts the address's attempts in the window, in one
    /// transaction (serialised per address on PostgreSQL): the id of the recorded attempt, or nil when the address
    /// is over the limit (nothing kept).
    private func reserveAttempt(key: String, actor: Actor, now: Date) async throws -> Int64? {
        let since = now.addingTimeInterval(-throttleWindow).epochSeconds
        return try await database.write { db -> Int64? in
            if database.dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "login:" + actor.ip)))").run()
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO login_failures (ip, username_key, at) VALUES (\(bind: actor.ip), \(bind: Self.auditName(key)), \(bind: now.epochSeconds))
                """)
            let count =
                try await db.raw("SELECT COUNT(*) AS n FROM login_failures WHERE ip = \(bind: actor.ip) AND at >= \(bind: since)")
                .first()?.value("n", Int.self) ?? 0
            if count > throttleLimit {
                try await db.raw("DELETE FROM login_failures WHERE id = \(bind: id)").run()
                return nil
            }
            return id
        }
    }

    /// A wrong password: the account's count goes up in the database (decayed when the previous failure is older
    /// than the lock period, L3) and the lock is decided from the value the update returns.
    private func recordWrongPassword(_ user: User, policy: PasswordPolicy, actor: Actor, now: Date, what: String = "密码错误") async throws {
        let lockSeconds = Int64((policy.lockoutMinutes ?? 30) * 60)
        let decaySince = now.epochSeconds - lockSeconds
        try await database.write { db in
            let row = try await db.raw(
                """
                UPDATE users SET
                    failed_count = CASE WHEN last_failed_at IS NULL OR last_failed_at < \(bind: decaySince) THEN 1 ELSE failed_count + 1 END,
                    last_failed_at = \(bind: now.epochSeconds)
                WHERE id = \(bind: user.id)
                RETURNING failed_count
                """
            ).first()
            let failures = Int(try row?.value("failed_count", Int64.self) ?? 1)
            var locked = false
            if failures >= policy.lockoutThreshold {
                let lock: SQLQueryString =
                    policy.lockoutMinutes == nil
                    ? "locked_permanently = 1"
                    : "locked_until = \(bind: now.epochSeconds + lockSeconds)"
                // Only an account not already locked gets a (new) lock: concurrent failures do not extend it.
                locked =
                    try await db.raw(
                        """
                        UPDATE users SET \(lock) WHERE id = \(bind: user.id) AND locked_permanently = 0
                        AND (locked_until IS NULL OR locked_until <= \(bind: now.epochSeconds)) RETURNING id
                        """
                    ).first() != nil
            }
            try await audit.append(
                AuditEvent(
                    action: .loginFailed, objectType: "user", objectID: String(user.id), organisationID: user.organisationID,
                    succeeded: false, summary: "登录失败：\(what)（连续第 \(failures) 次）"), by: actor.attempting(user.username), in: db,
                dialect: database.dialect)
            if locked {
                try await audit.append(
                    AuditEvent(
                        action: .accountLocked, objectType: "user", objectID: String(user.id), organisationID: user.organisationID,
                        succeeded: true,
                        summary: policy.lockoutMinutes == nil
                            ? "连续 \(failures) 次登录失败，账户已锁定，需管理员解锁"
                            : "连续 \(failures) 次登录失败，账户锁定 \(policy.lockoutMinutes ?? 0) 分钟"),
                    by: actor.attempting(user.username), in: db, dialect: database.dialect)
            }
        }
    }

    /// A wrong second factor or a wrong password at step-up counts like a wrong password (issue 15, H6): the same
    /// count, the same lock. Whether the account is now locked.
    public func recordFailedProof(userID: Int64, what: String, policy: PasswordPolicy, actor: Actor) async throws -> Bool {
        guard let user = try await find(userID) else { return true }
        let now = clock.now()
        try await recordWrongPassword(user, policy: policy, actor: actor, now: now, what: what)
        return (try await find(userID))?.isLocked(at: now) ?? true
    }

    /// Step-up by password for a user without a second factor: whether `password` is theirs. A wrong one counts
    /// towards the lock.
    public func confirmPassword(userID: Int64, password: String, policy: PasswordPolicy, actor: Actor) async throws -> Bool {
        guard let user = try await find(userID), !user.isLocked(at: clock.now()), user.disabledAt == nil else { return false }
        let matches = try await PasswordHashing.verify(password, hash: try await passwordHash(of: user.id) ?? dummyHash)
        if !matches { _ = try await recordFailedProof(userID: userID, what: "二次验证密码错误", policy: policy, actor: actor) }
        return matches
    }

    /// How a typed login name appears in the audit and the throttle table: only as a short hash, since the text may
    /// be a password typed into the wrong box (issue 15, info); a known account is named by its id instead.
    static func auditName(_ key: String) -> String {
        let digest = SHA256.hash(data: Data(key.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "未知用户#" + digest
    }
}
