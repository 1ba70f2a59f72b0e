public import Foundation
public import DangjianDomain
import SQLKit

/// A version of a meeting record that a correction replaced, kept whole (decision 0031).
public struct MeetingRevision: Sendable {
    /// The version it was (1 as first recorded).
    public var version: Int64
    public var reason: String
    public var revisedAt: Date
    public var revisedBy: String?
    public var snapshot: MeetingSnapshot
}

/// A meeting record as it stood, in the form kept for its replaced versions.
public struct MeetingSnapshot: Sendable, Codable {
    public struct Attendee: Sendable, Codable {
        public var memberID: Int64
        public var name: String
        public var status: String
        public var reason: String?
    }

    public struct Vote: Sendable, Codable {
        public var motion: String
        public var entitled, present, inFavour, against, abstaining, writtenInFavour, writtenAgainst: Int
        public var passed: Bool
    }

    public var heldOn: String
    public var topic: String
    public var place, host, recorder, agenda, minutes, decisions, lecturer, themeItems: String?
    public var shouldAttend: Int
    public var present: Int
    public var attendance: [Attendee]
    public var votes: [Vote]

    init(_ m: MeetingRecord) {
        heldOn = m.heldOn.description
        topic = m.topic
        (place, host, recorder, agenda, minutes, decisions, lecturer, themeItems) =
            (m.place, m.host, m.recorder, m.agenda, m.minutes, m.decisions, m.lecturer, m.themeItems)
        shouldAttend = m.shouldAttend
        present = m.present
        attendance = m.attendance.map { Attendee(memberID: $0.memberID, name: $0.name, status: $0.status.rawValue, reason: $0.reason) }
        votes = m.votes.map {
            Vote(
                motion: $0.motion, entitled: $0.vote.entitled, present: $0.vote.present, inFavour: $0.vote.inFavour, against: $0.vote.against,
                abstaining: $0.vote.abstaining, writtenInFavour: $0.vote.writtenInFavour, writtenAgainst: $0.vote.writtenAgainst, passed: $0.passed)
        }
    }
}

/// Putting a meeting record right (issue 17, item 5; decision 0031): a correction with a reason replaces the record's
/// content and keeps the version it replaced; a record entered by mistake is deleted with a reason. Both need the
/// same `membersWrite` access as recording, both are audited, and neither loses anything.
extension MeetingRepository {
    /// The longest reason kept.
    static let reasonLimit = 200

    /// Corrects meeting `id` (as of `version`, else `EditConflict`) to `draft`; the kind stays. The attendance is
    /// judged against the members the record listed; a member who signed in by QR and stays present keeps the time.
    public func correct(
        _ id: Int64, to draft: MeetingDraft, reason: String, version: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> MeetingRecord {
        let why = try Self.checkReason(reason, action: "更正")
        let fields = try Self.checkFields(draft, today: CivilDate(date: clock.now()))
        let rules = try await RuleBookRepository.inForce(in: database, on: draft.heldOn)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let old = try await Self.writable(id, access: access, db: db, dialect: database.dialect)
            guard old.version == version else { throw EditConflict(objectType: "meeting", objectID: id) }
            guard draft.kind == old.kind else {
                throw ValidationFailure(field: "kind", message: "更正不能改变活动类型（原为\(old.kind.displayName)）：请删除这条记录后按正确的类型重新记录")
            }
            // Who the record listed, with their standing today (a vote counts full members).
            let full = Set(try await Self.roster(old.organisationID, db: db).filter(\.full).map(\.id))
            let listed = old.attendance.map { (id: $0.memberID, name: $0.name, full: full.contains($0.memberID)) }
            let outcomes = try Self.checkTallies(draft, roster: listed)
            if let refusal = LifeCompliance.leadershipLifeAttendance(
                kind: draft.kind, listed: listed.count, present: draft.attendance.values.filter { $0.0 == .present }.count,
                awaitingCheckin: false, rules: rules)
            {
                throw refusal
            }
            let snapshot = String(decoding: try JSONEncoder().encode(MeetingSnapshot(old)), as: UTF8.self)
            try await db.raw(
                """
                INSERT INTO meeting_revisions (meeting_id, version, snapshot, reason, revised_by, revised_at)
                VALUES (\(bind: id), \(bind: old.version), \(bind: snapshot), \(bind: why), \(bind: actor.userID), \(bind: now))
                """
            ).run()
            let present = listed.filter { draft.attendance[$0.id]?.0 == .present }.count
            try await db.raw(
                """
                UPDATE meetings SET held_on = \(bind: draft.heldOn.description), place = \(bind: fields.place), host = \(bind: fields.host),
                    recorder = \(bind: fields.recorder), topic = \(bind: fields.topic), agenda = \(bind: fields.agenda), minutes = \(bind: fields.minutes),
                    decisions = \(bind: fields.decisions), lecturer = \(bind: fields.lecturer), theme_items = \(bind: fields.themeItems),
                    present = \(bind: present), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: version)
                """
            ).run()
            let checkedIn = Dictionary(
                old.attendance.compactMap { a in a.checkedInAt.map { (a.memberID, $0.epochSeconds) } }, uniquingKeysWith: { a, _ in a })
            try await db.raw("DELETE FROM meeting_attendance WHERE meeting_id = \(bind: id)").run()
            try await db.raw("DELETE FROM meeting_votes WHERE meeting_id = \(bind: id)").run()
            try await Self.insertDetails(id, roster: listed.map(\.id), draft: draft, outcomes: outcomes, checkedIn: checkedIn, db: db)
            let new = try await Self.find(id, db: db).required("meeting", id)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "meeting", objectID: String(id), organisationID: old.organisationID,
                    summary: "更正\(old.kind.displayName)记录（第 \(old.version) 版 → 第 \(new.version) 版），原因：\(why)",
                    changes: Self.changes(from: old, to: new)),
                by: actor, in: db, dialect: database.dialect)
            return new
        }
    }

    /// Deletes meeting `id` as entered by mistake: marked with who, when and why, kept to be read, and left out of
    /// the lists, the roll-up, the board, the reports and participation. A record with a 民主评议 sheet is corrected
    /// instead (the sheet's grades hang on it).
    public func delete(_ id: Int64, reason: String, access: OrganisationAccess, actor: Actor) async throws {
        let why = try Self.checkReason(reason, action: "删除")
        let now = clock.now().epochSeconds
        try await database.write { db in
            let old = try await Self.writable(id, access: access, db: db, dialect: database.dialect)
            if try await db.raw("SELECT id FROM evaluations WHERE meeting_id = \(bind: id)").first() != nil {
                throw ValidationFailure(field: "reason", message: "这次会议已有民主评议表，不能删除；如记录有误，请更正")
            }
            try await db.raw(
                "UPDATE meetings SET deleted_at = \(bind: now), deleted_by = \(bind: actor.userID), deleted_reason = \(bind: why), updated_at = \(bind: now) WHERE id = \(bind: id)"
            ).run()
            try await db.raw("UPDATE meeting_checkins SET closed_at = \(bind: now) WHERE meeting_id = \(bind: id) AND closed_at IS NULL").run()
            try await audit.append(
                AuditEvent(
                    action: .delete, objectType: "meeting", objectID: String(id), organisationID: old.organisationID,
                    summary: "删除误录的\(old.kind.displayName)记录（\(old.heldOn)）：\(old.topic)；原因：\(why)",
                    changes: [
                        FieldChange(field: "topic", old: old.topic, new: nil), FieldChange(field: "held_on", old: old.heldOn.description, new: nil),
                    ]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The versions a record's corrections replaced, newest first.
    public func revisions(of id: Int64, access: OrganisationAccess) async throws -> [MeetingRevision] {
        try await database.read { db in
            guard let record = try await Self.find(id, db: db),
                try await OrganisationRepository.find(record.organisationID, access: access, db: db) != nil
            else { throw RecordNotFound(objectType: "meeting", objectID: String(id)) }
            return try await db.raw(
                """
                SELECT r.version, r.snapshot, r.reason, r.revised_at, u.display_name FROM meeting_revisions r
                LEFT JOIN users u ON u.id = r.revised_by WHERE r.meeting_id = \(bind: id) ORDER BY r.version DESC
                """
            ).all().map { row in
                MeetingRevision(
                    version: try row.value("version"), reason: try row.value("reason"),
                    revisedAt: Date(epochSeconds: try row.value("revised_at")), revisedBy: try row.optional("display_name"),
                    snapshot: try JSONDecoder().decode(MeetingSnapshot.self, from: Data(try row.value("snapshot", String.self).utf8)))
            }
        }
    }

    /// A record the caller may change: inside `access`, not deleted, its organisation not dissolved. On PostgreSQL
    /// the row is locked first, so two clerks changing it at once are handled one after the other (the second sees
    /// the first's version and gets `EditConflict`); SQLite has one writer anyway.
    static func writable(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase, dialect: StoreDialect) async throws -> MeetingRecord {
        if dialect == .postgres { _ = try await db.raw("SELECT id FROM meetings WHERE id = \(bind: id) FOR UPDATE").all() }
        guard let record = try await find(id, db: db),
            let org = try await OrganisationRepository.find(record.organisationID, access: access, db: db)
        else { throw RecordNotFound(objectType: "meeting", objectID: String(id)) }
        guard record.deletion == nil else { throw ValidationFailure(field: "id", message: "这条记录已删除，不能再更正或删除") }
        guard !org.isDissolved else { throw ValidationFailure(field: "organisation_id", message: "“\(org.name)”已撤销，其组织生活记录不能再修改") }
        return record
    }

    /// The reason a correction or deletion must give (decision 0031): required, at most `reasonLimit` characters.
    static func checkReason(_ reason: String, action: String) throws(ValidationFailure) -> String {
        let why = reason.trimmed
        guard !why.isEmpty else { throw ValidationFailure(field: "reason", message: "请填写\(action)原因") }
        guard why.count <= reasonLimit else { throw ValidationFailure(field: "reason", message: "\(action)原因不能超过 \(reasonLimit) 个字") }
        return why
    }

    /// The fields a correction changed, for the audit (attendance as one line: who changed to what).
    static func changes(from old: MeetingRecord, to new: MeetingRecord) -> [FieldChange] {
        var changes: [FieldChange] = []
        func compare(_ field: String, _ a: String?, _ b: String?) { if a != b { changes.append(FieldChange(field: field, old: a, new: b)) } }
        compare("held_on", old.heldOn.description, new.heldOn.description)
        compare("topic", old.topic, new.topic)
        compare("place", old.place, new.place)
        compare("host", old.host, new.host)
        compare("recorder", old.recorder, new.recorder)
        compare("lecturer", old.lecturer, new.lecturer)
        compare("theme_items", old.themeItems, new.themeItems)
        compare("agenda", old.agenda, new.agenda)
        compare("minutes", old.minutes, new.minutes)
        compare("decisions", old.decisions, new.decisions)
        let before = Dictionary(old.attendance.map { ($0.memberID, $0.status) }, uniquingKeysWith: { a, _ in a })
        let moved = new.attendance.filter { before[$0.memberID] != $0.status }
            .map { "\($0.name)：\(before[$0.memberID]?.displayName ?? "—")→\($0.status.displayName)" }
        if !moved.isEmpty { changes.append(FieldChange(field: "attendance", old: nil, new: moved.joined(separator: "，"))) }
        let votes = { (m: MeetingRecord) in m.votes.map { "\($0.motion)：\($0.passed ? "通过" : "未通过")" }.joined(separator: "；") }
        compare("votes", votes(old), votes(new))
        return changes
    }
}
