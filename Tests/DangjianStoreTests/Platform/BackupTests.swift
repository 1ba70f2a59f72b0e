import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Backup and restore")
struct BackupTests {
    static var pgToolsAvailable: Bool {
        ["/usr/bin/pg_dump", "/usr/bin/pg_restore"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("a backup restores to the same rows, and changes made after it are rolled back", arguments: TestBackend.enabled)
    func roundTrip(_ backend: TestBackend) async throws {
        if backend == .postgres && !Self.pgToolsAvailable { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangjian-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scratch = try await ScratchDatabase.make(backend)
        let kit = StoreKit(database: scratch.database)
        let tree = try await FixtureTree.create(kit.organisations)
        let path = dir.appendingPathComponent(backend == .sqlite ? "b.sqlite" : "b.dump").path
        let report = try await kit.store.backup.backup(to: path)
        #expect(report.tableCounts["organisations"] == 11)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        await #expect(throws: BackupError.self) { try await kit.store.backup.backup(to: path) }
        // A change after the backup…
        let b1 = try #require(try await kit.organisations.find(tree["B1"], access: .maintenance))
        _ = try await kit.organisations.rename(
            tree["B1"], name: "备份后改名", shortName: nil, expectedVersion: b1.version, access: .maintenance, actor: .console("t"))
        if backend == .sqlite { await scratch.database.shutdown() }
        // …is gone after the restore.
        let restored = try await BackupService.restore(from: path, into: scratch.location)
        #expect(restored.tableCounts == report.tableCounts)
        let reopened = try Database(location: scratch.location)
        let again = StoreKit(database: reopened, keyring: kit.keyring)
        #expect(try await again.organisations.find(tree["B1"], access: .maintenance)?.name == "乙县某支部")
        #expect(try await again.audit.verify(database: reopened).isIntact)
        await reopened.shutdown()
        await scratch.drop()
    }

    /// The backup's table list is what the backup counts and what the web tests' state fingerprint compares ("a
    /// denied request changed nothing"): a migration that adds a table must add it there too.
    @Test("the backup's table list is exactly the schema's tables", arguments: TestBackend.enabled)
    func tableListIsTheSchema(_ backend: TestBackend) async throws {
        let scratch = try await ScratchDatabase.make(backend)
        let query: SQLQueryString =
            backend == .sqlite
            ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        let schema = try await scratch.database.read { db in try await db.raw(query).all().map { try $0.decode(column: "t", as: String.self) } }
        await scratch.drop()
        #expect(
            Set(schema) == Set(BackupService.tables),
            "only in the schema: \(Set(schema).subtracting(BackupService.tables).sorted()); only in the list: \(Set(BackupService.tables).subtracting(schema).sorted())"
        )
        #expect(schema.count == BackupService.tables.count)
    }

    @Test("a corrupt SQLite backup is refused before it replaces anything")
    func corruptBackup() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangjian-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: bad)
        let target = dir.appendingPathComponent("live.sqlite").path
        await #expect(throws: (any Error).self) { try await BackupService.restore(from: bad.path, into: .sqlite(path: target)) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
