public import Foundation
public import DangjianDomain
import SQLKit

/// What is known when a problem is found (发现问题).
public struct ProblemDraft: Sendable {
    public var organisationID: Int64
    public var source: ProblemSource
    public var category: String
    public var description: String
    public var foundOn: CivilDate
    public var deadline: CivilDate
    public var campaignID: Int64?

    public init(
        organisationID: Int64, source: ProblemSource, category: String, description: String, foundOn: CivilDate, deadline: CivilDate,
        campaignID: Int64? = nil
    ) {
        self.organisationID = organisationID
        self.source = source
        self.category = category
        self.description = description
        self.foundOn = foundOn
        self.deadline = deadline
        self.campaignID = campaignID
    }
}

/// One stored event of a problem's loop.
public struct ProblemEvent: Sendable, Equatable {
    public var id: Int64
    public var action: String
    public var date: CivilDate
    public var text: String
    public var stateAfter: ProblemState
    public var actorID: Int64?
    public var actorName: String
    public var attachments: [Attachment] = []
}

/// A problem as stored: what was found, where it stands (replayed from its events) and its history.
public struct ProblemFile: Sendable {
    public var id: Int64
    public var organisationID: Int64
    public var source: ProblemSource
    public var category: String
    public var description: String
    public var campaignID: Int64?
    public var visitID: Int64?
    public var foundBy: Int64?
    public var lifecycle: ProblemLifecycle
    public var events: [ProblemEvent]
    public var version: Int64
}

/// 问题清单: problems from any source and their closed loop 发现 → 整改中 → 申请销号 → 验收 → 销号 (LIST-03/04/07/08).
/// Each action is an append-only event; the problem row keeps the current state for lists and reports.
public struct ProblemRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// Records a problem found in an organisation inside `access` (`ledger.manage`, or the supervision route's own check).
    public func create(_ draft: ProblemDraft, visitID: Int64? = nil, access: OrganisationAccess, actor: Actor) async throws -> Int64 {
        try await database.write { db in try await insert(draft, visitID: visitID, access: access, actor: actor, db: db) }
    }

    func insert(_ draft: ProblemDraft, visitID: Int64?, access: OrganisationAccess, actor: Actor, db: any SQLDatabase) async throws -> Int64 {
        let category = try CampaignRepository.required(draft.category, field: "category", label: "问题类别", limit: 40)
        let description = try CampaignRepository.required(draft.description, field: "description", label: "问题描述", limit: 2000)
        guard draft.foundOn <= today else { throw ValidationFailure(field: "found_on", message: "发现日期不能晚于今天") }
        guard draft.deadline >= draft.foundOn else {
            throw ValidationFailure(field: "deadline", message: "整改时限不能早于发现日期 \(draft.foundOn)", ruleID: ListRule.order)
        }
        guard let org = try await OrganisationRepository.find(draft.organisationID, access: access, db: db), !org.isDissolved else {
            throw RecordNotFound(objectType: "organisation", objectID: String(draft.organisationID))
        }
        let now = clock.now().epochSeconds
        let id = try await db.insertReturningID(
            """
            INSERT INTO problems (organisation_id, source, campaign_id, visit_id, category, description, found_on, found_deadline, deadline, state, found_by, created_at, updated_at)
            VALUES (\(bind: org.id), \(bind: draft.source.rawValue), \(bind: draft.campaignID), \(bind: visitID), \(bind: category), \(bind: description),
                \(bind: draft.foundOn.description), \(bind: draft.deadline.description), \(bind: draft.deadline.description), 'found', \(bind: actor.userID), \(bind: now), \(bind: now))
            """)
        try await audit.append(
            AuditEvent(
                action: .create, objectType: "problem", objectID: String(id), organisationID: org.id,
                summary: "发现问题（\(draft.source.displayName)·\(category)）：\(description.prefix(60))；整改时限 \(draft.deadline)"),
            by: actor, in: db, dialect: database.dialect)
        return id
    }

    /// Applies an action of the loop on `date` by the actor; refused actions throw a `ValidationFailure` naming the rule.
    /// `access` is `ledger.write` for planning, progress and closure requests, `ledger.manage` for acceptance and 回头看.
    @discardableResult
    public func apply(
        _ problemID: Int64, _ action: ProblemAction, on date: CivilDate, file upload: EvidenceFile? = nil, access: OrganisationAccess, actor: Actor
    ) async throws -> ProblemFile {
        guard date <= today else { throw ValidationFailure(field: "date", message: "日期不能晚于今天") }
        guard let user = actor.userID else { throw ValidationFailure(field: "action", message: "须由登录用户办理") }
        return try await database.write { db in
            guard var file = try await Self.load(problemID, access: access, db: db) else {
                throw RecordNotFound(objectType: "problem", objectID: String(problemID))
            }
            if let last = file.events.last, date < last.date {
                throw ValidationFailure(field: "date", message: "日期不能早于上一步的日期 \(last.date)", ruleID: ListRule.order)
            }
            try file.lifecycle.apply(action, by: user, on: date)
            let l = file.lifecycle
            let now = clock.now().epochSeconds
            var responsible: String?
            var deadline: String?
            if case .plan(_, let who, let d) = action { responsible = who.trimmed; deadline = d.description }
            let event = try await db.insertReturningID(
                """
                INSERT INTO problem_events (problem_id, action, event_date, text, responsible, deadline, state_after, actor_id, recorded_at)
                VALUES (\(bind: problemID), \(bind: action.code), \(bind: date.description), \(bind: action.text.trimmed),
                    \(bind: responsible), \(bind: deadline), \(bind: l.state.rawValue), \(bind: user), \(bind: now))
                """)
            if let upload {
                try await AttachmentRepository.add(
                    upload, ownerType: "problem_event", ownerID: event, organisationID: file.organisationID, actor: actor, now: now, db: db)
            }
            try await db.raw(
                """
                UPDATE problems SET state = \(bind: l.state.rawValue), measures = \(bind: l.measures.isEmpty ? nil : l.measures),
                    responsible = \(bind: l.responsible.isEmpty ? nil : l.responsible), deadline = \(bind: l.deadline.description),
                    closed_on = \(bind: l.closedOn?.description), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: problemID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "problem", objectID: String(problemID), organisationID: file.organisationID,
                    summary: "问题\(action.displayName)（\(date)）→ \(l.state.displayName)"), by: actor, in: db, dialect: database.dialect)
            return try await Self.load(problemID, access: .maintenance, db: db).required("record", problemID)
        }
    }

    public func find(_ id: Int64, access: OrganisationAccess) async throws -> ProblemFile? {
        try await database.read { db in try await Self.load(id, access: access, db: db) }
    }

    /// Problems of the organisations at `anchorID` within `scope` (inside `access`), optionally in one state.
    public func list(anchorID: Int64, scope: OrganisationScope, state: ProblemState?, access: OrganisationAccess) async throws -> [ProblemSummary] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let stateSQL: SQLQueryString = state.map { "p.state = \(bind: $0.rawValue)" } ?? "1 = 1"
            return try await db.raw(
                """
                SELECT p.id, p.organisation_id, p.source, p.category, p.description, p.found_on, p.deadline, p.state, p.responsible, p.closed_on
                FROM problems p JOIN organisations o ON o.id = p.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o")) AND \(stateSQL)
                ORDER BY p.found_on DESC, p.id DESC
                """
            ).all().map { r in
                ProblemSummary(
                    id: try r.value("id"), organisationID: try r.value("organisation_id"),
                    source: ProblemSource(rawValue: try r.value("source")) ?? .other,
                    category: try r.value("category"), description: try r.value("description"), foundOn: try r.date("found_on"),
                    deadline: try r.date("deadline"), state: ProblemState(rawValue: try r.value("state")) ?? .found,
                    responsible: try r.optional("responsible") ?? "",
                    closedOn: (try r.optional("closed_on", String.self)).flatMap(CivilDate.init(iso:)))
            }
        }
    }

    static func load(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> ProblemFile? {
        guard let r = try await db.raw("SELECT * FROM problems WHERE id = \(bind: id)").first(),
            try await OrganisationRepository.find(try r.value("organisation_id"), access: access, db: db) != nil
        else { return nil }
        let foundOn = try r.date("found_on")
        let events = try await db.raw(
            """
            SELECT e.*, u.display_name FROM problem_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.problem_id = \(bind: id) ORDER BY e.id
            """
        ).all()
        // The deadline given when found; plan events carry any later one.
        let initialDeadline = try r.date("found_deadline")
        var lifecycle = ProblemLifecycle(foundOn: foundOn, deadline: initialDeadline)
        var history: [ProblemEvent] = []
        for e in events {
            let date = try e.date("event_date")
            let text: String = try e.value("text")
            let action: ProblemAction
            switch try e.value("action", String.self) {
            case "plan":
                action = .plan(
                    measures: text, responsible: try e.optional("responsible") ?? "",
                    deadline: (try e.optional("deadline", String.self)).flatMap(CivilDate.init(iso:)) ?? initialDeadline)
            case "progress": action = .progress(text)
            case "request_closure": action = .requestClosure(evidence: text)
            case "accept": action = .accept(opinion: text)
            case "reject": action = .reject(reason: text)
            default: action = .reopen(reason: text)
            }
            let actorID: Int64? = try e.optional("actor_id")
            try lifecycle.apply(action, by: actorID ?? 0, on: date)
            history.append(
                ProblemEvent(
                    id: try e.value("id"), action: action.displayName, date: date, text: text, stateAfter: lifecycle.state,
                    actorID: actorID, actorName: try e.optional("display_name") ?? "系统"))
        }
        let files = try await AttachmentRepository.list(ownerType: "problem_event", ownerIDs: history.map(\.id), db: db)
        for i in history.indices { history[i].attachments = files[history[i].id] ?? [] }
        return ProblemFile(
            id: id, organisationID: try r.value("organisation_id"), source: ProblemSource(rawValue: try r.value("source")) ?? .other,
            category: try r.value("category"), description: try r.value("description"), campaignID: try r.optional("campaign_id"),
            visitID: try r.optional("visit_id"), foundBy: try r.optional("found_by"), lifecycle: lifecycle, events: history,
            version: try r.value("version"))
    }
}

/// A line of the problem list.
public struct ProblemSummary: Sendable {
    public var id: Int64
    public var organisationID: Int64
    public var source: ProblemSource
    public var category: String
    public var description: String
    public var foundOn: CivilDate
    public var deadline: CivilDate
    public var state: ProblemState
    public var responsible: String
    public var closedOn: CivilDate?
}
