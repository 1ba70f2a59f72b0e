public import Foundation
public import DangjianDomain
import DangjianOffice
import SQLKit

/// One row of a payroll import's preview: who, the base and amount it gives, what it changes, and last year's amount
/// beside it (the diff an office checks before committing).
public struct PayrollImportLine: Sendable {
    public var row: Int
    public var name: String
    public var idMasked: String
    public var memberID: Int64?
    /// The organisation holding the member (the base's organisation, DUES-10).
    public var organisationID: Int64?
    public var category: DuesCategory?
    public var base: Fen?
    public var monthly: Fen?
    public var explanation: String
    public var outcome: ImportOutcome
    /// The member's monthly amount the year before, if one was set.
    public var lastYear: Fen?
    public var problems: [RosterImport.Problem]
}

/// The preview of a payroll sheet, or the result of committing it.
public struct PayrollImportReport: Sendable {
    public var jobID: Int64
    public var fileName: String
    public var year: Int
    public var headerRow: Int
    public var recognised: [String]
    public var ignored: [String]
    public var fileProblems: [String]
    public var lines: [PayrollImportLine]
    public var alreadyCommitted: Bool

    public var creates: Int { lines.filter { $0.outcome == .create }.count }
    public var updates: Int { lines.filter { if case .update = $0.outcome { true } else { false } }.count }
    public var unchanged: Int { lines.filter { $0.outcome == .unchanged }.count }
    public var invalid: Int { lines.filter { $0.outcome == .invalid }.count }
    /// Rows whose amount is higher or lower than last year's.
    public var raised: Int { lines.filter { l in l.monthly.map { m in l.lastYear.map { m > $0 } ?? false } ?? false }.count }
    public var lowered: Int { lines.filter { l in l.monthly.map { m in l.lastYear.map { m < $0 } ?? false } ?? false }.count }
    /// All or nothing: a sheet commits only when the file and every row are clean.
    public var committable: Bool { fileProblems.isEmpty && invalid == 0 && !lines.isEmpty }
}

/// 党费基数批量核定 (DUES-09/15): a payroll sheet previewed row by row (who, base, amount, last year's amount, every
/// problem with its row and rule) and then committed all or nothing in one transaction; committing the same sheet
/// again changes nothing, and each changed base is audited field by field. Members are found by ID number inside
/// the chosen organisation's subtree and the caller's access.
public struct DuesPayrollImportService: Sendable {
    let database: Database
    let keyring: Keyring
    let audit: AuditTrail
    let clock: any WallClock
    /// The amounts' parameters when given; nil (the default): the rule book's for the year (DUES-06).
    let parameters: DuesParameters?
    var limits = SpreadsheetLimits()
    var jobs: ImportJobs { ImportJobs(database: database, keyring: keyring, audit: audit, clock: clock) }

    init(database: Database, keyring: Keyring, audit: AuditTrail, clock: any WallClock, parameters: DuesParameters? = nil) {
        self.database = database
        self.keyring = keyring
        self.audit = audit
        self.clock = clock
        self.parameters = parameters
    }

    /// Reads and checks an upload for `year`, keeps it for the commit and reports what committing would do.
    public func preview(
        file: Data, fileName: String, organisationID: Int64, year: CalendarYear, access: OrganisationAccess, actor: Actor
    ) async throws -> PayrollImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .membersWrite, reason: "导入需要登录用户") }
        let rows = try read(file)
        let anchor = try await database.read { db in try await OrganisationRepository.find(organisationID, access: access, db: db) }
        guard let anchor else { throw RecordNotFound(objectType: "organisation", objectID: String(organisationID)) }
        let jobID = try await jobs.store(kind: .duesPayroll, userID: userID, organisationID: organisationID, fileName: fileName, file: file)
        let rules = try await readingRules(year: year)
        var report = try await database.read { db in try await analyse(rows, anchor: anchor, year: year, rules: rules, access: access, db: db) }
        report.jobID = jobID
        report.fileName = ImportJobs.safeName(fileName)
        return report
    }

    /// Commits a previewed job for `year`: the sheet is read again and judged inside the writing transaction, so the
    /// commit does what a fresh preview would show now; any problem refuses the whole sheet (nothing written).
    public func commit(jobID: Int64, year: CalendarYear, access: OrganisationAccess, actor: Actor) async throws -> PayrollImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .membersWrite, reason: "导入需要登录用户") }
        let file: Data, fileName: String, organisationID: Int64
        switch try await jobs.load(id: jobID, userID: userID, kind: .duesPayroll) {
        case nil: throw RecordNotFound(objectType: "import_job", objectID: String(jobID))
        case .committed(let name, _):
            return PayrollImportReport(
                jobID: jobID, fileName: name, year: year.value, headerRow: 0, recognised: [], ignored: [], fileProblems: [], lines: [],
                alreadyCommitted: true)
        case .pending(let data, let name, let org): (file, fileName, organisationID) = (data, name, org)
        }
        let rows = try read(file)
        let now = clock.now().epochSeconds
        let rules = try await readingRules(year: year)
        let parameters = rules.parameters
        return try await database.write(largeWrite: rows.count > 1_000) { db in
            guard let anchor = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            var report = try await analyse(rows, anchor: anchor, year: year, rules: rules, access: access, db: db)
            report.jobID = jobID
            report.fileName = fileName
            guard report.committable else {
                throw ValidationFailure(
                    field: "file", message: "工资表还有 \(report.invalid + report.fileProblems.count) 处问题，整表未导入；请修改后重新上传（\(RuleID.dues09)）",
                    ruleID: RuleID.dues09.code)
            }
            var events: [AuditEvent] = []
            var creates: [SQLQueryString] = []
            for line in report.lines {
                guard let memberID = line.memberID, let category = line.category, let monthly = line.monthly else { continue }
                switch line.outcome {
                case .create:
                    creates.append(
                        """
                        (\(bind: memberID), \(bind: line.organisationID ?? organisationID), \(bind: year.value), \(bind: category.rawValue),
                         \(bind: line.base?.value), \(bind: monthly.value), \(bind: parameters.version), \(bind: actor.userID), \(bind: now))
                        """)
                    events.append(
                        AuditEvent(
                            action: .create, objectType: "dues_base", objectID: "\(memberID):\(year.value)", organisationID: organisationID,
                            summary: "导入 \(year.value) 年党费基数：\(Masking.name(line.name))，\(category.displayName)，每月 \(monthly) 元",
                            changes: [
                                FieldChange(field: "dues_category", old: nil, new: category.displayName),
                                FieldChange(field: "dues_base", old: nil, new: line.base?.description),
                                FieldChange(field: "dues_monthly", old: nil, new: monthly.description),
                            ].filter { $0.new != nil }))
                case .update(let changes):
                    try await db.raw(
                        """
                        UPDATE dues_bases SET category = \(bind: category.rawValue), base_fen = \(bind: line.base?.value), monthly_fen = \(bind: monthly.value),
                            parameters_version = \(bind: parameters.version), recorded_by = \(bind: actor.userID), recorded_at = \(bind: now), version = version + 1
                        WHERE member_id = \(bind: memberID) AND year = \(bind: year.value)
                        """
                    ).run()
                    events.append(
                        AuditEvent(
                            action: .update, objectType: "dues_base", objectID: "\(memberID):\(year.value)", organisationID: organisationID,
                            summary: "导入 \(year.value) 年党费基数：\(Masking.name(line.name))，每月 \(monthly) 元", changes: changes))
                case .unchanged, .invalid:
                    continue
                }
            }
            for start in stride(from: 0, to: creates.count, by: 200) {
                try await db.raw(
                    """
                    INSERT INTO dues_bases (member_id, organisation_id, year, category, base_fen, monthly_fen, parameters_version, recorded_by, recorded_at) VALUES
                    """ + creates[start..<min(start + 200, creates.count)].joined(separator: ", ")
                ).run()
            }
            try await audit.appendBatch(events, by: actor, in: db, dialect: database.dialect)
            let summary =
                "导入 \(year.value) 年党费基数（\(fileName)）：新设 \(report.creates)，变更 \(report.updates)，无变化 \(report.unchanged)；比上年提高 \(report.raised)、降低 \(report.lowered)"
            try await jobs.markCommitted(jobID, organisationID: organisationID, summary: summary, actor: actor, db: db)
            return report
        }
    }

    func read(_ file: Data) throws -> [SheetRow] {
        do { return try TableReader.read(file, limits: limits) } catch let error as SpreadsheetError {
            throw ValidationFailure(field: "file", message: error.description)
        }
    }

    /// Each row's effect, judged against the bases stored in `db` (inside the commit's transaction when committing).
    /// The rules a sheet for `year` is read under: the amounts' parameters and the base exclusions (DUES-06/15), read
    /// before the transaction.
    func readingRules(year: CalendarYear) async throws -> (parameters: DuesParameters, base: DuesBaseRules) {
        let today = CivilDate(date: clock.now())
        let book = try await RuleBookRepository.inForce(in: database, on: today)
        let parameters = try await DuesRepository.amountParameters(year: year.value, today: today, database: database)
        return (self.parameters ?? parameters, book.duesBase)
    }

    func analyse(
        _ sheet: [SheetRow], anchor: Organisation, year: CalendarYear, rules: (parameters: DuesParameters, base: DuesBaseRules),
        access: OrganisationAccess, db: any SQLDatabase
    ) async throws -> PayrollImportReport {
        let parameters = rules.parameters
        let analysis = PayrollImport.analyse(sheet.map { ($0.number, $0.cells) }, rules: rules.base, now: clock.now())
        struct Found {
            var memberID: Int64
            var organisationID: Int64
            var name: String
            var inScope: Bool
            var category: DuesCategory?
            var base: Fen?
            var monthly: Fen?
            var lastYear: Fen?
        }
        let indexes = Dictionary(
            analysis.rows.compactMap { $0.idNumber }.map { (keyring.blindIndex($0.value, context: "member.id_number"), $0.value) },
            uniquingKeysWith: { a, _ in a })
        let keys = Array(indexes.keys)
        let within = AccessSQL.scopePredicate(anchor.id, anchor.path, .subtree, alias: "o")
        var found: [String: Found] = [:]
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            for row in try await db.raw(
                """
                SELECT m.id, m.name, m.organisation_id, m.id_number_index, d.category, d.base_fen, d.monthly_fen, l.monthly_fen AS last_monthly,
                    CASE WHEN \(AccessSQL.predicate(access, alias: "o")) AND \(within) THEN 1 ELSE 0 END AS in_scope
                FROM members m JOIN organisations o ON o.id = m.organisation_id
                LEFT JOIN dues_bases d ON d.member_id = m.id AND d.year = \(bind: year.value)
                LEFT JOIN dues_bases l ON l.member_id = m.id AND l.year = \(bind: year.value - 1)
                WHERE m.id_number_index IN (\(binds: chunk)) AND m.deleted_at IS NULL
                AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                """
            ).all() {
                guard let value = indexes[try row.value("id_number_index")] else { continue }
                found[value] = Found(
                    memberID: try row.value("id"), organisationID: try row.value("organisation_id"), name: try row.value("name"),
                    inScope: try row.value("in_scope", Int64.self) == 1,
                    category: try row.optional("category", String.self).flatMap(DuesCategory.init(rawValue:)),
                    base: try row.optional("base_fen", Int64.self).flatMap(Fen.init),
                    monthly: try row.optional("monthly_fen", Int64.self).flatMap(Fen.init),
                    lastYear: try row.optional("last_monthly", Int64.self).flatMap(Fen.init))
            }
        }
        var lines: [PayrollImportLine] = []
        lines.reserveCapacity(analysis.rows.count)
        for row in analysis.rows {
            var problems = row.problems
            var line = PayrollImportLine(
                row: row.number, name: row.name, idMasked: row.idNumber?.masked ?? (row.idText.isEmpty ? "" : Masking.idNumber(row.idText)),
                memberID: nil, organisationID: nil, category: row.category,
                base: row.base, monthly: nil, explanation: row.explanation, outcome: .invalid, lastYear: nil, problems: [])
            if let id = row.idNumber {
                if let member = found[id.value], member.inScope {
                    line.memberID = member.memberID
                    line.organisationID = member.organisationID
                    line.lastYear = member.lastYear
                    if !row.name.isEmpty && row.name != member.name {
                        problems.append(
                            RosterImport.Problem(
                                row: row.number, column: "姓名", message: "姓名“\(row.name)”与名册中该身份证号的党员“\(Masking.name(member.name))”不一致，请核对",
                                ruleID: nil))
                    }
                    if let category = row.category, problems.isEmpty {
                        do {
                            let amount = try DuesCalculator.monthly(category, base: row.base, parameters: parameters)
                            line.monthly = amount.monthly
                            if member.monthly == nil {
                                line.outcome = .create
                            } else {
                                var changes: [FieldChange] = []
                                if member.category != category {
                                    changes.append(FieldChange(field: "dues_category", old: member.category?.displayName, new: category.displayName))
                                }
                                if member.base != row.base {
                                    changes.append(FieldChange(field: "dues_base", old: member.base?.description, new: row.base?.description))
                                }
                                if member.monthly != amount.monthly {
                                    changes.append(
                                        FieldChange(field: "dues_monthly", old: member.monthly?.description, new: amount.monthly.description))
                                }
                                line.outcome = changes.isEmpty ? .unchanged : .update(changes)
                            }
                        } catch {
                            problems.append(RosterImport.Problem(row: row.number, column: "月基数", message: error.message, ruleID: error.ruleID))
                        }
                    }
                } else {
                    problems.append(
                        RosterImport.Problem(
                            row: row.number, column: "身份证号",
                            message: "身份证号 \(id.masked) 不在\(anchor.name)及下级组织的党员名册中（未登记、已转出或无权管理）", ruleID: RuleID.dues10.code))
                }
            }
            line.problems = problems
            if !problems.isEmpty { line.outcome = .invalid }
            lines.append(line)
        }
        return PayrollImportReport(
            jobID: 0, fileName: "", year: year.value, headerRow: analysis.headerRow, recognised: analysis.recognised, ignored: analysis.ignored,
            fileProblems: analysis.fileProblems, lines: lines, alreadyCommitted: false)
    }
}
