public import Foundation
public import DangjianDomain
import SQLKit

/// Where an unmasked export request stands.
public enum ExportRequestStatus: String, Sendable {
    case pending, approved, rejected

    public var displayName: String {
        switch self {
        case .pending: "待审批"
        case .approved: "已批准"
        case .rejected: "未批准"
        }
    }
}

/// A request for an unmasked roster export (未脱敏导出申请, issue 15, M6).
public struct ExportRequest: Sendable, Equatable {
    public var id: Int64
    public var requesterID: Int64
    public var requesterName: String
    public var organisationID: Int64
    public var organisationName: String
    /// The roster filter as a query string (`org=…&scope=…`), re-applied when the file is made.
    public var filter: String
    /// `csv` or `xlsx`.
    public var format: String
    public var purpose: String
    public var rowCount: Int
    public var status: ExportRequestStatus
    public var createdAt: Date
    public var deciderName: String?
    public var decidedAt: Date?
    public var note: String?
    public var downloads: Int

    /// Approved and downloadable: within `validity` of the request and fewer than `maxDownloads` downloads.
    public func downloadable(at now: Date) -> Bool {
        status == .approved && now.timeIntervalSince(createdAt) <= ExportRequestRepository.validity
            && downloads < ExportRequestRepository.maxDownloads
    }
}

/// Unmasked exports as requests: a stated purpose, a daily limit per person, a second person's approval above a row
/// count, a day to download (at most three times). Every step is audited.
public struct ExportRequestRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    public static let validity: TimeInterval = 24 * 3600
    public static let maxDownloads = 3

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// Records a request. Approved at once when `rowCount` is within `approvalRows`, else pending. Refused when the
    /// purpose is missing or the requester has already made `perDay` requests in the last 24 hours.
    public func create(
        requesterID: Int64, organisationID: Int64, filter: String, format: String, purpose rawPurpose: String,
        rowCount: Int, approvalRows: Int, perDay: Int, actor: Actor
    ) async throws -> Int64 {
        let purpose = rawPurpose.trimmed
        guard purpose.count >= 4, purpose.count <= 200 else {
            throw ValidationFailure(field: "purpose", message: "请写明导出用途（4 至 200 字），如“报送县委组织部党员信息系统年度核对”")
        }
        let now = clock.now()
        return try await database.write { db in
            if database.dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "export:\(requesterID)")))").run()
            }
            let recent =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM export_requests WHERE requester_id = \(bind: requesterID)
                    AND created_at > \(bind: now.addingTimeInterval(-Self.validity).epochSeconds)
                    """
                ).first()?.value("n", Int.self) ?? 0
            guard recent < perDay else {
                throw ValidationFailure(field: "purpose", message: "24 小时内已申请 \(recent) 次未脱敏导出，达到上限 \(perDay) 次；请明日再试，或使用脱敏导出")
            }
            let status: ExportRequestStatus = rowCount <= approvalRows ? .approved : .pending
            let id = try await db.insertReturningID(
                """
                INSERT INTO export_requests (requester_id, organisation_id, filter, format, purpose, row_count, status, created_at)
                VALUES (\(bind: requesterID), \(bind: organisationID), \(bind: String(filter.prefix(2_000))), \(bind: format),
                    \(bind: purpose), \(bind: rowCount), \(bind: status.rawValue), \(bind: now.epochSeconds))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "export_request", objectID: String(id), organisationID: organisationID,
                    summary: "申请导出未脱敏党员名册 \(rowCount) 条，用途：\(purpose)" + (status == .pending ? "（超过 \(approvalRows) 条，待另一人审批）" : "")),
                by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    public func find(_ id: Int64) async throws -> ExportRequest? {
        try await database.read { db in
            try await db.raw(Self.select + " WHERE r.id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// The requester's requests of the last 30 days, newest first.
    public func mine(userID: Int64) async throws -> [ExportRequest] {
        let since = clock.now().addingTimeInterval(-30 * 86_400).epochSeconds
        return try await database.read { db in
            try await db.raw(Self.select + " WHERE r.requester_id = \(bind: userID) AND r.created_at > \(bind: since) ORDER BY r.id DESC LIMIT 100")
                .all().map(Self.decode)
        }
    }

    /// Pending requests of others, for organisations inside `access` (who may export unmasked there).
    public func awaiting(access: OrganisationAccess, excluding userID: Int64) async throws -> [ExportRequest] {
        try await database.read { db in
            try await db.raw(
                Self.select + " WHERE r.status = \(bind: ExportRequestStatus.pending.rawValue) AND r.requester_id <> \(bind: userID) AND "
                    + AccessSQL.predicate(access, alias: "o") + " ORDER BY r.id LIMIT 200"
            ).all().map(Self.decode)
        }
    }

    /// Approves or refuses a pending request: never one's own, only inside `access`, once (a conditional update).
    public func decide(_ id: Int64, approve: Bool, note: String, access: OrganisationAccess, actor: Actor) async throws {
        guard let request = try await find(id),
            let org = try await database.read({ db in
                try await db.raw("SELECT path, parent_id FROM organisations WHERE id = \(bind: request.organisationID)").first()
            })
        else { throw RecordNotFound(objectType: "export_request", objectID: String(id)) }
        let path = MaterialisedPath(try org.value("path", String.self))
        guard let path, access.covers(path: path, parentID: try org.optional("parent_id")) else {
            throw RecordNotFound(objectType: "export_request", objectID: String(id))
        }
        guard request.requesterID != actor.userID else {
            throw ValidationFailure(field: "decision", message: "不能审批自己的导出申请：须由另一位有导出权限的人员审批（M6）")
        }
        let now = clock.now()
        try await database.write { db in
            let status: ExportRequestStatus = approve ? .approved : .rejected
            let changed =
                try await db.raw(
                    """
                    UPDATE export_requests SET status = \(bind: status.rawValue), decided_by = \(bind: actor.userID), decided_at = \(bind: now.epochSeconds),
                        note = \(bind: String(note.trimmed.prefix(200)))
                    WHERE id = \(bind: id) AND status = \(bind: ExportRequestStatus.pending.rawValue) RETURNING id
                    """
                ).first() != nil
            guard changed else { throw ValidationFailure(field: "decision", message: "该申请已处理") }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "export_request", objectID: String(id), organisationID: request.organisationID,
                    summary: "\(approve ? "批准" : "不批准")\(Masking.name(request.requesterName))导出未脱敏党员名册 \(request.rowCount) 条"
                        + (note.trimmed.isEmpty ? "" : "：\(note.trimmed.prefix(200))")),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Counts a download by the requester; false when the request is not (or no longer) downloadable.
    public func recordDownload(_ id: Int64, requesterID: Int64) async throws -> Bool {
        let now = clock.now()
        return try await database.write { db in
            try await db.raw(
                """
                UPDATE export_requests SET downloads = downloads + 1
                WHERE id = \(bind: id) AND requester_id = \(bind: requesterID) AND status = \(bind: ExportRequestStatus.approved.rawValue)
                AND downloads < \(bind: Self.maxDownloads) AND created_at >= \(bind: now.addingTimeInterval(-Self.validity).epochSeconds)
                RETURNING id
                """
            ).first() != nil
        }
    }

    static let select: SQLQueryString = """
        SELECT r.*, u.display_name AS requester_name, d.display_name AS decider_name, o.name AS organisation_name
        FROM export_requests r JOIN users u ON u.id = r.requester_id JOIN organisations o ON o.id = r.organisation_id
        LEFT JOIN users d ON d.id = r.decided_by
        """

    static func decode(_ row: any SQLRow) throws -> ExportRequest {
        ExportRequest(
            id: try row.value("id"), requesterID: try row.value("requester_id"), requesterName: try row.value("requester_name"),
            organisationID: try row.value("organisation_id"), organisationName: try row.value("organisation_name"),
            filter: try row.value("filter"), format: try row.value("format"), purpose: try row.value("purpose"),
            rowCount: Int(try row.value("row_count", Int64.self)), status: ExportRequestStatus(rawValue: try row.value("status")) ?? .rejected,
            createdAt: Date(epochSeconds: try row.value("created_at")), deciderName: try row.optional("decider_name"),
            decidedAt: try row.optional("decided_at", Int64.self).map { Date(epochSeconds: $0) }, note: try row.optional("note"),
            downloads: Int(try row.value("downloads", Int64.self)))
    }
}
