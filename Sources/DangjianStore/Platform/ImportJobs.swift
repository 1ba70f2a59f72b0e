import Foundation
public import DangjianDomain
import SQLKit
import Crypto

/// Uploaded files kept between preview and commit (导入任务), shared by the roster and organisation imports: sealed
/// with AES-GCM, tied to the uploading user, valid for 24 hours, wiped when committed (decision 0008).
struct ImportJobs: Sendable {
    let database: Database
    let keyring: Keyring
    let audit: AuditTrail
    let clock: any WallClock

    /// A stored job as read back for its commit.
    /// What a job imports (`import_jobs.kind`).
    enum Kind: String {
        case members, organisations
        /// 党费基数 from a payroll sheet (issue 18).
        case duesPayroll = "dues_payroll"
    }
    /// Where a job stands (`import_jobs.status`): previewed until its commit.
    enum Status: String { case previewed, committed }

    enum Loaded {
        /// Committed before: nothing to do again.
        case committed(fileName: String, organisationID: Int64)
        case pending(file: Data, fileName: String, organisationID: Int64)
    }

    /// The name a file is shown and stored under (no path separators, at most 100 characters).
    static func safeName(_ fileName: String) -> String {
        String(fileName.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(100))
    }

    /// Keeps an upload for its commit; returns the job id.
    func store(kind: Kind, userID: Int64, organisationID: Int64, fileName: String, file: Data) async throws -> Int64 {
        let sealed = try keyring.seal(file.base64EncodedString(), context: "import.file")
        let now = clock.now().epochSeconds
        return try await database.write { db in
            try await db.insertReturningID(
                """
                INSERT INTO import_jobs (user_id, organisation_id, kind, file_name, file_sha256, file_enc, status, summary, created_at)
                VALUES (\(bind: userID), \(bind: organisationID), \(bind: kind.rawValue), \(bind: Self.safeName(fileName)),
                    \(bind: Data(SHA256.hash(data: file)).hexString), \(bind: sealed), \(bind: Status.previewed.rawValue), '', \(bind: now))
                """)
        }
    }

    /// Reads a job of `kind` back for its user; nil when there is none.
    func load(id: Int64, userID: Int64, kind: Kind) async throws -> Loaded? {
        let job = try await database.read { db in
            try await db.raw("SELECT * FROM import_jobs WHERE id = \(bind: id) AND user_id = \(bind: userID) AND kind = \(bind: kind.rawValue)")
                .first()
        }
        guard let job else { return nil }
        let fileName: String = try job.value("file_name")
        let organisationID: Int64 = try job.value("organisation_id")
        if try job.value("status", String.self) == Status.committed.rawValue { return .committed(fileName: fileName, organisationID: organisationID) }
        guard clock.now().epochSeconds - (try job.value("created_at", Int64.self)) < 24 * 3600 else {
            throw ValidationFailure(field: "file", message: "预览已超过 24 小时，请重新上传文件")
        }
        guard let file = Data(base64Encoded: try keyring.open(try job.value("file_enc"), context: "import.file")) else {
            throw KeyringError.integrity
        }
        return .pending(file: file, fileName: fileName, organisationID: organisationID)
    }

    /// Marks a job committed inside the committing transaction, wipes its file and audits the summary.
    func markCommitted(_ id: Int64, organisationID: Int64, summary: String, actor: Actor, db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE import_jobs SET status = \(bind: Status.committed.rawValue), committed_at = \(bind: clock.now().epochSeconds), file_enc = '', summary = \(bind: summary)
            WHERE id = \(bind: id)
            """
        ).run()
        try await audit.append(
            AuditEvent(
                action: .importCommitted, objectType: "import_job", objectID: String(id), organisationID: organisationID,
                summary: summary), by: actor, in: db, dialect: database.dialect)
    }
}
