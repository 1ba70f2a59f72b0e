public import Foundation

/// The source of the current time. Tests pass a fixed or advancing clock; the server uses `SystemClock`.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock tests move by hand (idle timeouts, lockout expiry, password age).
public final class ManualClock: WallClock, @unchecked Sendable {
    private var current: Date
    private let lock = NSLock()

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    /// Moves the clock forward.
    public func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
}

extension Date {
    /// ISO 8601 in UTC to the second ("2026-11-22T23:15:04Z"), as `ISO8601DateFormatter` writes it by default —
    /// without creating a formatter each time (one per log line was 5 % of a busy list page, `perf`).
    public var utcTimestamp: String {
        var seconds = time_t(timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
