public import DangjianDomain
import SQLKit

/// 少交/免交 (issue 18, item 3; DUES-07/18): an application recorded for a member, studied by the branch (whoever may
/// write the member's organisation) and approved by the next higher committee (whoever may write the organisation
/// above it — never the branch alone). Each step is audited and kept in the application's history; a stale version
/// is `EditConflict`.
extension DuesRepository {
    /// Records an application for member `memberID`.
    public func applyReduction(memberID: Int64, _ draft: DuesReductionDraft, access: OrganisationAccess, actor: Actor) async throws -> DuesReduction {
        let now = clock.now()
        let rules = try await ruleBook(on: CivilDate(date: now)).duesReduction
        return try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let regular = try await db.raw(
                "SELECT monthly_fen FROM dues_bases WHERE member_id = \(bind: memberID) AND year = \(bind: draft.from.year)"
            ).first()?.optional("monthly_fen", Int64.self).flatMap(Fen.init)
            let problems = DuesReductions.check(draft, regularMonthly: regular, rules: rules)
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            let history = "\(CivilDate(date: now)) 申请：\(draft.reason.trimmed)（\(actor.name)登记）"
            let id = try await db.insertReturningID(
                """
                INSERT INTO dues_reductions (member_id, organisation_id, exempt, monthly_fen, from_month, until_month, reason, state, history, recorded_by, recorded_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: draft.exempt ? 1 : 0), \(bind: draft.monthly.value), \(bind: draft.from.code),
                    \(bind: draft.until.code), \(bind: draft.reason.trimmed), \(bind: DuesReductionState.applied.rawValue), \(bind: history),
                    \(bind: actor.userID), \(bind: now.epochSeconds))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "dues_reduction", objectID: String(id), organisationID: member.organisationID,
                    summary: "党费减免申请：\(member.name)，\(draft.exempt ? "免交" : "每月按 \(draft.monthly) 元交纳")（\(draft.from)至\(draft.until)）"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.reduction(id, db: db).required("dues_reduction", id)
        }
    }

    /// The next step on application `id`: the branch's study needs `branchAccess` over the member's organisation;
    /// the approval needs `branchAccess` over the organisation above it (the higher committee).
    public func decideReduction(
        _ id: Int64, _ action: DuesReductionAction, note: String, expectedVersion: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> DuesReduction {
        let now = clock.now()
        return try await database.write { db in
            guard let current = try await Self.reduction(id, db: db),
                try await MemberRepository.find(current.memberID, access: access, db: db) != nil,
                let org = try await OrganisationRepository.find(current.organisationID, access: .maintenance, db: db)
            else { throw RecordNotFound(objectType: "dues_reduction", objectID: String(id)) }
            guard current.version == expectedVersion else { throw EditConflict(objectType: "dues_reduction", objectID: id) }
            guard current.state == action.requires else {
                throw ValidationFailure(
                    field: "action", message: "该申请目前“\(current.state.displayName)”，不能“\(action.displayName)”", ruleID: RuleID.dues18.code)
            }
            if action.byHigherCommittee {
                var parent: Organisation?
                if let parentID = org.parentID { parent = try await OrganisationRepository.find(parentID, access: .maintenance, db: db) }
                guard let parent, access.covers(path: parent.path, parentID: parent.parentID) else {
                    throw AccessDenied(permission: access.permission, reason: "党费减免须由上级党委批准（\(RuleID.dues07)）")
                }
            }
            let words = note.trimmed
            let entry = "\(CivilDate(date: now)) \(action.displayName)\(words.isEmpty ? "" : "：\(words)")（\(actor.name)）"
            let history = (current.history + [entry]).joined(separator: "\n")
            let updated = try await db.raw(
                """
                UPDATE dues_reductions SET state = \(bind: action.result.rawValue), history = \(bind: history), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """
            ).first()
            guard updated != nil else { throw EditConflict(objectType: "dues_reduction", objectID: id) }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "dues_reduction", objectID: String(id), organisationID: current.organisationID,
                    summary: "党费减免：\(action.displayName)（\(current.summary)）",
                    changes: [FieldChange(field: "dues_reduction_state", old: current.state.displayName, new: action.result.displayName)]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.reduction(id, db: db).required("dues_reduction", id)
        }
    }

    /// Member `memberID`'s applications, newest first.
    public func reductions(memberID: Int64, access: OrganisationAccess) async throws -> [DuesReduction] {
        try await database.read { db in
            guard try await MemberRepository.find(memberID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            return try await Self.reductions(memberID: memberID, db: db)
        }
    }

    /// Applications in `scope` of `anchorID` that wait for a step or whose approval ends within the notice days,
    /// with the member's name.
    public func openReductions(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess
    ) async throws -> [(
        reduction: DuesReduction, name: String
    )] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let rows = try await db.raw(
                """
                SELECT r.*, m.name AS member_name FROM dues_reductions r JOIN members m ON m.id = r.member_id JOIN organisations o ON o.id = m.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))
                AND m.deleted_at IS NULL AND r.state IN (\(binds: [DuesReductionState.applied, .branchAgreed, .approved].map(\.rawValue))) ORDER BY r.id DESC LIMIT 500
                """
            ).all()
            return try rows.map { (try Self.decodeReduction($0), try $0.value("member_name", String.self)) }
        }
    }

    static func reductions(memberID: Int64, db: any SQLDatabase) async throws -> [DuesReduction] {
        try await db.raw("SELECT * FROM dues_reductions WHERE member_id = \(bind: memberID) ORDER BY id DESC").all().map(decodeReduction)
    }

    static func reduction(_ id: Int64, db: any SQLDatabase) async throws -> DuesReduction? {
        try await db.raw("SELECT * FROM dues_reductions WHERE id = \(bind: id)").first().map(decodeReduction)
    }

    static func decodeReduction(_ r: any SQLRow) throws -> DuesReduction {
        let from = DuesMonth.parse(try r.value("from_month")) ?? .latest
        return DuesReduction(
            id: try r.value("id"), memberID: try r.value("member_id"), organisationID: try r.value("organisation_id"),
            exempt: try r.value("exempt", Int64.self) == 1, monthly: Fen(clamping: try r.value("monthly_fen", Int64.self)), from: from,
            until: DuesMonth.parse(try r.value("until_month")) ?? from, reason: try r.value("reason"),
            state: DuesReductionState(rawValue: try r.value("state")) ?? .applied,
            history: (try r.value("history", String.self)).split(separator: "\n").map(String.init), version: try r.value("version"))
    }
}
