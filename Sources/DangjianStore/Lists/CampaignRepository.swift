public import Foundation
public import DangjianDomain
import SQLKit

/// A campaign (创建活动, e.g. a year's 模范机关创建) run by an organisation (机关工委 …).
public struct Campaign: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
    public var year: Int
    public var description: String
    /// LIST-06: the day the ledger was closed (年底交账), nil while open.
    public var closedOn: CivilDate?
}

/// A key task (重点任务) of a campaign.
public struct CampaignTask: Sendable, Equatable {
    public var id: Int64
    public var campaignID: Int64
    public var category: String
    public var title: String
    public var deliverable: String
    public var deadline: CivilDate
}

/// A task as assigned to one organisation (任务清单 line), with its progress.
public struct TaskAssignment: Sendable {
    public var id: Int64
    public var task: CampaignTask
    public var organisationID: Int64
    public var ownerName: String
    public var refinement: String
    public var lifecycle: TaskAssignmentLifecycle
    public var version: Int64
}

/// One ledger entry (台账): dated progress on a task or a problem, with optional evidence.
public struct LedgerEntry: Sendable, Equatable {
    public var id: Int64
    public var date: CivilDate
    public var kind: String
    public var text: String
    public var evidence: String
    public var recordedBy: String
    public var recordedAt: Date
    /// Evidence files (佐证材料) uploaded with the entry.
    public var attachments: [Attachment] = []
}

/// A campaign with every task and assignment (挂图作战).
public struct CampaignBoard: Sendable {
    public var campaign: Campaign
    public var tasks: [CampaignTask]
    public var assignments: [TaskAssignment]
    /// The organisations that have any assignment, in tree order, with their labels.
    public var organisations: [(id: Int64, label: String)]
}

/// 任务清单 and 台账: campaigns, key tasks assigned to organisations, claiming with a breakdown (认领细化), progress in
/// the ledger and completion (LIST-05), and the year-end close (LIST-06). Managing needs `ledger.manage` on the
/// campaign's organisation; the organisations doing the work need `ledger.write` on themselves.
public struct CampaignRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    static func required(_ text: String, field: String, label: String, limit: Int) throws -> String {
        let t = text.trimmed
        guard !t.isEmpty else { throw ValidationFailure(field: field, message: "请填写\(label)") }
        guard t.count <= limit else { throw ValidationFailure(field: field, message: "\(label)不能超过 \(limit) 个字") }
        return t
    }

    public func create(
        name: String, year: Int, description: String, organisationID: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let name = try Self.required(name, field: "name", label: "活动名称", limit: 100)
        guard (2000...2100).contains(year) else { throw ValidationFailure(field: "year", message: "年度应为四位年份，如 2026") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db), !org.isDissolved else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO campaigns (organisation_id, name, year, description, created_at)
                VALUES (\(bind: org.id), \(bind: name), \(bind: year), \(bind: description.isEmpty ? nil : description), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "campaign", objectID: String(id), organisationID: org.id,
                    summary: "建立创建活动：\(name)（\(year)年）"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    /// Adds a key task and assigns it to `assignees` (each inside the campaign's subtree and `access`).
    public func addTask(
        campaignID: Int64, category: String, title: String, deliverable: String, deadline: CivilDate,
        assignees: [Int64], access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let category = try Self.required(category, field: "category", label: "任务类别", limit: 40)
        let title = try Self.required(title, field: "title", label: "任务名称", limit: 200)
        guard !assignees.isEmpty else { throw ValidationFailure(field: "assignees", message: "请至少选择一个责任单位") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let campaign = try await Self.campaign(campaignID, access: access, db: db)
            try Self.requireOpen(campaign)
            let owner = try await OrganisationRepository.find(campaign.organisationID, access: .maintenance, db: db).required(
                "record", campaign.organisationID)
            let id = try await db.insertReturningID(
                """
                INSERT INTO campaign_tasks (campaign_id, category, title, deliverable, deadline, created_at)
                VALUES (\(bind: campaignID), \(bind: category), \(bind: title), \(bind: deliverable.isEmpty ? nil : deliverable), \(bind: deadline.description), \(bind: now))
                """)
            for orgID in Set(assignees).sorted() {
                guard let org = try await OrganisationRepository.find(orgID, access: access, db: db), owner.path.contains(org.path), !org.isDissolved
                else {
                    throw ValidationFailure(field: "assignees", message: "责任单位（编号 \(orgID)）不在本活动的组织范围内")
                }
                try await db.raw(
                    """
                    INSERT INTO task_assignments (task_id, organisation_id, state, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: org.id), \(bind: TaskState.assigned.rawValue), \(bind: now), \(bind: now))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "campaign_task", objectID: String(id), organisationID: campaign.organisationID,
                    summary: "下达任务“\(title)”（\(category)，截止 \(deadline)）给 \(Set(assignees).count) 个单位"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    public func campaigns(access: OrganisationAccess) async throws -> [Campaign] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT c.* FROM campaigns c JOIN organisations o ON o.id = c.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) ORDER BY c.year DESC, c.id DESC
                """
            ).all().map(Self.decodeCampaign)
        }
    }

    /// The board of a campaign (挂图作战): every task and assignment.
    public func board(_ campaignID: Int64, access: OrganisationAccess) async throws -> CampaignBoard {
        try await database.read { db in
            let campaign = try await Self.campaign(campaignID, access: access, db: db)
            let tasks = try await db.raw("SELECT * FROM campaign_tasks WHERE campaign_id = \(bind: campaignID) ORDER BY category, deadline, id").all()
                .map(Self.decodeTask)
            let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0) })
            let rows = try await db.raw(
                """
                SELECT a.*, (SELECT COUNT(*) FROM ledger_entries l WHERE l.subject_type = \(bind: LedgerSubject.task.rawValue) AND l.subject_id = a.id) AS entries
                FROM task_assignments a JOIN campaign_tasks t ON t.id = a.task_id WHERE t.campaign_id = \(bind: campaignID) ORDER BY a.id
                """
            ).all()
            let assignments = try rows.map { try Self.decodeAssignment($0, task: try byID[try $0.value("task_id")].required("task", "assignment")) }
            let orgRows = try await db.raw(
                """
                SELECT DISTINCT o.id, o.name, o.short_name, o.path FROM organisations o JOIN task_assignments a ON a.organisation_id = o.id
                JOIN campaign_tasks t ON t.id = a.task_id WHERE t.campaign_id = \(bind: campaignID) ORDER BY o.path
                """
            ).all()
            let organisations = try orgRows.map { r -> (id: Int64, label: String) in
                let short: String? = try r.optional("short_name")
                return (try r.value("id"), (try short.flatMap { $0.isEmpty ? nil : $0 } ?? r.value("name")))
            }
            return CampaignBoard(campaign: campaign, tasks: tasks, assignments: assignments, organisations: organisations)
        }
    }

    /// The assignments of the organisations inside `access` (我的任务), newest deadline last.
    public func assignments(access: OrganisationAccess) async throws -> [(TaskAssignment, Campaign)] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT a.*, t.campaign_id, t.category, t.title, t.deliverable, t.deadline,
                    (SELECT COUNT(*) FROM ledger_entries l WHERE l.subject_type = \(bind: LedgerSubject.task.rawValue) AND l.subject_id = a.id) AS entries
                FROM task_assignments a JOIN campaign_tasks t ON t.id = a.task_id JOIN organisations o ON o.id = a.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) ORDER BY t.deadline, a.id
                """
            ).all()
            var campaigns: [Int64: Campaign] = [:]
            var result: [(TaskAssignment, Campaign)] = []
            for r in rows {
                let task = CampaignTask(
                    id: try r.value("task_id"), campaignID: try r.value("campaign_id"), category: try r.value("category"),
                    title: try r.value("title"),
                    deliverable: try r.optional("deliverable") ?? "", deadline: try r.date("deadline"))
                if campaigns[task.campaignID] == nil {
                    campaigns[task.campaignID] = try await db.raw("SELECT * FROM campaigns WHERE id = \(bind: task.campaignID)").first().map(
                        Self.decodeCampaign)
                }
                result.append((try Self.decodeAssignment(r, task: task), try campaigns[task.campaignID].required("campaign", task.campaignID)))
            }
            return result
        }
    }

    /// One assignment with its campaign and ledger, inside `access`.
    public func assignment(_ id: Int64, access: OrganisationAccess) async throws -> (TaskAssignment, Campaign, [LedgerEntry])? {
        try await database.read { db in try await Self.loadAssignment(id, access: access, db: db) }
    }

    /// 认领细化: the organisation takes the task on, with its own breakdown and the person in charge.
    public func claim(_ id: Int64, refinement: String, owner: String, access: OrganisationAccess, actor: Actor) async throws {
        try await change(id, access: access, actor: actor) { a, _, db in
            try a.lifecycle.claim(refinement: refinement)
            let owner = try Self.required(owner, field: "owner", label: "责任人", limit: 50)
            try await db.raw(
                """
                UPDATE task_assignments SET state = \(bind: a.lifecycle.state.rawValue), refinement = \(bind: refinement.trimmed),
                    owner_name = \(bind: owner), updated_at = \(bind: clock.now().epochSeconds), version = version + 1 WHERE id = \(bind: id)
                """
            ).run()
            return "认领任务“\(a.task.title)”，责任人 \(owner)"
        }
    }

    /// A ledger entry (台账) on the assignment.
    public func recordProgress(
        _ id: Int64, on date: CivilDate, text: String, evidence: String, file: EvidenceFile? = nil, access: OrganisationAccess, actor: Actor
    ) async throws {
        try await change(id, access: access, actor: actor) { a, campaign, db in
            guard date <= today else { throw ValidationFailure(field: "date", message: "台账日期不能晚于今天") }
            try a.lifecycle.record(progress: text)
            try await Self.appendLedger(
                subject: .task, id: id, organisationID: a.organisationID, date: date, kind: "progress",
                text: text, evidence: evidence, file: file, actor: actor, now: clock.now().epochSeconds, db: db)
            try await db.raw(
                "UPDATE task_assignments SET state = \(bind: a.lifecycle.state.rawValue), updated_at = \(bind: clock.now().epochSeconds), version = version + 1 WHERE id = \(bind: id)"
            ).run()
            return "任务“\(a.task.title)”记台账：\(date)"
        }
    }

    /// Reports the assignment done on `date` (LIST-05: only with a ledger entry behind it).
    public func complete(_ id: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws {
        try await change(id, access: access, actor: actor) { a, _, db in
            guard date <= today else { throw ValidationFailure(field: "date", message: "完成日期不能晚于今天") }
            try a.lifecycle.complete(on: date)
            try await db.raw(
                """
                UPDATE task_assignments SET state = \(bind: TaskState.done.rawValue), done_on = \(bind: date.description), updated_at = \(bind: clock.now().epochSeconds), version = version + 1
                WHERE id = \(bind: id)
                """
            ).run()
            return "任务“\(a.task.title)”报完成：\(date)"
                + (date > a.task.deadline ? "（逾期 \(date.days(since: a.task.deadline)) 天，\(ListRule.overdue)）" : "")
        }
    }

    /// LIST-06: closes the campaign's ledger (年底交账); nothing is recorded after.
    public func close(_ campaignID: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            let campaign = try await Self.campaign(campaignID, access: access, db: db)
            try Self.requireOpen(campaign)
            try await db.raw("UPDATE campaigns SET closed_on = \(bind: date.description), version = version + 1 WHERE id = \(bind: campaignID)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "campaign", objectID: String(campaignID), organisationID: campaign.organisationID,
                    summary: "“\(campaign.name)”台账年终关账：\(date)（\(ListRule.yearEndClose)）"), by: actor, in: db, dialect: database.dialect)
        }
    }

    func change(
        _ id: Int64, access: OrganisationAccess, actor: Actor,
        _ body: (inout TaskAssignment, Campaign, any SQLDatabase) async throws -> String
    ) async throws {
        try await database.write { db in
            guard let loaded = try await Self.loadAssignment(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "task_assignment", objectID: String(id))
            }
            var a = loaded.0
            let campaign = loaded.1
            try Self.requireOpen(campaign)
            let summary = try await body(&a, campaign, db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "task_assignment", objectID: String(id), organisationID: a.organisationID,
                    summary: summary), by: actor, in: db, dialect: database.dialect)
        }
    }

    static func requireOpen(_ campaign: Campaign) throws {
        if let closed = campaign.closedOn {
            throw ValidationFailure(field: "campaign", message: "“\(campaign.name)”的台账已于 \(closed) 年终关账，不能再记录", ruleID: ListRule.yearEndClose)
        }
    }

    /// What a 台账 line is about (`ledger_entries.subject_type`).
    enum LedgerSubject: String {
        /// A 任务清单 task's assignment to one organisation.
        case task
        /// A 责任清单 item.
        case dutyItem = "duty_item"
    }

    static func appendLedger(
        subject: LedgerSubject, id: Int64, organisationID: Int64, date: CivilDate, kind: String, text: String, evidence: String,
        file: EvidenceFile? = nil, actor: Actor, now: Int64, db: any SQLDatabase
    ) async throws {
        let text = text.trimmed
        guard text.count <= 2000 else { throw ValidationFailure(field: "text", message: "内容不能超过 2000 个字") }
        let evidence = evidence.trimmed
        guard evidence.count <= 500 else { throw ValidationFailure(field: "evidence", message: "佐证材料说明不能超过 500 个字") }
        let entry = try await db.insertReturningID(
            """
            INSERT INTO ledger_entries (subject_type, subject_id, organisation_id, entry_date, kind, text, evidence, recorded_by, recorded_at)
            VALUES (\(bind: subject.rawValue), \(bind: id), \(bind: organisationID), \(bind: date.description), \(bind: kind), \(bind: text),
                \(bind: evidence.isEmpty ? nil : evidence), \(bind: actor.userID), \(bind: now))
            """)
        if let file {
            try await AttachmentRepository.add(
                file, ownerType: "ledger_entry", ownerID: entry, organisationID: organisationID, actor: actor, now: now, db: db)
        }
    }

    static func ledger(subject: LedgerSubject, id: Int64, db: any SQLDatabase) async throws -> [LedgerEntry] {
        var entries = try await db.raw(
            """
            SELECT l.*, u.display_name FROM ledger_entries l LEFT JOIN users u ON u.id = l.recorded_by
            WHERE l.subject_type = \(bind: subject.rawValue) AND l.subject_id = \(bind: id) ORDER BY l.entry_date, l.id
            """
        ).all().map(decodeLedger)
        let files = try await AttachmentRepository.list(ownerType: "ledger_entry", ownerIDs: entries.map(\.id), db: db)
        for i in entries.indices { entries[i].attachments = files[entries[i].id] ?? [] }
        return entries
    }

    static func decodeLedger(_ r: any SQLRow) throws -> LedgerEntry {
        LedgerEntry(
            id: try r.value("id"), date: try r.date("entry_date"), kind: try r.value("kind"), text: try r.value("text"),
            evidence: try r.optional("evidence") ?? "", recordedBy: try r.optional("display_name") ?? "系统",
            recordedAt: Date(epochSeconds: try r.value("recorded_at")))
    }

    static func campaign(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> Campaign {
        guard let row = try await db.raw("SELECT * FROM campaigns WHERE id = \(bind: id)").first() else {
            throw RecordNotFound(objectType: "campaign", objectID: String(id))
        }
        let campaign = try decodeCampaign(row)
        guard try await OrganisationRepository.find(campaign.organisationID, access: access, db: db) != nil else {
            throw RecordNotFound(objectType: "campaign", objectID: String(id))
        }
        return campaign
    }

    static func loadAssignment(
        _ id: Int64, access: OrganisationAccess, db: any SQLDatabase
    ) async throws -> (TaskAssignment, Campaign, [LedgerEntry])? {
        guard
            let r = try await db.raw(
                """
                SELECT a.*, (SELECT COUNT(*) FROM ledger_entries l WHERE l.subject_type = \(bind: LedgerSubject.task.rawValue) AND l.subject_id = a.id) AS entries
                FROM task_assignments a WHERE a.id = \(bind: id)
                """
            ).first(),
            try await OrganisationRepository.find(try r.value("organisation_id"), access: access, db: db) != nil,
            let t = try await db.raw("SELECT * FROM campaign_tasks WHERE id = \(bind: try r.value("task_id", Int64.self))").first()
        else { return nil }
        let task = try decodeTask(t)
        let campaign = try decodeCampaign(
            try await db.raw("SELECT * FROM campaigns WHERE id = \(bind: task.campaignID)").first().required("row", "query"))
        return (try decodeAssignment(r, task: task), campaign, try await ledger(subject: .task, id: id, db: db))
    }

    static func decodeCampaign(_ r: any SQLRow) throws -> Campaign {
        Campaign(
            id: try r.value("id"), organisationID: try r.value("organisation_id"), name: try r.value("name"), year: try r.value("year"),
            description: try r.optional("description") ?? "", closedOn: (try r.optional("closed_on", String.self)).flatMap(CivilDate.init(iso:)))
    }

    static func decodeTask(_ r: any SQLRow) throws -> CampaignTask {
        CampaignTask(
            id: try r.value("id"), campaignID: try r.value("campaign_id"), category: try r.value("category"), title: try r.value("title"),
            deliverable: try r.optional("deliverable") ?? "", deadline: try r.date("deadline"))
    }

    static func decodeAssignment(_ r: any SQLRow, task: CampaignTask) throws -> TaskAssignment {
        let lifecycle = TaskAssignmentLifecycle(
            deadline: task.deadline, state: TaskState(rawValue: try r.value("state")) ?? .assigned,
            ledgerEntries: try r.value("entries"), doneOn: (try r.optional("done_on", String.self)).flatMap(CivilDate.init(iso:)))
        return TaskAssignment(
            id: try r.value("id"), task: task, organisationID: try r.value("organisation_id"), ownerName: try r.optional("owner_name") ?? "",
            refinement: try r.optional("refinement") ?? "", lifecycle: lifecycle, version: try r.value("version"))
    }
}
