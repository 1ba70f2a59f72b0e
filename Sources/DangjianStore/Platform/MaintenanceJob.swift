public import Foundation
public import DangjianDomain
import SQLKit

/// Housekeeping that runs inside the server on a schedule: expired sessions and old sign-in failure records are
/// deleted (residual-information protection), and the day-old record of submitted forms (`FormSubmissionLedger`). With several servers the `JobLock` lease lets one run it at a time.
public struct MaintenanceJob: Sendable {
    let database: Database
    let clock: any WallClock
    let sessions: SessionRepository
    let formSubmissions: FormSubmissionLedger?
    let lock: JobLock
    /// Identifies this server process in the lease.
    let holder: String

    public init(
        database: Database, clock: any WallClock, sessions: SessionRepository, formSubmissions: FormSubmissionLedger? = nil,
        holder: String = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)
    ) {
        self.database = database
        self.clock = clock
        self.sessions = sessions
        self.formSubmissions = formSubmissions
        lock = JobLock(database: database, clock: clock)
        self.holder = holder
    }

    /// Runs once if this server holds the lease; returns whether it ran.
    @discardableResult
    public func runOnce(policy: PasswordPolicy) async throws -> Bool {
        guard try await lock.acquire("maintenance", holder: holder, seconds: 600) else { return false }
        let idle = TimeInterval(max(policy.idleTimeoutMinutes, policy.adminIdleTimeoutMinutes) * 60)
        try await sessions.purgeExpired(idle: idle, absolute: TimeInterval(policy.absoluteTimeoutHours * 3600))
        let dayAgo = clock.now().addingTimeInterval(-86_400).epochSeconds
        try await database.write { db in
            try await db.raw("DELETE FROM login_failures WHERE at < \(bind: dayAgo)").run()
        }
        try await formSubmissions?.purge(olderThan: 86_400)
        return true
    }
}
