public import Foundation
public import DangjianDomain
public import DangjianOffice
import SQLKit

/// The preview, or the result, of importing an organisation list (组织机构导入).
public struct OrganisationImportReport: Sendable {
    public struct Problem: Sendable, Equatable {
        public var row: Int
        public var column: String
        public var message: String
        public var ruleID: String?
    }

    public enum Action: String, Sendable {
        /// A new organisation (and its unit, when given).
        case create
        /// The organisation already exists under that parent; only a missing unit is added.
        case addUnit
        /// Already there, nothing to do.
        case unchanged
    }

    public struct Planned: Sendable {
        public var row: Int
        public var name: String
        public var type: OrganisationType
        public var parent: String
        public var unit: String?
        public var action: Action
    }

    public var jobID: Int64
    public var fileName: String
    public var headerRow: Int
    public var fileProblems: [String]
    public var problems: [Problem]
    public var planned: [Planned]
    public var committed: Bool
    public var alreadyCommitted: Bool

    public var creates: Int { planned.filter { $0.action == .create }.count }
    public var unitsAdded: Int { planned.filter { $0.unit != nil && $0.action != .unchanged }.count }
    public var unchanged: Int { planned.filter { $0.action == .unchanged }.count }
    /// The file can be committed only when nothing is wrong with it: a tree is all or nothing.
    public var canCommit: Bool { fileProblems.isEmpty && problems.isEmpty && (creates > 0 || unitsAdded > 0) }
}

/// Imports a list of Party organisations (with their units) below an anchor organisation: preview first, then all
/// rows in one transaction or none. Parents are named by full or short name, either already in the anchor's
/// subtree or earlier/later in the same file; an organisation that already exists under the same parent is left
/// alone, so importing the same file again changes nothing.
public struct OrganisationImportService: Sendable {
    let database: Database
    let organisations: OrganisationRepository
    let units: UnitRepository
    let keyring: Keyring
    let audit: AuditTrail
    let clock: any WallClock
    public var limits = SpreadsheetLimits()
    var jobs: ImportJobs { ImportJobs(database: database, keyring: keyring, audit: audit, clock: clock) }

    public init(
        database: Database, keyring: Keyring, audit: AuditTrail, clock: any WallClock,
        organisations: OrganisationRepository, units: UnitRepository
    ) {
        self.database = database
        self.organisations = organisations
        self.units = units
        self.keyring = keyring
        self.audit = audit
        self.clock = clock
    }

    /// Reads and checks an upload, keeps it (encrypted) for the commit, and reports what would happen.
    public func preview(
        file: Data, fileName: String, anchorID: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> OrganisationImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .organisationsWrite, reason: "导入需要登录用户") }
        let rows: [SheetRow]
        do { rows = try TableReader.read(file, limits: limits) } catch let error as SpreadsheetError {
            throw ValidationFailure(field: "file", message: error.description)
        }
        let rules = try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
        var report = try await database.read { db in
            try await plan(rows, anchorID: anchorID, access: access, rules: rules, commit: nil, db: db)
        }
        report.jobID = try await jobs.store(kind: .organisations, userID: userID, organisationID: anchorID, fileName: fileName, file: file)
        report.fileName = ImportJobs.safeName(fileName)
        return report
    }

    /// Commits a previewed job: the file is read again and planned against the tree as it is now, inside the
    /// writing transaction; any problem refuses the whole file.
    public func commit(jobID: Int64, access: OrganisationAccess, actor: Actor) async throws -> OrganisationImportReport {
        guard let userID = actor.userID else { throw AccessDenied(permission: .organisationsWrite, reason: "导入需要登录用户") }
        let file: Data, fileName: String, anchorID: Int64
        switch try await jobs.load(id: jobID, userID: userID, kind: .organisations) {
        case nil: throw RecordNotFound(objectType: "import_job", objectID: String(jobID))
        case .committed(let name, _):
            return OrganisationImportReport(
                jobID: jobID, fileName: name, headerRow: 0, fileProblems: [], problems: [], planned: [],
                committed: true, alreadyCommitted: true)
        case .pending(let data, let name, let org): (file, fileName, anchorID) = (data, name, org)
        }
        let rows = try TableReader.read(file, limits: limits)
        let rules = try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
        return try await database.write { db in
            var report = try await plan(rows, anchorID: anchorID, access: access, rules: rules, commit: actor, db: db)
            report.jobID = jobID
            report.fileName = fileName
            report.committed = true
            let summary = "导入组织机构 \(fileName)：新建组织 \(report.creates) 个，登记单位 \(report.unitsAdded) 个，已存在 \(report.unchanged) 个"
            try await jobs.markCommitted(jobID, organisationID: anchorID, summary: summary, actor: actor, db: db)
            return report
        }
    }

    /// The anchor of a job (for the page heading).
    public func anchor(ofJob id: Int64) async throws -> Int64 {
        try await database.read { db in
            guard
                let row = try await db.raw(
                    "SELECT organisation_id FROM import_jobs WHERE id = \(bind: id) AND kind = \(bind: ImportJobs.Kind.organisations.rawValue)"
                ).first()
            else {
                throw RecordNotFound(objectType: "import_job", objectID: String(id))
            }
            return try row.value("organisation_id")
        }
    }

    /// A parent reference: an organisation already in the tree, or a row of the file.
    enum ParentRef { case existing(Organisation), fileRow(Int) }

    struct Entry {
        var row: OrganisationImport.Row
        var name: String
        var shortName: String?
        var type: OrganisationType?
        var unit: (String, UnitCategory, String?)?
        var established: CivilDate?
        var parent: ParentRef?
        var parentText: String
    }

    /// Works out every row's effect; with `commit` set, also writes, in parent-before-child order. Throws when
    /// committing a file that has problems.
    func plan(
        _ sheet: [SheetRow], anchorID: Int64, access: OrganisationAccess, rules: RuleBook, commit: Actor?, db: any SQLDatabase
    ) async throws -> OrganisationImportReport {
        guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db), !anchor.isDissolved else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
        }
        let analysis = OrganisationImport.analyse(sheet.map { ($0.number, $0.cells) })
        var problems: [OrganisationImportReport.Problem] = []
        func problem(_ row: Int, _ column: OrganisationImport.Column, _ message: String, _ rule: String? = nil) {
            problems.append(.init(row: row, column: analysis.header(column), message: message, ruleID: rule))
        }
        if !analysis.fileProblems.isEmpty {
            return OrganisationImportReport(
                jobID: 0, fileName: "", headerRow: analysis.headerRow, fileProblems: analysis.fileProblems, problems: [],
                planned: [], committed: false, alreadyCommitted: false)
        }
        let today = CivilDate(date: clock.now())
        // The anchor's active subtree, for parent look-ups and for finding what already exists.
        let existing = try await db.raw(
            """
            SELECT o.* FROM organisations o WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, .subtree, alias: "o")) AND o.dissolved_at IS NULL
            """
        ).all().map(OrganisationRepository.decode)
        var existingByName: [String: [Organisation]] = [:]
        for org in existing {
            existingByName[org.name, default: []].append(org)
            if let s = org.shortName, !s.isEmpty, s != org.name { existingByName[s, default: []].append(org) }
        }
        var entries: [Entry] = []
        var fileNames: [String: [Int]] = [:]
        for row in analysis.rows {
            var entry = Entry(
                row: row, name: row.value(.name), shortName: row.value(.shortName).nilIfEmpty, type: nil, unit: nil, established: nil,
                parent: nil, parentText: row.value(.parent))
            if let failure = Organisation.validateName(entry.name) { problem(row.number, .name, failure.message) }
            if let s = entry.shortName, s.count > 30 { problem(row.number, .shortName, "简称不能超过 30 个字") }
            if let type = OrganisationType(identifierOrName: row.value(.type)) {
                entry.type = type
            } else {
                problem(row.number, .type, "组织类型“\(row.value(.type))”无法识别，应为：\(OrganisationType.allCases.map(\.displayName).joined(separator: "、"))")
            }
            let established = row.value(.established)
            if !established.isEmpty {
                if let date = CivilDate.parseLenient(established) {
                    if date > today { problem(row.number, .established, "成立日期 \(date) 晚于今天") } else { entry.established = date }
                } else {
                    problem(row.number, .established, "成立日期“\(established)”无法识别，请写成 2019-07-01")
                }
            }
            let unitName = row.value(.unitName)
            if !unitName.isEmpty || !row.value(.unitCategory).isEmpty {
                switch WorkUnit.validate(
                    name: unitName, category: row.value(.unitCategory), assessmentCategory: row.value(.assessmentCategory), rules: rules)
                {
                case .success(let fields): entry.unit = fields
                case .failure(let errors):
                    for e in errors.problems {
                        let column: OrganisationImport.Column =
                            e.field == "name" ? .unitName : e.field == "category" ? .unitCategory : .assessmentCategory
                        problem(row.number, column, e.message, e.ruleID)
                    }
                }
            }
            fileNames[entry.name, default: []].append(entries.count)
            if let s = entry.shortName, s != entry.name { fileNames[s, default: []].append(entries.count) }
            entries.append(entry)
        }
        // Parents: empty means the anchor; otherwise one organisation of that name in the subtree or the file.
        for i in entries.indices {
            let text = entries[i].parentText
            if text.isEmpty { entries[i].parent = .existing(anchor); continue }
            let inTree = existingByName[text] ?? []
            let inFile = (fileNames[text] ?? []).filter { $0 != i }
            // A file row naming an organisation that already exists is the same organisation: prefer the tree.
            if inTree.count == 1 {
                entries[i].parent = .existing(inTree[0])
            } else if inTree.count > 1 {
                problem(entries[i].row.number, .parent, "上级组织“\(text)”在系统中有 \(inTree.count) 个同名组织，请写全称")
            } else if inFile.count == 1 {
                entries[i].parent = .fileRow(inFile[0])
            } else if inFile.count > 1 {
                problem(entries[i].row.number, .parent, "上级组织“\(text)”在文件中出现了 \(inFile.count) 次，请写全称")
            } else {
                problem(entries[i].row.number, .parent, "上级组织“\(text)”在“\(anchor.name)”之下和本文件中都找不到")
            }
        }
        // The same organisation twice under the same parent.
        var seen: [String: Int] = [:]
        for e in entries {
            let key = "\(e.name)|\(e.parentText.isEmpty ? anchor.name : e.parentText)"
            if let first = seen[key] { problem(e.row.number, .name, "与第 \(first) 行重复") } else { seen[key] = e.row.number }
        }
        // Order: parents before children; rows in a cycle or under a broken row are reported.
        var order: [Int] = []
        var state = [Int: Int]()  // 1 = visiting, 2 = done
        func visit(_ i: Int) -> Bool {
            if state[i] == 2 { return true }
            if state[i] == 1 { return false }
            state[i] = 1
            if case .fileRow(let p) = entries[i].parent, !visit(p) {
                problem(entries[i].row.number, .parent, "上下级关系形成循环")
                state[i] = 2
                return false
            }
            state[i] = 2
            order.append(i)
            return true
        }
        for i in entries.indices { _ = visit(i) }
        // Types: the parent must be able to hold the row's type; an existing organisation must have the same type.
        var planned: [Int: OrganisationImportReport.Planned] = [:]
        var existingMatch: [Int: Organisation] = [:]
        for i in order {
            let e = entries[i]
            guard let type = e.type, let parent = e.parent else { continue }
            let parentType: OrganisationType?
            let parentName: String
            switch parent {
            case .existing(let org):
                parentType = org.type
                parentName = org.name
                if let same = existing.first(where: { $0.parentID == org.id && $0.name == e.name }) {
                    if same.type != type {
                        problem(e.row.number, .type, "系统中已有“\(same.name)”，类型为\(same.type.displayName)；调整类型请在组织页面办理升格/降格")
                        continue
                    }
                    existingMatch[i] = same
                }
            case .fileRow(let p):
                parentType = entries[p].type
                parentName = entries[p].name
            }
            if let parentType, !parentType.mayContain(type) {
                problem(e.row.number, .type, "\(parentType.displayName)“\(parentName)”下不能设立\(type.displayName)")
                continue
            }
            var action: OrganisationImportReport.Action = .create
            if let same = existingMatch[i] {
                var hasUnit = false
                if let unit = e.unit {
                    hasUnit =
                        try await db.raw("SELECT 1 AS x FROM units WHERE organisation_id = \(bind: same.id) AND name = \(bind: unit.0)").first()
                        != nil
                }
                action = (e.unit != nil && !hasUnit) ? .addUnit : .unchanged
            }
            planned[i] = .init(row: e.row.number, name: e.name, type: type, parent: parentName, unit: e.unit?.0, action: action)
        }
        let plannedRows = order.compactMap { planned[$0] }.sorted { $0.row < $1.row }
        problems.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var report = OrganisationImportReport(
            jobID: 0, fileName: "", headerRow: analysis.headerRow, fileProblems: [], problems: problems,
            planned: plannedRows, committed: false, alreadyCommitted: false)
        guard let actor = commit else { return report }
        guard problems.isEmpty else {
            throw ValidationFailure(field: "file", message: "文件中有 \(problems.count) 处问题，未导入任何组织。请修改后重新上传")
        }
        var created: [Int: Organisation] = [:]
        for i in order {
            guard let p = planned[i] else { continue }
            let e = entries[i]
            var target: Organisation
            switch p.action {
            case .unchanged: continue
            case .addUnit: target = try existingMatch[i].required("organisation", i)
            case .create:
                let parentID: Int64
                switch try e.parent.required("parent", i) {
                case .existing(let org): parentID = org.id
                case .fileRow(let r): parentID = try created[r]?.id ?? existingMatch[r].required("organisation", r).id
                }
                target = try await organisations.insert(
                    type: p.type, name: e.name, shortName: e.shortName, parentID: parentID, access: access,
                    actor: actor, effective: e.established ?? today, db: db)
                created[i] = target
            }
            if let unit = e.unit, p.action != .unchanged { _ = try await units.insert(unit, into: target, actor: actor, db: db) }
        }
        report.planned = plannedRows
        return report
    }

    /// The downloadable template, with one example row per level.
    public static func template() throws -> Data {
        var writer = XLSXWriter(sheetName: "组织机构", header: OrganisationImport.Column.allCases.map(\.title))
        writer.append(["某县财政局党总支", "财政局党总支", "党总支", "", "某县财政局", "机关", "经济发展", "2019-07-01"])
        writer.append(["某县财政局第一党支部", "第一党支部", "党支部", "某县财政局党总支", "", "", "", "2019-07-01"])
        return try writer.data()
    }
}
