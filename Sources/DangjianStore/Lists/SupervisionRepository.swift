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

/// A reminder letter (提醒函) as stored.
public struct ReminderLetter: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var issuerOrganisationID: Int64
    public var visitID: Int64?
    public var number: String
    public var title: String
    public var recipient: String
    public var body: String
    public var issuingOrgan: String
    public var issuedOn: CivilDate
    public var sentOn: CivilDate?
    public var acknowledgedOn: CivilDate?
    public var problemIDs: [Int64]

    /// 待发送 / 已发送 / 已签收.
    public var stateName: String { acknowledgedOn != nil ? "已签收" : sentOn != nil ? "已发送" : "待发送" }
}

/// What a new letter says (the body is prefilled from the problems and editable).
public struct LetterDraft: Sendable {
    public var organisationID: Int64
    public var visitID: Int64?
    public var problemIDs: [Int64]
    public var title: String
    public var recipient: String
    public var body: String
    public var issuingOrgan: String
    public var issuedOn: CivilDate
    public init(
        organisationID: Int64, visitID: Int64?, problemIDs: [Int64], title: String, recipient: String, body: String, issuingOrgan: String,
        issuedOn: CivilDate
    ) {
        self.organisationID = organisationID
        self.visitID = visitID
        self.problemIDs = problemIDs
        self.title = title
        self.recipient = recipient
        self.body = body
        self.issuingOrgan = issuingOrgan
        self.issuedOn = issuedOn
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

    // MARK: 提醒函

    /// Issues a reminder letter to an organisation inside `access` (`ledger.manage`); numbered 〔year〕n号 per issuer and year.
    public func issueLetter(
        _ draft: LetterDraft, issuerOrganisationID: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> ReminderLetter {
        let title = try CampaignRepository.required(draft.title, field: "title", label: "标题", limit: 100)
        let recipient = try CampaignRepository.required(draft.recipient, field: "recipient", label: "主送单位", limit: 100)
        let body = try CampaignRepository.required(draft.body, field: "body", label: "正文", limit: 5000)
        let organ = try CampaignRepository.required(draft.issuingOrgan, field: "issuing_organ", label: "发文机关", limit: 100)
        guard draft.issuedOn <= today else { throw ValidationFailure(field: "issued_on", message: "成文日期不能晚于今天") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let issuer = try await OrganisationRepository.find(issuerOrganisationID, access: access, db: db),
                let org = try await OrganisationRepository.find(draft.organisationID, access: access, db: db)
            else {
                throw RecordNotFound(objectType: "organisation", objectID: String(draft.organisationID))
            }
            if let visit = draft.visitID,
                try await db.raw("SELECT id FROM supervision_visits WHERE id = \(bind: visit) AND organisation_id = \(bind: org.id)").first() == nil
            {
                throw ValidationFailure(field: "visit", message: "督导记录（编号 \(visit)）不是对该单位的督导")
            }
            for p in draft.problemIDs {
                guard try await db.raw("SELECT id FROM problems WHERE id = \(bind: p) AND organisation_id = \(bind: org.id)").first() != nil else {
                    throw ValidationFailure(field: "problems", message: "问题（编号 \(p)）不是该单位的问题")
                }
            }
            let year = draft.issuedOn.year
            let count = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM supervision_letters WHERE issuer_organisation_id = \(bind: issuer.id) AND issued_on >= \(bind: "\(year)-01-01") AND issued_on <= \(bind: "\(year)-12-31")
                """
            ).first().required("row", "query").value("n", Int.self)
            let number = "提醒函〔\(year)〕\(count + 1)号"
            let id = try await db.insertReturningID(
                """
                INSERT INTO supervision_letters (organisation_id, issuer_organisation_id, visit_id, number, title, recipient, body, issuing_organ, issued_on, created_by, created_at)
                VALUES (\(bind: org.id), \(bind: issuer.id), \(bind: draft.visitID), \(bind: number), \(bind: title), \(bind: recipient), \(bind: body), \(bind: organ),
                    \(bind: draft.issuedOn.description), \(bind: actor.userID), \(bind: now))
                """)
            for p in Set(draft.problemIDs).sorted() {
                try await db.raw("INSERT INTO supervision_letter_problems (letter_id, problem_id) VALUES (\(bind: id), \(bind: p))").run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "reminder_letter", objectID: String(id), organisationID: org.id,
                    summary: "下发\(number)“\(title)”至\(recipient)（\(draft.problemIDs.count) 个问题）"), by: actor, in: db, dialect: database.dialect)
            return try await Self.letter(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// Marks a letter sent (`ledger.manage` over the recipient).
    public func markSent(_ id: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws {
        try await letterChange(id, access: access, actor: actor) { letter, db in
            guard letter.sentOn == nil else { throw ValidationFailure(field: "sent_on", message: "提醒函已发送") }
            guard date >= letter.issuedOn, date <= today else {
                throw ValidationFailure(field: "sent_on", message: "发送日期应在成文日期 \(letter.issuedOn) 与今天之间")
            }
            try await db.raw("UPDATE supervision_letters SET sent_on = \(bind: date.description), version = version + 1 WHERE id = \(bind: id)").run()
            return "\(letter.number)已发送（\(date)）"
        }
    }

    /// The recipient acknowledges the letter (签收, `ledger.write` over the recipient).
    public func acknowledge(_ id: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws {
        try await letterChange(id, access: access, actor: actor) { letter, db in
            guard let sent = letter.sentOn else { throw ValidationFailure(field: "acknowledged_on", message: "提醒函尚未发送，不能签收") }
            guard letter.acknowledgedOn == nil else { throw ValidationFailure(field: "acknowledged_on", message: "提醒函已签收") }
            guard date >= sent, date <= today else { throw ValidationFailure(field: "acknowledged_on", message: "签收日期应在发送日期 \(sent) 与今天之间") }
            try await db.raw(
                """
                UPDATE supervision_letters SET acknowledged_on = \(bind: date.description), acknowledged_by = \(bind: actor.userID), version = version + 1 WHERE id = \(bind: id)
                """
            ).run()
            return "\(letter.number)已签收（\(date)）"
        }
    }

    func letterChange(
        _ id: Int64, access: OrganisationAccess, actor: Actor, _ body: (ReminderLetter, any SQLDatabase) async throws -> String
    ) async throws {
        try await database.write { db in
            guard let letter = try await Self.letter(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "reminder_letter", objectID: String(id))
            }
            let summary = try await body(letter, db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "reminder_letter", objectID: String(id), organisationID: letter.organisationID,
                    summary: summary), by: actor, in: db, dialect: database.dialect)
        }
    }

    public func letter(_ id: Int64, access: OrganisationAccess) async throws -> ReminderLetter? {
        try await database.read { db in try await Self.letter(id, access: access, db: db) }
    }

    /// Letters to the organisations inside `access`, newest first.
    public func letters(access: OrganisationAccess) async throws -> [ReminderLetter] {
        try await database.read { db in
            var result: [ReminderLetter] = []
            for r in try await db.raw(
                """
                SELECT l.id FROM supervision_letters l JOIN organisations o ON o.id = l.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) ORDER BY l.issued_on DESC, l.id DESC
                """
            ).all() {
                if let l = try await Self.letter(try r.value("id"), access: .maintenance, db: db) { result.append(l) }
            }
            return result
        }
    }

    static func letter(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> ReminderLetter? {
        guard let r = try await db.raw("SELECT * FROM supervision_letters WHERE id = \(bind: id)").first(),
            try await OrganisationRepository.find(try r.value("organisation_id"), access: access, db: db) != nil
        else { return nil }
        let problems = try await db.raw("SELECT problem_id FROM supervision_letter_problems WHERE letter_id = \(bind: id) ORDER BY problem_id").all()
            .map { try $0.value("problem_id", Int64.self) }
        func date(_ c: String) throws -> CivilDate? { (try r.optional(c, String.self)).flatMap(CivilDate.init(iso:)) }
        return ReminderLetter(
            id: id, organisationID: try r.value("organisation_id"), issuerOrganisationID: try r.value("issuer_organisation_id"),
            visitID: try r.optional("visit_id"), number: try r.value("number"), title: try r.value("title"), recipient: try r.value("recipient"),
            body: try r.value("body"), issuingOrgan: try r.value("issuing_organ"), issuedOn: try r.date("issued_on"),
            sentOn: try date("sent_on"), acknowledgedOn: try date("acknowledged_on"), problemIDs: problems)
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
