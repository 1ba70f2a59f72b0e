public import Foundation
public import DangjianDomain
import SQLKit

/// What the organiser fills in to open a review round (REVIEW-01…03).
public struct ReviewRoundDraft: Sendable {
    public var organiserID: Int64
    public var year: Int
    public var kind: ReviewRoundKind
    public var name: String
    public var heldOn: CivilDate
    public var gradeSet: ReviewGradeSetChoice
    public var content: ReviewContentChecklist
    /// REVIEW-02 rotation (def. on).
    public var rotation: Bool
    /// The assessment round the result combines with (REVIEW-06), organised inside the same access.
    public var assessmentRoundID: Int64?
    /// The organisations whose secretaries report; empty = the organiser's direct sub-organisations.
    public var organisationIDs: [Int64]
    /// REVIEW-06 weights; nil = the rule book's with an assessment round, the ballot alone (100 %) without one.
    public var weights: ReviewWeights?

    public init(
        organiserID: Int64, year: Int, kind: ReviewRoundKind = .annual, name: String, heldOn: CivilDate, gradeSet: ReviewGradeSetChoice = .standard,
        content: ReviewContentChecklist = .standard, rotation: Bool = true, assessmentRoundID: Int64? = nil, organisationIDs: [Int64] = [],
        weights: ReviewWeights? = nil
    ) {
        self.weights = weights
        self.organiserID = organiserID
        self.year = year
        self.kind = kind
        self.name = name
        self.heldOn = heldOn
        self.gradeSet = gradeSet
        self.content = content
        self.rotation = rotation
        self.assessmentRoundID = assessmentRoundID
        self.organisationIDs = organisationIDs
    }
}

public enum ReviewRoundState: String, Sendable {
    case open = "open"
    case confirmed = "confirmed"

    public var displayName: String {
        switch self {
        case .open: "进行中"
        case .confirmed: "已确定综合评价"
        }
    }
}

/// A review round as stored.
public struct ReviewRoundRecord: Sendable, Equatable {
    public var id: Int64
    public var organiserID: Int64
    public var organiserName: String
    public var year: Int
    public var kind: ReviewRoundKind
    public var name: String
    public var heldOn: CivilDate
    public var gradeSet: ReviewGradeSetChoice
    public var content: ReviewContentChecklist
    public var weights: ReviewWeights
    public var rotation: Bool
    public var assessmentRoundID: Int64?
    /// The phone-ballot session (扫码测评) is open until it is closed or `ballotExpiresAt` passes.
    public var ballotOpen: Bool
    public var ballotExpiresAt: Date?
    public var state: ReviewRoundState
    public var version: Int64
}

/// One reporter (a secretary) in a round, with the state of their report, comment, ballot and result.
public struct ReviewReporter: Sendable, Equatable {
    public var id: Int64
    public var roundID: Int64
    public var organisationID: Int64
    public var organisationName: String
    public var memberID: Int64?
    public var name: String
    public var mode: ReviewMode
    public var reportAttachmentID: Int64?
    public var reportFileName: String?
    public var covered: [String]
    public var comment: String?
    public var paperTally: BallotTally?
    public var paperAttendees: Int?
    /// Phone ballots cast so far (anonymous counts).
    public var phoneTally: BallotTally
    /// The tally fixed when the ballot closed (phone + paper).
    public var tally: BallotTally?
    public var closed: Bool
    public var outcome: ReviewOutcome
    /// The committee's value when it differs from the computed one (REVIEW-06), with the reason.
    public var final: Score?
    public var grade: String?
    public var adjustReason: String?
    public var problems: Int
    public var version: Int64
}

/// 述职评议 (issue 19, slug `review`, evaluation.md §5): rounds with their reporters, reports, the higher committee's
/// comment per reporter (REVIEW-04), paper tallies and anonymous phone ballots (REVIEW-05), the combined result with
/// the assessment (REVIEW-06), rectification items issued as problems (REVIEW-07) and the inputs the committee sees
/// (REVIEW-08). The organiser needs `ledger.manage` over the organising organisation; a reporter's organisation
/// uploads its report with `ledger.write`; an attendee needs only the round's ballot QR code or a one-time code.
public struct ReviewRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let keyring: Keyring
    let problems: ProblemRepository

    public init(database: Database, audit: AuditTrail, clock: any WallClock, keyring: Keyring, problems: ProblemRepository) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.keyring = keyring
        self.problems = problems
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    // Stored JSON (checklist, weights, tallies) is written and read as the assessment's is.
    static func json<T: Encodable>(_ value: T) throws -> String { try AssessmentRepository.json(value) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try AssessmentRepository.decode(type, text) }

    /// Opens a round: one reporter per organisation, the secretary of its current term (REVIEW-01), on site by
    /// default; the weights are the rule book's on the day (REVIEW-06) and stay with the round.
    public func openRound(_ draft: ReviewRoundDraft, access: OrganisationAccess, actor: Actor) async throws -> Int64 {
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw ValidationFailure(field: "name", message: "请填写述职评议名称（不超过 100 个字）", ruleID: RuleID.review01.code)
        }
        guard (2000...2100).contains(draft.year) else {
            throw ValidationFailure(field: "year", message: "年度应在 2000–2100 之间", ruleID: RuleID.review01.code)
        }
        let now = clock.now().epochSeconds
        let book = try await RuleBookRepository.inForce(in: database, on: today)
        let weights =
            draft.weights
            ?? (draft.assessmentRoundID == nil ? ReviewWeights(ballotPercent: 100, assessmentPercent: 0) : book.evaluation.reviewWeights)
        let parts = [weights.ballotPercent, weights.assessmentPercent, weights.dailyPercent]
        guard parts.allSatisfy({ (0...100).contains($0) }), parts.reduce(0, +) == 100 else {
            throw ValidationFailure(field: "weights", message: "测评、年度考评、日常工作三项权重应在 0–100% 之间且合计 100%", ruleID: RuleID.review06.code)
        }
        guard weights.dailyPercent == 0 else {
            throw ValidationFailure(
                field: "weights", message: "日常工作得分尚未在平台中单列，日常工作权重应为 0（可计入年度考评）", ruleID: RuleID.review06.code)
        }
        guard draft.assessmentRoundID != nil || weights.assessmentPercent == 0 else {
            throw ValidationFailure(
                field: "assessment_round", message: "年度考评权重为 \(weights.assessmentPercent)%，须选择要结合的年度考评", ruleID: RuleID.review06.code)
        }
        return try await database.write { db in
            guard let organiser = try await OrganisationRepository.find(draft.organiserID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(draft.organiserID))
            }
            if let assessmentID = draft.assessmentRoundID {
                guard let assessment = try await AssessmentRepository.round(assessmentID, db: db),
                    organiser.path.contains(try await path(assessment.organiserID, db: db))
                else {
                    throw ValidationFailure(field: "assessment_round", message: "请选择本单位或下级组织的年度考评", ruleID: RuleID.review06.code)
                }
            }
            var units: [Organisation] = []
            if draft.organisationIDs.isEmpty {
                for r in try await db.raw(
                    "SELECT id FROM organisations WHERE parent_id = \(bind: organiser.id) AND dissolved_at IS NULL ORDER BY sort_order, id"
                ).all() {
                    if let o = try await OrganisationRepository.find(try r.value("id"), access: access, db: db) { units.append(o) }
                }
            } else {
                for id in Set(draft.organisationIDs).sorted() {
                    // The organiser's own secretary may report at the same meeting when chosen (the higher
                    // committee attends); the default is the direct sub-organisations only.
                    guard let o = try await OrganisationRepository.find(id, access: access, db: db), organiser.path.contains(o.path) else {
                        throw ValidationFailure(field: "units", message: "组织（编号 \(id)）不在“\(organiser.name)”及其下级组织中", ruleID: RuleID.review01.code)
                    }
                    units.append(o)
                }
            }
            guard !units.isEmpty else {
                throw ValidationFailure(field: "units", message: "“\(organiser.name)”没有下级党组织，无人述职", ruleID: RuleID.review01.code)
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO review_rounds (organiser_id, year, kind, name, held_on, grade_set, content, weights, rotation, assessment_round_id, state,
                    created_by, created_at)
                VALUES (\(bind: organiser.id), \(bind: draft.year), \(bind: draft.kind.rawValue), \(bind: name), \(bind: draft.heldOn.description),
                    \(bind: draft.gradeSet.rawValue), \(bind: try Self.json(draft.content)), \(bind: try Self.json(weights)),
                    \(bind: draft.rotation ? 1 : 0), \(bind: draft.assessmentRoundID), \(bind: ReviewRoundState.open.rawValue), \(bind: actor.userID),
                    \(bind: now))
                """)
            for unit in units {
                let secretary = try await Self.secretary(unit.id, db: db)
                try await db.raw(
                    """
                    INSERT INTO review_reporters (round_id, organisation_id, member_id, name, mode)
                    VALUES (\(bind: id), \(bind: unit.id), \(bind: secretary?.memberID), \(bind: secretary?.name ?? "（书记空缺）"),
                        \(bind: ReviewMode.onSite.rawValue))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "review_round", objectID: String(id), organisationID: organiser.id,
                    summary: "开展\(draft.kind.displayName)“\(name)”：\(units.count) 名书记述职，\(draft.heldOn) 举行"),
                by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    func path(_ organisationID: Int64, db: any SQLDatabase) async throws -> MaterialisedPath {
        guard let row = try await db.raw("SELECT path FROM organisations WHERE id = \(bind: organisationID)").first(),
            let path = MaterialisedPath(try row.value("path", String.self))
        else { throw RecordNotFound(objectType: "organisation", objectID: String(organisationID)) }
        return path
    }

    /// The secretary (书记) of the organisation's current term, if one sits.
    static func secretary(_ organisationID: Int64, db: any SQLDatabase) async throws -> (name: String, memberID: Int64?)? {
        guard
            let row = try await db.raw(
                """
                SELECT l.name, l.member_id FROM leaders l JOIN terms t ON t.id = l.term_id
                WHERE t.organisation_id = \(bind: organisationID) AND l.post = \(bind: LeaderPost.secretary.rawValue) AND l.left_on IS NULL
                  AND t.id = (SELECT MAX(t2.id) FROM terms t2 WHERE t2.organisation_id = \(bind: organisationID))
                ORDER BY l.id LIMIT 1
                """
            ).first()
        else { return nil }
        let name: String = try row.value("name")
        if let memberID = try row.optional("member_id", Int64.self) { return (name, memberID) }
        // Terms record leaders by name: the secretary is the one member of that name on the rosters of the
        // organisation and the branches below it.
        guard let org = try await db.raw("SELECT path FROM organisations WHERE id = \(bind: organisationID)").first(),
            let path = MaterialisedPath(try org.value("path", String.self))
        else { return (name, nil) }
        let matches = try await db.raw(
            """
            SELECT m.id FROM members m JOIN organisations o ON o.id = m.organisation_id
            WHERE o.path >= \(bind: path.value) AND o.path < \(bind: path.upperBound) AND m.name = \(bind: name)
              AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) LIMIT 2
            """
        ).all()
        return (name, matches.count == 1 ? try matches[0].value("id", Int64.self) : nil)
    }

    // MARK: Reading

    static func round(_ id: Int64, db: any SQLDatabase) async throws -> ReviewRoundRecord? {
        try await db.raw(
            "SELECT r.*, o.name AS organiser_name FROM review_rounds r JOIN organisations o ON o.id = r.organiser_id WHERE r.id = \(bind: id)"
        ).first().map(decodeRound)
    }

    static func decodeRound(_ r: any SQLRow) throws -> ReviewRoundRecord {
        return ReviewRoundRecord(
            id: try r.value("id"), organiserID: try r.value("organiser_id"), organiserName: try r.value("organiser_name"), year: try r.value("year"),
            kind: ReviewRoundKind(rawValue: try r.value("kind")) ?? .annual, name: try r.value("name"),
            heldOn: CivilDate(iso: try r.value("held_on")) ?? .earliest,
            gradeSet: ReviewGradeSetChoice(rawValue: try r.value("grade_set")) ?? .standard,
            content: try decode(ReviewContentChecklist.self, try r.value("content")), weights: try decode(ReviewWeights.self, try r.value("weights")),
            rotation: try r.value("rotation", Int64.self) != 0, assessmentRoundID: try r.optional("assessment_round_id", Int64.self),
            ballotOpen: try r.optional("ballot_nonce", String.self) != nil,
            ballotExpiresAt: try r.optional("ballot_expires_at", Int64.self).map { Date(epochSeconds: $0) },
            state: ReviewRoundState(rawValue: try r.value("state")) ?? .open, version: try r.value("version"))
    }

    /// A round organised inside `access`; `RecordNotFound` otherwise (one answer for unknown and outside).
    static func organisedRound(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> ReviewRoundRecord {
        guard let round = try await round(id, db: db), try await OrganisationRepository.find(round.organiserID, access: access, db: db) != nil else {
            throw RecordNotFound(objectType: "review_round", objectID: String(id))
        }
        return round
    }

    /// The rounds organised inside `access` and those in which an organisation inside `unitAccess` reports.
    public func rounds(access: OrganisationAccess, unitAccess: OrganisationAccess) async throws -> [ReviewRoundRecord] {
        try await database.read { db in
            let organised = AccessSQL.predicate(access, alias: "o")
            let units = AccessSQL.predicate(unitAccess, alias: "uo")
            return try await db.raw(
                """
                SELECT r.*, o.name AS organiser_name FROM review_rounds r JOIN organisations o ON o.id = r.organiser_id
                WHERE \(organised)
                   OR r.id IN (SELECT p.round_id FROM review_reporters p JOIN organisations uo ON uo.id = p.organisation_id WHERE \(units))
                ORDER BY r.year DESC, r.id DESC LIMIT 200
                """
            ).all().map(Self.decodeRound)
        }
    }

    /// The reporters of organisations inside `unitAccess` (a secretary's own line), newest round first.
    public func myReporters(
        unitAccess: OrganisationAccess
    ) async throws -> [(id: Int64, round: String, year: Int, organisation: String, name: String)] {
        guard !unitAccess.isEmpty else { return [] }
        return try await database.read { db in
            let units = AccessSQL.predicate(unitAccess, alias: "o")
            return try await db.raw(
                """
                SELECT p.id, p.name, r.name AS round_name, r.year, o.name AS organisation_name FROM review_reporters p
                JOIN review_rounds r ON r.id = p.round_id JOIN organisations o ON o.id = p.organisation_id
                WHERE \(units) ORDER BY r.year DESC, r.id DESC, o.sort_order LIMIT 100
                """
            ).all().map {
                (try $0.value("id"), try $0.value("round_name"), try $0.value("year"), try $0.value("organisation_name"), try $0.value("name"))
            }
        }
    }

    /// `RecordNotFound` unless the reporter's round is organised inside `access` (checked before a form is read).
    public func requireOrganised(reporterID: Int64, access: OrganisationAccess) async throws {
        _ = try await database.read { db in try await Self.organisedReporter(reporterID, access: access, db: db) }
    }

    /// `RecordNotFound` unless the round is organised inside `access`.
    public func requireOrganised(roundID: Int64, access: OrganisationAccess) async throws {
        _ = try await database.read { db in try await Self.organisedRound(roundID, access: access, db: db) }
    }

    /// The round with every reporter (organiser's view).
    public func round(_ id: Int64, access: OrganisationAccess) async throws -> (ReviewRoundRecord, [ReviewReporter]) {
        try await database.read { db in
            let round = try await Self.organisedRound(id, access: access, db: db)
            return (round, try await reporters(round, db: db))
        }
    }

    /// One reporter for their own organisation (`unitAccess`) or the organiser (`access`), with the round; nil for
    /// anyone else. The result shows to the organisation only once the round is confirmed (REVIEW-09).
    public func reporter(
        _ id: Int64, access: OrganisationAccess, unitAccess: OrganisationAccess
    ) async throws -> (
        round: ReviewRoundRecord, reporter: ReviewReporter, organiser: Bool
    )? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT round_id, organisation_id FROM review_reporters WHERE id = \(bind: id)").first(),
                let round = try await Self.round(try row.value("round_id"), db: db)
            else { return nil }
            let organiser = try await OrganisationRepository.find(round.organiserID, access: access, db: db) != nil
            if !organiser {
                guard try await OrganisationRepository.find(try row.value("organisation_id"), access: unitAccess, db: db) != nil else { return nil }
            }
            guard var reporter = try await reporters(round, only: id, db: db).first else { return nil }
            if !organiser && round.state != .confirmed {
                reporter.outcome = ReviewOutcome()
                reporter.tally = nil
                reporter.phoneTally = BallotTally(counts: [])
                reporter.final = nil
                reporter.grade = nil
            }
            return (round, reporter, organiser)
        }
    }

    func reporters(_ round: ReviewRoundRecord, only: Int64? = nil, db: any SQLDatabase) async throws -> [ReviewReporter] {
        let gradeSet = round.gradeSet.gradeSet
        let filter: SQLQueryString = only.map { "AND p.id = \(bind: $0)" } ?? ""
        let rows = try await db.raw(
            """
            SELECT p.*, o.name AS organisation_name, a.file_name,
                (SELECT COUNT(*) FROM review_problems rp WHERE rp.reporter_id = p.id) AS problem_count
            FROM review_reporters p JOIN organisations o ON o.id = p.organisation_id LEFT JOIN attachments a ON a.id = p.report_attachment_id
            WHERE p.round_id = \(bind: round.id) \(filter) ORDER BY o.sort_order, o.id
            """
        ).all()
        var votes: [Int64: [Int: Int]] = [:]
        for v in try await db.raw(
            """
            SELECT v.reporter_id, v.grade_index, v.votes FROM review_votes v JOIN review_reporters p ON p.id = v.reporter_id
            WHERE p.round_id = \(bind: round.id) \(filter)
            """
        ).all() {
            votes[try v.value("reporter_id", Int64.self), default: [:]][Int(try v.value("grade_index", Int64.self))] = try v.value("votes", Int.self)
        }
        var assessment: [Int64: Score] = [:]
        if let assessmentID = round.assessmentRoundID {
            for a in try await db.raw(
                "SELECT organisation_id, final_micro FROM assessment_units WHERE round_id = \(bind: assessmentID) AND approved_at IS NOT NULL"
            ).all() {
                if let micro = try a.optional("final_micro", Int64.self) { assessment[try a.value("organisation_id")] = Score(micro: micro) }
            }
        }
        return try rows.map { r in
            let id: Int64 = try r.value("id")
            let organisationID: Int64 = try r.value("organisation_id")
            let tally = try r.optional("tally", String.self).map { try Self.decode(BallotTally.self, $0) }
            let combined = try r.optional("combined_micro", Int64.self).map(Score.init(micro:))
            let final = try r.optional("final_micro", Int64.self).map(Score.init(micro:))
            var outcome = ReviewOutcome.compute(
                tally: tally, gradeSet: gradeSet, assessment: assessment[organisationID], weights: round.weights, scale: .reviewDefault)
            if let combined { outcome.combined = combined }
            return ReviewReporter(
                id: id, roundID: round.id, organisationID: organisationID, organisationName: try r.value("organisation_name"),
                memberID: try r.optional("member_id", Int64.self), name: try r.value("name"),
                mode: ReviewMode(rawValue: try r.value("mode")) ?? .onSite,
                reportAttachmentID: try r.optional("report_attachment_id", Int64.self), reportFileName: try r.optional("file_name", String.self),
                covered: try r.optional("covered", String.self).map { try Self.decode([String].self, $0) } ?? [],
                comment: try r.optional("comment", String.self),
                paperTally: try r.optional("paper_tally", String.self).map { try Self.decode(BallotTally.self, $0) },
                paperAttendees: try r.optional("paper_attendees", Int64.self).map { Int($0) },
                phoneTally: ReviewBallotClosing.tally(votes: votes[id] ?? [:], gradeSet: gradeSet), tally: tally,
                closed: try r.optional("closed_at", Int64.self) != nil, outcome: outcome, final: final,
                grade: try r.optional("grade", String.self) ?? outcome.grade, adjustReason: try r.optional("adjust_reason", String.self),
                problems: try r.value("problem_count", Int.self), version: try r.value("version"))
        }
    }

    /// The reporter row and its round, for an organiser's write; `RecordNotFound` outside `access`.
    static func organisedReporter(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> (ReviewRoundRecord, any SQLRow) {
        guard let row = try await db.raw("SELECT * FROM review_reporters WHERE id = \(bind: id)").first(),
            let round = try await round(try row.value("round_id"), db: db),
            try await OrganisationRepository.find(round.organiserID, access: access, db: db) != nil
        else { throw RecordNotFound(objectType: "review_reporter", objectID: String(id)) }
        return (round, row)
    }

    static func confirmed(_ round: ReviewRoundRecord) -> ValidationFailure {
        ValidationFailure(field: "round", message: "述职评议“\(round.name)”已确定综合评价，不能再修改", ruleID: RuleID.review06.code)
    }
}
