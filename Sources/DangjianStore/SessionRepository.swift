public import Foundation
public import DangjianDomain
import SQLKit

/// A signed-in browser session, stored in the database so several servers share it.
public struct SessionRecord: Sendable, Equatable {
    public var userID: Int64
    /// Synchronizer token for CSRF protection, compared on every state-changing request.
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
}

/// Server-side sessions. Only the SHA-256 of a session token is stored; the token lives in the cookie.
public struct SessionRepository: Sendable {
    let database: Database
    let clock: any WallClock

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Starts a session and returns its new token (a fresh id at every sign-in: no session fixation).
    public func start(userID: Int64, ip: String, userAgent: String) async throws -> (token: String, record: SessionRecord) {
        let token = RandomToken.make(bytes: 32)
        let csrf = RandomToken.make(bytes: 32)
        let now = clock.now()
        try await database.write { db in
            try await db.raw("""
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
                VALUES (\(bind: RandomToken.hash(token)), \(bind: userID), \(bind: csrf), \(bind: now.epochSeconds),
                    \(bind: now.epochSeconds), \(bind: ip), \(bind: String(userAgent.prefix(300))))
                """).run()
        }
        return (token, SessionRecord(userID: userID, csrfToken: csrf, createdAt: now, lastSeenAt: now))
    }

    /// The session for a cookie token, or nil.
    public func find(token: String) async throws -> SessionRecord? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM sessions WHERE token_hash = \(bind: RandomToken.hash(token))").first() else {
                return nil
            }
            return SessionRecord(
                userID: try row.value("user_id"), csrfToken: try row.value("csrf_token"),
                createdAt: Date(epochSeconds: try row.value("created_at")),
                lastSeenAt: Date(epochSeconds: try row.value("last_seen_at")))
        }
    }

    /// Marks activity (at most once a minute, to spare writes).
    public func touch(token: String, record: SessionRecord) async throws {
        let now = clock.now()
        guard now.timeIntervalSince(record.lastSeenAt) >= 60 else { return }
        try await database.write { db in
            try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now.epochSeconds) WHERE token_hash = \(bind: RandomToken.hash(token))").run()
        }
    }

    /// Ends one session.
    public func end(token: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: RandomToken.hash(token))").run()
        }
    }

    /// Ends every session of a user except, optionally, one.
    public func endAll(userID: Int64, except token: String? = nil) async throws {
        try await database.write { db in
            if let token {
                try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND token_hash <> \(bind: RandomToken.hash(token))").run()
            } else {
                try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
            }
        }
    }

    /// How many sessions the user has open.
    public func count(userID: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: userID)").first()?.value("n", Int.self) ?? 0
        }
    }

    /// Deletes sessions idle longer than `idle` or older than `absolute`.
    public func purgeExpired(idle: TimeInterval, absolute: TimeInterval) async throws {
        let now = clock.now()
        try await database.write { db in
            try await db.raw("""
                DELETE FROM sessions WHERE last_seen_at < \(bind: now.addingTimeInterval(-idle).epochSeconds)
                OR created_at < \(bind: now.addingTimeInterval(-absolute).epochSeconds)
                """).run()
        }
    }
}

/// A personal access token for the JSON API, as listed to its owner (never the token itself).
public struct APIToken: Sendable, Equatable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    /// The last four characters, so the owner can tell tokens apart.
    public var hint: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// Personal access tokens (个人访问令牌) that users create and revoke themselves.
public struct APITokenRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    public static let prefix = "djp_"

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// Creates a token; the plain token is returned once.
    public func create(userID: Int64, name: String, validDays: Int?, actor: Actor) async throws -> (token: String, record: APIToken) {
        let name = name.trimmed
        guard !name.isEmpty, name.count <= 50 else {
            throw ValidationFailure(field: "name", message: "请填写令牌用途（不超过 50 字）")
        }
        if let validDays, !(1...366).contains(validDays) {
            throw ValidationFailure(field: "valid_days", message: "有效期需在 1–366 天之间")
        }
        let token = Self.prefix + RandomToken.make(bytes: 32)
        let now = clock.now()
        let expires = validDays.map { now.addingTimeInterval(TimeInterval($0 * 86_400)) }
        let id = try await database.write { db in
            let id = try await db.insertReturningID("""
                INSERT INTO api_tokens (user_id, name, token_hash, token_hint, created_at, expires_at)
                VALUES (\(bind: userID), \(bind: name), \(bind: RandomToken.hash(token)), \(bind: String(token.suffix(4))),
                    \(bind: now.epochSeconds), \(bind: expires.epochSeconds))
                """)
            try await audit.append(AuditEvent(
                action: .tokenCreated, objectType: "api_token", objectID: String(id),
                summary: "创建访问令牌“\(name)”"), by: actor, in: db, dialect: database.dialect)
            return id
        }
        return (token, APIToken(id: id, userID: userID, name: name, hint: String(token.suffix(4)), createdAt: now,
                                expiresAt: expires, lastUsedAt: nil, revokedAt: nil))
    }

    /// The user's tokens, newest first.
    public func list(userID: Int64) async throws -> [APIToken] {
        try await database.read { db in
            try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY id DESC").all().map(Self.decode)
        }
    }

    /// Revokes one of the user's own tokens.
    public func revoke(id: Int64, userID: Int64, actor: Actor) async throws {
        try await database.write { db in
            let rows = try await db.raw("""
                UPDATE api_tokens SET revoked_at = \(bind: clock.now().epochSeconds)
                WHERE id = \(bind: id) AND user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
                """).all()
            guard !rows.isEmpty else { throw RecordNotFound(objectType: "api_token", objectID: String(id)) }
            try await audit.append(AuditEvent(
                action: .tokenRevoked, objectType: "api_token", objectID: String(id), summary: "吊销访问令牌"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The owner of a valid, unexpired, unrevoked token.
    public func authenticate(token: String) async throws -> Int64? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let now = clock.now().epochSeconds
        return try await database.read { db in
            guard let row = try await db.raw("""
                SELECT id, user_id FROM api_tokens WHERE token_hash = \(bind: RandomToken.hash(token))
                AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: now))
                """).first() else { return nil }
            let id: Int64 = try row.value("id")
            try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE id = \(bind: id)").run()
            return try row.value("user_id", Int64.self)
        }
    }

    static func decode(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.value("id"), userID: try row.value("user_id"), name: try row.value("name"),
            hint: try row.value("token_hint"), createdAt: Date(epochSeconds: try row.value("created_at")),
            expiresAt: try row.optional("expires_at", Int64.self).map(Date.init(epochSeconds:)),
            lastUsedAt: try row.optional("last_used_at", Int64.self).map(Date.init(epochSeconds:)),
            revokedAt: try row.optional("revoked_at", Int64.self).map(Date.init(epochSeconds:)))
    }
}
