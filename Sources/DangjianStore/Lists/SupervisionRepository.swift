public import Foundation
public import DangjianDomain
import SQLKit

/// A supervision group (督导组): its members (users with a duty such as 组长/组员) and the organisations it covers.
public struct SupervisionGroup: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
    public var year: Int
    public var members: [(userID: Int64, name: String, duty: String)]
    public var organisationIDs: [Int64]

    public static func == (a: SupervisionGroup, b: SupervisionGroup) -> Bool {
        a.id == b.id && a.name == b.name && a.organisationIDs == b.organisationIDs && a.members.map(\.userID) == b.members.map(\.userID)
    }
}

/// A supervision round (督导轮次) against a scheme (e.g. 8 方面 30 项创建指标).
public struct SupervisionRound: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var campaignID: Int64?
    public var name: String
    public var scheme: String
    public var startsOn: CivilDate
    public var endsOn: CivilDate
}

/// A visit of a group to an organisation in a round, with the problems it found.
public struct SupervisionVisit: Sendable {
    public var id: Int64
    public var roundID: Int64
    public var groupID: Int64
    public var organisationID: Int64
    public var visitedOn: CivilDate
    public var notes: String
    public var problemIDs: [Int64]
}

/// A finding recorded at a visit; it becomes a problem in the same step.
public struct FindingDraft: Sendable {
    public var category: String
    public var description: String
    public var deadline: CivilDate
    public init(category: String, description: String, deadline: CivilDate) {
        self.category = category
        self.description = description
        self.deadline = deadline
    }
}

/// 督导: groups, rounds, visits whose findings become problems in one step, and reminder letters (提醒函) that are
/// sent and acknowledged. The supervising office needs `ledger.manage`; a group member may record visits to the
/// organisations of the group without it (inspectors score what they are assigned, nothing else).
public struct SupervisionRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let problems: ProblemRepository

    public init(database: Database, audit: AuditTrail, clock: any WallClock, problems: ProblemRepository) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.problems = problems
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    public func createGroup(
        name: String, year: Int, organisationID: Int64, members: [(userID: Int64, duty: String)], organisationIDs: [Int64],
        access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let name = try CampaignRepository.required(name, field: "name", label: "督导组名称", limit: 50)
        guard !members.isEmpty else { throw ValidationFailure(field: "members", message: "督导组至少要有一名成员") }
        guard !organisationIDs.isEmpty else { throw ValidationFailure(field: "organisations", message: "请选择督导组负责的单位") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let organiser = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO supervision_groups (organisation_id, name, year, created_at) VALUES (\(bind: organiser.id), \(bind: name), \(bind: year), \(bind: now))
                """)
            var seen = Set<Int64>()
            for m in members where seen.insert(m.userID).inserted {
                guard try await db.raw("SELECT id FROM users WHERE id = \(bind: m.userID)").first() != nil else {
                    throw ValidationFailure(field: "members", message: "督导组成员（用户编号 \(m.userID)）不存在")
                }
                let duty = m.duty.trimmed
                try await db.raw(
                    "INSERT INTO supervision_group_members (group_id, user_id, duty) VALUES (\(bind: id), \(bind: m.userID), \(bind: duty.isEmpty ? "组员" : duty))"
                ).run()
            }
            for orgID in Set(organisationIDs).sorted() {
                guard let org = try await OrganisationRepository.find(orgID, access: access, db: db), organiser.path.contains(org.path) else {
                    throw ValidationFailure(field: "organisations", message: "单位（编号 \(orgID)）不在督导范围内")
                }
                try await db.raw("INSERT INTO supervision_group_units (group_id, organisation_id) VALUES (\(bind: id), \(bind: org.id))").run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "supervision_group", objectID: String(id), organisationID: organiser.id,
                    summary: "成立督导组“\(name)”：\(seen.count) 名成员，负责 \(Set(organisationIDs).count) 个单位"),
                by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    public func createRound(
        name: String, scheme: String, startsOn: CivilDate, endsOn: CivilDate, campaignID: Int64?, organisationID: Int64,
        access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let name = try CampaignRepository.required(name, field: "name", label: "督导轮次名称", limit: 100)
        guard endsOn >= startsOn else { throw ValidationFailure(field: "ends_on", message: "结束日期不能早于开始日期") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let organiser = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            if let campaignID { _ = try await CampaignRepository.campaign(campaignID, access: access, db: db) }
            let id = try await db.insertReturningID(
                """
                INSERT INTO supervision_rounds (organisation_id, campaign_id, name, scheme, starts_on, ends_on, created_at)
                VALUES (\(bind: organiser.id), \(bind: campaignID), \(bind: name), \(bind: scheme.isEmpty ? nil : scheme), \(bind: startsOn.description),
                    \(bind: endsOn.description), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "supervision_round", objectID: String(id), organisationID: organiser.id,
                    summary: "安排督导轮次“\(name)”：\(startsOn) 至 \(endsOn)"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    /// Records a group's visit to an organisation and turns each finding into a problem (source 督导检查), all at once
    /// or nothing. Allowed to a member of the group for its organisations, or with `ledger.manage` over the organisation.
    public func recordVisit(
        roundID: Int64, groupID: Int64, organisationID: Int64, visitedOn: CivilDate, notes: String, findings: [FindingDraft],
        userID: Int64, manage: OrganisationAccess, actor: Actor
    ) async throws -> SupervisionVisit {
        guard visitedOn <= today else { throw ValidationFailure(field: "visited_on", message: "督导日期不能晚于今天") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let round = try await Self.round(roundID, db: db)
            let group = try await Self.group(groupID, db: db)
            guard group.organisationID == round.organisationID else {
                throw ValidationFailure(field: "group", message: "“\(group.name)”不是“\(round.name)”组织单位的督导组")
            }
            guard try await mayVisit(group: group, organisationID: organisationID, userID: userID, manage: manage, db: db) else {
                throw AccessDenied(permission: .ledgerManage, reason: "不是负责该单位的督导组成员")
            }
            guard visitedOn >= round.startsOn && visitedOn <= round.endsOn else {
                throw ValidationFailure(field: "visited_on", message: "督导日期应在本轮 \(round.startsOn) 至 \(round.endsOn) 之间")
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO supervision_visits (round_id, group_id, organisation_id, visited_on, notes, recorded_by, recorded_at)
                VALUES (\(bind: roundID), \(bind: groupID), \(bind: organisationID), \(bind: visitedOn.description), \(bind: notes.isEmpty ? nil : notes),
                    \(bind: actor.userID), \(bind: now))
                """)
            var ids: [Int64] = []
            for (i, f) in findings.enumerated() {
                do {
                    ids.append(
                        try await problems.insert(
                            ProblemDraft(
                                organisationID: organisationID, source: .supervision, category: f.category, description: f.description,
                                foundOn: visitedOn, deadline: f.deadline, campaignID: round.campaignID),
                            visitID: id, access: .maintenance, actor: actor, db: db))
                } catch var failure as ValidationFailure {
                    failure.message = "第 \(i + 1) 个问题：" + failure.message
                    throw failure
                }
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "supervision_visit", objectID: String(id), organisationID: organisationID,
                    summary: "\(group.name)督导（\(round.name)，\(visitedOn)），发现问题 \(ids.count) 个"), by: actor, in: db, dialect: database.dialect)
            return SupervisionVisit(
                id: id, roundID: roundID, groupID: groupID, organisationID: organisationID, visitedOn: visitedOn, notes: notes, problemIDs: ids)
        }
    }

    func mayVisit(group: SupervisionGroup, organisationID: Int64, userID: Int64, manage: OrganisationAccess, db: any SQLDatabase) async throws -> Bool
    {
        guard group.organisationIDs.contains(organisationID) else {
            throw ValidationFailure(field: "organisation", message: "该单位不在“\(group.name)”的督导范围内")
        }
        if group.members.contains(where: { $0.userID == userID }) { return true }
        return try await OrganisationRepository.find(organisationID, access: manage, db: db) != nil
    }

    /// Groups and rounds of the organisations inside `access`, and those the user belongs to.
    public func overview(userID: Int64, access: OrganisationAccess) async throws -> (groups: [SupervisionGroup], rounds: [SupervisionRound]) {
        try await database.read { db in
            var groups: [SupervisionGroup] = []
            for r in try await db.raw(
                """
                SELECT g.id FROM supervision_groups g JOIN organisations o ON o.id = g.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) OR g.id IN (SELECT group_id FROM supervision_group_members WHERE user_id = \(bind: userID))
                ORDER BY g.year DESC, g.id
                """
            ).all() {
                groups.append(try await Self.group(try r.value("id"), db: db))
            }
            // Rounds of the organisations inside `access`, and of the offices whose groups the user belongs to: one query.
            let organisers = SQLList(Set(groups.map(\.organisationID)).sorted().map { SQLBind($0) })
            let ofOrganisers: SQLQueryString = groups.isEmpty ? "1 = 0" : "r.organisation_id IN (\(organisers))"
            let rounds = try await db.raw(
                """
                SELECT r.* FROM supervision_rounds r JOIN organisations o ON o.id = r.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) OR \(ofOrganisers)
                ORDER BY r.starts_on DESC, r.id DESC
                """
            ).all().map(Self.decodeRound)
            return (groups, rounds)
        }
    }

    /// A round with its visits, if the user may see it (organiser inside `access`, or a member of a group of the organiser).
    public func round(_ id: Int64, userID: Int64, access: OrganisationAccess) async throws -> (SupervisionRound, [SupervisionVisit])? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM supervision_rounds WHERE id = \(bind: id)").first() else { return nil }
            let round = try Self.decodeRound(row)
            let member =
                try await db.raw(
                    """
                    SELECT 1 AS x FROM supervision_group_members m JOIN supervision_groups g ON g.id = m.group_id
                    WHERE m.user_id = \(bind: userID) AND g.organisation_id = \(bind: round.organisationID)
                    """
                ).first() != nil
            let organiser = try await OrganisationRepository.find(round.organisationID, access: access, db: db)
            guard member || organiser != nil else { return nil }
            var visits: [SupervisionVisit] = []
            for v in try await db.raw("SELECT * FROM supervision_visits WHERE round_id = \(bind: id) ORDER BY visited_on, id").all() {
                let vid: Int64 = try v.value("id")
                let ids = try await db.raw("SELECT id FROM problems WHERE visit_id = \(bind: vid) ORDER BY id").all().map {
                    try $0.value("id", Int64.self)
                }
                visits.append(
                    SupervisionVisit(
                        id: vid, roundID: id, groupID: try v.value("group_id"), organisationID: try v.value("organisation_id"),
                        visitedOn: try v.date("visited_on"), notes: try v.optional("notes") ?? "", problemIDs: ids))
            }
            return (round, visits)
        }
    }

    /// One visit with its round, when the visited organisation is inside `access`.
    public func visit(_ id: Int64, access: OrganisationAccess) async throws -> (SupervisionVisit, SupervisionRound)? {
        try await database.read { db in
            guard let v = try await db.raw("SELECT * FROM supervision_visits WHERE id = \(bind: id)").first(),
                try await OrganisationRepository.find(try v.value("organisation_id"), access: access, db: db) != nil
            else { return nil }
            let ids = try await db.raw("SELECT id FROM problems WHERE visit_id = \(bind: id) ORDER BY id").all().map {
                try $0.value("id", Int64.self)
            }
            let round = try await Self.round(try v.value("round_id"), db: db)
            return (
                SupervisionVisit(
                    id: id, roundID: round.id, groupID: try v.value("group_id"), organisationID: try v.value("organisation_id"),
                    visitedOn: try v.date("visited_on"), notes: try v.optional("notes") ?? "", problemIDs: ids), round
            )
        }
    }

    static func round(_ id: Int64, db: any SQLDatabase) async throws -> SupervisionRound {
        guard let r = try await db.raw("SELECT * FROM supervision_rounds WHERE id = \(bind: id)").first() else {
            throw RecordNotFound(objectType: "supervision_round", objectID: String(id))
        }
        return try decodeRound(r)
    }

    static func decodeRound(_ r: any SQLRow) throws -> SupervisionRound {
        SupervisionRound(
            id: try r.value("id"), organisationID: try r.value("organisation_id"), campaignID: try r.optional("campaign_id"),
            name: try r.value("name"),
            scheme: try r.optional("scheme") ?? "", startsOn: try r.date("starts_on"), endsOn: try r.date("ends_on"))
    }

    static func group(_ id: Int64, db: any SQLDatabase) async throws -> SupervisionGroup {
        guard let r = try await db.raw("SELECT * FROM supervision_groups WHERE id = \(bind: id)").first() else {
            throw RecordNotFound(objectType: "supervision_group", objectID: String(id))
        }
        let members = try await db.raw(
            """
            SELECT m.user_id, m.duty, u.display_name FROM supervision_group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = \(bind: id) ORDER BY m.user_id
            """
        ).all().map {
            (userID: try $0.value("user_id", Int64.self), name: try $0.value("display_name", String.self), duty: try $0.value("duty", String.self))
        }
        let orgs = try await db.raw("SELECT organisation_id FROM supervision_group_units WHERE group_id = \(bind: id) ORDER BY organisation_id").all()
            .map { try $0.value("organisation_id", Int64.self) }
        return SupervisionGroup(
            id: id, organisationID: try r.value("organisation_id"), name: try r.value("name"), year: try r.value("year"),
            members: members, organisationIDs: orgs)
    }
}
