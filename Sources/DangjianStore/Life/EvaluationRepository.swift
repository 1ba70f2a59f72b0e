public import Foundation
public import DangjianDomain
import SQLKit

/// A 民主评议党员 as stored: the meeting it belongs to and one line per member listed at it.
public struct DemocraticEvaluationRecord: Sendable {
    public enum Status: String, Sendable { case draft, final }

    public var id: Int64
    public var meetingID: Int64
    public var organisationID: Int64
    public var year: Int
    public var status: Status
    /// Members who could cast a peer ballot (present at the meeting).
    public var ballots: Int
    public var entries: [EvaluationEntry]
    public var version: Int64

    /// Counts per grade (graded members only).
    public var counts: [EvaluationGrade: Int] {
        var c: [EvaluationGrade: Int] = [:]
        for e in entries { if let g = e.grade { c[g, default: 0] += 1 } }
        return c
    }
}

/// 民主评议党员 (LIFE-08): opened from the evaluation meeting (or an 组织生活会 it was combined with), saved as a
/// draft as often as needed, and fixed once with every check passed. Corrections after that are a new meeting's
/// business, not silent edits.
public struct EvaluationRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// The kinds of meeting an evaluation can be held at (LIFE-08 may be combined with LIFE-07).
    public static let meetingKinds: Set<MeetingKind> = [.democraticEvaluation, .lifeMeeting]

    /// The evaluation of a meeting inside `access`; nil when there is none yet or the meeting is out of reach.
    public func find(meetingID: Int64, access: OrganisationAccess) async throws -> DemocraticEvaluationRecord? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM evaluations WHERE meeting_id = \(bind: meetingID)").first() else { return nil }
            guard try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil else { return nil }
            return try await Self.load(row, db: db)
        }
    }

    /// The evaluation of a meeting, or — before the first save — the lines it would start with (id 0, not stored).
    public func findOrPreview(meetingID: Int64, access: OrganisationAccess) async throws -> DemocraticEvaluationRecord {
        if let stored = try await find(meetingID: meetingID, access: access) { return stored }
        return try await database.read { db in
            guard let meeting = try await MeetingRepository.find(meetingID, db: db),
                try await OrganisationRepository.find(meeting.organisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
            }
            guard Self.meetingKinds.contains(meeting.kind) else {
                throw ValidationFailure(
                    field: "meeting", message: "民主评议应在民主评议党员会议或组织生活会上进行，这是一次\(meeting.kind.displayName)", ruleID: RuleID.life08.code)
            }
            var entries: [EvaluationEntry] = []
            for a in meeting.attendance {
                let status = try await db.raw("SELECT party_status FROM members WHERE id = \(bind: a.memberID)").first()?.value(
                    "party_status", String.self)
                entries.append(EvaluationEntry(memberID: a.memberID, name: a.name, full: status == "full"))
            }
            return DemocraticEvaluationRecord(
                id: 0, meetingID: meetingID, organisationID: meeting.organisationID, year: meeting.heldOn.year,
                status: .draft, ballots: meeting.present, entries: entries, version: 0)
        }
    }

    /// Opens the evaluation of a meeting: every member listed at it gets a line (full or probationary as on the
    /// roster now). Opening twice returns the same evaluation.
    public func open(meetingID: Int64, access: OrganisationAccess, actor: Actor) async throws -> DemocraticEvaluationRecord {
        try await database.write { db in
            let id = try await openRow(meetingID: meetingID, access: access, actor: actor, db: db)
            return try await Self.load(try await db.raw("SELECT * FROM evaluations WHERE id = \(bind: id)").first().required("row", "query"), db: db)
        }
    }

    /// The evaluation's id, inserting it (and its lines) inside the caller's transaction when there is none yet.
    func openRow(meetingID: Int64, access: OrganisationAccess, actor: Actor, db: any SQLDatabase) async throws -> Int64 {
        let now = clock.now().epochSeconds
        if let row = try await db.raw("SELECT id, organisation_id FROM evaluations WHERE meeting_id = \(bind: meetingID)").first() {
            guard try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
            }
            return try row.value("id")
        }
        guard let meeting = try await MeetingRepository.find(meetingID, db: db),
            let org = try await OrganisationRepository.find(meeting.organisationID, access: access, db: db)
        else {
            throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
        }
        guard Self.meetingKinds.contains(meeting.kind) else {
            throw ValidationFailure(field: "meeting", message: "民主评议应在民主评议党员会议或组织生活会上进行，这是一次\(meeting.kind.displayName)", ruleID: RuleID.life08.code)
        }
        let id = try await db.insertReturningID(
            """
            INSERT INTO evaluations (meeting_id, organisation_id, year, status, ballots, created_at, updated_at)
            VALUES (\(bind: meetingID), \(bind: org.id), \(bind: meeting.heldOn.year), \(bind: DemocraticEvaluationRecord.Status.draft.rawValue), \(bind: meeting.present), \(bind: now), \(bind: now))
            """)
        for a in meeting.attendance {
            let status = try await db.raw("SELECT party_status FROM members WHERE id = \(bind: a.memberID)").first()?.value(
                "party_status", String.self)
            try await db.raw(
                """
                INSERT INTO evaluation_entries (evaluation_id, member_id, full_member) VALUES (\(bind: id), \(bind: a.memberID), \(bind: status == "full" ? 1 : 0))
                """
            ).run()
        }
        try await audit.append(
            AuditEvent(
                action: .create, objectType: "evaluation", objectID: String(id), organisationID: org.id,
                summary: "开始民主评议党员（\(meeting.heldOn) \(meeting.kind.displayName)，\(meeting.attendance.count) 名党员）"), by: actor, in: db,
            dialect: database.dialect)
        return id
    }

    /// Saves the lines (a draft), or fixes the grades when `finalise` — then every check of LIFE-08 must pass:
    /// all full members graded, 优秀 within the share, follow-up written for 基本合格/不合格, probationary members
    /// ungraded unless the rule book says otherwise. All problems are reported at once; nothing is written then.
    /// The evaluation is opened in the same transaction if this is its first save, so a refused first save leaves
    /// nothing behind.
    public func save(
        meetingID: Int64, entries: [EvaluationEntry], finalise: Bool, expectedVersion: Int64?, access: OrganisationAccess,
        actor: Actor
    ) async throws -> DemocraticEvaluationRecord {
        let now = clock.now().epochSeconds
        let rules = try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
        return try await database.write { db in
            let evaluationID = try await openRow(meetingID: meetingID, access: access, actor: actor, db: db)
            guard let row = try await db.raw("SELECT * FROM evaluations WHERE id = \(bind: evaluationID)").first(),
                try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "evaluation", objectID: String(evaluationID))
            }
            var current = try await Self.load(row, db: db)
            guard current.status == .draft else {
                throw ValidationFailure(field: "status", message: "本次民主评议的等次已确定，不能再修改", ruleID: RuleID.life08.code)
            }
            if let expectedVersion, expectedVersion != current.version {
                throw ValidationFailure(field: "version", message: "评议结果已被他人修改，请刷新后重新填写")
            }
            // Only the members listed at the meeting; their full/probationary status is the stored one.
            var byID: [Int64: EvaluationEntry] = [:]
            for e in entries { byID[e.memberID] = e }
            for (i, line) in current.entries.enumerated() {
                guard let typed = byID[line.memberID] else { continue }
                current.entries[i].selfEvaluation = typed.selfEvaluation.trimmed
                current.entries[i].peerVotes = typed.peerVotes
                current.entries[i].grade = typed.grade
                current.entries[i].followUp = typed.followUp.trimmed
                current.entries[i].feedbackOn = typed.feedbackOn
            }
            if let stranger = entries.first(where: { e in !current.entries.contains { $0.memberID == e.memberID } }) {
                throw ValidationFailure(
                    field: "member_\(stranger.memberID)", message: "\(stranger.name.isEmpty ? "该党员" : stranger.name)不在本次会议的名单中",
                    ruleID: RuleID.life08.code)
            }
            let problems = DemocraticEvaluationCheck.problems(current.entries, ballots: current.ballots, finalising: finalise, rules: rules)
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            for e in current.entries {
                try await db.raw(
                    """
                    UPDATE evaluation_entries SET self_evaluation = \(bind: e.selfEvaluation.isEmpty ? nil : e.selfEvaluation),
                    peer_excellent = \(bind: e.peerVotes[.excellent] ?? 0), peer_qualified = \(bind: e.peerVotes[.qualified] ?? 0),
                    peer_basic = \(bind: e.peerVotes[.basicallyQualified] ?? 0), peer_unqualified = \(bind: e.peerVotes[.unqualified] ?? 0),
                    grade = \(bind: e.grade?.rawValue), follow_up = \(bind: e.followUp.isEmpty ? nil : e.followUp), feedback_on = \(bind: e.feedbackOn?.description)
                    WHERE evaluation_id = \(bind: evaluationID) AND member_id = \(bind: e.memberID)
                    """
                ).run()
            }
            try await db.raw(
                """
                UPDATE evaluations SET status = \(bind: finalise ? "final" : "draft"), finalised_at = \(bind: finalise ? now : nil),
                updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: evaluationID)
                """
            ).run()
            current.status = finalise ? .final : .draft
            let counts = current.counts
            let tally = EvaluationGrade.allCases.map { "\($0.displayName) \(counts[$0] ?? 0)" }.joined(separator: "、")
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "evaluation", objectID: String(evaluationID), organisationID: current.organisationID,
                    summary: (finalise ? "确定民主评议等次：" : "保存民主评议：") + tally), by: actor, in: db, dialect: database.dialect)
            return try await Self.load(
                try await db.raw("SELECT * FROM evaluations WHERE id = \(bind: evaluationID)").first().required("row", "query"), db: db)
        }
    }

    /// A member's fixed grades, newest first: (year, grade, follow-up).
    public func grades(ofMember memberID: Int64) async throws -> [(year: Int, grade: EvaluationGrade, followUp: String?)] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT e.year, x.grade, x.follow_up FROM evaluation_entries x JOIN evaluations e ON e.id = x.evaluation_id
                WHERE x.member_id = \(bind: memberID) AND e.status = \(bind: DemocraticEvaluationRecord.Status.final.rawValue) AND x.grade IS NOT NULL ORDER BY e.year DESC, e.id DESC
                """
            ).all().compactMap { r in
                guard let g = EvaluationGrade(rawValue: try r.value("grade")) else { return nil }
                return (try r.value("year"), g, try r.optional("follow_up"))
            }
        }
    }

    static func load(_ row: any SQLRow, db: any SQLDatabase) async throws -> DemocraticEvaluationRecord {
        let id: Int64 = try row.value("id")
        let entries = try await db.raw(
            """
            SELECT x.*, m.name FROM evaluation_entries x JOIN members m ON m.id = x.member_id WHERE x.evaluation_id = \(bind: id) ORDER BY m.name, x.member_id
            """
        ).all().map { r in
            EvaluationEntry(
                memberID: try r.value("member_id"), name: try r.value("name"), full: try r.value("full_member", Int.self) != 0,
                selfEvaluation: try r.optional("self_evaluation") ?? "",
                peerVotes: [
                    .excellent: try r.value("peer_excellent"), .qualified: try r.value("peer_qualified"),
                    .basicallyQualified: try r.value("peer_basic"), .unqualified: try r.value("peer_unqualified"),
                ],
                grade: try r.optional("grade", String.self).flatMap(EvaluationGrade.init(rawValue:)),
                followUp: try r.optional("follow_up") ?? "", feedbackOn: try r.optional("feedback_on", String.self).flatMap(CivilDate.init(iso:)))
        }
        return DemocraticEvaluationRecord(
            id: id, meetingID: try row.value("meeting_id"), organisationID: try row.value("organisation_id"), year: try row.value("year"),
            status: DemocraticEvaluationRecord.Status(rawValue: try row.value("status")) ?? .draft, ballots: try row.value("ballots"),
            entries: entries, version: try row.value("version"))
    }
}
