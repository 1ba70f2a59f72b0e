import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Migrations and connection settings")
struct MigrationTests {
    @Test("migrations apply once, in order, on both databases", arguments: TestBackend.enabled)
    func appliesOnce(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend, migrate: false) { scratch in
            let first = try await Migrator.migrate(scratch.database)
            #expect(first == Migrations.all.map(\.version))
            let second = try await Migrator.migrate(scratch.database)
            #expect(second.isEmpty)
            #expect(try await Migrator.currentVersion(of: scratch.database) == Migrator.knownVersion)
        }
    }

    @Test("H5: migration 023 rewrites the stored masks to the first four digits", arguments: TestBackend.enabled)
    func identityMaskMigration(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await MemberRepositoryTests.world(scratch)
            let created = try await w.members.create(
                MemberFixtures.draft(name: "张三"), organisationID: w.tree["A1a1"], access: .maintenance,
                actor: MemberRepositoryTests.actor)
            #expect(created.idNumberMasked == "6101**************")
            let masks = try await scratch.database.write { db -> [String] in
                try await db.raw("UPDATE members SET id_number_masked = '6101**********1234'").run()
                for statement in Migration023IdentityMask.migration.statements(DDL(dialect: scratch.database.dialect)) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                return try await db.raw("SELECT id_number_masked FROM members").all().map {
                    try $0.decode(column: "id_number_masked", as: String.self)
                }
            }
            #expect(masks == ["6101**************"])
        }
    }

    @Test("the server refuses a schema newer than it knows", arguments: TestBackend.enabled)
    func refusesNewerSchema(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            try await scratch.database.write { db in
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: Migrator.knownVersion + 1), 'from the future', 0)"
                ).run()
            }
            await #expect(throws: StoreError.self) { try await Migrator.checkCompatible(scratch.database) }
            await #expect(throws: StoreError.self) { try await Migrator.migrate(scratch.database) }
        }
    }

    @Test("SQLite connections use WAL, synchronous=FULL, foreign keys, secure_delete and a busy timeout")
    func sqlitePragmas() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let values = try await scratch.database.read { db -> [String] in
                [
                    try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) ?? "",
                    String(try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) ?? -1),
                    String(try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self) ?? -1),
                    String(try await db.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int.self) ?? -1),
                    String(try await db.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self) ?? -1),
                ]
            }
            #expect(values == ["wal", "2", "1", "1", "15000"])
        }
    }

    @Test("a failed write transaction leaves nothing behind", arguments: TestBackend.enabled)
    func rollback(_ backend: TestBackend) async throws {
        struct Boom: Error {}
        try await ScratchDatabase.with(backend) { scratch in
            await #expect(throws: Boom.self) {
                try await scratch.database.write { db in
                    try await db.raw("INSERT INTO settings (key, value, updated_at) VALUES ('x', 'y', 0)").run()
                    throw Boom()
                }
            }
            let count = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM settings").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }
}
