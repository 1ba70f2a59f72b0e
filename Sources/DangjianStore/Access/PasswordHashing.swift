import Foundation
import HummingbirdBcrypt
import NIOPosix
import NIOCore

/// bcrypt off the request threads (issue 15, H3). A bcrypt at cost 12 is ~90 ms of one core here; run on Swift's
/// cooperative threads, 50 simultaneous sign-ins took both cores for seconds and every other request — health
/// checks, pages — waited behind them. They run on a pool one thread smaller than the machine (at least one), so one
/// core always serves everything else; sign-ins queue among themselves.
enum PasswordHashing {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        return pool
    }()

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches any of `hashes` (password history), checked one after another on the pool.
    static func matchesAny(_ password: String, hashes: [String]) async throws -> Bool {
        try await pool.runIfActive { hashes.contains { Bcrypt.verify(password, hash: $0) } }
    }
}
