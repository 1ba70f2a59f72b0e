public import DangjianDomain
import SQLKit

/// 自行脱党审查 (issue 18, item 4; DUES-13/19): a case a person opens for a member with six months without dues (the
/// member's arrears, read here) or without organisational life (the participation flag, given by the caller from the
/// attendance it judged), then 批评教育, 限期改正 (≤ 1 year) and a decision — removal only after both steps and the
/// deadline. Each step is audited and kept in the case's history; nothing changes the member's state. Writes need
/// `membersWrite` over the member's organisation.
extension DuesRepository {
    /// Opens a case for member `memberID`; `lifeMonths`: consecutive months without organisational life as the
    /// participation service judged them today. Refused when neither run reaches its threshold or a case is open.
    public func openLapseCase(memberID: Int64, lifeMonths: Int, note: String, access: OrganisationAccess, actor: Actor) async throws -> LapseCase {
        let today = CivilDate(date: clock.now())
        let book = try await ruleBook(on: today)
        let arrears = try await arrears(memberID: memberID, access: access)
        let words = note.trimmed
        guard
            LapseCases.mayOpen(
                duesMonths: arrears.unpaidMonths, lifeMonths: lifeMonths, duesThreshold: book.duesLapseMonths, lifeThreshold: book.lapseMonths)
        else {
            throw ValidationFailure(
                field: "member",
                message:
                    "该党员连续 \(arrears.unpaidMonths) 个月未交纳党费、\(lifeMonths) 个月未参加组织生活，未达到 \(book.duesLapseMonths) 个月，不属自行脱党审查情形",
                ruleID: RuleID.dues19.code)
        }
        guard words.count <= 500 else { throw ValidationFailure(field: "note", message: "说明不超过 500 个字", ruleID: RuleID.dues19.code) }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let grounds = LapseCase(
                id: 0, memberID: memberID, organisationID: member.organisationID, openedOn: today, duesMonths: arrears.unpaidMonths,
                lifeMonths: lifeMonths >= book.lapseWarningMonths ? lifeMonths : 0, state: .opened, educatedOn: nil, deadline: nil, outcome: nil,
                decidedOn: nil, history: [], version: 1
            ).grounds
            let history = "\(today) 立案：\(grounds)\(words.isEmpty ? "" : "。\(words)")（\(actor.name)）"
            let inserted = try await db.raw(
                """
                INSERT INTO lapse_cases (member_id, organisation_id, opened_on, dues_months, life_months, state, history, open_marker, recorded_by, recorded_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: today.description), \(bind: arrears.unpaidMonths),
                    \(bind: lifeMonths >= book.lapseWarningMonths ? lifeMonths : 0), \(bind: LapseCaseState.opened.rawValue), \(bind: history), 1,
                    \(bind: actor.userID), \(bind: now))
                ON CONFLICT (member_id, open_marker) DO NOTHING RETURNING id
                """
            ).first()
            guard let id = try inserted?.value("id", Int64.self) else {
                throw ValidationFailure(field: "member", message: "\(member.name) 已有未办结的自行脱党审查", ruleID: RuleID.dues19.code)
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "lapse_case", objectID: String(id), organisationID: member.organisationID,
                    summary: "自行脱党审查立案：\(member.name)（\(grounds)）"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.lapseCase(id, db: db).required("lapse_case", id)
        }
    }

    /// Records the next step on case `id` (the version the form showed; a stale one is `EditConflict`).
    public func recordLapseStep(
        _ id: Int64, _ draft: LapseCaseStepDraft, expectedVersion: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> LapseCase {
        let today = CivilDate(date: clock.now())
        return try await database.write { db in
            guard let current = try await Self.lapseCase(id, db: db),
                let member = try await MemberRepository.find(current.memberID, access: access, db: db)
            else { throw RecordNotFound(objectType: "lapse_case", objectID: String(id)) }
            guard current.version == expectedVersion else { throw EditConflict(objectType: "lapse_case", objectID: id) }
            let problems = LapseCases.check(draft, on: current, today: today)
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            var state = current.state
            var educated = current.educatedOn, deadline = current.deadline, outcome = current.outcome, decided = current.decidedOn
            var words = "\(draft.on) \(draft.step.displayName)"
            switch draft.step {
            case .education:
                state = .educated
                educated = draft.on
            case .deadline:
                state = .deadlineSet
                deadline = draft.deadline
                words += "，期限至 \(draft.deadline?.description ?? "")"
            case .decision:
                state = .decided
                outcome = draft.outcome
                decided = draft.on
                words += "：\(draft.outcome?.displayName ?? "")"
            }
            words += "。\(draft.note.trimmed)（\(actor.name)）"
            let history = (current.history + [words]).joined(separator: "\n")
            let updated = try await db.raw(
                """
                UPDATE lapse_cases SET state = \(bind: state.rawValue), educated_on = \(bind: educated?.description), deadline = \(bind: deadline?.description),
                    outcome = \(bind: outcome?.rawValue), decided_on = \(bind: decided?.description), history = \(bind: history),
                    open_marker = \(bind: state == .decided ? nil : Int64(1)), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """
            ).first()
            guard updated != nil else { throw EditConflict(objectType: "lapse_case", objectID: id) }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "lapse_case", objectID: String(id), organisationID: current.organisationID,
                    summary: "自行脱党审查：\(member.name)，\(draft.step.displayName)\(draft.outcome.map { "（\($0.displayName)）" } ?? "")",
                    changes: [FieldChange(field: "lapse_case_state", old: current.state.displayName, new: state.displayName)]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.lapseCase(id, db: db).required("lapse_case", id)
        }
    }

    /// Member `memberID`'s cases, newest first.
    public func lapseCases(memberID: Int64, access: OrganisationAccess) async throws -> [LapseCase] {
        try await database.read { db in
            guard try await MemberRepository.find(memberID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            return try await db.raw("SELECT * FROM lapse_cases WHERE member_id = \(bind: memberID) ORDER BY id DESC").all().map(Self.decodeLapseCase)
        }
    }

    /// Undecided cases in `scope` of `anchorID`, with the member's name — for 待办.
    public func openLapseCases(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [(LapseCase, String)] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let within = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let visible = AccessSQL.predicate(access, alias: "o")
            return try await db.raw(
                """
                SELECT c.*, m.name AS member_name FROM lapse_cases c JOIN members m ON m.id = c.member_id JOIN organisations o ON o.id = c.organisation_id
                WHERE \(within) AND \(visible) AND c.open_marker IS NOT NULL ORDER BY c.opened_on, c.id
                """
            ).all().map { (try Self.decodeLapseCase($0), try $0.value("member_name", String.self)) }
        }
    }

    static func lapseCase(_ id: Int64, db: any SQLDatabase) async throws -> LapseCase? {
        try await db.raw("SELECT * FROM lapse_cases WHERE id = \(bind: id)").first().map(decodeLapseCase)
    }

    static func decodeLapseCase(_ r: any SQLRow) throws -> LapseCase {
        func day(_ c: String) throws -> CivilDate? { try r.optional(c, String.self).flatMap(CivilDate.init(iso:)) }
        return LapseCase(
            id: try r.value("id"), memberID: try r.value("member_id"), organisationID: try r.value("organisation_id"),
            openedOn: try r.date("opened_on"), duesMonths: try r.value("dues_months"), lifeMonths: try r.value("life_months"),
            state: LapseCaseState(rawValue: try r.value("state")) ?? .opened, educatedOn: try day("educated_on"), deadline: try day("deadline"),
            outcome: try r.optional("outcome", String.self).flatMap(LapseCaseOutcome.init(rawValue:)), decidedOn: try day("decided_on"),
            history: (try r.value("history", String.self)).split(separator: "\n").map(String.init), version: try r.value("version"))
    }
}
