public import Foundation
public import DangjianDomain
import SQLKit

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

/// 提醒函: reminder letters issued to an organisation after a supervision visit, sent and acknowledged.
extension SupervisionRepository {
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
}
