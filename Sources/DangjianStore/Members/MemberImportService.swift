public import Foundation
public import DangjianDomain
public import DangjianOffice
import SQLKit
import Crypto

/// What importing one row would do.
public enum ImportOutcome: Sendable, Equatable {
    case create
    case update([FieldChange])
    case unchanged
    case invalid
}

/// One row of the preview.
public struct ImportRowResult: Sendable {
    public var row: Int
    public var name: String
    public var organisation: String
    public var outcome: ImportOutcome
    public var problems: [RosterImport.Problem]
}

/// The rows parsed by recent previews, kept for their commit: parsing a 100,000-row sheet again took a tenth of the
/// commit. An entry is used only for the same job and a file with the same SHA-256, at most 15 minutes after the
/// preview, and once; at most two are kept (~30 MB each at 100,000 rows). A commit that finds nothing here (another
/// server, a restart, an older preview) parses the stored file as before — the result is the same rows.
final class PreviewedRows: @unchecked Sendable {
    private struct Entry {
        var job: Int64
        var digest: Data
        var at: Date
        var rows: [SheetRow]
    }
    private let lock = NSLock()
    private var entries: [Entry] = []
    static let lifetime: TimeInterval = 15 * 60
    static let capacity = 2

    func keep(_ rows: [SheetRow], job: Int64, file: Data, now: Date) {
        let entry = Entry(job: job, digest: Data(SHA256.hash(data: file)), at: now, rows: rows)
        lock.withLock {
            entries.removeAll { now.timeIntervalSince($0.at) > Self.lifetime }
            entries.append(entry)
            if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
        }
    }

    func take(job: Int64, file: Data, now: Date) -> [SheetRow]? {
        let digest = Data(SHA256.hash(data: file))
        return lock.withLock {
            guard let index = entries.firstIndex(where: { $0.job == job }) else { return nil }
            let entry = entries.remove(at: index)
            guard entry.digest == digest, now.timeIntervalSince(entry.at) <= Self.lifetime else { return nil }
            return entry.rows
        }
    }
}

/// The preview of an uploaded roster (导入预览), or the result of committing it.
public struct ImportReport: Sendable {
    public var jobID: Int64
    public var fileName: String
    public var headerRow: Int
    public var recognisedColumns: [String]
    public var ignoredColumns: [String]
    public var fileProblems: [String]
    public var rows: [ImportRowResult]
    public var alreadyCommitted: Bool

    public var creates: Int { rows.filter { $0.outcome == .create }.count }
    public var updates: Int { rows.filter { if case .update = $0.outcome { true } else { false } }.count }
    public var unchanged: Int { rows.filter { $0.outcome == .unchanged }.count }
    public var invalid: Int { rows.filter { $0.outcome == .invalid }.count }
    public var changedFields: Int { rows.reduce(0) { if case .update(let c) = $1.outcome { $0 + c.count } else { $0 } } }
}

/// Importing a roster: preview every row's problems and effect before anything is written, then commit all valid
/// rows in one transaction (or nothing). Re-importing the same file changes nothing; a changed cell becomes one
/// audited field change.
public struct MemberImportService: Sendable {
    let database: Database
    let members: MemberRepository
    let keyring: Keyring
    let audit: AuditTrail
    let clock: any WallClock
    public var limits = SpreadsheetLimits()
    /// The parsed rows of recent previews, so a commit does not parse the same file again.
    let previewed = PreviewedRows()
    var jobs: ImportJobs { ImportJobs(database: database, keyring: keyring, audit: audit, clock: clock) }

    public init(database: Database, members: MemberRepository, keyring: Keyring, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.members = members
        self.keyring = keyring
        self.audit = audit
        self.clock = clock
    }

    /// Reads and checks an upload, stores it for the commit, and reports what would happen.
    public func preview(file: Data, fileName: String, organisationID: Int64, access: OrganisationAccess, actor: Actor) async throws -> ImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .membersWrite, reason: "导入需要登录用户") }
        let rows: [SheetRow]
        do { rows = try TableReader.read(file, limits: limits) } catch let error as SpreadsheetError {
            throw ValidationFailure(field: "file", message: error.description)
        }
        guard try await members.database.read({ db in try await OrganisationRepository.find(organisationID, access: access, db: db) }) != nil else {
            throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
        }
        let jobID = try await jobs.store(kind: .members, userID: userID, organisationID: organisationID, fileName: fileName, file: file)
        previewed.keep(rows, job: jobID, file: file, now: clock.now())
        var report = try await analyse(rows: rows, organisationID: organisationID, access: access, commit: nil)
        report.jobID = jobID
        report.fileName = ImportJobs.safeName(fileName)
        return report
    }

    /// Applies every valid row of a previewed job in one transaction. The file is read again, so the commit does
    /// exactly what a fresh preview would show now; rows with problems are skipped and listed.
    public func commit(jobID: Int64, access: OrganisationAccess, actor: Actor) async throws -> ImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .membersWrite, reason: "导入需要登录用户") }
        let file: Data, fileName: String, organisationID: Int64
        switch try await jobs.load(id: jobID, userID: userID, kind: .members) {
        case nil: throw RecordNotFound(objectType: "import_job", objectID: String(jobID))
        case .committed(let name, _):
            return ImportReport(
                jobID: jobID, fileName: name, headerRow: 0, recognisedColumns: [], ignoredColumns: [],
                fileProblems: [], rows: [], alreadyCommitted: true)
        case .pending(let data, let name, let org): (file, fileName, organisationID) = (data, name, org)
        }
        let rows = try previewed.take(job: jobID, file: file, now: clock.now()) ?? TableReader.read(file, limits: limits)
        var result: ImportReport?
        try await database.write(largeWrite: rows.count > 1_000) { db in
            var report = try await analyse(rows: rows, organisationID: organisationID, access: access, commit: (db, actor))
            report.jobID = jobID
            report.fileName = fileName
            let summary =
                "导入 \(fileName)：新增 \(report.creates)，更新 \(report.updates)（\(report.changedFields) 项），无变化 \(report.unchanged)，有问题未导入 \(report.invalid)"
            try await jobs.markCommitted(jobID, organisationID: organisationID, summary: summary, actor: actor, db: db)
            result = report
        }
        return try result.required("import_job", jobID)
    }

    /// Works out each row's effect; with `commit` set, also writes it inside that transaction.
    func analyse(
        rows sheet: [SheetRow], organisationID: Int64, access: OrganisationAccess,
        commit: (db: any SQLDatabase, actor: Actor)?
    ) async throws -> ImportReport {
        let analysis = RosterImport.analyse(sheet.map { ($0.number, $0.cells) })
        let today = CivilDate(date: clock.now())
        let rules = try await members.resolve(nil)
        let organisations = try await members.database.read { db in
            try await db.raw("SELECT o.* FROM organisations o WHERE \(AccessSQL.predicate(access, alias: "o")) AND o.dissolved_at IS NULL").all()
                .map(OrganisationRepository.decode)
        }
        let names = ImportOrganisationNames(organisations)
        let anchor = organisations.first { $0.id == organisationID }
        var results: [ImportRowResult] = []
        var pendingCreates: [(profile: MemberProfile, organisationID: Int64)] = []
        var seenIDs: [String: Int] = [:]
        // Each row's ID number and its draft as the file has it are checked on all cores at once (the checks are
        // independent; a row that updates a stored member is checked again below, merged with the stored values).
        let checked = await Self.eachInParallel(analysis.rows) { row in
            (id: try? IDNumber.parse(row.draft.idNumber).get(), profile: row.draft.validate(rules: rules, today: today))
        }
        let known = try await members.existing(idNumbers: checked.compactMap(\.id), access: access)
        for (rowIndex, row) in analysis.rows.enumerated() {
            var problems = row.problems
            func problem(_ field: String, _ message: String, _ rule: String? = nil) {
                problems.append(
                    RosterImport.Problem(row: row.number, column: RosterImport.header(for: field, in: analysis), message: message, ruleID: rule))
            }
            func problem(_ refusal: ValidationFailure) { problem(refusal.field, refusal.message, refusal.ruleID) }
            // The organisation: the row's own column, or the one the import was started from.
            var target = anchor
            if !row.organisation.isEmpty {
                switch names.resolve(row.organisation) {
                case .found(let org): target = org
                case .ambiguous(let candidates):
                    // ORGNAME-01: a name several organisations share is not guessed; the row says which.
                    target = nil
                    problem(
                        "organisation_id",
                        "党组织“\(row.organisation)”在您的管理范围内有 \(candidates.count) 个同名组织：\(candidates.joined(separator: "、"))。请在该列写明其中一个（“上级/名称”）",
                        RuleID.orgname01.code)
                case .unknown:
                    target = nil
                    problem("organisation_id", "党组织“\(row.organisation)”不在您的管理范围内，或名称与系统中的全称、简称都不一致")
                }
            }
            if let t = target, t.type == .temporaryBranch {
                problem("organisation_id", "临时党支部“\(t.name)”不转接组织关系，党员应登记在正式组织关系所在的党支部", RuleID.life12.code)
                target = nil
            }
            var outcome = ImportOutcome.invalid
            var existing: MemberRecord?
            var old: MemberProfile?
            if let id = checked[rowIndex].id {
                if let first = seenIDs[id.value] {
                    problem("id_number", "与第 \(first) 行的身份证号重复（同一人只能有一行）")
                } else {
                    seenIDs[id.value] = row.number
                }
                if let hit = known[id.value] {
                    if hit.inScope {
                        existing = hit.record
                        old = hit.profile
                    } else {
                        problem(MembershipIdentity.importedElsewhere)
                    }
                }
            }
            var validation = checked[rowIndex].profile
            if let existing, let old {
                validation = merge(row.draft, present: row.present, over: existing, old: old).validate(rules: rules, today: today)
                if let target, target.id != existing.organisationID, row.present.contains(.organisation) {
                    problem(MembershipIdentity.importMovesMember)
                }
            }
            var profile: MemberProfile?
            switch validation {
            case .success(let p): profile = p
            case .failure(let errors):
                for e in errors.problems where !(e.field == "id_number" && problems.contains { $0.ruleID == "GB 11643" }) {
                    problem(e.field, e.message, e.ruleID)
                }
            }
            if problems.isEmpty, let profile, let target {
                if let existing, let old {
                    let changes = MemberProfile.changes(from: old, to: profile)
                    outcome = changes.isEmpty ? .unchanged : .update(changes)
                    if let commit, !changes.isEmpty {
                        _ = try await members.replace(existing, old: old, new: profile, db: commit.db, actor: commit.actor, summary: "导入更新")
                    }
                } else {
                    outcome = .create
                    if commit != nil { pendingCreates.append((profile, target.id)) }
                }
            }
            results.append(
                ImportRowResult(
                    row: row.number, name: row.draft.name, organisation: target?.name ?? row.organisation,
                    outcome: problems.isEmpty ? outcome : .invalid, problems: problems))
        }
        if let commit { try await members.insertBatch(pendingCreates, db: commit.db, actor: commit.actor, summary: "导入新增") }
        return ImportReport(
            jobID: 0, fileName: "", headerRow: analysis.headerRow,
            recognisedColumns: analysis.columns.compactMap { $0.column == nil ? nil : $0.header },
            ignoredColumns: analysis.columns.compactMap { $0.column == nil && !$0.header.isEmpty ? $0.header : nil },
            fileProblems: analysis.fileProblems, rows: results, alreadyCommitted: false)
    }

    /// `transform` applied to every element, in order, with the work split across the machine's cores.
    static func eachInParallel<Element: Sendable, Output: Sendable>(
        _ elements: [Element], _ transform: @escaping @Sendable (Element) -> Output
    ) async -> [Output] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, elements.count / 1_000))
        guard parts > 1 else { return elements.map(transform) }
        let size = (elements.count + parts - 1) / parts
        return await withTaskGroup(of: (Int, [Output]).self) { group in
            for part in 0..<parts {
                let slice = elements[(part * size)..<min(elements.count, (part + 1) * size)]
                group.addTask { (part, slice.map(transform)) }
            }
            var results = [[Output]](repeating: [], count: parts)
            for await (part, outputs) in group { results[part] = outputs }
            return results.flatMap { $0 }
        }
    }

    /// Columns the file does not have keep the stored values; sensitive fields are compared in clear internally.
    func merge(_ row: MemberDraft, present: Set<RosterImport.Column>, over existing: MemberRecord, old: MemberProfile) -> MemberDraft {
        var d = existing.editDraft
        d.idNumber = old.idNumber.value
        d.phone = old.phone ?? ""
        d.address = old.address ?? ""
        for column in present { if let path = column.draft { d[keyPath: path] = row[keyPath: path] } }
        return d
    }

    /// An empty template: a title row, then the column names.
    public static func template() throws -> Data {
        var writer = XLSXWriter(sheetName: "党员名册", header: RosterImport.Column.allCases.map(\.title))
        writer.append([])
        return try writer.data()
    }
}

extension MemberImportService {
    /// The organisation an import job was started from.
    public func organisation(ofJob id: Int64) async throws -> Int64 {
        try await database.read { db in
            guard let row = try await db.raw("SELECT organisation_id FROM import_jobs WHERE id = \(bind: id)").first() else {
                throw RecordNotFound(objectType: "import_job", objectID: String(id))
            }
            return try row.value("organisation_id", Int64.self)
        }
    }
}

/// The organisations an import row may name, by full name, short name or “上级/名称” (ORGNAME-01): a name several
/// share is ambiguous, never resolved to one of them.
struct ImportOrganisationNames {
    enum Resolution {
        case found(Organisation)
        /// The candidates, each written as “上级/名称”.
        case ambiguous([String])
        case unknown
    }

    private var byName: [String: [Organisation]] = [:]
    private var byPath: [String: Organisation] = [:]
    private var qualified: [Int64: String] = [:]

    init(_ organisations: [Organisation]) {
        let byID = Dictionary(organisations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for org in organisations {
            byName[org.name, default: []].append(org)
            if let short = org.shortName, !short.isEmpty, short != org.name { byName[short, default: []].append(org) }
            let parent = org.parentID.flatMap { byID[$0] }
            for parentName in [parent?.name, parent?.shortName].compactMap({ $0 }) where !parentName.isEmpty {
                byPath[parentName + "/" + org.name] = org
            }
            qualified[org.id] = (parent.map { $0.shortName ?? $0.name } ?? "") + "/" + org.name
        }
    }

    func resolve(_ text: String) -> Resolution {
        let key = text.trimmed.replacingOccurrences(of: "／", with: "/")
        if let org = byPath[key] { return .found(org) }
        let matches = byName[key] ?? []
        // A full name beats a short name that happens to be the same text.
        let exact = matches.filter { $0.name == key }
        let chosen = exact.isEmpty ? matches : exact
        switch chosen.count {
        case 0: return .unknown
        case 1: return .found(chosen[0])
        default: return .ambiguous(chosen.map { qualified[$0.id] ?? $0.name }.sorted())
        }
    }
}

extension MemberImportService {
    /// 问题行 (issue 17 item 19): the rows of a previewed job that have problems, as the file had them, with a last
    /// column saying what to correct — to fix in Excel and upload again. Nil when the job has no problem rows.
    public func problemRows(jobID: Int64, access: OrganisationAccess, actor: Actor) async throws -> Data? {
        guard let userID = actor.userID else { throw AccessDenied(permission: .membersWrite, reason: "需要登录用户") }
        guard case .pending(let file, _, let organisationID) = try await jobs.load(id: jobID, userID: userID, kind: .members) else {
            throw RecordNotFound(objectType: "import_job", objectID: String(jobID))
        }
        let rows = try TableReader.read(file, limits: limits)
        let report = try await analyse(rows: rows, organisationID: organisationID, access: access, commit: nil)
        let problems = Dictionary(
            report.rows.filter { !$0.problems.isEmpty }.map { ($0.row, $0.problems.map(\.fullMessage).joined(separator: "；")) },
            uniquingKeysWith: { first, _ in first })
        guard !problems.isEmpty, let header = rows.first(where: { $0.number == report.headerRow }) else { return nil }
        var writer = XLSXWriter(sheetName: "问题行", header: header.cells + ["问题（改正后可删除本列，再导入）"])
        for row in rows where problems[row.number] != nil {
            let cells = row.cells + Array(repeating: "", count: max(0, header.cells.count - row.cells.count))
            writer.append(Array(cells.prefix(header.cells.count)) + ["第 \(row.number) 行：" + (problems[row.number] ?? "")])
        }
        return try writer.data()
    }
}
