public import Foundation
import SQLKit

/// The audit chain's head written outside the database (issue 15, M5). The hash chain catches an edited or removed
/// record in the middle, but not a deleted *tail*: the last records and their links go together. So the head
/// (last id, its hash, the number of records) is appended every few minutes to a file the database user cannot
/// rewrite silently — opened append-only (make it `chattr +a` in production) next to the database and the logs —
/// and `audit verify` checks the table against every line: the record at each anchored id must still carry the
/// anchored hash, and the count up to it must match.
public struct AuditAnchor: Sendable, Equatable {
    public var at: Date
    public var id: Int64
    public var hash: String
    public var count: Int

    /// One line of the file: `2026-12-06T13:00:00Z 3956 9f…e2 3956`.
    var line: String { "\(at.utcTimestamp) \(id) \(hash) \(count)\n" }

    init(at: Date, id: Int64, hash: String, count: Int) {
        self.at = at
        self.id = id
        self.hash = hash
        self.count = count
    }

    init?(line: Substring) {
        let parts = line.split(separator: " ")
        guard parts.count == 4, let id = Int64(parts[1]), let count = Int(parts[3]), id > 0, count > 0,
            let at = Self.timestamps.date(from: String(parts[0]))
        else { return nil }
        self.init(at: at, id: id, hash: String(parts[2]), count: count)
    }

    /// One parser for every line (a year of anchors is ~100,000 lines).
    nonisolated(unsafe) static let timestamps = ISO8601DateFormatter()
}

/// The append-only file of anchors.
public struct AuditAnchorFile: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    /// Every anchor written, oldest first; lines that do not parse are reported as tampering by `verify`.
    public func read() throws -> (anchors: [AuditAnchor], malformedLines: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var anchors: [AuditAnchor] = []
        var malformed = 0
        for line in text.split(separator: "\n") where !line.isEmpty {
            if let anchor = AuditAnchor(line: line) { anchors.append(anchor) } else { malformed += 1 }
        }
        return (anchors, malformed)
    }

    /// The last line only (the audit page, and `append` deciding whether the head moved), without parsing the rest;
    /// nil when the file is missing or empty; `malformed` when the last line does not parse.
    public func last() throws -> (anchor: AuditAnchor?, lines: Int, malformed: Bool)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        guard let tail = lines.last else { return nil }
        let anchor = AuditAnchor(line: tail)
        return (anchor, lines.count, anchor == nil)
    }

    /// Appends the current head of the chain, unless it is the one already written last; returns it.
    @discardableResult
    public func append(head: AuditAnchor?) throws -> AuditAnchor? {
        guard let head else { return nil }
        if let last = try self.last()?.anchor, last.id == head.id, last.hash == head.hash { return last }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // O_APPEND: every write lands at the end, whatever else has the file open.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw StoreError.internalInconsistency("无法打开审计锚点文件 \(path)") }
        defer { close(fd) }
        let bytes = Array(head.line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw StoreError.internalInconsistency("写入审计锚点文件失败 \(path)") }
        return head
    }
}

extension AuditTrail {
    /// The chain's head: the last record's id and hash and the number of records; nil for an empty log.
    public func head(database: Database) async throws -> AuditAnchor? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first() else { return nil }
            let count = try await db.raw("SELECT COUNT(*) AS n FROM audit_log").first()?.value("n", Int.self) ?? 0
            return AuditAnchor(at: clock.now(), id: try row.value("id"), hash: try row.value("hash"), count: count)
        }
    }

    /// Checks the table against the anchors: each anchored record still there with its hash, the count up to it
    /// unchanged (records deleted before it, or the tail after the chain's last check), and no malformed line.
    public func verify(database: Database, anchors file: AuditAnchorFile) async throws -> AuditVerification {
        let chain = try await verify(database: database)
        guard chain.isIntact else { return chain }
        let (anchors, malformed) = try file.read()
        if malformed > 0 {
            return AuditVerification(checked: chain.checked, firstBadID: 0, reason: "锚点文件 \(file.path) 有 \(malformed) 行无法识别（文件被改动）")
        }
        for anchor in anchors {
            let found = try await database.read { db -> (String?, Int) in
                let row = try await db.raw("SELECT hash FROM audit_log WHERE id = \(bind: anchor.id)").first()
                let count = try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE id <= \(bind: anchor.id)").first()?.value("n", Int.self) ?? 0
                return (try row?.value("hash", String.self), count)
            }
            guard let hash = found.0 else {
                return AuditVerification(
                    checked: chain.checked, firstBadID: anchor.id,
                    reason: "锚点（\(anchor.at.utcTimestamp)）记录的第 \(anchor.id) 条审计记录已不存在：其后的记录被删除")
            }
            if hash != anchor.hash {
                return AuditVerification(
                    checked: chain.checked, firstBadID: anchor.id, reason: "第 \(anchor.id) 条审计记录与锚点（\(anchor.at.utcTimestamp)）不符（记录被替换）")
            }
            if found.1 != anchor.count {
                return AuditVerification(
                    checked: chain.checked, firstBadID: anchor.id,
                    reason: "截至第 \(anchor.id) 条应有 \(anchor.count) 条审计记录，现有 \(found.1) 条（记录被删除）")
            }
        }
        return chain
    }
}
