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
    /// Scans and photos of the step's materials (入党申请书, 思想汇报, 公示照片 …), optional.
    public var attachments: [Attachment] = []
}

/// A case file as stored: who, where, and the case rebuilt from its entries.
public struct DevelopmentCaseFile: Sendable {
    public var id: Int64
    public var organisationID: Int64
    public var applicantName: String
    public var gender: Gender
    public var idNumberMasked: String
    public var status: DevelopmentCaseStatus
    public var developmentCase: DevelopmentCase
    public var entries: [DevelopmentEntry]
    /// The applicant's roster record once the committee approved the admission (DEV-25/27).
    public var memberID: Int64?
}

/// A batch in which some applicants' step was refused: nothing was written; one line per refused applicant.
public struct BatchRefused: ProblemList, Equatable {
    public var lines: [String]

    public var problems: [ValidationFailure] { lines.map { ValidationFailure(field: "case", message: $0) } }
}

/// 发展党员 case files: opened for an applicant in a branch, steps recorded one by one under the rules of the case's
/// rule book (refusals name the rule and the earliest valid date), corrections as new entries with a reason.
public struct DevelopmentRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let keyring: Keyring
    let clock: any WallClock
    /// The roster, where an admission enters the new member (DEV-25).
    let members: MemberRepository

    public init(database: Database, audit: AuditTrail, keyring: Keyring, clock: any WallClock, members: MemberRepository) {
        self.database = database
        self.audit = audit
        self.keyring = keyring
        self.clock = clock
        self.members = members
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// Opens a case for an applicant: the ID number is checked (GB 11643) and gives the birth date and gender; one
    /// open case per person. The case keeps the rule book in force today.
    public func open(
        applicantName: String, idNumber raw: String, organisationID: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let name = applicantName.trimmed
        guard !name.isEmpty, name.count <= 50 else { throw ValidationFailure(field: "applicant_name", message: "请填写申请人姓名（不超过 50 字）") }
        let idNumber: IDNumber
        switch IDNumber.parse(raw, today: clock.now()) {
        case .success(let id): idNumber = id
        case .failure(let problem): throw ValidationFailure(field: "id_number", message: problem.message)
        }
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        let index = keyring.blindIndex(idNumber.value, context: "development.id_number")
        let sealed = try keyring.seal(idNumber.value, context: "development.id_number")
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db), !org.isDissolved else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            if try await db.raw(
                "SELECT id FROM development_cases WHERE id_number_index = \(bind: index) AND status = \(bind: DevelopmentCaseStatus.open.rawValue)"
            ).first() != nil {
                throw ValidationFailure(field: "id_number", message: "此人已有进行中的发展党员档案（一人一档）", ruleID: RuleID.dev36.code)
            }
            // Issue 15, L4: someone on another organisation's roster is already a Party member there — no case here
            // (on this branch's own roster the record is linked, DEV-35). Where is not said (it may be outside the
            // caller's scope); the refusal is counted as a probe by the web layer.
            let rosterIndex = keyring.blindIndex(idNumber.value, context: "member.id_number")
            let onAnotherRoster =
                try await db.raw(
                    """
                    SELECT id FROM members WHERE id_number_index = \(bind: rosterIndex) AND deleted_at IS NULL AND organisation_id <> \(bind: organisationID)
                    """
                ).first() != nil
            if let refusal = MembershipIdentity.openingDevelopmentCase(onAnotherRoster: onAnotherRoster) { throw refusal }
            let id = try await db.insertReturningID(
                """
                INSERT INTO development_cases (organisation_id, applicant_name, gender, birth_date, id_number_enc, id_number_index, id_number_masked,
                    rules_json, status, created_at, updated_at)
                VALUES (\(bind: org.id), \(bind: name), \(bind: idNumber.gender.rawValue), \(bind: idNumber.birthDate.description), \(bind: sealed),
                    \(bind: index), \(bind: idNumber.masked), \(bind: rulesJSON), \(bind: DevelopmentCaseStatus.open.rawValue), \(bind: now), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "development_case", objectID: String(id), organisationID: org.id,
                    summary: "建立发展党员档案：\(name)（\(idNumber.masked)），规则版本 \(rules.version)"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    /// Records the next step; refused steps throw `DevelopmentRefusal`; returns the case and the warnings.
    public func record(
        caseID: Int64, _ step: StepRecord, remark: String = "", evidence: EvidenceFile? = nil, access: OrganisationAccess,
        actor: Actor
    ) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        try await write(caseID: caseID, access: access, actor: actor, evidence: evidence) { file, calendar in
            let check = file.developmentCase.check(step, today: today, calendar: calendar)
            if let refusal = check.firstRefusal { throw refusal }
            return (step, nil, remark, nil, check.warnings)
        }
    }

    /// Corrects the last recorded step: the replacement is checked as if the old entry had not been made, and is
    /// stored as a new entry naming the one it replaces and the reason.
    public func correctLast(
        caseID: Int64, _ step: StepRecord, reason: String, evidence: EvidenceFile? = nil, access: OrganisationAccess,
        actor: Actor
    ) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        let why = reason.trimmed
        guard !why.isEmpty else { throw ValidationFailure(field: "reason", message: "更正须写明原因（全程纪实，不作无痕修改）") }
        return try await write(caseID: caseID, access: access, actor: actor, evidence: evidence) { file, calendar in
            // The last entry still in force (not itself replaced by a later correction).
            let replaced = Set(file.entries.compactMap(\.correctsEntryID))
            guard let last = file.entries.last(where: { !replaced.contains($0.id) }), last.record.step == step.step else {
                throw ValidationFailure(field: "step", message: "只能更正最近记录的一步")
            }
            var without = file.developmentCase
            without.replay(Array(file.developmentCase.steps.dropLast()))
            let check = without.check(step, today: today, calendar: calendar)
            if let refusal = check.firstRefusal { throw refusal }
            return (step, last.id, "", why, check.warnings)
        }
    }

    func write(
        caseID: Int64, access: OrganisationAccess, actor: Actor, evidence: EvidenceFile? = nil,
        decide: (DevelopmentCaseFile, WorkingDayCalendar) throws -> (StepRecord, Int64?, String, String?, [DevelopmentRefusal])
    ) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        try await database.write { db in
            try await writeEntry(caseID: caseID, access: access, actor: actor, evidence: evidence, db: db, decide: decide)
        }
    }

    /// Adds a scan or photo to a recorded step later (补充材料): append-only, in the case's scope, audited.
    public func addMaterial(caseID: Int64, entryID: Int64, _ file: EvidenceFile, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            guard let c = try await Self.load(caseID, access: access, db: db), let entry = c.entries.first(where: { $0.id == entryID }) else {
                throw RecordNotFound(objectType: "development_entry", objectID: String(entryID))
            }
            try await AttachmentRepository.add(
                file, ownerType: "development_entry", ownerID: entryID, organisationID: c.organisationID, actor: actor,
                now: clock.now().epochSeconds, db: db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "development_case", objectID: String(caseID), organisationID: c.organisationID,
                    summary: "补充第 \(entry.record.step.rawValue) 步“\(entry.record.step.displayName)”的材料：\(file.fileName)"), by: actor, in: db,
                dialect: database.dialect)
        }
    }

    /// A material of the case (a scan attached to one of its steps), with its bytes, when the case is in `access`.
    public func material(caseID: Int64, attachmentID: Int64, access: OrganisationAccess) async throws -> (Attachment, Data)? {
        try await database.read { db in
            guard let c = try await Self.load(caseID, access: access, db: db),
                let a = c.entries.flatMap(\.attachments).first(where: { $0.id == attachmentID }),
                let row = try await db.raw("SELECT data FROM attachments WHERE id = \(bind: attachmentID)").first()
            else { return nil }
            return (a, try row.value("data", Data.self))
        }
    }

    /// Records the same step with the same date for several applicants at once (批量办理, e.g. the committee files or
    /// approves several at one meeting, a training class ends for all): each case is checked under its own rules,
    /// all are written or none; a refusal names the applicant and the rule.
    public func recordBatch(
        caseIDs: [Int64], _ step: StepRecord, access: OrganisationAccess, actor: Actor
    ) async throws -> [(String, DevelopmentRefusal)] {
        guard step.step.batchable else {
            throw ValidationFailure(field: "step", message: "第 \(step.step.rawValue) 步“\(step.step.displayName)”须逐人办理（涉及个人的表决、谈话、介绍人或编号），不能批量记录")
        }
        let ids = Array(Set(caseIDs)).sorted()
        guard !ids.isEmpty else { throw ValidationFailure(field: "case", message: "请至少选择一名申请人") }
        guard ids.count <= 200 else { throw ValidationFailure(field: "case", message: "一次最多批量办理 200 人") }
        let today = self.today
        return try await database.write { db in
            var failures: [String] = []
            var warnings: [(String, DevelopmentRefusal)] = []
            for id in ids {
                do {
                    let (file, w) = try await writeEntry(caseID: id, access: access, actor: actor, db: db) { file, calendar in
                        guard file.developmentCase.nextStep == step.step else {
                            throw ValidationFailure(
                                field: "step", message: "下一步是“\(file.developmentCase.nextStep?.displayName ?? "无")”，不是“\(step.step.displayName)”")
                        }
                        let check = file.developmentCase.check(step, today: today, calendar: calendar)
                        if let refusal = check.firstRefusal { throw refusal }
                        return (step, nil, "批量办理", nil, check.warnings)
                    }
                    warnings += w.map { (file.applicantName, $0) }
                } catch let refusal as DevelopmentRefusal {
                    failures.append("\(try await Self.load(id, access: access, db: db)?.applicantName ?? "#\(id)")：\(refusal.fullMessage)")
                } catch let failure as ValidationFailure {
                    failures.append("\(try await Self.load(id, access: access, db: db)?.applicantName ?? "#\(id)")：\(failure.fullMessage)")
                }
            }
            if !failures.isEmpty { throw BatchRefused(lines: failures) }
            return warnings
        }
    }

    /// DEV-23: the Party committee that approves admissions and conversions for a branch — the nearest 党委 above it
    /// (a 机关工委 or 机关党委 counts) that is not the committee of a village or community (村、社区党组织无审批权，由
    /// 乡镇（街道）党委审批). A general branch never approves; temporary organisations are branches. Nil when no
    /// ancestor in the tree may approve.
    static func approvingCommittee(of organisationID: Int64, db: any SQLDatabase) async throws -> Organisation? {
        guard let org = try await OrganisationRepository.find(organisationID, access: .maintenance, db: db) else { return nil }
        let ids = Array(org.path.ids.dropLast())
        guard !ids.isEmpty else { return nil }
        let committees = try await db.raw("SELECT o.* FROM organisations o WHERE o.id IN (\(binds: ids)) ORDER BY o.depth DESC").all()
            .map(OrganisationRepository.decode)
            .filter { [.partyCommittee, .workingCommittee, .organCommittee].contains($0.type) }
        guard !committees.isEmpty else { return nil }
        let grassroots = Set(
            try await db.raw(
                """
                SELECT DISTINCT organisation_id FROM units WHERE organisation_id IN (\(binds: committees.map(\.id))) AND category IN ('village', 'community')
                """
            ).all().map { try $0.decode(column: "organisation_id", as: Int64.self) })
        return committees.first { !grassroots.contains($0.id) }
    }

    /// The committee that approves for the case's branch (DEV-23), for the page and the documents.
    public func approvingCommittee(of organisationID: Int64) async throws -> Organisation? {
        try await database.read { db in try await Self.approvingCommittee(of: organisationID, db: db) }
    }

    func writeEntry(
        caseID: Int64, access: OrganisationAccess, actor: Actor, evidence: EvidenceFile? = nil, db: any SQLDatabase,
        decide: (DevelopmentCaseFile, WorkingDayCalendar) throws -> (StepRecord, Int64?, String, String?, [DevelopmentRefusal])
    ) async throws -> (DevelopmentCaseFile, [DevelopmentRefusal]) {
        let now = clock.now().epochSeconds
        guard let file = try await Self.load(caseID, access: access, db: db) else {
            throw RecordNotFound(objectType: "development_case", objectID: String(caseID))
        }
        guard file.status == .open else { throw ValidationFailure(field: "status", message: "档案已完成或终止，不能再记录") }
        var (step, corrects, remark, reason, warnings) = try decide(file, try await HolidayCalendarRepository.load(db))
        if step.step == .approval || step.step == .conversionApproval {
            // DEV-23: the approver is the committee the tree gives, not what a form claims.
            guard let committee = try await Self.approvingCommittee(of: file.organisationID, db: db) else {
                throw DevelopmentRefusal(ruleID: RuleID.dev23.code, message: "本支部的上级党组织中没有具有审批权限的党委（党总支、村和社区党组织、临时党组织不能审批），请先在组织机构中设置上级党委")
            }
            step.facts.approverType = committee.type
            step.facts.approverOrganisationID = committee.id
        }
        if step.step == .applicationForm, let org = try await OrganisationRepository.find(file.organisationID, access: .maintenance, db: db) {
            // DEV-34: the number moves from issued to used by this applicant in the same transaction.
            try await ApplicationFormRepository.use(
                number: step.facts.formNumber ?? "", caseID: caseID, organisationPath: org.path, on: step.date, db: db)
        }
        let facts = String(decoding: try JSONEncoder().encode(StoredFacts(step.facts)), as: UTF8.self)
        let entryID = try await db.insertReturningID(
            """
            INSERT INTO development_entries (case_id, step, entry_date, facts_json, remark, corrects_entry_id, reason, recorded_by, recorded_at)
            VALUES (\(bind: caseID), \(bind: step.step.rawValue), \(bind: step.date.description), \(bind: facts), \(bind: remark.isEmpty ? nil : remark),
                \(bind: corrects), \(bind: reason), \(bind: actor.userID), \(bind: now))
            """)
        if let evidence {
            try await AttachmentRepository.add(
                evidence, ownerType: "development_entry", ownerID: entryID, organisationID: file.organisationID,
                actor: actor, now: now, db: db)
        }
        let status = (step.step == .archive ? DevelopmentCaseStatus.completed : .open).rawValue
        try await db.raw(
            "UPDATE development_cases SET status = \(bind: status), updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: caseID)"
        ).run()
        var saved = try await Self.load(caseID, access: .maintenance, db: db).required("record", caseID)
        if step.step == .approval || step.step == .conversionApproval {
            saved.memberID = try await enterOnRoster(saved, db: db, actor: actor)
        }
        try await audit.append(
            AuditEvent(
                action: .update, objectType: "development_case", objectID: String(caseID), organisationID: file.organisationID,
                summary: (corrects == nil ? "记录" : "更正（\(reason ?? "")）") + "第 \(step.step.rawValue) 步“\(step.step.displayName)”：\(step.date)"
                    + warnings.map { "；提示 \($0.ruleID)" }.joined()), by: actor, in: db, dialect: database.dialect)
        return (saved, warnings)
    }

    /// Loads a case inside `access` and rebuilds it from its entries: a correction replaces the entry it names.
    static func load(_ caseID: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> DevelopmentCaseFile? {
        guard let row = try await db.raw("SELECT * FROM development_cases WHERE id = \(bind: caseID)").first(),
            try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil
        else { return nil }
        let rules = try JSONDecoder().decode(RuleBook.self, from: Data(try row.value("rules_json", String.self).utf8))
        var entries: [DevelopmentEntry] = []
        for r in try await db.raw("SELECT * FROM development_entries WHERE case_id = \(bind: caseID) ORDER BY id").all() {
            guard let step = DevelopmentStep(rawValue: try r.value("step")), let date = CivilDate(iso: try r.value("entry_date")) else { continue }
            let facts = try JSONDecoder().decode(StoredFacts.self, from: Data(try r.value("facts_json", String.self).utf8)).facts
            entries.append(
                DevelopmentEntry(
                    id: try r.value("id"), record: StepRecord(step: step, date: date, facts: facts), remark: try r.optional("remark"),
                    correctsEntryID: try r.optional("corrects_entry_id"), reason: try r.optional("reason"),
                    recordedAt: Date(epochSeconds: try r.value("recorded_at"))))
        }
        let materials = try await AttachmentRepository.list(ownerType: "development_entry", ownerIDs: entries.map(\.id), db: db)
        for i in entries.indices { entries[i].attachments = materials[entries[i].id] ?? [] }
        // Effective entries: those not replaced by a later correction, in order; replayed without re-checking (they were
        // checked under the case's rules when recorded).
        let replaced = Set(entries.compactMap(\.correctsEntryID))
        var developmentCase = DevelopmentCase(birthDate: try row.date("birth_date"), rules: rules)
        developmentCase.replay(entries.filter { !replaced.contains($0.id) }.map(\.record))
        return DevelopmentCaseFile(
            id: caseID, organisationID: try row.value("organisation_id"), applicantName: try row.value("applicant_name"),
            gender: Gender(rawValue: try row.value("gender")) ?? .male, idNumberMasked: try row.value("id_number_masked"),
            status: try DevelopmentCaseStatus(rawValue: try row.value("status")).required("development_case.status", caseID),
            developmentCase: developmentCase, entries: entries,
            memberID: try row.optional("member_id"))
    }
}
