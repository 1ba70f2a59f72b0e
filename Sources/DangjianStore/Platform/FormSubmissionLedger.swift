public import Foundation
public import DangjianDomain
import Crypto
import SQLKit

/// The forms already submitted (issue 17, item 5: "a double tap saves two"). Every form a page shows carries a
/// one-time token; a submission reserves its key before it is handled, and:
/// - the first submission is handled; when it saved something (it redirects) the key keeps where it went, when it
///   saved nothing (a refusal shows the form again) the key is given back so the corrected form can be sent;
/// - a second submission of the same form with the same content, even one arriving while the first is still being
///   handled, stores nothing and is sent where the first one went.
public struct FormSubmissionLedger: Sendable {
    let database: Database
    let clock: any WallClock
    /// A reservation older than this belongs to a request that died (a crash, a cut connection): it is taken over.
    static let abandonedAfter: Int64 = 120

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// What became of a submission's key.
    public enum Reservation: Sendable, Equatable {
        /// This submission is the first: handle it, then `complete` or `release` the key.
        case reserved
        /// The same form was already submitted and saved; it went to `location`.
        case completed(location: String)
        /// The same form is being handled by another request right now.
        case inProgress
    }

    /// The key of one form's submission: its one-time token, the route it was sent to and what it holds (fields other
    /// than the tokens, in a fixed order), so that two different forms of one page never share a key.
    /// - Returns: nil when `token` is not a token a page of ours printed (16–64 letters, digits, `-` or `_`).
    public static func key(token: String, route: String, fields: [(name: String, value: String)]) -> String? {
        guard (16...64).contains(token.count), token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var hasher = SHA256()
        hasher.update(data: Data(route.utf8))
        for field in fields.sorted(by: { ($0.name, $0.value) < ($1.name, $1.value) }) {
            hasher.update(data: Data("\u{1}\(field.name)\u{2}\(field.value)".utf8))
        }
        return token + ":" + hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Reserves `key` for `userID`'s submission.
    public func reserve(_ key: String, userID: Int64) async throws -> Reservation {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let inserted = try await db.raw(
                """
                INSERT INTO form_submissions (submission_key, user_id, location, created_at)
                VALUES (\(bind: key), \(bind: userID), NULL, \(bind: now))
                ON CONFLICT (submission_key) DO NOTHING RETURNING submission_key
                """
            ).first()
            if inserted != nil { return .reserved }
            guard let row = try await db.raw("SELECT user_id, location, created_at FROM form_submissions WHERE submission_key = \(bind: key)").first()
            else { return .inProgress }  // released between the two statements: treat as busy, the caller asks again
            // Another user cannot have printed this token; a clash is refused as busy rather than revealing anything.
            guard try row.value("user_id", Int64.self) == userID else { return .inProgress }
            if let location: String = try row.optional("location") { return .completed(location: location) }
            if try row.value("created_at", Int64.self) < now - Self.abandonedAfter {
                try await db.raw("UPDATE form_submissions SET created_at = \(bind: now) WHERE submission_key = \(bind: key)").run()
                return .reserved
            }
            return .inProgress
        }
    }

    /// The submission saved something and went to `location`.
    public func complete(_ key: String, location: String) async throws {
        try await database.write { db in
            try await db.raw("UPDATE form_submissions SET location = \(bind: location) WHERE submission_key = \(bind: key)").run()
        }
    }

    /// The submission saved nothing: the same form may be sent again.
    public func release(_ key: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM form_submissions WHERE submission_key = \(bind: key) AND location IS NULL").run()
        }
    }

    /// Deletes submissions older than `age` seconds (the maintenance job, daily).
    public func purge(olderThan age: TimeInterval) async throws {
        let cutoff = clock.now().addingTimeInterval(-age).epochSeconds
        try await database.write { db in
            try await db.raw("DELETE FROM form_submissions WHERE created_at < \(bind: cutoff)").run()
        }
    }
}
