public import Foundation
public import DangjianDomain
import SQLKit

/// One stored entry of a case file: a step recorded, or a correction of one (never an edit).
public struct DevelopmentEntry: Sendable, Equatable {
    public var id: Int64
    public var record: StepRecord
    public var remark: String?
    public var correctsEntryID: Int64?
    public var reason: String?
    public var recordedAt: Date
}

/// A case file as stored: who, where, and the case rebuilt from its entries.
public struct DevelopmentCaseFile: Sendable {
    public var id: Int64
    public var organisationID: Int64
    public var applicantName: String
    public var gender: Gender
    public var idNumberMasked: String
    public var status: String
    public var developmentCase: DevelopmentCase
    public var entries: [DevelopmentEntry]
}

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
}

/// The facts of a step as stored (JSON).
struct StoredFacts: Codable {
    var people: [String] = []
    var peopleFull: [Bool] = []
    var reviewPassed: Bool?
    var trainingDays = 0
    var trainingHours = 0
    var vote: [Int]?  // entitled, present, for, against, abstaining, written for, written against
    var branchFullMembers: Int?
    var leavingOn: String?
    var approverType: String?
    var extensionMonths: Int?
    var publicityStart: String?
    var formNumber: String?

    init(_ f: StepFacts) {
        people = f.people.map(\.name)
        peopleFull = f.people.map(\.full)
        reviewPassed = f.reviewPassed
        trainingDays = f.trainingDays
        trainingHours = f.trainingHours
        vote = f.vote.map { [$0.entitled, $0.present, $0.inFavour, $0.against, $0.abstaining, $0.writtenInFavour, $0.writtenAgainst] }
        branchFullMembers = f.branchFullMembers
        leavingOn = f.leavingOn?.description
        approverType = f.approverType?.rawValue
        extensionMonths = f.extensionMonths
        publicityStart = f.publicityStart?.description
        formNumber = f.formNumber?.trimmingCharacters(in: .whitespaces)
    }

    var facts: StepFacts {
        var f = StepFacts()
        f.people = zip(people, peopleFull).map { ($0, $1) }
        f.reviewPassed = reviewPassed
        f.trainingDays = trainingDays
        f.trainingHours = trainingHours
        if let v = vote, v.count == 7 {
            f.vote = ResolutionVote(entitled: v[0], present: v[1], inFavour: v[2], against: v[3], abstaining: v[4], writtenInFavour: v[5], writtenAgainst: v[6])
        }
        f.branchFullMembers = branchFullMembers
        f.leavingOn = leavingOn.flatMap(CivilDate.init(iso:))
        f.approverType = approverType.flatMap(OrganisationType.init(rawValue:))
        f.extensionMonths = extensionMonths
        f.publicityStart = publicityStart.flatMap(CivilDate.init(iso:))
        f.formNumber = formNumber
        return f
    }
}

/// 发展党员 case files: opened for an applicant in a branch, steps recorded one by one under the rules of the case's
/// rule book (refusals name the rule and the earliest valid date), corrections as new entries with a reason.
public struct DevelopmentRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let keyring: Keyring
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, keyring: Keyring, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.keyring = keyring
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// Opens a case for an applicant: the ID number is checked (GB 11643) and gives the birth date and gender; one
    /// open case per person. The case keeps the rule book in force today.
    public func open(applicantName: String, idNumber raw: String, organisationID: Int64, access: OrganisationAccess, actor: Actor) async throws -> Int64 {
        let name = applicantName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 50 else { throw ValidationFailure(field: "applicant_name", message: "请填写申请人姓名（不超过 50 字）") }
        let idNumber: IDNumber
        switch IDNumber.parse(raw, today: clock.now()) {
        case .success(let id): idNumber = id
        case .failure(let problem): throw ValidationFailure(field: "id_number", message: problem.message)
        }
        let rules = try await RuleBookRepository(database: database, audit: audit, clock: clock).inForce(on: today)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        let index = keyring.blindIndex(idNumber.value, context: "development.id_number")
        let sealed = try keyring.seal(idNumber.value, context: "development.id_number")
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db), !org.isDissolved else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            if try await db.raw("SELECT id FROM development_cases WHERE id_number_index = \(bind: index) AND status = 'open'").first() != nil {
                throw ValidationFailure(field: "id_number", message: "此人已有进行中的发展党员档案（一人一档）", ruleID: "DEV-36")
            }
            let id = try await db.insertReturningID("""
                INSERT INTO development_cases (organisation_id, applicant_name, gender, birth_date, id_number_enc, id_number_index, id_number_masked,
                    rules_json, status, created_at, updated_at)
                VALUES (\(bind: org.id), \(bind: name), \(bind: idNumber.gender.rawValue), \(bind: idNumber.birthDate.description), \(bind: sealed),
                    \(bind: index), \(bind: idNumber.masked), \(bind: rulesJSON), 'open', \(bind: now), \(bind: now))
                """)
            try await audit.append(AuditEvent(action: .create, objectType: "development_case", objectID: String(id), organisationID: org.id,
                summary: "建立发展党员档案：\(name)（\(idNumber.masked)），规则版本 \(rules.version)"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    /// Records the next step; refused steps throw `DevelopmentRefusal`; returns the case and the warnings.
    public func record(caseID: Int64, _ step: StepRecord, remark: String = "", access: OrganisationAccess, actor: Actor) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        try await write(caseID: caseID, access: access, actor: actor) { file, calendar in
            let check = file.developmentCase.check(step, today: today, calendar: calendar)
            if let refusal = check.refusals.first { throw refusal }
            return (step, nil, remark, nil, check.warnings)
        }
    }

    /// Corrects the last recorded step: the replacement is checked as if the old entry had not been made, and is
    /// stored as a new entry naming the one it replaces and the reason.
    public func correctLast(caseID: Int64, _ step: StepRecord, reason: String, access: OrganisationAccess, actor: Actor) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        let why = reason.trimmingCharacters(in: .whitespaces)
        guard !why.isEmpty else { throw ValidationFailure(field: "reason", message: "更正须写明原因（全程纪实，不作无痕修改）") }
        return try await write(caseID: caseID, access: access, actor: actor) { file, calendar in
            // The last entry still in force (not itself replaced by a later correction).
            let replaced = Set(file.entries.compactMap(\.correctsEntryID))
            guard let last = file.entries.last(where: { !replaced.contains($0.id) }), last.record.step == step.step else {
                throw ValidationFailure(field: "step", message: "只能更正最近记录的一步")
            }
            var without = file.developmentCase
            without.replay(Array(file.developmentCase.steps.dropLast()))
            let check = without.check(step, today: today, calendar: calendar)
            if let refusal = check.refusals.first { throw refusal }
            return (step, last.id, "", why, check.warnings)
        }
    }

    func write(caseID: Int64, access: OrganisationAccess, actor: Actor,
               decide: (DevelopmentCaseFile, WorkingDayCalendar) throws -> (StepRecord, Int64?, String, String?, [DevelopmentRefusal])) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let file = try await Self.load(caseID, access: access, db: db) else { throw RecordNotFound(objectType: "development_case", objectID: String(caseID)) }
            guard file.status == "open" else { throw ValidationFailure(field: "status", message: "档案已完成或终止，不能再记录") }
            let (step, corrects, remark, reason, warnings) = try decide(file, try await HolidayCalendarRepository.load(db))
            if step.step == .applicationForm, let org = try await OrganisationRepository.find(file.organisationID, access: .maintenance, db: db) {
                // DEV-34: the number moves from issued to used by this applicant in the same transaction.
                try await ApplicationFormRepository.use(number: step.facts.formNumber ?? "", caseID: caseID, organisationPath: org.path, on: step.date, db: db)
            }
            let facts = String(decoding: try JSONEncoder().encode(StoredFacts(step.facts)), as: UTF8.self)
            _ = try await db.insertReturningID("""
                INSERT INTO development_entries (case_id, step, entry_date, facts_json, remark, corrects_entry_id, reason, recorded_by, recorded_at)
                VALUES (\(bind: caseID), \(bind: step.step.rawValue), \(bind: step.date.description), \(bind: facts), \(bind: remark.isEmpty ? nil : remark),
                    \(bind: corrects), \(bind: reason), \(bind: actor.userID), \(bind: now))
                """)
            let status = step.step == .archive ? "completed" : "open"
            try await db.raw("UPDATE development_cases SET status = \(bind: status), updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: caseID)").run()
            try await audit.append(AuditEvent(
                action: .update, objectType: "development_case", objectID: String(caseID), organisationID: file.organisationID,
                summary: (corrects == nil ? "记录" : "更正（\(reason ?? "")）") + "第 \(step.step.rawValue) 步“\(step.step.displayName)”：\(step.date)"
                    + warnings.map { "；提示 \($0.ruleID)" }.joined()), by: actor, in: db, dialect: database.dialect)
            return (try await Self.load(caseID, access: .maintenance, db: db)!, warnings)
        }
    }

    public func find(_ caseID: Int64, access: OrganisationAccess) async throws -> DevelopmentCaseFile? {
        try await database.read { db in try await Self.load(caseID, access: access, db: db) }
    }

    /// The development plan of the organisations at `anchorID` within `scope`: every open case with its next step
    /// and when it becomes possible, the ones possible now and within the next month flagged.
    public func plan(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [DevelopmentPlanRow] {
        let today = self.today
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            var rows: [DevelopmentPlanRow] = []
            for row in try await db.raw("""
                SELECT c.id FROM development_cases c JOIN organisations o ON o.id = c.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o")) AND c.status = 'open'
                ORDER BY c.id
                """).all() {
                guard let file = try await Self.load(try row.value("id"), access: access, db: db), let next = file.developmentCase.nextEarliest else { continue }
                rows.append(DevelopmentPlanRow(caseID: file.id, organisationID: file.organisationID, applicantName: file.applicantName,
                                               stage: file.developmentCase.stage, next: next.step, earliest: next.earliest,
                                               eligibleNow: next.earliest <= today, eligibleNextMonth: next.earliest > today && next.earliest <= today.adding(months: 1)))
            }
            return rows.sorted { ($0.earliest, $0.caseID) < ($1.earliest, $1.caseID) }
        }
    }

    /// Loads a case inside `access` and rebuilds it from its entries: a correction replaces the entry it names.
    static func load(_ caseID: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> DevelopmentCaseFile? {
        guard let row = try await db.raw("SELECT * FROM development_cases WHERE id = \(bind: caseID)").first(),
              try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil else { return nil }
        let rules = try JSONDecoder().decode(RuleBook.self, from: Data(try row.value("rules_json", String.self).utf8))
        var entries: [DevelopmentEntry] = []
        for r in try await db.raw("SELECT * FROM development_entries WHERE case_id = \(bind: caseID) ORDER BY id").all() {
            guard let step = DevelopmentStep(rawValue: try r.value("step")), let date = CivilDate(iso: try r.value("entry_date")) else { continue }
            let facts = try JSONDecoder().decode(StoredFacts.self, from: Data(try r.value("facts_json", String.self).utf8)).facts
            entries.append(DevelopmentEntry(id: try r.value("id"), record: StepRecord(step: step, date: date, facts: facts), remark: try r.optional("remark"),
                                            correctsEntryID: try r.optional("corrects_entry_id"), reason: try r.optional("reason"),
                                            recordedAt: Date(epochSeconds: try r.value("recorded_at"))))
        }
        // Effective entries: those not replaced by a later correction, in order; replayed without re-checking (they were
        // checked under the case's rules when recorded).
        let replaced = Set(entries.compactMap(\.correctsEntryID))
        var developmentCase = DevelopmentCase(birthDate: CivilDate(iso: try row.value("birth_date"))!, rules: rules)
        developmentCase.replay(entries.filter { !replaced.contains($0.id) }.map(\.record))
        return DevelopmentCaseFile(id: caseID, organisationID: try row.value("organisation_id"), applicantName: try row.value("applicant_name"),
                                   gender: Gender(rawValue: try row.value("gender")) ?? .male, idNumberMasked: try row.value("id_number_masked"),
                                   status: try row.value("status"), developmentCase: developmentCase, entries: entries)
    }
}
