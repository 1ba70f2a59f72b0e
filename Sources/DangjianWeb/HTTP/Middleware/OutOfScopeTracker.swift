import Foundation
import DangjianDomain

/// Counts requests for records outside the caller's scope (the 404 "不在管理范围内") per user and minute (issue 15,
/// M4): a probe of 1,600 forged ids used to leave no trace. The first such request of a user in a minute is audited,
/// and the one that reaches `alertThreshold` raises an alert (audited as `outOfScopeAlert`, counted in `/metrics`).
/// Kept in memory: a restart forgets the current minute, not the audit records already written.
final class OutOfScopeTracker: @unchecked Sendable {
    /// Out-of-scope requests by one user within one minute that raise an alert.
    let alertThreshold: Int
    private let lock = NSLock()
    private var minute: Int64 = 0
    private var counts: [String: Int] = [:]

    init(alertThreshold: Int) { self.alertThreshold = max(2, alertThreshold) }

    /// What to record for one more denial by `who` at `now`: the count so far this minute, whether it is the
    /// minute's first (audit it) and whether it just reached the threshold (alert).
    func note(_ who: String, at now: Date) -> (count: Int, first: Bool, alert: Bool) {
        let current = Int64(now.timeIntervalSince1970) / 60
        lock.lock()
        defer { lock.unlock() }
        if current != minute {
            minute = current
            counts.removeAll(keepingCapacity: true)
        }
        let count = (counts[who] ?? 0) + 1
        counts[who] = count
        return (count, count == 1, count == alertThreshold)
    }
}
