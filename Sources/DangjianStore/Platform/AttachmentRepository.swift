public import Foundation
public import DangjianDomain
import Crypto
import SQLKit

/// An uploaded evidence file (佐证材料), checked before anything is stored: a photo (JPEG, PNG) or a PDF, recognised
/// by its first bytes (the name and the browser's type are not trusted), at most `maximumBytes`.
public struct EvidenceFile: Sendable, Equatable {
    public static let maximumBytes = 10 * 1024 * 1024
    public var fileName: String
    public var contentType: String
    public var data: Data

    /// Checks an upload; nil for an empty file field (no evidence attached).
    public init?(fileName: String?, data: Data) throws {
        // No file chosen: the browser sends an empty part without a name. A named file with no bytes is refused,
        // never dropped in silence (issue 15, L10).
        if data.isEmpty {
            guard let fileName, !fileName.trimmed.isEmpty else { return nil }
            throw ValidationFailure(field: "evidence_file", message: "所选文件“\(fileName.prefix(60))”是空文件（0 字节），请重新选择")
        }
        guard data.count <= Self.maximumBytes else {
            throw ValidationFailure(field: "evidence_file", message: "佐证材料不能超过 10MB（本文件 \(data.count / 1024 / 1024)MB）")
        }
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            contentType = "image/jpeg"
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            contentType = "image/png"
        } else if head.starts(with: Array("%PDF-".utf8)) {
            contentType = "application/pdf"
        } else {
            throw ValidationFailure(field: "evidence_file", message: "佐证材料只接受 JPG、PNG 照片或 PDF 文件")
        }
        // The name is only shown: path parts and control characters are dropped, the length is capped.
        let base = (fileName ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init)).prefix(100)
        let fallback = contentType == "application/pdf" ? "佐证材料.pdf" : contentType == "image/png" ? "佐证照片.png" : "佐证照片.jpg"
        self.fileName = clean.trimmed.isEmpty ? fallback : String(clean)
        self.data = data
    }
}

/// A stored attachment's description (the bytes are read only for download).
public struct Attachment: Sendable, Equatable {
    public var id: Int64
    public var ownerType: String
    public var ownerID: Int64
    public var organisationID: Int64
    public var fileName: String
    public var contentType: String
    public var byteSize: Int

    /// The file-name extension of the stored type, for download names.
    public var fileExtension: String {
        contentType == "application/pdf" ? ".pdf" : contentType == "image/png" ? ".png" : ".jpg"
    }
}

/// Evidence files of ledger entries and problem events, stored in the database with their SHA-256; append-only.
public struct AttachmentRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// Stores `file` for its owner inside the caller's write transaction.
    static func add(
        _ file: EvidenceFile, ownerType: String, ownerID: Int64, organisationID: Int64, actor: Actor, now: Int64, db: any SQLDatabase
    ) async throws {
        let digest = SHA256.hash(data: file.data).map { String(format: "%02x", $0) }.joined()
        try await db.raw(
            """
            INSERT INTO attachments (owner_type, owner_id, organisation_id, file_name, content_type, byte_size, sha256, data, uploaded_by, uploaded_at)
            VALUES (\(bind: ownerType), \(bind: ownerID), \(bind: organisationID), \(bind: file.fileName), \(bind: file.contentType), \(bind: file.data.count),
                \(bind: digest), \(bind: file.data), \(bind: actor.userID), \(bind: now))
            """
        ).run()
    }

    /// The attachments of the owners, keyed by owner id.
    static func list(ownerType: String, ownerIDs: [Int64], db: any SQLDatabase) async throws -> [Int64: [Attachment]] {
        guard !ownerIDs.isEmpty else { return [:] }
        let ids = SQLList(ownerIDs.map { SQLBind($0) })
        let rows = try await db.raw(
            """
            SELECT id, owner_type, owner_id, organisation_id, file_name, content_type, byte_size FROM attachments
            WHERE owner_type = \(bind: ownerType) AND owner_id IN (\(ids)) ORDER BY id
            """
        ).all()
        var result: [Int64: [Attachment]] = [:]
        for r in rows {
            let a = Attachment(
                id: try r.value("id"), ownerType: try r.value("owner_type"), ownerID: try r.value("owner_id"),
                organisationID: try r.value("organisation_id"),
                fileName: try r.value("file_name"), contentType: try r.value("content_type"), byteSize: try r.value("byte_size"))
            result[a.ownerID, default: []].append(a)
        }
        return result
    }

    /// An attachment and its bytes, if its organisation is inside `access`.
    public func download(_ id: Int64, access: OrganisationAccess) async throws -> (Attachment, Data)? {
        try await database.read { db in
            guard let r = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id)").first(),
                try await OrganisationRepository.find(try r.value("organisation_id"), access: access, db: db) != nil
            else { return nil }
            let a = Attachment(
                id: id, ownerType: try r.value("owner_type"), ownerID: try r.value("owner_id"), organisationID: try r.value("organisation_id"),
                fileName: try r.value("file_name"), contentType: try r.value("content_type"), byteSize: try r.value("byte_size"))
            return (a, try r.value("data", Data.self))
        }
    }
}
