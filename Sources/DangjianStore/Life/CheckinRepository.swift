public import Foundation
public import DangjianDomain
import SQLKit

/// An open QR sign-in of a meeting, with the token its QR code carries.
public struct MeetingCheckin: Sendable, Equatable {
    public var id: Int64
    public var meetingID: Int64
    public var token: String
    public var expiresAt: Date
    public var open: Bool
}

/// What a member sees after scanning.
public enum CheckinOutcome: Sendable, Equatable {
    case signedIn(memberName: String, meeting: String)
    case alreadySignedIn(memberName: String, meeting: String)
}

/// 扫码签到: the secretary opens a sign-in for today's meeting and shows its QR code; a member scans it, signs in
/// to their account and is marked present on the meeting's list (only their own line, only if they are on it).
public struct CheckinRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let keyring: Keyring
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, keyring: Keyring, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.keyring = keyring
        self.clock = clock
    }

    /// How long a sign-in stays open.
    public static let hours = 4

    func token(id: Int64, nonce: String) -> String {
        "\(id)-" + keyring.mac("\(id)|\(nonce)", purpose: "meeting-checkin-v1").prefix(32)
    }

    /// Opens (or re-opens, replacing the previous one) the sign-in of a meeting held today.
    public func open(meetingID: Int64, access: OrganisationAccess, actor: Actor) async throws -> MeetingCheckin {
        let now = clock.now()
        let today = CivilDate(date: now)
        return try await database.write { db in
            guard let meeting = try await MeetingRepository.find(meetingID, db: db),
                try await OrganisationRepository.find(meeting.organisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
            }
            guard meeting.heldOn == today else {
                throw ValidationFailure(field: "held_on", message: "扫码签到只能在活动当天开启（本次活动日期为 \(meeting.heldOn)）")
            }
            try await db.raw(
                "UPDATE meeting_checkins SET closed_at = \(bind: now.epochSeconds) WHERE meeting_id = \(bind: meetingID) AND closed_at IS NULL"
            ).run()
            let nonce = RandomToken.make(bytes: 16)
            let expires = now.addingTimeInterval(TimeInterval(Self.hours * 3600))
            let id = try await db.insertReturningID(
                """
                INSERT INTO meeting_checkins (meeting_id, nonce, expires_at, created_by, created_at)
                VALUES (\(bind: meetingID), \(bind: nonce), \(bind: expires.epochSeconds), \(bind: actor.userID), \(bind: now.epochSeconds))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "meeting_checkin", objectID: String(id), organisationID: meeting.organisationID,
                    summary: "开启扫码签到：\(meeting.kind.displayName)（\(meeting.heldOn)）\(meeting.topic)，\(Self.hours) 小时内有效"), by: actor, in: db,
                dialect: database.dialect)
            return MeetingCheckin(id: id, meetingID: meetingID, token: token(id: id, nonce: nonce), expiresAt: expires, open: true)
        }
    }

    /// The meeting's current sign-in, if one is open and not expired.
    public func current(meetingID: Int64, access: OrganisationAccess) async throws -> MeetingCheckin? {
        let now = clock.now().epochSeconds
        return try await database.read { db in
            guard let meeting = try await MeetingRepository.find(meetingID, db: db),
                try await OrganisationRepository.find(meeting.organisationID, access: access, db: db) != nil
            else { return nil }
            guard
                let row = try await db.raw(
                    """
                    SELECT * FROM meeting_checkins WHERE meeting_id = \(bind: meetingID) AND closed_at IS NULL AND expires_at > \(bind: now) ORDER BY id DESC
                    """
                ).first()
            else { return nil }
            let id: Int64 = try row.value("id")
            return MeetingCheckin(
                id: id, meetingID: meetingID, token: token(id: id, nonce: try row.value("nonce")),
                expiresAt: Date(epochSeconds: try row.value("expires_at")), open: true)
        }
    }

    public func close(meetingID: Int64, access: OrganisationAccess, actor: Actor) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let meeting = try await MeetingRepository.find(meetingID, db: db),
                try await OrganisationRepository.find(meeting.organisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
            }
            try await db.raw("UPDATE meeting_checkins SET closed_at = \(bind: now) WHERE meeting_id = \(bind: meetingID) AND closed_at IS NULL").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "meeting_checkin", objectID: String(meetingID), organisationID: meeting.organisationID,
                    summary: "关闭扫码签到：\(meeting.kind.displayName)（\(meeting.heldOn)）"), by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The meeting a token opens, for the confirmation page; nil when the token is wrong, closed or expired.
    public func meeting(forToken token: String) async throws -> (meeting: MeetingRecord, organisation: String)? {
        try await database.read { db in
            guard let meetingID = try await Self.valid(token, db: db, now: clock.now().epochSeconds, mac: self.token),
                let meeting = try await MeetingRepository.find(meetingID, db: db),
                let org = try await db.raw("SELECT name FROM organisations WHERE id = \(bind: meeting.organisationID)").first()
            else { return nil }
            return (meeting, try org.value("name"))
        }
    }

    /// Marks the member linked to `userID` present. Refused (with a reason a member understands) when the token is
    /// wrong or expired, the account has no member record, or the member is not on the meeting's list.
    public func checkIn(token: String, userID: Int64, actor: Actor) async throws -> CheckinOutcome {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let meetingID = try await Self.valid(token, db: db, now: now, mac: self.token),
                let meeting = try await MeetingRepository.find(meetingID, db: db)
            else {
                throw ValidationFailure(field: "token", message: "签到二维码无效或已过期，请向会议组织者索取新的二维码")
            }
            guard let user = try await db.raw("SELECT member_id FROM users WHERE id = \(bind: userID)").first(),
                let memberID = try user.optional("member_id", Int64.self)
            else {
                throw ValidationFailure(field: "member", message: "您的账户尚未关联党员信息，无法签到，请联系党务工作者")
            }
            let title = "\(meeting.kind.displayName)（\(meeting.heldOn)）\(meeting.topic)"
            guard let line = meeting.attendance.first(where: { $0.memberID == memberID }) else {
                throw ValidationFailure(field: "member", message: "您不在“\(title)”的参会名单中，请联系党务工作者")
            }
            if line.status == .present { return .alreadySignedIn(memberName: line.name, meeting: title) }
            // A member on leave may have given a written opinion that the tallies count (DEV-19); signing in as well
            // would count them twice, so the leave stands until the secretary corrects the record (issue 17 item 4).
            if line.status == .leave {
                throw ValidationFailure(
                    field: "member", message: "您已请假，本次会议不能再扫码签到；如已到会，请书记修改出席记录", ruleID: RuleID.dev19.code)
            }
            try await db.raw(
                """
                UPDATE meeting_attendance SET status = \(bind: AttendanceStatus.present.rawValue), reason = NULL, checked_in_at = \(bind: now)
                WHERE meeting_id = \(bind: meetingID) AND member_id = \(bind: memberID)
                """
            ).run()
            try await db.raw(
                """
                UPDATE meetings SET present = (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = \(bind: meetingID) AND status = \(bind: AttendanceStatus.present.rawValue)),
                updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: meetingID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "meeting", objectID: String(meetingID), organisationID: meeting.organisationID,
                    summary: "扫码签到：\(line.name)",
                    changes: [FieldChange(field: "attendance", old: line.status.displayName, new: AttendanceStatus.present.displayName)]),
                by: actor, in: db, dialect: database.dialect)
            return .signedIn(memberName: line.name, meeting: title)
        }
    }

    /// The meeting id of a valid token: the id before the dash names the sign-in; the rest must be its MAC.
    static func valid(_ token: String, db: any SQLDatabase, now: Int64, mac: (Int64, String) -> String) async throws -> Int64? {
        guard let dash = token.firstIndex(of: "-"), let id = Int64(token[..<dash]), token.count <= 64 else { return nil }
        guard let row = try await db.raw("SELECT meeting_id, nonce, expires_at, closed_at FROM meeting_checkins WHERE id = \(bind: id)").first(),
            try row.optional("closed_at", Int64.self) == nil, try row.value("expires_at", Int64.self) > now
        else { return nil }
        let expected = mac(id, try row.value("nonce"))
        guard expected.utf8.count == token.utf8.count, zip(expected.utf8, token.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return try row.value("meeting_id")
    }
}
