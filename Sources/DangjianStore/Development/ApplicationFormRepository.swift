public import DangjianDomain
import SQLKit

/// One numbered 入党志愿书 in the ledger.
public struct ApplicationForm: Sendable, Equatable {
    public typealias Status = ApplicationFormStatus
    public var id: Int64
    public var number: String
    public var organisationID: Int64
    public var status: Status
    public var issuedOn: CivilDate
    public var caseID: Int64?
    public var usedOn: CivilDate?
    public var voidReason: String?
}

/// 入党志愿书编号 (DEV-34): numbers are issued in batches to an organisation (the province's unified numbering is kept
/// as opaque text, unique), used once by one applicant at step 14, voided with a reason when a form is lost or
/// spoiled (a replacement gets a new number). Issuing and voiding need `organisations.write`; using happens when the
/// branch records step 14.
public struct ApplicationFormRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// The numbers of a batch (`ApplicationFormLedger.batch`).
    public static func batch(first: String, count: Int) throws -> [String] { try ApplicationFormLedger.batch(first: first, count: count) }

    /// 发放登记: issues the batch to an organisation inside `access`; all or nothing, a number already in the ledger refused.
    public func issue(
        first: String, count: Int, organisationID: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor
    ) async throws -> [String] {
        let numbers = try Self.batch(first: first, count: count)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            for number in numbers {
                let inLedger = try await db.raw("SELECT id FROM application_forms WHERE number = \(bind: number)").first() != nil
                if let refusal = ApplicationFormLedger.issueRefusal(number: number, alreadyInLedger: inLedger) { throw refusal }
                try await db.raw(
                    """
                    INSERT INTO application_forms (number, organisation_id, status, issued_on, created_at)
                    VALUES (\(bind: number), \(bind: org.id), \(bind: ApplicationFormStatus.issued.rawValue), \(bind: date.description), \(bind: now))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "application_form", objectID: numbers.first ?? "", organisationID: org.id,
                    summary: "发放入党志愿书 \(numbers.count) 份：\(numbers.first ?? "")" + (numbers.count > 1 ? "–\(numbers.last ?? "")" : "")
                        + "（\(RuleID.dev34)）"),
                by: actor, in: db, dialect: database.dialect)
            return numbers
        }
    }

    /// 作废: a lost or spoiled form, with the reason; never reused.
    public func void(number: String, reason: String, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws {
        let why = reason.trimmed
        if let refusal = ApplicationFormLedger.voidReasonRefusal(why) { throw refusal }
        try await database.write { db in
            var form = try await Self.find(number: number, db: db)
            if let found = form, try await OrganisationRepository.find(found.organisationID, access: access, db: db) == nil { form = nil }
            if let refusal = ApplicationFormLedger.voidRefusal(number: number, status: form?.status) { throw refusal }
            guard let form else { return }
            try await db.raw(
                """
                UPDATE application_forms SET status = \(bind: ApplicationFormStatus.voided.rawValue), voided_on = \(bind: date.description), void_reason = \(bind: why), version = version + 1 WHERE id = \(bind: form.id)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "application_form", objectID: number, organisationID: form.organisationID,
                    summary: "作废入党志愿书 \(number)：\(why)（\(RuleID.dev34)）"), by: actor, in: db, dialect: database.dialect)
        }
    }

    /// 使用登记 inside the step-14 transaction: the number must be issued to the case's organisation or one above it,
    /// unused, and the case must not hold another.
    static func use(number raw: String, caseID: Int64, organisationPath: MaterialisedPath, on date: CivilDate, db: any SQLDatabase) async throws {
        let number = raw.trimmed
        let form = number.isEmpty ? nil : try await find(number: number, db: db)
        var issuedAbove = false
        if let form, let holder = try await OrganisationRepository.find(form.organisationID, access: .maintenance, db: db) {
            issuedAbove = holder.path.contains(organisationPath)
        }
        let caseHoldsOne =
            try await db.raw(
                "SELECT number FROM application_forms WHERE case_id = \(bind: caseID) AND status = \(bind: ApplicationFormStatus.used.rawValue)"
            ).first() != nil
        if let refusal = ApplicationFormLedger.useRefusal(
            number: number, status: form?.status, issuedToCaseOrganisationOrAbove: issuedAbove, caseHoldsOne: caseHoldsOne)
        {
            throw refusal
        }
        guard let form else { return }
        try await db.raw(
            """
            UPDATE application_forms SET status = \(bind: ApplicationFormStatus.used.rawValue), case_id = \(bind: caseID), used_on = \(bind: date.description), version = version + 1 WHERE id = \(bind: form.id)
            """
        ).run()
    }

    /// Unused numbers an organisation at `path` may use: those issued to it or to an organisation above it.
    public func available(to path: MaterialisedPath, limit: Int = 50) async throws -> [String] {
        try await database.read { db in
            var numbers: [String] = []
            for r in try await db.raw(
                """
                SELECT f.number, o.path FROM application_forms f JOIN organisations o ON o.id = f.organisation_id WHERE f.status = \(bind: ApplicationFormStatus.issued.rawValue) ORDER BY f.number
                """
            ).all() {
                if let holder = MaterialisedPath(try r.value("path", String.self)), holder.contains(path) { numbers.append(try r.value("number")) }
                if numbers.count >= limit { break }
            }
            return numbers
        }
    }

    /// The ledger of the organisations inside `access`, newest first.
    public func ledger(access: OrganisationAccess) async throws -> [ApplicationForm] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT f.* FROM application_forms f JOIN organisations o ON o.id = f.organisation_id WHERE \(AccessSQL.predicate(access, alias: "o"))
                ORDER BY f.number
                """
            ).all().map(Self.decode)
        }
    }

    static func find(number: String, db: any SQLDatabase) async throws -> ApplicationForm? {
        try await db.raw("SELECT * FROM application_forms WHERE number = \(bind: number)").first().map(decode)
    }

    static func decode(_ r: any SQLRow) throws -> ApplicationForm {
        ApplicationForm(
            id: try r.value("id"), number: try r.value("number"), organisationID: try r.value("organisation_id"),
            status: ApplicationForm.Status(rawValue: try r.value("status")) ?? .issued, issuedOn: try r.date("issued_on"),
            caseID: try r.optional("case_id"), usedOn: (try r.optional("used_on", String.self)).flatMap(CivilDate.init(iso:)),
            voidReason: try r.optional("void_reason"))
    }
}
