import Foundation

/// A few seconds of memory for configuration read on every request (the rule book in force, the password policy).
/// Keys include the database's identity, so test databases in one process never see each other's values; a save in
/// this process clears the cache at once, other servers see a change within `ttl` seconds. Nothing here is the
/// source of truth (architecture.md: state lives in the database).
final class ShortLivedCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (value: Value, expires: Date)] = [:]
    let ttl: TimeInterval

    init(ttl: TimeInterval) { self.ttl = ttl }

    func value(_ key: String, load: () async throws -> Value) async throws -> Value {
        let now = Date()
        if let hit = lock.withLock({ entries[key] }), hit.expires > now { return hit.value }
        let value = try await load()
        lock.withLock {
            if entries.count > 1_000 { entries.removeAll() }
            entries[key] = (value, now.addingTimeInterval(ttl))
        }
        return value
    }

    func removeAll() { lock.withLock { entries.removeAll() } }
}
