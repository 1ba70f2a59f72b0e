public import Foundation
public import DangjianDomain
import SQLKit

/// A stored reminder (站内提醒).
public struct Reminder: Sendable, Equatable {
    public var id: Int64
    public var category: TodoItem.Category
    public var severity: TodoItem.Severity
    public var organisationID: Int64?
    public var ruleID: String?
    public var message: String
    public var link: String
    public var createdAt: Date
    public var readAt: Date?
}

/// Reminders of one user: read, count, mark read. A user only ever sees their own.
public struct ReminderRepository: Sendable {
    let database: Database
    let clock: any WallClock

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func unreadCount(userID: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM reminders WHERE user_id = \(bind: userID) AND read_at IS NULL").first()?.value("n", Int.self)
                ?? 0
        }
    }

    /// The newest reminders first.
    public func recent(userID: Int64, limit: Int = 100) async throws -> [Reminder] {
        try await database.read { db in
            try await db.raw(
                "SELECT * FROM reminders WHERE user_id = \(bind: userID) ORDER BY created_at DESC, id DESC LIMIT \(unsafeRaw: String(limit))"
            ).all().map { row in
                Reminder(
                    id: try row.value("id"), category: TodoItem.Category(rawValue: try row.value("category")) ?? .life,
                    severity: TodoItem.Severity(rawValue: try row.value("severity")) ?? .info,
                    organisationID: try row.value("organisation_id"), ruleID: try row.value("rule_id"), message: try row.value("message"),
                    link: try row.value("link"), createdAt: Date(epochSeconds: try row.value("created_at")),
                    readAt: try row.value("read_at", Int64?.self).map { Date(epochSeconds: $0) })
            }
        }
    }

    /// Marks every unread reminder of the user read; returns how many.
    @discardableResult
    public func markAllRead(userID: Int64) async throws -> Int {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let n =
                try await db.raw("SELECT COUNT(*) AS n FROM reminders WHERE user_id = \(bind: userID) AND read_at IS NULL").first()?.value(
                    "n", Int.self) ?? 0
            try await db.raw("UPDATE reminders SET read_at = \(bind: now) WHERE user_id = \(bind: userID) AND read_at IS NULL").run()
            return n
        }
    }

    /// Stores the yellow and red items of a user's to-do list that were not reminded of before; returns how many
    /// were new. The (user, dedupe key) unique index makes a repeated run — or two servers racing — harmless.
    @discardableResult
    public func remind(userID: Int64, of items: [TodoItem]) async throws -> Int {
        let now = clock.now().epochSeconds
        let due = items.filter { $0.severity >= .warning }
        guard !due.isEmpty else { return 0 }
        return try await database.write { db in
            var created = 0
            let known = Set(
                try await db.raw("SELECT dedupe_key FROM reminders WHERE user_id = \(bind: userID)").all().map {
                    try $0.value("dedupe_key", String.self)
                })
            for item in due where !known.contains(item.key) {
                try await db.raw(
                    """
                    INSERT INTO reminders (user_id, dedupe_key, category, severity, organisation_id, rule_id, message, link, created_at)
                    VALUES (\(bind: userID), \(bind: item.key), \(bind: item.category.rawValue), \(bind: item.severity.rawValue), \(bind: item.organisationID),
                    \(bind: item.ruleID), \(bind: item.message), \(bind: item.link), \(bind: now))
                    ON CONFLICT (user_id, dedupe_key) DO NOTHING
                    """
                ).run()
                created += 1
            }
            return created
        }
    }
}

/// The reminder job (提醒任务): on a schedule inside the server, every active account with an organisational role
/// gets its new yellow and red to-do items as reminders. With several servers the `JobLock` lease lets one run it
/// at a time; the dedupe key keeps a matter from being reminded twice in the same period.
public struct ReminderJob: Sendable {
    let accounts: AccountRepository
    let todo: TodoBoard
    let reminders: ReminderRepository
    let lock: JobLock
    let holder: String

    public init(
        accounts: AccountRepository, todo: TodoBoard, reminders: ReminderRepository, lock: JobLock,
        holder: String = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)
    ) {
        self.accounts = accounts
        self.todo = todo
        self.reminders = reminders
        self.lock = lock
        self.holder = holder
    }

    public struct Outcome: Sendable, Equatable {
        public var ran: Bool
        public var users: Int
        public var created: Int
    }

    /// Runs once if this server holds the lease.
    @discardableResult
    public func runOnce() async throws -> Outcome {
        guard try await lock.acquire("reminders", holder: holder, seconds: 900) else { return Outcome(ran: false, users: 0, created: 0) }
        var users = 0, created = 0
        for user in try await accounts.all() where user.disabledAt == nil && !user.lockedPermanently {
            let principal = try await accounts.principal(for: user)
            guard principal.assignments.contains(where: { $0.role.isOrganisational }) else { continue }
            users += 1
            created += try await reminders.remind(userID: user.id, of: try await todo.items(for: principal))
        }
        return Outcome(ran: true, users: users, created: created)
    }
}
