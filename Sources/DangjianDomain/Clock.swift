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
