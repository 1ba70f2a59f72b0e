public import Foundation
public import DangjianDomain
import SQLKit

/// One line of a branch's development plan (发展计划): the next step and when it becomes possible.
public struct DevelopmentPlanRow: Sendable {
    public var caseID: Int64
    public var organisationID: Int64
    public var applicantName: String
    public var stage: DevelopmentStage
    public var next: DevelopmentStep
    public var earliest: CivilDate
    /// 可办理 now, 下月可办理 (eligible within the next month) or later.
    public var eligibleNow: Bool
    public var eligibleNextMonth: Bool
    /// Time limits due soon or missed (DEV-03/07/16/24/26/28/30).
    public var deadlines: [DevelopmentDeadline] = []
}

/// One organisation's line of the annual development plan (年度发展计划): the committee's target, admissions approved
/// in the year, the open cases by stage and the latest admission known (DEVPLAN-01/02).
public struct DevelopmentYearRow: Sendable {
    public var organisationID: Int64
    public var organisationName: String
    public var standing: AnnualDevelopmentStanding
    public var note: String?
    /// Open case files by stage.
    public var openByStage: [DevelopmentStage: Int]
}

/// What the pages read: a case file, the plan of open cases, the ledger and archive, and the annual plan with its
/// targets (发展计划, DEVPLAN-01/02).
extension DevelopmentRepository {
    public func find(_ caseID: Int64, access: OrganisationAccess) async throws -> DevelopmentCaseFile? {
        try await database.read { db in try await Self.load(caseID, access: access, db: db) }
    }

    /// The development plan of the organisations at `anchorID` within `scope`: every open case with its next step
    /// and when it becomes possible, the ones possible now and within the next month flagged.
    public func plan(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [DevelopmentPlanRow] {
        let today = self.today
        return try await database.read { db in try await Self.plan(anchorID: anchorID, scope: scope, access: access, today: today, db: db) }
    }

    static func plan(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate, db: any SQLDatabase
    ) async throws -> [DevelopmentPlanRow] {
        try await files(anchorID: anchorID, scope: scope, access: access, openOnly: true, db: db).compactMap { file in
            guard let next = file.developmentCase.nextEarliest else { return nil }
            return DevelopmentPlanRow(
                caseID: file.id, organisationID: file.organisationID, applicantName: file.applicantName,
                stage: file.developmentCase.stage, next: next.step, earliest: next.earliest,
                eligibleNow: next.earliest <= today, eligibleNextMonth: next.earliest > today && next.earliest <= today.adding(months: 1),
                deadlines: file.developmentCase.deadlines(today: today))
        }.sorted { ($0.earliest, $0.caseID) < ($1.earliest, $1.caseID) }
    }

    /// Every case file (open and completed) of the organisations at `anchorID` within `scope`, by organisation and
    /// opening order: the 发展党员工作台账 that superiors ask for.
    public func ledger(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [DevelopmentCaseFile] {
        try await database.read { db in try await Self.files(anchorID: anchorID, scope: scope, access: access, openOnly: false, db: db) }
    }

    /// The case files of the organisations at `anchorID` within `scope` (only open ones when `openOnly`), by
    /// organisation and opening order.
    static func files(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, openOnly: Bool, db: any SQLDatabase
    ) async throws -> [DevelopmentCaseFile] {
        guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
        }
        let open: SQLQueryString = openOnly ? " AND c.status = \(bind: DevelopmentCaseStatus.open.rawValue)" : ""
        var files: [DevelopmentCaseFile] = []
        for row in try await db.raw(
            """
            SELECT c.id FROM development_cases c JOIN organisations o ON o.id = c.organisation_id
            WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))\(open)
            ORDER BY o.path, c.id
            """
        ).all() {
            if let file = try await Self.load(try row.value("id"), access: access, db: db) { files.append(file) }
        }
        return files
    }

    /// The case file that brought a roster member in (the archive view from the member's page), if any.
    public func caseID(ofMember memberID: Int64) async throws -> Int64? {
        try await database.read { db in
            try await db.raw("SELECT id FROM development_cases WHERE member_id = \(bind: memberID) ORDER BY id DESC").first()?.value("id")
        }
    }

    /// Completed case files (材料归档, the archive) of the organisations at `anchorID` within `scope`, newest first.
    public func archive(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess
    ) async throws -> [(id: Int64, organisationID: Int64, name: String, memberID: Int64?, completedAt: Date)] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            return try await db.raw(
                """
                SELECT c.id, c.organisation_id, c.applicant_name, c.member_id, c.updated_at FROM development_cases c JOIN organisations o ON o.id = c.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o")) AND c.status = \(bind: DevelopmentCaseStatus.completed.rawValue)
                ORDER BY c.updated_at DESC, c.id DESC
                """
            ).all().map { r in
                (
                    try r.value("id"), try r.value("organisation_id"), try r.value("applicant_name"), try r.optional("member_id"),
                    Date(epochSeconds: try r.value("updated_at"))
                )
            }
        }
    }

    /// The annual plan of the branches at `anchorID` within `scope` (党支部, 联合党支部 and 党总支, which develop
    /// members): target, admissions approved in `year` (step 17 entries still in force), open cases by stage, and the
    /// latest 入党日期 from the roster (imported history included) or an approval on file. Five queries, none per row.
    public func annualPlan(year: Int, anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [DevelopmentYearRow] {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let inScope: SQLQueryString =
                "\(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))"
            let orgs = try await db.raw(
                """
                SELECT o.id, o.name FROM organisations o WHERE \(inScope) AND o.dissolved_at IS NULL
                AND o.org_type IN (\(binds: [OrganisationType.branch, .jointBranch, .generalBranch].map(\.rawValue))) ORDER BY o.path
                """
            ).all()
            var targets: [Int64: (Int, String?)] = [:]
            for r in try await db.raw(
                """
                SELECT t.organisation_id, t.target, t.note FROM development_targets t JOIN organisations o ON o.id = t.organisation_id
                WHERE t.year = \(bind: year) AND \(inScope)
                """
            ).all() {
                targets[try r.value("organisation_id")] = (try r.value("target"), try r.optional("note"))
            }
            let inForce: SQLQueryString = "NOT EXISTS (SELECT 1 FROM development_entries x WHERE x.corrects_entry_id = e.id)"
            var admitted: [Int64: Int] = [:]
            var lastApproved: [Int64: CivilDate] = [:]
            for r in try await db.raw(
                """
                SELECT c.organisation_id, e.entry_date, (SELECT MAX(m.entry_date) FROM development_entries m WHERE m.case_id = c.id AND m.step = 15) AS meeting
                FROM development_entries e JOIN development_cases c ON c.id = e.case_id JOIN organisations o ON o.id = c.organisation_id
                WHERE e.step = 17 AND \(inForce) AND \(inScope)
                """
            ).all() {
                let org: Int64 = try r.value("organisation_id")
                guard let day = CivilDate(iso: try r.value("entry_date")) else { continue }
                if day.year == year { admitted[org, default: 0] += 1 }
                if let meeting = CivilDate(iso: try r.optional("meeting", String.self) ?? "") {
                    lastApproved[org] = max(lastApproved[org] ?? meeting, meeting)
                }
            }
            var lastJoined: [Int64: CivilDate] = [:]
            for r in try await db.raw(
                """
                SELECT m.organisation_id, MAX(m.join_date) AS last FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE m.deleted_at IS NULL AND \(inScope) GROUP BY m.organisation_id
                """
            ).all() {
                if let day = CivilDate(iso: try r.optional("last", String.self) ?? "") { lastJoined[try r.value("organisation_id")] = day }
            }
            var stages: [Int64: [DevelopmentStage: Int]] = [:]
            for r in try await db.raw(
                """
                SELECT c.organisation_id, c.id, MAX(e.step) AS step FROM development_cases c JOIN organisations o ON o.id = c.organisation_id
                LEFT JOIN development_entries e ON e.case_id = c.id AND \(inForce)
                WHERE c.status = \(bind: DevelopmentCaseStatus.open.rawValue) AND \(inScope) GROUP BY c.organisation_id, c.id
                """
            ).all() {
                let step = DevelopmentStep(rawValue: try r.optional("step", Int.self) ?? 1) ?? .application
                stages[try r.value("organisation_id"), default: [:]][step.stage, default: 0] += 1
            }
            return try orgs.map { r in
                let id: Int64 = try r.value("id")
                let last = [lastJoined[id], lastApproved[id]].compactMap { $0 }.max()
                return DevelopmentYearRow(
                    organisationID: id, organisationName: try r.value("name"),
                    standing: AnnualDevelopmentStanding(year: year, target: targets[id]?.0, admitted: admitted[id] ?? 0, lastAdmission: last),
                    note: targets[id]?.1, openByStage: stages[id] ?? [:])
            }
        }
    }

    /// Sets (or changes) an organisation's development target for a year (DEVPLAN-01); audited with the old value.
    public func setTarget(organisationID: Int64, year: Int, target: Int, note: String, access: OrganisationAccess, actor: Actor) async throws {
        guard (2000...2100).contains(year) else { throw ValidationFailure(field: "year", message: "年度应为 2000–2100 之间的年份") }
        guard (0...500).contains(target) else {
            throw ValidationFailure(field: "target", message: "计划发展人数应为 0–500 之间的整数", ruleID: RuleID.devplan01.code)
        }
        let note = note.trimmed
        guard note.count <= 200 else { throw ValidationFailure(field: "note", message: "说明不超过 200 字") }
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db), !org.isDissolved else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let old: Int? = try await db.raw(
                "SELECT target FROM development_targets WHERE organisation_id = \(bind: org.id) AND year = \(bind: year)"
            ).first()?.value("target")
            if old == nil {
                _ = try await db.insertReturningID(
                    """
                    INSERT INTO development_targets (organisation_id, year, target, note, set_by, set_at)
                    VALUES (\(bind: org.id), \(bind: year), \(bind: target), \(bind: note.isEmpty ? nil : note), \(bind: actor.userID), \(bind: now))
                    """)
            } else {
                try await db.raw(
                    """
                    UPDATE development_targets SET target = \(bind: target), note = \(bind: note.isEmpty ? nil : note), set_by = \(bind: actor.userID), set_at = \(bind: now)
                    WHERE organisation_id = \(bind: org.id) AND year = \(bind: year)
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "development_target", objectID: "\(org.id)-\(year)", organisationID: org.id,
                    summary: "\(org.name) \(year) 年发展党员计划：" + (old.map { "\($0) → " } ?? "") + "\(target) 名"),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}
