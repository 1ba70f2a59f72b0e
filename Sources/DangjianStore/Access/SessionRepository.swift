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
    /// When the session passed the second factor (issue 15, H6); nil: password only so far.
    public var secondFactorAt: Date? = nil
    /// When the user last proved who they are (sign-in, second factor or step-up): sensitive actions need this to
    /// be recent.
    public var stepUpAt: Date? = nil
    /// Show the user what administrators did to their account since then (issue 15, M1); nil once read.
    public var noticesSince: Date? = nil
}

/// One open session as its owner sees it.
public struct OpenSession: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var ip: String
    public var userAgent: String
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
    /// `secondFactorPassed` when the sign-in already checked the second factor (a test fixture, the console); a
    /// password sign-in starts without it. The sign-in itself counts as a fresh proof for step-up.
    public func start(
        userID: Int64, ip: String, userAgent: String, secondFactorPassed: Bool = false,
        noticesSince: Date? = nil
    ) async throws -> (token: String, record: SessionRecord) {
        let token = RandomToken.make(bytes: 32)
        let csrf = RandomToken.make(bytes: 32)
        let now = clock.now()
        let passed: Int64? = secondFactorPassed ? now.epochSeconds : nil
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent, second_factor_at, step_up_at, notices_since)
                VALUES (\(bind: RandomToken.hash(token)), \(bind: userID), \(bind: csrf), \(bind: now.epochSeconds),
                    \(bind: now.epochSeconds), \(bind: ip), \(bind: String(userAgent.prefix(300))), \(bind: passed), \(bind: now.epochSeconds),
                    \(bind: noticesSince?.epochSeconds))
                """
            ).run()
        }
        return (
            token,
            SessionRecord(
                userID: userID, csrfToken: csrf, createdAt: now, lastSeenAt: now,
                secondFactorAt: secondFactorPassed ? now : nil, stepUpAt: now, noticesSince: noticesSince)
        )
    }

    /// Records that the session passed the second factor (also a fresh proof for step-up).
    public func markSecondFactor(token: String) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw(
                """
                UPDATE sessions SET second_factor_at = \(bind: now), step_up_at = \(bind: now) WHERE token_hash = \(bind: RandomToken.hash(token))
                """
            ).run()
        }
    }

    /// The user has read the account notices of this session.
    public func dismissNotices(token: String) async throws {
        try await database.write { db in
            try await db.raw("UPDATE sessions SET notices_since = NULL WHERE token_hash = \(bind: RandomToken.hash(token))").run()
        }
    }

    /// Records a step-up: the user proved who they are again just now.
    public func markStepUp(token: String) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            try await db.raw("UPDATE sessions SET step_up_at = \(bind: now) WHERE token_hash = \(bind: RandomToken.hash(token))").run()
        }
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
                lastSeenAt: Date(epochSeconds: try row.value("last_seen_at")),
                secondFactorAt: try row.optional("second_factor_at", Int64.self).map { Date(epochSeconds: $0) },
                stepUpAt: try row.optional("step_up_at", Int64.self).map { Date(epochSeconds: $0) })
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

    /// The user's open sessions, most recently active first (issue 15, L13): each named by its token's hash, which
    /// cannot be used to sign in.
    public func list(userID: Int64) async throws -> [OpenSession] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT token_hash, created_at, last_seen_at, ip, user_agent FROM sessions WHERE user_id = \(bind: userID)
                ORDER BY last_seen_at DESC, created_at DESC
                """
            ).all().map { row in
                OpenSession(
                    id: try row.value("token_hash"), createdAt: Date(epochSeconds: try row.value("created_at")),
                    lastSeenAt: Date(epochSeconds: try row.value("last_seen_at")), ip: try row.optional("ip") ?? "",
                    userAgent: try row.optional("user_agent") ?? "")
            }
        }
    }

    /// Ends one of the user's own sessions by its id (the token's hash); false when there is none such.
    public func end(userID: Int64, sessionID: String) async throws -> Bool {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND token_hash = \(bind: sessionID) RETURNING user_id").first()
                != nil
        }
    }

    /// Keeps at most `limit` sessions of the user: the least recently active beyond it end (a new sign-in on a
    /// sixth device signs the oldest out). Returns how many ended.
    public func trim(userID: Int64, limit: Int) async throws -> Int {
        try await database.write { db in
            let rows = try await db.raw(
                """
                SELECT token_hash FROM sessions WHERE user_id = \(bind: userID) ORDER BY last_seen_at DESC, created_at DESC
                """
            ).all()
            let surplus = try rows.dropFirst(max(1, limit)).map { try $0.decode(column: "token_hash", as: String.self) }
            for hash in surplus {
                try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: hash)").run()
            }
            return surplus.count
        }
    }

    /// The session id (token hash) of a cookie token.
    public static func id(ofToken token: String) -> String { RandomToken.hash(token) }

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
            try await db.raw(
                """
                DELETE FROM sessions WHERE last_seen_at < \(bind: now.addingTimeInterval(-idle).epochSeconds)
                OR created_at < \(bind: now.addingTimeInterval(-absolute).epochSeconds)
                """
            ).run()
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
    public var scope: APITokenScope = .write
}

/// What a personal access token may do (issue 15, M3). Tokens reach only `/api/v1`, never the pages.
public enum APITokenScope: String, Sendable, CaseIterable {
    /// GET requests only.
    case read
    /// Reads and writes, within the owner's permissions.
    case write

    public var displayName: String { self == .read ? "只读" : "读写" }
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

    /// Days a token is valid when its owner does not say (issue 15, M3: no token lives for ever).
    public static let defaultValidDays = 90
    /// The longest validity an owner may choose.
    public static let maximumValidDays = 365

    /// Creates a token; the plain token is returned once. Every token expires (90 days unless chosen, at most 365).
    public func create(
        userID: Int64, name: String, validDays: Int?, scope: APITokenScope = .write, actor: Actor
    ) async throws -> (token: String, record: APIToken) {
        let name = name.trimmed
        guard !name.isEmpty, name.count <= 50 else {
            throw ValidationFailure(field: "name", message: "请填写令牌用途（不超过 50 字）")
        }
        let days = validDays ?? Self.defaultValidDays
        guard (1...Self.maximumValidDays).contains(days) else {
            throw ValidationFailure(field: "valid_days", message: "有效期需在 1–\(Self.maximumValidDays) 天之间")
        }
        let token = Self.prefix + RandomToken.make(bytes: 32)
        let now = clock.now()
        let expires: Date? = now.addingTimeInterval(TimeInterval(days * 86_400))
        let id = try await database.write { db in
            let id = try await db.insertReturningID(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, token_hint, created_at, expires_at, scope)
                VALUES (\(bind: userID), \(bind: name), \(bind: RandomToken.hash(token)), \(bind: String(token.suffix(4))),
                    \(bind: now.epochSeconds), \(bind: expires.epochSeconds), \(bind: scope.rawValue))
                """)
            try await audit.append(
                AuditEvent(
                    action: .tokenCreated, objectType: "api_token", objectID: String(id),
                    summary: "创建访问令牌“\(name)”（\(scope.displayName)，\(days) 天）"), by: actor, in: db, dialect: database.dialect)
            return id
        }
        return (
            token,
            APIToken(
                id: id, userID: userID, name: name, hint: String(token.suffix(4)), createdAt: now,
                expiresAt: expires, lastUsedAt: nil, revokedAt: nil, scope: scope)
        )
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
            let rows = try await db.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: clock.now().epochSeconds)
                WHERE id = \(bind: id) AND user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { throw RecordNotFound(objectType: "api_token", objectID: String(id)) }
            try await audit.append(
                AuditEvent(
                    action: .tokenRevoked, objectType: "api_token", objectID: String(id), summary: "吊销访问令牌"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The owner and scope of a valid, unexpired, unrevoked token.
    public func authenticate(token: String) async throws -> (userID: Int64, scope: APITokenScope)? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let now = clock.now().epochSeconds
        let found = try await database.read { db -> (id: Int64, userID: Int64, lastUsed: Int64?, scope: APITokenScope)? in
            guard
                let row = try await db.raw(
                    """
                    SELECT id, user_id, last_used_at, scope FROM api_tokens WHERE token_hash = \(bind: RandomToken.hash(token))
                    AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: now))
                    """
                ).first()
            else { return nil }
            return (
                try row.value("id"), try row.value("user_id"), try row.optional("last_used_at"),
                APITokenScope(rawValue: try row.value("scope")) ?? .read
            )
        }
        guard let found else { return nil }
        // The last use is kept to the minute: a busy API client does not queue one write per request for the writer.
        if (found.lastUsed ?? 0) < now - 60 {
            try await database.write { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE id = \(bind: found.id)").run()
            }
        }
        return (found.userID, found.scope)
    }

    /// Revokes every live token of a user inside `db`'s transaction (password changed or reset, account disabled).
    static func revokeAll(userID: Int64, at now: Int64, db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            UPDATE api_tokens SET revoked_at = \(bind: now) WHERE user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
            """
        ).all().count
    }

    static func decode(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.value("id"), userID: try row.value("user_id"), name: try row.value("name"),
            hint: try row.value("token_hint"), createdAt: Date(epochSeconds: try row.value("created_at")),
            expiresAt: try row.optional("expires_at", Int64.self).map(Date.init(epochSeconds:)),
            lastUsedAt: try row.optional("last_used_at", Int64.self).map(Date.init(epochSeconds:)),
            revokedAt: try row.optional("revoked_at", Int64.self).map(Date.init(epochSeconds:)),
            scope: APITokenScope(rawValue: try row.value("scope")) ?? .read)
    }
}
