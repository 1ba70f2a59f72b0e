import Testing
import Foundation
import SQLKit
import Crypto
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Audit trail: append-only, hash-chained, tamper-evident")
struct AuditTrailTests {
    static let actor = Actor(userID: 7, name: "tester", ip: "192.168.1.9", requestID: "req-1")

    @Test("UPDATE and DELETE on audit records are refused by the database", arguments: TestBackend.enabled)
    func appendOnly(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            try await kit.audit.record(
                AuditEvent(action: .create, objectType: "x", objectID: "1", summary: "s"), by: Self.actor, database: scratch.database)
            await #expect(throws: (any Error).self) {
                try await scratch.database.write { db in try await db.raw("UPDATE audit_log SET summary = 'changed'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await scratch.database.write { db in try await db.raw("DELETE FROM audit_log").run() }
            }
            if backend == .postgres {
                await #expect(throws: (any Error).self) {
                    try await scratch.database.write { db in try await db.raw("TRUNCATE audit_log").run() }
                }
            }
            let result = try await kit.audit.verify(database: scratch.database)
            #expect(result.isIntact && result.checked == 1)
        }
    }

    @Test("verify finds the first record edited, deleted or forged by hand", arguments: TestBackend.enabled)
    func tamperDetection(_ backend: TestBackend) async throws {
        for tamper in ["edit", "delete", "forge"] {
            try await ScratchDatabase.with(backend) { scratch in
                let kit = StoreKit(database: scratch.database)
                for i in 1...6 {
                    try await kit.audit.record(
                        AuditEvent(
                            action: .update, objectType: "organisation", objectID: String(i), summary: "第\(i)条",
                            changes: [FieldChange(field: "name", old: "旧\(i)", new: "新\(i)")]), by: Self.actor, database: scratch.database)
                }
                #expect(try await kit.audit.verify(database: scratch.database).isIntact)
                let ids = try await scratch.database.read { db in
                    try await db.raw("SELECT id FROM audit_log ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
                }
                // What someone with direct database access could do: switch the guard off, then change rows.
                try await scratch.database.write { db in
                    if backend == .sqlite {
                        try await db.raw("DROP TRIGGER audit_log_no_update").run()
                        try await db.raw("DROP TRIGGER audit_log_no_delete").run()
                    } else {
                        try await db.raw("ALTER TABLE audit_log DISABLE TRIGGER USER").run()
                    }
                    switch tamper {
                    case "edit":
                        try await db.raw("UPDATE audit_log SET changes = '[]' WHERE id = \(bind: ids[3])").run()
                    case "delete":
                        try await db.raw("DELETE FROM audit_log WHERE id = \(bind: ids[3])").run()
                    default:
                        try await db.raw(
                            "UPDATE audit_log SET summary = '伪造', hash = \(bind: String(repeating: "a", count: 64)) WHERE id = \(bind: ids[3])"
                        ).run()
                    }
                }
                let result = try await kit.audit.verify(database: scratch.database)
                #expect(!result.isIntact, "tamper: \(tamper)")
                #expect(result.firstBadID == (tamper == "delete" ? ids[4] : ids[3]), "tamper: \(tamper)")
                #expect(result.checked == 3)
            }
        }
    }

    @Test("a key other than the server's cannot verify the chain", arguments: TestBackend.enabled)
    func wrongKey(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            try await kit.audit.record(
                AuditEvent(action: .create, objectType: "x", objectID: "1", summary: "s"), by: Self.actor, database: scratch.database)
            let other = AuditTrail(keyring: .random(), clock: kit.clock)
            #expect(try await other.verify(database: scratch.database).firstBadID != nil)
        }
    }

    @Test("ID numbers and phone numbers never reach the audit text in full", arguments: TestBackend.enabled)
    func scrubsPersonalData(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            try await kit.audit.record(
                AuditEvent(
                    action: .update, objectType: "member", objectID: "1", summary: "修改 11010519491231002X 的电话 13812345678",
                    changes: [FieldChange(field: "phone", old: "13812345678", new: "13987654321")]), by: Self.actor, database: scratch.database)
            let raw = try await scratch.database.read { db in
                try await db.raw("SELECT summary, changes FROM audit_log").all().map {
                    try $0.decode(column: "summary", as: String.self) + (try $0.decode(column: "changes", as: String.self))
                }.joined()
            }
            #expect(!raw.contains("11010519491231002X"))
            #expect(!raw.contains("13812345678") && !raw.contains("13987654321"))
            #expect(raw.contains("1101**************") && raw.contains("138****5678"))
            #expect(try await kit.audit.verify(database: scratch.database).isIntact)
        }
    }
}

@Suite("Audit change encoding")
struct AuditChangeEncodingTests {
    @Test("the hand-written JSON is exactly what JSONEncoder with sorted keys writes, and decodes back")
    func sameAsJSONEncoder() throws {
        let samples: [[FieldChange]] = [
            [], [FieldChange(field: "name", old: nil, new: "张三")],
            [FieldChange(field: "post", old: "科员", new: nil), FieldChange(field: "x/y", old: "a\"b\\c\n\t\r\u{08}\u{0C}\u{01}", new: "</script> 😀")],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for changes in samples {
            let ours = AuditTrail.encode(changes)
            #expect(ours == String(decoding: try encoder.encode(changes), as: UTF8.self))
            #expect(try JSONDecoder().decode([FieldChange].self, from: Data(ours.utf8)) == changes)
        }
    }
}

@Suite("Keyring: keyed hashes")
struct KeyringMacTests {
    @Test("mac and blind indexes equal HMAC-SHA256 under the HKDF-derived key, computed afresh, whatever was cached before")
    func macMatchesDirectHMAC() throws {
        let master = Data((0..<32).map { UInt8($0 * 7 % 251) })
        let keyring = try Keyring(masterKey: master)
        func direct(_ text: String, _ purpose: String) -> String {
            let key = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: master), salt: Data("dangjian".utf8),
                info: Data(purpose.utf8), outputByteCount: 32)
            return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
        }
        for text in ["110105194912310021", "13900001111", "", "党员 张三"] {
            for _ in 0..<2 {  // the second round uses the cached keyed state
                #expect(keyring.blindIndex(text, context: "member.id_number") == direct(text, "blind-index-v1:member.id_number"))
                #expect(keyring.mac(text, purpose: "audit-chain-v1") == direct(text, "audit-chain-v1"))
            }
        }
        #expect(keyring.blindIndex("x", context: "member.phone") != keyring.blindIndex("x", context: "member.id_number"))
    }

    @Test("M5: a deleted tail, a removed or replaced anchored record and an edited anchor file are reported", arguments: TestBackend.enabled)
    func anchoredChain(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let db = scratch.database
            for i in 0..<10 {
                try await kit.audit.record(
                    AuditEvent(action: .update, objectType: "organisation", objectID: String(i), summary: "第 \(i) 次"),
                    by: .console("t"), database: db)
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = AuditAnchorFile(path: path)
            let first = try #require(try file.append(head: try await kit.audit.head(database: db)))
            #expect(try file.append(head: try await kit.audit.head(database: db)) == first, "an unchanged head is not written twice")
            #expect(try file.read().anchors.count == 1)
            #expect(try await kit.audit.verify(database: db, anchors: file).isIntact)
            // More records, a second anchor, then the tail deleted by someone with the database's rights.
            for i in 0..<5 {
                try await kit.audit.record(
                    AuditEvent(action: .update, objectType: "organisation", objectID: "t\(i)", summary: "尾部"),
                    by: .console("t"), database: db)
            }
            let second = try #require(try file.append(head: try await kit.audit.head(database: db)))
            #expect(second.count == first.count + 5)
            try await db.withWriter { sql in
                if backend == .sqlite {
                    try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
                } else {
                    try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER USER").run()
                }
                try await sql.raw("DELETE FROM audit_log WHERE id > \(bind: first.id + 2)").run()
            }
            // The chain alone still looks intact: that is the gap the anchor closes.
            #expect(try await kit.audit.verify(database: db).isIntact)
            let result = try await kit.audit.verify(database: db, anchors: file)
            #expect(result.firstBadID == second.id, "\(result)")
            #expect(result.reason?.contains("已不存在") == true)
            // An edited anchor file is reported too.
            try "garbage line\n".write(toFile: path, atomically: false, encoding: .utf8)
            #expect(try await kit.audit.verify(database: db, anchors: file).reason?.contains("无法识别") == true)
        }
    }
}
