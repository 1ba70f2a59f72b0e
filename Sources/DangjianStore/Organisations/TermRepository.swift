public import Foundation
public import DangjianDomain
import SQLKit

/// A term of office as stored.
public struct TermRecord: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var startDate: CivilDate
    public var endDate: CivilDate
    public var postponedUntil: CivilDate?
    public var postponementApproval: String?
    public var leaders: [(name: String, post: String)]
    public var version: Int64

    public static func == (a: TermRecord, b: TermRecord) -> Bool {
        a.id == b.id && a.version == b.version
    }

    public func status(on today: CivilDate) -> TermStatus {
        TermStatus.evaluate(end: endDate, postponedUntil: postponedUntil, today: today)
    }
}

/// One line of the 换届 ledger.
public struct TermLedgerRow: Sendable {
    public var organisation: Organisation
    public var term: TermRecord?
    public var status: TermStatus?
}

/// Terms, elections and postponements (换届).
public struct TermRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let organisations: OrganisationRepository

    public init(database: Database, audit: AuditTrail, clock: any WallClock, organisations: OrganisationRepository) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.organisations = organisations
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// The latest term of an organisation inside `access`.
    public func current(of organisationID: Int64, access: OrganisationAccess) async throws -> TermRecord? {
        try await database.read { db in
            guard try await OrganisationRepository.find(organisationID, access: access, db: db) != nil else { return nil }
            return try await Self.latest([organisationID], db: db)[organisationID]
        }
    }

    static func latest(_ organisationIDs: [Int64], db: any SQLDatabase) async throws -> [Int64: TermRecord] {
        guard !organisationIDs.isEmpty else { return [:] }
        var result: [Int64: TermRecord] = [:]
        for start in stride(from: 0, to: organisationIDs.count, by: 500) {
            let chunk = Array(organisationIDs[start..<min(start + 500, organisationIDs.count)])
            let rows = try await db.raw(
                """
                SELECT t.* FROM terms t WHERE t.organisation_id IN (\(binds: chunk))
                AND NOT EXISTS (SELECT 1 FROM terms n WHERE n.organisation_id = t.organisation_id
                    AND (n.start_date > t.start_date OR (n.start_date = t.start_date AND n.id > t.id)))
                """
            ).all()
            // One query for the leaders of every term in the chunk, not one per term.
            var leadersByTerm: [Int64: [(name: String, post: String)]] = [:]
            let termIDs = try rows.map { try $0.value("id", Int64.self) }
            if !termIDs.isEmpty {
                for leader in try await db.raw(
                    "SELECT term_id, name, post FROM leaders WHERE term_id IN (\(binds: termIDs)) AND left_on IS NULL ORDER BY id"
                ).all() {
                    leadersByTerm[try leader.value("term_id"), default: []].append((try leader.value("name"), try leader.value("post")))
                }
            }
            for row in rows {
                let id: Int64 = try row.value("id")
                let leaders = leadersByTerm[id] ?? []
                let term = TermRecord(
                    id: id, organisationID: try row.value("organisation_id"),
                    startDate: try row.date("start_date"), endDate: try row.date("end_date"),
                    postponedUntil: try row.optional("postponed_until", String.self).flatMap(CivilDate.init(iso:)),
                    postponementApproval: try row.optional("postponement_approval"), leaders: leaders, version: try row.value("version"))
                result[term.organisationID] = term
            }
        }
        return result
    }

    /// Records a change-of-term (or first) election. Invalid figures are refused with the rule; a valid election
    /// starts a new term of the length ORG-T1 sets for the organisation type, with the elected leaders and posts.
    public func recordElection(
        organisationID: Int64, heldOn: CivilDate, seats: Int, eligible: Int, present: Int, candidates: [ElectionCheck.Candidate],
        posts: [(name: String, post: LeaderPost)], access: OrganisationAccess, actor: Actor
    ) async throws -> TermRecord {
        if heldOn > today { throw ValidationFailure(field: "held_on", message: "选举日期 \(heldOn) 晚于今天") }
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            // ORG-T1: village and community organisations serve 5 years at every level.
            let years = TermRules.termYears(
                for: org.type, villageOrCommunity: try await UnitRepository.coversVillageOrCommunity(organisationID, db: db))
            guard TermRules.termYears(for: org.type) > 0 else {
                throw ValidationFailure(
                    field: "organisation_id", message: "\(org.type.displayName)不进行换届选举",
                    ruleID: org.type == .temporaryBranch ? RuleID.life12.code : RuleID.orgT1.code)
            }
            let check = ElectionCheck.check(seats: seats, eligible: eligible, present: present, candidates: candidates, competitive: seats >= 3)
            guard check.valid else { throw ValidationProblems(problems: check.problems) }
            if let refusal = check.refusal(posts: posts) { throw refusal }
            let now = clock.now().epochSeconds
            let electionID = try await insertElection(
                kind: "regular", organisationID: organisationID, heldOn: heldOn, seats: seats, eligible: eligible,
                present: present, candidates: candidates, elected: check.elected, actor: actor, db: db)
            let end = heldOn.adding(years: years)
            let termID = try await db.insertReturningID(
                """
                INSERT INTO terms (organisation_id, start_date, end_date, election_id, created_at)
                VALUES (\(bind: organisationID), \(bind: heldOn.description), \(bind: end.description), \(bind: electionID), \(bind: now))
                """)
            for (name, post) in posts {
                try await db.raw(
                    "INSERT INTO leaders (term_id, name, post, election_id) VALUES (\(bind: termID), \(bind: name), \(bind: post.rawValue), \(bind: electionID))"
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "term", objectID: String(termID), organisationID: organisationID,
                    summary: "\(org.name) 换届选举（\(heldOn)）：应到 \(eligible)、实到 \(present)，当选 \(check.elected.joined(separator: "、"))；任期至 \(end)",
                    changes: posts.map { FieldChange(field: "leader", old: nil, new: "\($0.post.rawValue) \($0.name)") }),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.latest([organisationID], db: db)[organisationID].required("term", organisationID)
        }
    }

    /// ORG-E9: a by-election (补选) during a term, held under the same rules as a regular election (ORG-E3/E4/E7).
    /// `vacated` are the current leaders whose seats fall vacant (left on the day of the by-election, with `reason`);
    /// the elected take the given posts in the same term, whose end date does not change.
    public func recordByElection(
        organisationID: Int64, heldOn: CivilDate, seats: Int, eligible: Int, present: Int, candidates: [ElectionCheck.Candidate],
        posts: [(name: String, post: LeaderPost)], vacated: [String], reason: String, access: OrganisationAccess, actor: Actor
    ) async throws -> TermRecord {
        if heldOn > today { throw ValidationFailure(field: "held_on", message: "补选日期 \(heldOn) 晚于今天") }
        let reason = reason.trimmed
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let currentTerm = try await Self.latest([organisationID], db: db)[organisationID]
            let sitting = currentTerm?.leaders ?? []
            var problems = TermRules.byElectionProblems(
                heldOn: heldOn, term: currentTerm.map { ($0.startDate, $0.postponedUntil ?? $0.endDate) }, sitting: sitting.map(\.name),
                vacated: vacated, reason: reason)
            if let first = problems.first, first.field == "held_on" { throw first }
            guard let term = currentTerm else { throw RecordNotFound(objectType: "term", objectID: String(organisationID)) }
            let remaining = sitting.filter { !vacated.contains($0.name) }
            let check = ElectionCheck.check(seats: seats, eligible: eligible, present: present, candidates: candidates, competitive: seats >= 3)
            problems += check.problems
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            if let refusal = check.byElectionRefusal(posts: posts, remaining: remaining.map { ($0.name, $0.post) }) { throw refusal }
            let electionID = try await insertElection(
                kind: "by_election", organisationID: organisationID, heldOn: heldOn, seats: seats, eligible: eligible,
                present: present, candidates: candidates, elected: check.elected, actor: actor, db: db)
            var changes: [FieldChange] = []
            for name in vacated {
                try await db.raw(
                    """
                    UPDATE leaders SET left_on = \(bind: heldOn.description), left_reason = \(bind: reason)
                    WHERE term_id = \(bind: term.id) AND name = \(bind: name) AND left_on IS NULL
                    """
                ).run()
                changes.append(FieldChange(field: "leader", old: sitting.first { $0.name == name }.map { "\($0.post) \($0.name)" }, new: nil))
            }
            // Everyone elected joins the committee: with the post given, else as 委员.
            for name in check.elected {
                let post = posts.first { $0.name == name }?.post ?? .member
                try await db.raw(
                    "INSERT INTO leaders (term_id, name, post, election_id) VALUES (\(bind: term.id), \(bind: name), \(bind: post.rawValue), \(bind: electionID))"
                ).run()
                changes.append(FieldChange(field: "leader", old: nil, new: "\(post.rawValue) \(name)"))
            }
            try await db.raw("UPDATE terms SET version = version + 1 WHERE id = \(bind: term.id)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "term", objectID: String(term.id), organisationID: organisationID,
                    summary:
                        "\(org.name) 补选（\(heldOn)）：应到 \(eligible)、实到 \(present)，当选 \(check.elected.joined(separator: "、"))\(vacated.isEmpty ? "" : "；离任 \(vacated.joined(separator: "、"))（\(reason)）")",
                    changes: changes), by: actor, in: db, dialect: database.dialect)
            return try await Self.latest([organisationID], db: db)[organisationID].required("term", organisationID)
        }
    }

    /// Stores an election's figures (candidates with votes, the elected) as recorded.
    func insertElection(
        kind: String, organisationID: Int64, heldOn: CivilDate, seats: Int, eligible: Int, present: Int,
        candidates: [ElectionCheck.Candidate], elected: [String], actor: Actor, db: any SQLDatabase
    ) async throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let candidatesJSON = String(decoding: try encoder.encode(candidates.map { ["name": $0.name, "votes": String($0.votes)] }), as: UTF8.self)
        let electedJSON = String(decoding: try encoder.encode(elected), as: UTF8.self)
        return try await db.insertReturningID(
            """
            INSERT INTO elections (organisation_id, held_on, kind, seats, eligible_voters, present_voters, candidates, elected, created_at, created_by)
            VALUES (\(bind: organisationID), \(bind: heldOn.description), \(bind: kind), \(bind: seats), \(bind: eligible), \(bind: present),
                \(bind: candidatesJSON), \(bind: electedJSON), \(bind: clock.now().epochSeconds), \(bind: actor.userID))
            """)
    }

    /// ORG-T2: the higher organisation approves postponing an election, by at most a year after the term's end.
    /// `higherAccess` must cover the organisation's parent.
    public func approvePostponement(
        termID: Int64, until: CivilDate, approval: String, higherAccess: OrganisationAccess, actor: Actor
    ) async throws -> TermRecord {
        let approval = approval.trimmed
        guard !approval.isEmpty else { throw ValidationFailure(field: "approval", message: "请填写上级批复文号或说明", ruleID: RuleID.orgT2.code) }
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM terms WHERE id = \(bind: termID)").first() else {
                throw RecordNotFound(objectType: "term", objectID: String(termID))
            }
            let orgID: Int64 = try row.value("organisation_id")
            guard let org = try await OrganisationRepository.find(orgID, access: .maintenance, db: db),
                let parentID = org.parentID, try await OrganisationRepository.find(parentID, access: higherAccess, db: db) != nil
            else {
                throw AccessDenied(permission: .organisationsWrite, reason: "延期换届须由上级党组织批准")
            }
            let end = try row.date("end_date")
            let latest = end.adding(months: TermRules.maximumPostponementMonths)
            guard until > end, until <= latest else {
                throw ValidationFailure(field: "until", message: "延期截止日应在任期届满日 \(end) 之后、且不超过 \(latest)（延期一般不超过一年）", ruleID: RuleID.orgT2.code)
            }
            try await db.raw(
                """
                UPDATE terms SET postponed_until = \(bind: until.description), postponement_approval = \(bind: approval), version = version + 1
                WHERE id = \(bind: termID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "term", objectID: String(termID), organisationID: orgID,
                    summary: "批准 \(org.name) 延期换届至 \(until)（\(approval)）",
                    changes: [FieldChange(field: "postponed_until", old: try row.optional("postponed_until"), new: until.description)]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.latest([orgID], db: db)[orgID].required("term", orgID)
        }
    }

    /// The 换届 ledger: organisations at `anchorID` within `scope` whose term ends within `months`, has ended, or was
    /// never recorded (organisations that hold elections only).
    public func ledger(anchorID: Int64, scope: OrganisationScope, months: Int, access: OrganisationAccess) async throws -> [TermLedgerRow] {
        let orgs =
            try await organisations
            .list(anchorID: anchorID, scope: scope, access: access)
            .filter { TermRules.termYears(for: $0.type) > 0 }
        let terms = try await database.read { db in try await Self.latest(orgs.map(\.id), db: db) }
        let today = self.today
        let horizon = today.adding(months: months)
        var rows: [TermLedgerRow] = []
        for org in orgs {
            guard let term = terms[org.id] else {
                rows.append(TermLedgerRow(organisation: org, term: nil, status: nil))
                continue
            }
            let status = term.status(on: today)
            switch status {
            case .current(let end) where end > horizon: continue
            default: rows.append(TermLedgerRow(organisation: org, term: term, status: status))
            }
        }
        return rows.sorted { a, b in (a.term?.endDate ?? CivilDate.earliest) < (b.term?.endDate ?? CivilDate.earliest) }
    }
}
