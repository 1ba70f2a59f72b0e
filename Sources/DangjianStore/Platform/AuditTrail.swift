public import Foundation
public import SQLKit
public import DangjianDomain

/// Who acted, from where, in which request: attached to every audited write.
public struct Actor: Sendable {
    public var userID: Int64?
    public var name: String
    public var ip: String
    public var requestID: String

    public init(userID: Int64?, name: String, ip: String, requestID: String) {
        self.userID = userID
        self.name = name
        self.ip = ip
        self.requestID = requestID
    }

    /// The person signing in, once the password is checked: the sign-in is theirs in the trail (issue 17 item 14; it
    /// was 匿名, so "what did this person do" missed their sign-ins).
    public func signingIn(userID: Int64, username: String) -> Actor {
        Actor(userID: userID, name: username, ip: ip, requestID: requestID)
    }

    /// Someone trying an existing login name without getting in: not that person, but found when searching for them.
    public func attempting(_ username: String) -> Actor {
        Actor(userID: nil, name: "\(name)（尝试登录 \(username)）", ip: ip, requestID: requestID)
    }

    /// The operator at the server's console running a `dangjian` command.
    public static func console(_ command: String) -> Actor {
        Actor(userID: nil, name: "控制台:\(command)", ip: "local", requestID: "cli-\(RandomToken.make(bytes: 6))")
    }
}

/// One audit event before it is written.
public struct AuditEvent: Sendable {
    public var action: AuditAction
    public var objectType: String
    public var objectID: String
    public var organisationID: Int64?
    public var succeeded: Bool
    public var summary: String
    public var changes: [FieldChange]

    public init(
        action: AuditAction, objectType: String, objectID: String, organisationID: Int64? = nil,
        succeeded: Bool = true, summary: String, changes: [FieldChange] = []
    ) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.organisationID = organisationID
        self.succeeded = succeeded
        self.summary = summary
        self.changes = changes
    }
}

/// A stored audit record as shown to the 审计管理员.
public struct AuditRecord: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actorID: Int64?
    public var actorName: String
    public var ip: String
    public var requestID: String
    public var action: String
    public var objectType: String
    public var objectID: String
    public var organisationID: Int64?
    public var result: String
    public var summary: String
    public var changes: [FieldChange]
    public var prevHash: String
    public var hash: String
}

/// Filters for the audit search page.
public struct AuditQuery: Sendable {
    public var from: Date?
    public var to: Date?
    public var actorName: String?
    public var action: String?
    public var objectType: String?
    public var objectID: String?
    public var failuresOnly: Bool
    public var limit: Int
    public var offset: Int

    public init(
        from: Date? = nil, to: Date? = nil, actorName: String? = nil, action: String? = nil, objectType: String? = nil,
        objectID: String? = nil, failuresOnly: Bool = false, limit: Int = 50, offset: Int = 0
    ) {
        self.from = from
        self.to = to
        self.actorName = actorName
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.failuresOnly = failuresOnly
        self.limit = limit
        self.offset = offset
    }
}

/// An audit event with its free text scrubbed (Masking.scrubFreeText) and its changes encoded: the part of appending
/// that needs neither the database nor the chain, so a bulk writer can do it ahead of the insert.
struct PreparedAuditEvent: Sendable {
    var action: String
    var objectType: String
    var objectID: String
    var organisationID: Int64?
    var result: String
    var summary: String
    var changes: String

    init(_ event: AuditEvent) {
        action = event.action.rawValue
        objectType = event.objectType
        objectID = Masking.scrubFreeText(event.objectID)
        organisationID = event.organisationID
        result = event.succeeded ? "success" : "failure"
        summary = Masking.scrubFreeText(event.summary)
        changes = AuditTrail.encode(
            event.changes.map {
                FieldChange(field: $0.field, old: $0.old.map(Masking.scrubFreeText), new: $0.new.map(Masking.scrubFreeText))
            })
    }
}

/// The result of checking the hash chain.
public struct AuditVerification: Sendable, Equatable {
    /// How many records were checked.
    public var checked: Int
    /// The first record whose hash or link does not match, nil when the chain is intact.
    public var firstBadID: Int64?
    /// Why that record failed.
    public var reason: String?

    public var isIntact: Bool { firstBadID == nil }
}

/// The append-only, hash-chained audit log (安全审计, GB/T 22239 8.1.4.3).
///
/// Each record stores the previous record's hash and its own HMAC over its fields and that link, so editing,
/// deleting or inserting a record by hand breaks the chain at that point. The table also rejects UPDATE and
/// DELETE through database triggers. Records are written inside the same transaction as the change they describe.
public struct AuditTrail: Sendable {
    let keyring: Keyring
    let clock: any WallClock
    static let purpose = "audit-chain-v1"
    static let genesis = String(repeating: "0", count: 64)

    public init(keyring: Keyring, clock: any WallClock) {
        self.keyring = keyring
        self.clock = clock
    }

    /// Appends `event` by `actor` using `db`, which must be inside a write transaction.
    public func append(_ event: AuditEvent, by actor: Actor, in db: any SQLDatabase, dialect: StoreDialect) async throws {
        if dialect == .postgres {
            // Serialise appenders so the chain stays linear; released at commit.
            try await db.raw("SELECT pg_advisory_xact_lock(771002)").run()
        }
        let last = try await db.raw("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").first()
        let prev = try last?.value("hash", String.self) ?? Self.genesis
        let event = PreparedAuditEvent(event)
        let at = clock.now().epochSeconds
        let hash = keyring.mac(Self.canonical(event, at: at, actor: actor, prevHash: prev), purpose: Self.purpose)
        try await db.raw(
            """
            INSERT INTO audit_log (at, actor_id, actor_name, ip, request_id, action, object_type, object_id,
                organisation_id, result, summary, changes, prev_hash, hash)
            VALUES (\(bind: at), \(bind: actor.userID), \(bind: actor.name), \(bind: actor.ip), \(bind: actor.requestID),
                \(bind: event.action), \(bind: event.objectType), \(bind: event.objectID),
                \(bind: event.organisationID), \(bind: event.result), \(bind: event.summary),
                \(bind: event.changes), \(bind: prev), \(bind: hash))
            """
        ).run()
    }

    /// Appends several events in order inside the caller's transaction: one look-up of the chain's end, the chain
    /// computed in memory, and multi-row inserts (a 100,000-row import writes 100,000 records in seconds).
    public func appendBatch(_ events: [AuditEvent], by actor: Actor, in db: any SQLDatabase, dialect: StoreDialect) async throws {
        try await appendBatch(prepared: events.map(PreparedAuditEvent.init), by: actor, in: db, dialect: dialect)
    }

    /// `appendBatch` for events prepared ahead (a bulk writer prepares the next chunk while this one is written).
    func appendBatch(prepared events: [PreparedAuditEvent], by actor: Actor, in db: any SQLDatabase, dialect: StoreDialect) async throws {
        guard !events.isEmpty else { return }
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(771002)").run() }
        var prev = try await db.raw("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").first()?.value("hash", String.self) ?? Self.genesis
        let at = clock.now().epochSeconds
        for start in stride(from: 0, to: events.count, by: 200) {
            var tuples: [SQLQueryString] = []
            for event in events[start..<min(start + 200, events.count)] {
                let hash = keyring.mac(Self.canonical(event, at: at, actor: actor, prevHash: prev), purpose: Self.purpose)
                tuples.append(
                    """
                    (\(bind: at), \(bind: actor.userID), \(bind: actor.name), \(bind: actor.ip), \(bind: actor.requestID), \(bind: event.action),
                     \(bind: event.objectType), \(bind: event.objectID), \(bind: event.organisationID), \(bind: event.result), \(bind: event.summary),
                     \(bind: event.changes), \(bind: prev), \(bind: hash))
                    """)
                prev = hash
            }
            try await db.raw(
                """
                INSERT INTO audit_log (at, actor_id, actor_name, ip, request_id, action, object_type, object_id,
                    organisation_id, result, summary, changes, prev_hash, hash) VALUES
                """ + tuples.joined(separator: ", ")
            ).run()
        }
    }

    /// Appends `event` in its own transaction (security events that happen outside any business write).
    public func record(_ event: AuditEvent, by actor: Actor, database: Database) async throws {
        try await database.write { db in try await append(event, by: actor, in: db, dialect: database.dialect) }
    }

    /// Walks the whole chain and reports the first record that does not verify.
    public func verify(database: Database) async throws -> AuditVerification {
        let rows = try await database.read { db in try await db.raw("SELECT * FROM audit_log ORDER BY id").all() }
        var expectedPrev = Self.genesis
        var checked = 0
        for row in rows {
            let record = try Self.decode(row)
            let changesJSON = try row.value("changes", String.self)
            if record.prevHash != expectedPrev {
                return AuditVerification(checked: checked, firstBadID: record.id, reason: "与前一条记录的链接不一致（记录被删除、插入或改动）")
            }
            let fields = Self.canonical(
                at: record.at.epochSeconds, actorID: record.actorID, actorName: record.actorName, ip: record.ip,
                requestID: record.requestID, action: record.action, objectType: record.objectType,
                objectID: record.objectID, organisationID: record.organisationID, result: record.result,
                summary: record.summary, changes: changesJSON, prevHash: record.prevHash)
            if keyring.mac(fields, purpose: Self.purpose) != record.hash {
                return AuditVerification(checked: checked, firstBadID: record.id, reason: "记录内容与其校验值不符（记录被改动）")
            }
            expectedPrev = record.hash
            checked += 1
        }
        return AuditVerification(checked: checked, firstBadID: nil, reason: nil)
    }

    /// Searches the log, newest first. Only the 审计管理员's routes call this.
    public func search(_ query: AuditQuery, database: Database) async throws -> (records: [AuditRecord], total: Int) {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let from = query.from { conditions.append("at >= \(bind: from.epochSeconds)") }
        if let to = query.to { conditions.append("at < \(bind: to.epochSeconds)") }
        // A person by login name or name (issue 17 item 14): their own records and the sign-in attempts made with
        // their login name ("匿名（尝试登录 zhibu1）").
        if let actor = query.actorName?.trimmed, !actor.isEmpty {
            let like =
                "%"
                + actor.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append(
                """
                (actor_name = \(bind: actor) OR actor_name LIKE \(bind: like) ESCAPE '\\' OR actor_id IN
                    (SELECT id FROM users WHERE username = \(bind: actor) OR display_name LIKE \(bind: like) ESCAPE '\\'))
                """)
        }
        if let action = query.action, !action.isEmpty { conditions.append("action = \(bind: action)") }
        if let type = query.objectType, !type.isEmpty { conditions.append("object_type = \(bind: type)") }
        if let id = query.objectID, !id.isEmpty { conditions.append("object_id = \(bind: id)") }
        if query.failuresOnly { conditions.append("result = 'failure'") }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { db in
            let countRow = try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE \(whereClause)").first()
            let total = try countRow?.value("n", Int.self) ?? 0
            let rows = try await db.raw(
                """
                SELECT * FROM audit_log WHERE \(whereClause) ORDER BY id DESC
                LIMIT \(literal: max(1, min(query.limit, 10_000))) OFFSET \(literal: max(0, query.offset))
                """
            ).all()
            return (try rows.map(Self.decode), total)
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditRecord {
        let changesJSON = try row.value("changes", String.self)
        let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(changesJSON.utf8))) ?? []
        return AuditRecord(
            id: try row.value("id"), at: Date(epochSeconds: try row.value("at")), actorID: try row.optional("actor_id"),
            actorName: try row.value("actor_name"), ip: try row.value("ip"), requestID: try row.value("request_id"),
            action: try row.value("action"), objectType: try row.value("object_type"),
            objectID: try row.value("object_id"), organisationID: try row.optional("organisation_id"),
            result: try row.value("result"), summary: try row.value("summary"), changes: changes,
            prevHash: try row.value("prev_hash"), hash: try row.value("hash"))
    }

    /// The changes as JSON, written by hand in the form `JSONEncoder` with sorted keys gives (nil values left out,
    /// `/` escaped): an import audits every field of 100,000 members and the generic encoder was 8 % of it.
    static func encode(_ changes: [FieldChange]) -> String {
        var out = "["
        for (i, change) in changes.enumerated() {
            if i > 0 { out += "," }
            out += "{\"field\":"
            appendJSONString(change.field, to: &out)
            if let new = change.new { out += ",\"new\":"; appendJSONString(new, to: &out) }
            if let old = change.old { out += ",\"old\":"; appendJSONString(old, to: &out) }
            out += "}"
        }
        return out + "]"
    }

    static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        // Fast path: nothing to escape (names, dates, codes — nearly every value) is appended whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func canonical(_ event: PreparedAuditEvent, at: Int64, actor: Actor, prevHash: String) -> String {
        canonical(
            at: at, actorID: actor.userID, actorName: actor.name, ip: actor.ip, requestID: actor.requestID, action: event.action,
            objectType: event.objectType, objectID: event.objectID, organisationID: event.organisationID, result: event.result,
            summary: event.summary, changes: event.changes, prevHash: prevHash)
    }

    // Unit separator between fields: no field can forge a boundary because the values are length-prefixed.
    static func canonical(
        at: Int64, actorID: Int64?, actorName: String, ip: String, requestID: String, action: String,
        objectType: String, objectID: String, organisationID: Int64?, result: String, summary: String,
        changes: String, prevHash: String
    ) -> String {
        let parts: [String] = [
            String(at), actorID.map(String.init) ?? "-", actorName, ip, requestID, action, objectType, objectID,
            organisationID.map(String.init) ?? "-", result, summary, changes, prevHash,
        ]
        return parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "\u{1F}")
    }
}
