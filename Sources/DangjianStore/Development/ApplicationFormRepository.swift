public import DangjianDomain
import SQLKit

/// One numbered 入党志愿书 in the ledger.
public struct ApplicationForm: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case issued, used, voided
        public var displayName: String { self == .issued ? "已发放未使用" : self == .used ? "已使用" : "已作废" }
    }
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

    /// The numbers of a batch: `first` and the following `count - 1`, incrementing the trailing digits and keeping
    /// their width ("粤2026000123" × 3 → …123, …124, …125).
    public static func batch(first: String, count: Int) throws -> [String] {
        let first = first.trimmed
        guard !first.isEmpty, first.count <= 40, !first.contains(where: { $0.isWhitespace }) else {
            throw ValidationFailure(field: "first", message: "请填写起始编号（不含空格，不超过 40 个字符）", ruleID: RuleID.dev34.code)
        }
        guard (1...1000).contains(count) else { throw ValidationFailure(field: "count", message: "每批发放 1–1000 份", ruleID: RuleID.dev34.code) }
        let digits = String(first.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        guard !digits.isEmpty, let start = Int(digits.suffix(15)) else {
            if count == 1 { return [first] }
            throw ValidationFailure(field: "first", message: "起始编号应以数字结尾，才能连续编号", ruleID: RuleID.dev34.code)
        }
        let prefix = String(first.dropLast(digits.count))
        return try (0..<count).map { i in
            let n = String(start + i)
            guard n.count <= digits.count else {
                throw ValidationFailure(field: "count", message: "编号超出 \(digits.count) 位数字的范围", ruleID: RuleID.dev34.code)
            }
            return prefix + String(repeating: "0", count: digits.count - n.count) + n
        }
    }

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
                if try await db.raw("SELECT id FROM application_forms WHERE number = \(bind: number)").first() != nil {
                    throw ValidationFailure(field: "first", message: "编号 \(number) 已在台账中（一人一号，编号不得重复）", ruleID: RuleID.dev34.code)
                }
                try await db.raw(
                    """
                    INSERT INTO application_forms (number, organisation_id, status, issued_on, created_at)
                    VALUES (\(bind: number), \(bind: org.id), 'issued', \(bind: date.description), \(bind: now))
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
        guard !why.isEmpty else { throw ValidationFailure(field: "reason", message: "作废须写明原因（遗失、填错等）", ruleID: RuleID.dev34.code) }
        try await database.write { db in
            guard let form = try await Self.find(number: number, db: db),
                try await OrganisationRepository.find(form.organisationID, access: access, db: db) != nil
            else {
                throw ValidationFailure(field: "number", message: "台账中没有编号 \(number)", ruleID: RuleID.dev34.code)
            }
            guard form.status != .voided else { throw ValidationFailure(field: "number", message: "编号 \(number) 已作废", ruleID: RuleID.dev34.code) }
            try await db.raw(
                """
                UPDATE application_forms SET status = 'voided', voided_on = \(bind: date.description), void_reason = \(bind: why), version = version + 1 WHERE id = \(bind: form.id)
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
        guard !number.isEmpty else { throw ValidationFailure(field: "form_number", message: "请填写入党志愿书编号", ruleID: RuleID.dev34.code) }
        guard let form = try await find(number: number, db: db) else {
            throw ValidationFailure(field: "form_number", message: "编号 \(number) 不在入党志愿书发放台账中", ruleID: RuleID.dev34.code)
        }
        guard form.status == .issued else {
            throw ValidationFailure(
                field: "form_number", message: "编号 \(number) \(form.status.displayName)，不能使用（一人一号，作废编号不得再用）", ruleID: RuleID.dev34.code)
        }
        guard let holder = try await OrganisationRepository.find(form.organisationID, access: .maintenance, db: db),
            holder.path.contains(organisationPath)
        else {
            throw ValidationFailure(field: "form_number", message: "编号 \(number) 未发放给本党组织或其上级", ruleID: RuleID.dev34.code)
        }
        if try await db.raw("SELECT number FROM application_forms WHERE case_id = \(bind: caseID) AND status = 'used'").first() != nil {
            throw ValidationFailure(field: "form_number", message: "此人已使用过一份入党志愿书；遗失或填错的须先作废再换新号", ruleID: RuleID.dev34.code)
        }
        try await db.raw(
            """
            UPDATE application_forms SET status = 'used', case_id = \(bind: caseID), used_on = \(bind: date.description), version = version + 1 WHERE id = \(bind: form.id)
            """
        ).run()
    }

    /// Unused numbers an organisation at `path` may use: those issued to it or to an organisation above it.
    public func available(to path: MaterialisedPath, limit: Int = 50) async throws -> [String] {
        try await database.read { db in
            var numbers: [String] = []
            for r in try await db.raw(
                """
                SELECT f.number, o.path FROM application_forms f JOIN organisations o ON o.id = f.organisation_id WHERE f.status = 'issued' ORDER BY f.number
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
