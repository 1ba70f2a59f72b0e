public import Foundation
public import DangjianDomain
import SQLKit

/// Deployment settings that administrators change in the UI (the password policy for now), stored as JSON.
public struct SettingsRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    static let passwordPolicyKey = "password_policy"
    static let cache = ShortLivedCache<String?>(ttl: 5)

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// The stored password policy, or `fallback` when none was saved.
    public func passwordPolicy(fallback: PasswordPolicy) async throws -> PasswordPolicy {
        // Read on every signed-in request: a few seconds of cache (a save here clears it).
        let text = try await Self.cache.value("\(ObjectIdentifier(database))") {
            try await database.read { db in
                try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.passwordPolicyKey)").first()?.value("value", String.self)
            }
        }
        guard let text, let policy = try? JSONDecoder().decode(PasswordPolicy.self, from: Data(text.utf8)) else { return fallback }
        return policy
    }

    /// Saves the password policy (安全管理员 only; the route checks the permission).
    public func savePasswordPolicy(_ policy: PasswordPolicy, previous: PasswordPolicy, actor: Actor) async throws {
        if let failure = policy.outOfBounds { throw failure }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(policy), as: UTF8.self)
        let old = String(decoding: try encoder.encode(previous), as: UTF8.self)
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw("DELETE FROM settings WHERE key = \(bind: Self.passwordPolicyKey)").run()
            try await db.raw(
                """
                INSERT INTO settings (key, value, updated_at, updated_by)
                VALUES (\(bind: Self.passwordPolicyKey), \(bind: text), \(bind: now), \(bind: actor.userID))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .settingsChanged, objectType: "setting", objectID: Self.passwordPolicyKey,
                    summary: "修改口令与登录策略", changes: [FieldChange(field: "password_policy", old: old, new: text)]),
                by: actor, in: db, dialect: database.dialect)
        }
        Self.cache.removeAll()
    }
}

/// A lease-based lock in the database so that, with several servers, one runs a scheduled job at a time.
public struct JobLock: Sendable {
    let database: Database
    let clock: any WallClock

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Takes or renews the lease `name` for `holder` for `seconds`; false when another holder has it.
    public func acquire(_ name: String, holder: String, seconds: Int) async throws -> Bool {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            if let row = try await db.raw("SELECT holder, expires_at FROM job_locks WHERE name = \(bind: name)").first() {
                let currentHolder: String = try row.value("holder")
                let expires: Int64 = try row.value("expires_at")
                guard currentHolder == holder || expires <= now else { return false }
                try await db.raw(
                    "UPDATE job_locks SET holder = \(bind: holder), expires_at = \(bind: now + Int64(seconds)) WHERE name = \(bind: name)"
                ).run()
            } else {
                try await db.raw(
                    "INSERT INTO job_locks (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: now + Int64(seconds)))"
                ).run()
            }
            return true
        }
    }
}
