public import Foundation
public import DangjianStore
public import DangjianDomain
import SQLKit

/// The database servers tests run against: SQLite always, PostgreSQL when `DANGJIAN_TEST_POSTGRES_URL` is set
/// (`.ci/run` starts a private cluster and sets it, so CI always runs both).
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The backends available in this run.
    public static var enabled: [TestBackend] {
        postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresAdminURL: String? {
        let url = ProcessInfo.processInfo.environment["DANGJIAN_TEST_POSTGRES_URL"]
        return (url?.isEmpty ?? true) ? nil : url
    }

    public var description: String { rawValue }
}

/// A scratch database that exists for one test: a temporary SQLite file, or a fresh PostgreSQL database created
/// on the test server and dropped afterwards.
public struct ScratchDatabase: Sendable {
    public let database: Database
    public let location: DatabaseLocation
    let cleanup: @Sendable () async -> Void

    /// Creates, migrates (unless `migrate` is false) and returns the scratch database.
    public static func make(_ backend: TestBackend, migrate: Bool = true) async throws -> ScratchDatabase {
        let name = "dj_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangjian-tests/\(name)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let location = DatabaseLocation.sqlite(path: dir.appendingPathComponent("test.sqlite").path)
            let database = try Database(location: location)
            if migrate { try await Migrator.migrate(database) }
            return ScratchDatabase(database: database, location: location) {
                await database.shutdown()
                try? FileManager.default.removeItem(at: dir)
            }
        case .postgres:
            guard let adminURL = TestBackend.postgresAdminURL else { throw ScratchError.noPostgres }
            let admin = try Database(location: .postgres(url: adminURL))
            do {
                try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
            } catch {
                throw ScratchError.postgres(String(reflecting: error))
            }
            var components = URLComponents(string: adminURL)!
            components.path = "/" + name
            let location = DatabaseLocation.postgres(url: components.string!)
            let database = try Database(location: location)
            do {
                if migrate { try await Migrator.migrate(database) }
            } catch {
                throw ScratchError.postgres(String(reflecting: error))
            }
            return ScratchDatabase(database: database, location: location) {
                await database.shutdown()
                try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
                await admin.shutdown()
            }
        }
    }

    /// Runs `body` with a scratch database and always cleans up.
    public static func with<R: Sendable>(_ backend: TestBackend, migrate: Bool = true, _ body: (ScratchDatabase) async throws -> R) async throws -> R
    {
        let scratch = try await make(backend, migrate: migrate)
        do {
            let result = try await body(scratch)
            await scratch.cleanup()
            return result
        } catch {
            await scratch.cleanup()
            throw error
        }
    }

    /// Releases the database (for tests that manage the lifetime themselves).
    public func drop() async { await cleanup() }
}

enum ScratchError: Error { case noPostgres, postgres(String) }

/// The services a store test needs, wired like the server does.
public struct StoreKit: Sendable {
    /// The Store's graph, built as the server builds it (bcrypt cost 4 for speed).
    public let store: StoreServices
    public let database: Database
    public let clock: ManualClock
    public let keyring: Keyring
    public let audit: AuditTrail
    public let organisations: OrganisationRepository
    public let accounts: AccountRepository
    public let sessions: SessionRepository
    public let tokens: APITokenRepository

    public init(database: Database, clock: ManualClock = ManualClock(), keyring: Keyring = .random()) {
        self.database = database
        self.clock = clock
        self.keyring = keyring
        store = StoreServices(database: database, clock: clock, keyring: keyring, bcryptCost: 4)
        audit = store.audit
        organisations = store.organisations
        accounts = store.accounts
        sessions = store.sessions
        tokens = store.tokens
    }
}
