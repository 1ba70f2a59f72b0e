public import Foundation
public import DangjianDomain
import SQLKit

/// A vote on a resolution as typed.
public struct VoteDraft: Sendable {
    public var motion: String
    public var vote: ResolutionVote
    /// Whether 实到 was written on the form; when not, it is the full members the form marks present (LIFE-02).
    public var presentGiven: Bool

    public init(motion: String, vote: ResolutionVote, presentGiven: Bool = true) {
        self.motion = motion
        self.vote = vote
        self.presentGiven = presentGiven
    }
}

/// An activity as typed on the form (one form for every kind; lecturer and theme items where they apply).
public struct MeetingDraft: Sendable {
    public var kind: MeetingKind
    public var heldOn: CivilDate
    public var place = ""
    public var host = ""
    public var recorder = ""
    public var topic = ""
    public var agenda = ""
    public var minutes = ""
    public var decisions = ""
    /// 党课 授课人.
    public var lecturer = ""
    /// Members sign in by QR after the record is saved: the attendance on the form is not yet the meeting's.
    public var awaitingCheckin = false
    /// 主题党日 “1+1+X” 内容.
    public var themeItems = ""
    /// Member id → status and reason; roster members not listed are absent.
    public var attendance: [Int64: (AttendanceStatus, String)] = [:]
    public var votes: [VoteDraft] = []

    public init(kind: MeetingKind, heldOn: CivilDate) {
        self.kind = kind
        self.heldOn = heldOn
    }
}

/// A draft's texts as they are stored: trimmed, nil when empty.
struct MeetingFields: Sendable {
    var topic: String
    var place, host, recorder, agenda, minutes, decisions, lecturer, themeItems: String?
}

/// A stored activity.
public struct MeetingRecord: Sendable {
    public struct Attendee: Sendable {
        public var memberID: Int64
        public var name: String
        public var status: AttendanceStatus
        public var reason: String?
        /// When the member signed in by scanning the meeting's QR code.
        public var checkedInAt: Date? = nil
    }

    public struct Vote: Sendable {
        public var motion: String
        public var vote: ResolutionVote
        public var passed: Bool
        public var explanation: String
    }

    public var id: Int64
    public var organisationID: Int64
    public var kind: MeetingKind
    public var heldOn: CivilDate
    public var place: String?
    public var host: String?
    public var recorder: String?
    public var topic: String
    public var agenda: String?
    public var minutes: String?
    public var decisions: String?
    public var lecturer: String?
    public var themeItems: String?
    public var shouldAttend: Int
    public var present: Int
    public var attendance: [Attendee]
    public var votes: [Vote]
    /// 1 as recorded, one more with each correction (`MeetingRepository.correct`).
    public var version: Int64 = 1
    /// Set when the record was deleted as entered by mistake: it is kept to be read, and left out of every count.
    public var deletion: Deletion? = nil

    /// Who deleted a record, when and why.
    public struct Deletion: Sendable {
        public var at: Date
        public var byUserID: Int64?
        public var reason: String
    }
}

/// The 组织生活 ledger: recording an activity with its attendance (pre-filled from the roster) and votes, and
/// reading it back. Writes need `membersWrite` access to the organisation, reads `membersRead` (attendance names
/// people).
public struct MeetingRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// The members expected at an organisation's activities: its roster in good standing (正常 or 失联).
    public func roster(of organisationID: Int64, access: OrganisationAccess) async throws -> [(id: Int64, name: String, full: Bool)] {
        try await database.read { db in
            guard try await OrganisationRepository.find(organisationID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            return try await Self.roster(organisationID, db: db)
        }
    }

    static func roster(_ organisationID: Int64, db: any SQLDatabase) async throws -> [(id: Int64, name: String, full: Bool)] {
        try await db.raw(
            """
            SELECT id, name, party_status FROM members WHERE organisation_id = \(bind: organisationID) AND deleted_at IS NULL
            AND membership_state IN (\(binds: MembershipState.onRosterValues)) ORDER BY name, id
            """
        ).all().map { (try $0.value("id"), try $0.value("name"), try $0.value("party_status", String.self) == "full") }
    }

    /// Records an activity. Every problem is reported at once with its field (and rule where one applies).
    public func record(_ draft: MeetingDraft, organisationID: Int64, access: OrganisationAccess, actor: Actor) async throws -> MeetingRecord {
        let fields = try Self.checkFields(draft, today: CivilDate(date: clock.now()))
        let rules = try await RuleBookRepository.inForce(in: database, on: draft.heldOn)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            guard !org.isDissolved else { throw ValidationFailure(field: "organisation_id", message: "“\(org.name)”已撤销，不能再记录组织生活") }
            let roster = try await Self.roster(organisationID, db: db)
            let outcomes = try Self.checkTallies(draft, roster: roster)
            let present = draft.attendance.values.filter { $0.0 == .present }.count
            if let refusal = LifeCompliance.leadershipLifeAttendance(
                kind: draft.kind, listed: roster.count, present: present, awaitingCheckin: draft.awaitingCheckin, rules: rules)
            {
                throw refusal
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO meetings (organisation_id, kind, held_on, place, host, recorder, topic, agenda, minutes, decisions, lecturer,
                    theme_items, should_attend, present, created_by, created_at, updated_at)
                VALUES (\(bind: organisationID), \(bind: draft.kind.rawValue), \(bind: draft.heldOn.description), \(bind: fields.place), \(bind: fields.host),
                    \(bind: fields.recorder), \(bind: fields.topic), \(bind: fields.agenda), \(bind: fields.minutes), \(bind: fields.decisions),
                    \(bind: fields.lecturer), \(bind: fields.themeItems), \(bind: roster.count), \(bind: present), \(bind: actor.userID),
                    \(bind: now), \(bind: now))
                """)
            try await Self.insertDetails(id, roster: roster.map(\.id), draft: draft, outcomes: outcomes, checkedIn: [:], db: db)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "meeting", objectID: String(id), organisationID: organisationID,
                    summary: "记录\(draft.kind.displayName)（\(draft.heldOn)）：\(fields.topic)；应到 \(roster.count)、实到 \(present)"
                        + outcomes.map { "；表决“\($0.0.motion)”\($0.1.passed ? "通过" : "未通过")" }.joined(),
                    changes: [
                        FieldChange(field: "kind", old: nil, new: draft.kind.displayName),
                        FieldChange(field: "held_on", old: nil, new: draft.heldOn.description),
                    ]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, db: db).required("record", id)
        }
    }

    /// The texts of a draft, trimmed and checked (length, required fields, a date not in the future), every problem at once.
    static func checkFields(_ draft: MeetingDraft, today: CivilDate) throws(ValidationProblems) -> MeetingFields {
        var problems: [ValidationFailure] = []
        func text(_ value: String, _ field: String, _ label: String, limit: Int, required: Bool = false) -> String? {
            let t = value.trimmed
            if required && t.isEmpty { problems.append(ValidationFailure(field: field, message: "请填写\(label)")) }
            if t.count > limit { problems.append(ValidationFailure(field: field, message: "\(label)不能超过 \(limit) 个字")) }
            return t.isEmpty ? nil : t
        }
        if draft.heldOn > today { problems.append(ValidationFailure(field: "held_on", message: "日期 \(draft.heldOn) 晚于今天：请在活动开展后记录")) }
        let fields = MeetingFields(
            topic: text(draft.topic, "topic", "主题", limit: 200, required: true) ?? "",
            place: text(draft.place, "place", "地点", limit: 100), host: text(draft.host, "host", "主持人", limit: 50),
            recorder: text(draft.recorder, "recorder", "记录人", limit: 50), agenda: text(draft.agenda, "agenda", "议程", limit: 5_000),
            minutes: text(draft.minutes, "minutes", "会议记录", limit: 50_000), decisions: text(draft.decisions, "decisions", "决定事项", limit: 5_000),
            lecturer: text(draft.lecturer, "lecturer", "授课人", limit: 50, required: draft.kind == .partyLecture),
            themeItems: text(draft.themeItems, "theme_items", "主题党日内容", limit: 2_000))
        if !draft.kind.takesVotes && !draft.votes.isEmpty {
            problems.append(
                ValidationFailure(field: "votes", message: "\(draft.kind.displayName)不进行表决；表决请记录在支部党员大会或支委会中", ruleID: RuleID.life02.code))
        }
        for (i, v) in draft.votes.enumerated() {
            let motion = v.motion.trimmed
            if motion.isEmpty || motion.count > 200 {
                problems.append(ValidationFailure(field: "vote_\(i)_motion", message: "第 \(i + 1) 项表决：请填写表决事项（不超过 200 个字）"))
            }
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        return fields
    }

    /// The attendance against the roster and the tallies against the attendance on the same form (LIFE-02, DEV-18,
    /// DEV-19, decided in the Domain): each vote with its outcome, or every problem at once.
    static func checkTallies(_ draft: MeetingDraft, roster: [(id: Int64, name: String, full: Bool)]) throws -> [(VoteDraft, ResolutionVote.Outcome)] {
        let ids = Set(roster.map(\.id))
        if let stranger = draft.attendance.keys.first(where: { !ids.contains($0) }) {
            throw ValidationFailure(field: "attendance", message: "党员（编号 \(stranger)）不在本组织名册中")
        }
        let fullMembers = roster.filter(\.full).count
        for (i, v) in draft.votes.enumerated() where v.vote.entitled > fullMembers {
            throw ValidationFailure(
                field: "vote_\(i)_entitled", message: "第 \(i + 1) 项表决：应到有表决权的党员 \(v.vote.entitled) 人，多于本组织正式党员 \(fullMembers) 人（预备党员没有表决权）",
                ruleID: RuleID.dev18.code)
        }
        let fullStatuses = roster.filter(\.full).map { draft.attendance[$0.id]?.0 ?? .absent }
        var outcomes: [(VoteDraft, ResolutionVote.Outcome)] = []
        var problems: [ValidationFailure] = []
        for (i, v) in draft.votes.enumerated() {
            var vote = v.vote
            switch ResolutionVote.presentFigure(
                typed: v.presentGiven ? vote.present : nil, presentFullMembers: fullStatuses.filter { $0 == .present }.count,
                fullMembersNotOnLeave: fullStatuses.filter { $0 != .leave }.count, awaitingCheckin: draft.awaitingCheckin)
            {
            case .success(let present): vote.present = present
            case .failure(let p):
                problems.append(ValidationFailure(field: "vote_\(i)_\(p.field)", message: "第 \(i + 1) 项表决：\(p.message)", ruleID: p.ruleID))
                continue
            }
            let outcome = vote.outcome()
            for p in outcome.problems {
                problems.append(ValidationFailure(field: "vote_\(i)_\(p.field)", message: "第 \(i + 1) 项表决：\(p.message)", ruleID: p.ruleID))
            }
            outcomes.append((VoteDraft(motion: v.motion.trimmed, vote: vote), outcome))
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        return outcomes
    }

    /// Writes a meeting's attendance (every member of `roster`; those the draft does not list are absent) and votes.
    /// `checkedIn`: when members who stay present signed in by QR (kept through a correction).
    static func insertDetails(
        _ id: Int64, roster: [Int64], draft: MeetingDraft, outcomes: [(VoteDraft, ResolutionVote.Outcome)], checkedIn: [Int64: Int64],
        db: any SQLDatabase
    ) async throws {
        for member in roster {
            let (status, reason) = draft.attendance[member] ?? (.absent, "")
            let why = reason.trimmed
            let signedIn = status == .present ? checkedIn[member] : nil
            try await db.raw(
                """
                INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, checked_in_at)
                VALUES (\(bind: id), \(bind: member), \(bind: status.rawValue), \(bind: why.isEmpty ? nil : String(why.prefix(100))), \(bind: signedIn))
                """
            ).run()
        }
        for (v, outcome) in outcomes {
            try await db.raw(
                """
                INSERT INTO meeting_votes (meeting_id, motion, entitled, present, in_favour, against, abstaining, written_in_favour, written_against, passed, explanation)
                VALUES (\(bind: id), \(bind: v.motion), \(bind: v.vote.entitled), \(bind: v.vote.present), \(bind: v.vote.inFavour), \(bind: v.vote.against),
                    \(bind: v.vote.abstaining), \(bind: v.vote.writtenInFavour), \(bind: v.vote.writtenAgainst), \(bind: outcome.passed ? 1 : 0), \(bind: outcome.explanation))
                """
            ).run()
        }
    }

    /// One activity inside `access`.
    public func find(_ id: Int64, access: OrganisationAccess) async throws -> MeetingRecord? {
        try await database.read { db in
            guard let record = try await Self.find(id, db: db),
                try await OrganisationRepository.find(record.organisationID, access: access, db: db) != nil
            else { return nil }
            return record
        }
    }

    /// The activities of an organisation in a year, newest first (attendance not loaded; deleted records left out).
    public func list(organisationID: Int64, year: Int, access: OrganisationAccess) async throws -> [MeetingRecord] {
        try await database.read { db in
            guard try await OrganisationRepository.find(organisationID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            return try await db.raw(
                """
                SELECT * FROM meetings WHERE organisation_id = \(bind: organisationID) AND deleted_at IS NULL
                AND held_on >= \(bind: "\(year)-01-01") AND held_on <= \(bind: "\(year)-12-31") ORDER BY held_on DESC, id DESC
                """
            ).all().map { try Self.decode($0, attendance: [], votes: []) }
        }
    }

    static func find(_ id: Int64, db: any SQLDatabase) async throws -> MeetingRecord? {
        guard let row = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id)").first() else { return nil }
        let attendance = try await db.raw(
            """
            SELECT a.member_id, a.status, a.reason, a.checked_in_at, m.name FROM meeting_attendance a JOIN members m ON m.id = a.member_id
            WHERE a.meeting_id = \(bind: id) ORDER BY m.name, a.member_id
            """
        ).all().map { r in
            MeetingRecord.Attendee(
                memberID: try r.value("member_id"), name: try r.value("name"),
                status: AttendanceStatus(rawValue: try r.value("status")) ?? .absent, reason: try r.optional("reason"),
                checkedInAt: try r.optional("checked_in_at", Int64.self).map { Date(epochSeconds: $0) })
        }
        let votes = try await db.raw("SELECT * FROM meeting_votes WHERE meeting_id = \(bind: id) ORDER BY id").all().map { r in
            MeetingRecord.Vote(
                motion: try r.value("motion"),
                vote: ResolutionVote(
                    entitled: try r.value("entitled"), present: try r.value("present"), inFavour: try r.value("in_favour"),
                    against: try r.value("against"), abstaining: try r.value("abstaining"),
                    writtenInFavour: try r.value("written_in_favour"), writtenAgainst: try r.value("written_against")),
                passed: try r.value("passed", Int.self) != 0, explanation: try r.value("explanation"))
        }
        return try decode(row, attendance: attendance, votes: votes)
    }

    static func decode(_ row: any SQLRow, attendance: [MeetingRecord.Attendee], votes: [MeetingRecord.Vote]) throws -> MeetingRecord {
        MeetingRecord(
            id: try row.value("id"), organisationID: try row.value("organisation_id"),
            kind: MeetingKind(rawValue: try row.value("kind")) ?? .themeDay, heldOn: try row.date("held_on"),
            place: try row.optional("place"), host: try row.optional("host"), recorder: try row.optional("recorder"), topic: try row.value("topic"),
            agenda: try row.optional("agenda"), minutes: try row.optional("minutes"), decisions: try row.optional("decisions"),
            lecturer: try row.optional("lecturer"), themeItems: try row.optional("theme_items"),
            shouldAttend: try row.value("should_attend"), present: try row.value("present"), attendance: attendance, votes: votes,
            version: try row.value("version"),
            deletion: try row.optional("deleted_at", Int64.self).map {
                MeetingRecord.Deletion(
                    at: Date(epochSeconds: $0), byUserID: try row.optional("deleted_by"), reason: try row.optional("deleted_reason") ?? "")
            })
    }

    /// Generated activities for the scale tiers (`dangjian demo --tier`): rows only, in one multi-row statement per
    /// 500, one audit record per batch.
    func insertSynthetic(_ batch: [SyntheticMeeting], actor: Actor) async throws {
        guard !batch.isEmpty else { return }
        let now = clock.now().epochSeconds
        try await database.write { db in
            for start in stride(from: 0, to: batch.count, by: 500) {
                let chunk = batch[start..<min(start + 500, batch.count)]
                var values: [SQLQueryString] = []
                for m in chunk {
                    values.append(
                        "(\(bind: m.organisationID), \(bind: m.kind.rawValue), \(bind: m.heldOn.description), \(bind: m.kind.displayName), \(bind: m.shouldAttend), \(bind: m.present), \(bind: now), \(bind: now))"
                    )
                }
                var query: SQLQueryString =
                    "INSERT INTO meetings (organisation_id, kind, held_on, topic, should_attend, present, created_at, updated_at) VALUES "
                for (i, v) in values.enumerated() { query = i == 0 ? query + v : query + ", " + v }
                try await db.raw(query).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "meeting", objectID: "batch",
                    summary: "生成演示组织生活记录 \(batch.count) 条（合成数据）"), by: actor, in: db, dialect: database.dialect)
        }
    }
}

/// One generated activity.
struct SyntheticMeeting: Sendable {
    var organisationID: Int64
    var kind: MeetingKind
    var heldOn: CivilDate
    var shouldAttend: Int
    var present: Int
}

extension MeetingRepository {
    /// The days meetings of `kinds` were held in `years` by each organisation (records deleted as mistakes left out).
    static func heldDates(
        organisationIDs: [Int64], kinds: Set<MeetingKind>, years: [Int], db: any SQLDatabase
    ) async throws -> [Int64: [MeetingKind: [CivilDate]]] {
        guard !kinds.isEmpty, let first = years.min(), let last = years.max() else { return [:] }
        var held: [Int64: [MeetingKind: [CivilDate]]] = [:]
        for start in stride(from: 0, to: organisationIDs.count, by: 500) {
            let chunk = Array(organisationIDs[start..<min(start + 500, organisationIDs.count)])
            for row in try await db.raw(
                """
                SELECT organisation_id, kind, held_on FROM meetings WHERE organisation_id IN (\(binds: chunk)) AND deleted_at IS NULL
                AND kind IN (\(binds: kinds.map(\.rawValue).sorted())) AND held_on >= \(bind: "\(first)-01-01") AND held_on <= \(bind: "\(last)-12-31")
                """
            ).all() {
                guard let kind = MeetingKind(rawValue: try row.value("kind")), let day = CivilDate(iso: try row.value("held_on")) else { continue }
                held[try row.value("organisation_id"), default: [:]][kind, default: []].append(day)
            }
        }
        return held
    }
}
