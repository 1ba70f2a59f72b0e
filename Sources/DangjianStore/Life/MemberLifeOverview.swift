public import Foundation
public import DangjianDomain
import SQLKit

/// A member's own organisational life for the home page (issue 17, item 17): the year's meetings that listed them
/// with their attendance, and the sign-ins open now in their organisation. Read for the member linked to the
/// signed-in account only — nobody else's record.
public struct MemberLifeOverview: Sendable {
    public struct Attended: Sendable {
        public var meetingID: Int64
        public var heldOn: CivilDate
        public var kind: MeetingKind
        public var topic: String
        public var status: AttendanceStatus
    }

    public struct OpenCheckin: Sendable {
        public var meetingID: Int64
        public var kind: MeetingKind
        public var topic: String
        public var heldOn: CivilDate
        public var expiresAt: Date
        /// Whether this member has signed in already.
        public var signedIn: Bool
    }

    public var year: Int
    public var meetings: [Attended]
    public var openCheckins: [OpenCheckin]

    public var present: Int { meetings.filter { $0.status == .present }.count }
    public var leave: Int { meetings.filter { $0.status == .leave }.count }
    public var absent: Int { meetings.filter { $0.status == .absent }.count }
}

extension MeetingRepository {
    /// The member's meetings of `year` (records deleted as mistakes left out), newest first, and the open sign-ins
    /// of their organisation.
    public func overview(ofMember memberID: Int64, organisationID: Int64, year: Int) async throws -> MemberLifeOverview {
        let now = clock.now().epochSeconds
        return try await database.read { db in
            let meetings = try await db.raw(
                """
                SELECT g.id, g.held_on, g.kind, g.topic, a.status FROM meeting_attendance a JOIN meetings g ON g.id = a.meeting_id
                WHERE a.member_id = \(bind: memberID) AND g.deleted_at IS NULL
                AND g.held_on >= \(bind: "\(year)-01-01") AND g.held_on <= \(bind: "\(year)-12-31") ORDER BY g.held_on DESC, g.id DESC
                """
            ).all().compactMap { r -> MemberLifeOverview.Attended? in
                guard let kind = MeetingKind(rawValue: try r.value("kind")), let status = AttendanceStatus(rawValue: try r.value("status")),
                    let day = CivilDate(iso: try r.value("held_on"))
                else { return nil }
                return MemberLifeOverview.Attended(meetingID: try r.value("id"), heldOn: day, kind: kind, topic: try r.value("topic"), status: status)
            }
            let open = try await db.raw(
                """
                SELECT g.id, g.kind, g.topic, g.held_on, c.expires_at, a.checked_in_at FROM meeting_checkins c JOIN meetings g ON g.id = c.meeting_id
                LEFT JOIN meeting_attendance a ON a.meeting_id = g.id AND a.member_id = \(bind: memberID)
                WHERE g.organisation_id = \(bind: organisationID) AND g.deleted_at IS NULL AND c.closed_at IS NULL AND c.expires_at > \(bind: now)
                ORDER BY c.id DESC
                """
            ).all().compactMap { r -> MemberLifeOverview.OpenCheckin? in
                guard let kind = MeetingKind(rawValue: try r.value("kind")), let day = CivilDate(iso: try r.value("held_on")) else { return nil }
                return MemberLifeOverview.OpenCheckin(
                    meetingID: try r.value("id"), kind: kind, topic: try r.value("topic"), heldOn: day,
                    expiresAt: Date(epochSeconds: try r.value("expires_at")), signedIn: try r.optional("checked_in_at", Int64.self) != nil)
            }
            return MemberLifeOverview(year: year, meetings: meetings, openCheckins: open)
        }
    }
}
