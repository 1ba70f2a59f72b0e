public import Foundation
import SQLKit
import Crypto

/// What a backup or restore produced.
public struct BackupReport: Sendable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    /// Row counts per table of the copy, as checked after writing it.
    public var tableCounts: [String: Int]
}

/// Online backup and restore: `VACUUM INTO` for SQLite (a consistent snapshot while the server runs) and
/// `pg_dump`/`pg_restore` for PostgreSQL. Every backup is verified by opening it and counting its rows.
public struct BackupService: Sendable {
    let database: Database
    /// Every table of the schema (`Migrations.tables`: what the migrations create).
    public static var tables: [String] { Migrations.tables }

    public init(database: Database) { self.database = database }

    /// Writes a backup to `path` (created with mode 0600) and verifies it.
    public func backup(to path: String) async throws -> BackupReport {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: url.path) {
            throw BackupError.exists(url.path)
        }
        switch database.location {
        case .sqlite:
            try await database.withWriter { db in try await db.raw("VACUUM INTO \(literal: url.path)").run() }
            chmod(url.path, 0o600)
            let copy = try Database(location: .sqlite(path: url.path))
            let counts = try await Self.counts(copy)
            let ok = try await copy.read { db in
                try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            }
            await copy.shutdown()
            guard ok == "ok" else { throw BackupError.verification("integrity_check: \(ok ?? "?")") }
            return try Self.report(url, counts)
        case .postgres(let dbURL):
            try run("pg_dump", ["--format=custom", "--no-owner", "--file=\(url.path)", "--dbname=\(dbURL)"])
            chmod(url.path, 0o600)
            try run("pg_restore", ["--list", url.path])
            return try Self.report(url, try await Self.counts(database))
        }
    }

    /// Replaces the current data with a backup. For SQLite the server must be stopped: the file is checked, then
    /// copied into place and stale `-wal`/`-shm` files are removed so they are not replayed over it.
    public static func restore(from path: String, into location: DatabaseLocation) async throws -> BackupReport {
        let source = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: source.path) else { throw BackupError.missing(source.path) }
        switch location {
        case .sqlite(let target):
            let check = try Database(location: .sqlite(path: source.path))
            let ok = try await check.read { db in
                try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            }
            await check.shutdown()
            guard ok == "ok" else { throw BackupError.verification("备份文件校验失败：\(ok ?? "?")") }
            let targetURL = URL(fileURLWithPath: target)
            try FileManager.default.createDirectory(at: targetURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let staging = targetURL.appendingPathExtension("restoring")
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.copyItem(at: source, to: staging)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            // rename(2) replaces the live file atomically: readers see the old or the new database, never half.
            guard rename(staging.path, targetURL.path) == 0 else {
                throw BackupError.verification("无法替换数据库文件：\(String(cString: strerror(errno)))")
            }
            chmod(target, 0o600)
            let restored = try Database(location: location)
            let counts = try await counts(restored)
            await restored.shutdown()
            return try report(source, counts)
        case .postgres(let url):
            try BackupService.runStatic(
                "pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname=\(url)", source.path])
            let restored = try Database(location: location)
            let counts = try await counts(restored)
            await restored.shutdown()
            return try report(source, counts)
        }
    }

    static func counts(_ database: Database) async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.value("n", Int.self) ?? 0
            }
            return counts
        }
    }

    static func report(_ url: URL, _ counts: [String: Int]) throws -> BackupReport {
        let data = try Data(contentsOf: url)
        return BackupReport(path: url.path, bytes: data.count, sha256: Data(SHA256.hash(data: data)).hexString, tableCounts: counts)
    }

    func run(_ tool: String, _ arguments: [String]) throws { try Self.runStatic(tool, arguments) }

    static func runStatic(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw BackupError.tool(tool, Int(process.terminationStatus), text)
        }
    }
}

/// Backup and restore failures, in Chinese for the operator.
public enum BackupError: Error, CustomStringConvertible {
    case exists(String)
    case missing(String)
    case verification(String)
    case tool(String, Int, String)

    public var description: String {
        switch self {
        case .exists(let p): "目标文件已存在，不会覆盖：\(p)"
        case .missing(let p): "找不到备份文件：\(p)"
        case .verification(let t): "备份校验失败：\(t)"
        case .tool(let tool, let code, let text): "\(tool) 执行失败（退出码 \(code)）：\(text)"
        }
    }
}
