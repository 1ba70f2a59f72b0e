public import Foundation
public import SQLKit
public import Logging
import SQLiteKit
import PostgresKit
@preconcurrency import AsyncKit
import NIOCore
import NIOPosix

/// Where the data lives: an embedded SQLite file (the default for a county) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file at this path.
    case sqlite(path: String)
    /// A PostgreSQL server given by a `postgres://` URL.
    case postgres(url: String)

    /// Parses `DANGJIAN_DATABASE_URL`: `postgres://…`, `sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite`
    /// or a plain file path.
    public static func parse(_ text: String) -> DatabaseLocation {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(url: text) }
        if text.hasPrefix("sqlite://") { return .sqlite(path: String(text.dropFirst("sqlite://".count))) }
        return .sqlite(path: text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url):
            // Never print the password.
            if let u = URLComponents(string: url) {
                "PostgreSQL \(u.host ?? "?"):\(u.port ?? 5432)\(u.path)"
            } else {
                "PostgreSQL"
            }
        }
    }
}

/// The database could not take the request within the bounded wait (all connections busy): the caller may retry.
public struct DatabaseBusy: Error, Sendable {}

/// The SQL dialect in use, for the few statements (DDL, locking) that differ.
public enum StoreDialect: String, Sendable {
    case sqlite
    case postgres
}

/// The database handle: a connection pool over SQLite or PostgreSQL, giving out one connection per unit of work.
///
/// All reads and writes go through `read(_:)` and `write(_:)`; a write is one transaction on one connection,
/// committed only when the closure returns.
///
/// On SQLite every write goes through **one writer connection** (issue 15, H3): writers queue for it in the pool,
/// asynchronously and for at most `writerWait`, instead of holding a connection and a thread while SQLite's busy
/// handler sleeps — with two threads and 200 concurrent writers that used to stall the whole server in 15-second
/// steps and end in "database is locked". Reads use the other connections, opened `query_only`, so a write that
/// went through `read` by mistake fails at once instead of competing for the lock.
public final class Database: Sendable {
    private enum Backend: @unchecked Sendable {
        case sqlite(readers: EventLoopGroupConnectionPool<ConfiguredSQLiteSource>, writer: EventLoopGroupConnectionPool<ConfiguredSQLiteSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    /// How long a write waits for the SQLite writer before the request is refused as busy (503).
    static let writerWait: TimeAmount = .seconds(20)

    /// The SQLite writers' own event loop: one loop, so each database's writer pool holds exactly one connection.
    private static let writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private let backend: Backend
    /// The dialect of the connected database.
    public let dialect: StoreDialect
    /// Where the data lives.
    public let location: DatabaseLocation
    let logger: Logger

    /// Opens a pool. For SQLite the parent directory is created; the file itself is created on first use.
    public init(location: DatabaseLocation, logger: Logger = Logger(label: "dangjian.db")) throws {
        self.location = location
        self.logger = logger
        switch location {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let readers = EventLoopGroupConnectionPool(
                source: ConfiguredSQLiteSource(path: url.path, readOnly: true), maxConnectionsPerEventLoop: 2, requestTimeout: .seconds(30),
                logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            let writer = EventLoopGroupConnectionPool(
                source: ConfiguredSQLiteSource(path: url.path, readOnly: false), maxConnectionsPerEventLoop: 1, requestTimeout: Self.writerWait,
                logger: logger, on: Self.writerLoop)
            backend = .sqlite(readers: readers, writer: writer)
            dialect = .sqlite
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = nil
            backend = .postgres(
                EventLoopGroupConnectionPool(
                    source: PostgresConnectionSource(sqlConfiguration: config), maxConnectionsPerEventLoop: 4,
                    requestTimeout: .seconds(30), logger: logger, on: MultiThreadedEventLoopGroup.singleton))
            dialect = .postgres
        }
    }

    /// Runs `body` on one pooled connection without a transaction (single statements, reads).
    public func read<R: Sendable>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(let pool, _):
            let connection = try await Self.checkout(pool)
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace))
        case .postgres(let pool):
            let connection = try await Self.checkout(pool)
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    /// A pooled connection; a wait longer than the pool's request timeout becomes `DatabaseBusy` (503, not 500).
    private static func checkout<Source>(_ pool: EventLoopGroupConnectionPool<Source>) async throws -> Source.Connection {
        do {
            return try await pool.requestConnection().get()
        } catch ConnectionPoolTimeoutError.connectionRequestTimeout {
            throw DatabaseBusy()
        }
    }

    /// Runs `body` inside one transaction; commits when it returns, rolls back when it throws.
    ///
    /// `largeWrite`: a bulk transaction (a 100,000-row import) that dirties more index pages than the normal page
    /// cache holds. On SQLite its connection gets a 64 MB cache for the transaction, so pages are not spilled to the
    /// WAL and written again (`perf`: a tenth of an import's commit), and the WAL it leaves (~100 MB) is copied back
    /// into the database by a checkpoint that runs after the caller has its answer, not inside the commit.
    public func write<R: Sendable>(largeWrite: Bool = false, _ body: (any SQLDatabase) async throws -> R) async throws -> R {
        let bulk = largeWrite && dialect == .sqlite
        let result: R = try await withWriter { db in
            if bulk { try await db.raw("PRAGMA cache_size = \(unsafeRaw: String(Self.largeWriteCacheKiB))").run() }
            if bulk { try await db.raw("PRAGMA wal_autocheckpoint = 0").run() }
            /// The connection goes back to the pool with the settings every connection has.
            func restore() async {
                guard bulk else { return }
                try? await db.raw("PRAGMA cache_size = \(unsafeRaw: String(Self.normalCacheKiB))").run()
                try? await db.raw("PRAGMA wal_autocheckpoint = 1000").run()
            }
            try await db.raw(SQLQueryString(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                await restore()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                await restore()
                throw error
            }
        }
        if bulk {
            Task.detached { [self] in try? await withWriter { db in try await db.raw("PRAGMA wal_checkpoint(PASSIVE)").run() } }
        }
        return result
    }

    /// Runs `body` on the connection that may change the file, without opening a transaction: schema checks that
    /// create a table, checkpoints, `VACUUM INTO`. On PostgreSQL any pooled connection.
    public func withWriter<R: Sendable>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(_, let writer):
            let connection = try await Self.checkout(writer)
            defer { writer.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace))
        case .postgres:
            return try await read(body)
        }
    }

    /// SQLite page cache per connection (negative: KiB), normally and for a `largeWrite` transaction.
    static let normalCacheKiB = -16384
    static let largeWriteCacheKiB = -65536

    /// Closes every pooled connection.
    public func shutdown() async {
        guard markShutDown() else { return }
        switch backend {
        case .sqlite(let readers, let writer):
            try? await readers.shutdownAsync()
            try? await writer.shutdownAsync()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }

    private let shutDownLock = NSLock()
    nonisolated(unsafe) private var isShutDown = false

    /// Sets the shut-down flag; false when it was already set.
    private func markShutDown() -> Bool {
        shutDownLock.withLock {
            if isShutDown { return false }
            isShutDown = true
            return true
        }
    }

    // A handle dropped without `shutdown()` (an error path, a test) still closes its connections.
    deinit {
        guard markShutDown() else { return }
        switch backend {
        case .sqlite(let readers, let writer):
            readers.shutdownGracefully { _ in }
            writer.shutdownGracefully { _ in }
        case .postgres(let pool): pool.shutdownGracefully { _ in }
        }
    }
}

/// Opens SQLite connections with the project's pragmas: WAL, `synchronous=FULL` (every acknowledged commit
/// survives power loss), foreign keys, a busy timeout so writers wait rather than fail, and `secure_delete`
/// (等保 residual-information protection).
struct ConfiguredSQLiteSource: ConnectionPoolSource {
    let path: String
    /// A reader: `query_only`, so only the writer connection ever changes the file.
    let readOnly: Bool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                let pragmas =
                    [
                        "PRAGMA busy_timeout = 15000",
                        "PRAGMA journal_mode = WAL",
                        "PRAGMA synchronous = FULL",
                        "PRAGMA foreign_keys = ON",
                        "PRAGMA secure_delete = ON",
                        // 16 MB of page cache per connection (the default is 2 MB); a bulk write raises it (`largeWrite`).
                        "PRAGMA cache_size = \(Database.normalCacheKiB)",
                        // Statement journals (multi-row inserts inside a transaction) in memory, not in temporary files.
                        "PRAGMA temp_store = MEMORY",
                    ] + (readOnly ? ["PRAGMA query_only = ON"] : [])
                var future = eventLoop.makeSucceededFuture(())
                for pragma in pragmas {
                    future = future.flatMap { connection.query(pragma).map { _ in () } }
                }
                return future.map { connection }.flatMapError { error in
                    connection.close().flatMapThrowing { throw error }
                }
            }
    }
}
