public import Foundation
public import DangjianDomain
import DangjianOffice
import SQLKit

/// A stored indicator scheme with its versions (EVAL-01).
public struct AssessmentSchemeInfo: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var organisationName: String
    public var name: String
    public var versions: [SchemeVersionInfo]
}

public struct SchemeVersionInfo: Sendable, Equatable {
    public var id: Int64
    public var number: Int
    public var sourceNote: String
    public var createdAt: Int64
    /// Rounds opened with it: a used version is frozen (EVAL-01).
    public var rounds: Int
}

/// One version of a scheme, whole.
public struct StoredSchemeVersion: Sendable, Equatable {
    public var id: Int64
    public var schemeID: Int64
    public var organisationID: Int64
    public var number: Int
    public var scheme: IndicatorScheme
    public var sourceNote: String
    public var rounds: Int
}

/// A round as stored (ASSESS-01).
public struct AssessmentRoundRecord: Sendable, Equatable {
    public var id: Int64
    public var organiserID: Int64
    public var organiserName: String
    public var year: Int
    public var name: String
    public var schemeVersionID: Int64
    public var timetable: AssessmentTimetable
    public var parameters: EvaluationParameters
    public var state: AssessmentRoundState
    public var version: Int64
}

/// What the organiser fills in to open a round.
public struct AssessmentRoundDraft: Sendable {
    public var organiserID: Int64
    public var year: Int
    public var name: String
    public var schemeVersionID: Int64
    public var timetable: AssessmentTimetable
    /// The units assessed (organisations in the organiser's subtree, the organiser itself included when it assesses
    /// its own work); empty = the organiser's direct sub-organisations.
    public var unitIDs: [Int64]

    public init(organiserID: Int64, year: Int, name: String, schemeVersionID: Int64, timetable: AssessmentTimetable, unitIDs: [Int64] = []) {
        self.organiserID = organiserID
        self.year = year
        self.name = name
        self.schemeVersionID = schemeVersionID
        self.timetable = timetable
        self.unitIDs = unitIDs
    }
}

/// 考评验收 (issue 19, slug `assessment`): schemes and their frozen versions, rounds, the panel and its assignments
/// with conflict checks (EVAL-03/04), sheets (EVAL-05/07), automatic indicators (ASSESS-05/06, EVAL-14), results and
/// 综合审定 (EVAL-06/09/10, ASSESS-03/07/08). The organiser needs `ledger.manage` over the organising organisation;
/// an assessor needs nothing but the assignment; a unit's self-assessment needs `ledger.write` over the unit.
public struct AssessmentRepository: Sendable {
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

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONDecoder().decode(type, from: Data(text.utf8)) }

    // MARK: Schemes

    /// Imports a scheme from an uploaded .xlsx or .csv (the first sheet), read within the spreadsheet limits.
    public func importScheme(
        name: String, file: Data, fileName: String, organisationID: Int64, schemeID: Int64?, access: OrganisationAccess, actor: Actor
    ) async throws -> StoredSchemeVersion {
        let rows: [SheetRow]
        do { rows = try TableReader.read(file) } catch let error as SpreadsheetError {
            throw ValidationFailure(field: "file", message: error.description, ruleID: RuleID.eval01.code)
        }
        return try await importScheme(
            name: name, rows: rows.map { (number: $0.number, cells: $0.cells) }, sourceNote: String(fileName.prefix(100)),
            organisationID: organisationID,
            schemeID: schemeID, access: access, actor: actor)
    }

    /// Imports a scheme from the office's table (`rows` of its first sheet) as a new scheme, or as the next version of
    /// `schemeID`. All or nothing: every problem names its row and rule.
    public func importScheme(
        name: String, rows: [(number: Int, cells: [String])], sourceNote: String, organisationID: Int64, schemeID: Int64?, access: OrganisationAccess,
        actor: Actor
    ) async throws -> StoredSchemeVersion {
        let name = name.trimmed
        guard !name.isEmpty, name.count <= 100 else {
            throw ValidationFailure(field: "name", message: "请填写指标体系名称（不超过 100 个字）", ruleID: RuleID.eval01.code)
        }
        let book = try await RuleBookRepository.inForce(in: database, on: today)
        let outcome = SchemeImport.read(
            rows, name: name, baseTotal: Score(hundredths: Int64(book.evaluation.baseTotalHundredths)),
            bonusCap: Score(hundredths: Int64(book.evaluation.bonusCapHundredths)))
        guard let scheme = outcome.scheme else { throw ValidationProblems(problems: outcome.problems) }
        return try await saveScheme(scheme, sourceNote: sourceNote, organisationID: organisationID, schemeID: schemeID, access: access, actor: actor)
    }

    /// Saves `scheme` (checked by EVAL-01) as a new scheme or the next version of `schemeID`.
    public func saveScheme(
        _ scheme: IndicatorScheme, sourceNote: String, organisationID: Int64, schemeID: Int64?, access: OrganisationAccess, actor: Actor
    ) async throws -> StoredSchemeVersion {
        let problems = scheme.problems()
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        let body = try Self.json(scheme)
        let note = String(sourceNote.trimmed.prefix(200))
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let ownerID: Int64
            let id: Int64
            if let schemeID {
                guard let row = try await db.raw("SELECT organisation_id FROM assessment_schemes WHERE id = \(bind: schemeID)").first(),
                    try await OrganisationRepository.find(try row.value("organisation_id"), access: access, db: db) != nil
                else { throw RecordNotFound(objectType: "assessment_scheme", objectID: String(schemeID)) }
                ownerID = try row.value("organisation_id")
                id = schemeID
            } else {
                guard let owner = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                    throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
                }
                ownerID = owner.id
                id = try await db.insertReturningID(
                    """
                    INSERT INTO assessment_schemes (organisation_id, name, created_by, created_at)
                    VALUES (\(bind: owner.id), \(bind: scheme.name), \(bind: actor.userID), \(bind: now))
                    """)
            }
            // The next number under the unique (scheme, number) index: two offices saving at once cannot share one.
            let next =
                (try await db.raw("SELECT MAX(version_no) AS n FROM assessment_scheme_versions WHERE scheme_id = \(bind: id)").first()?
                    .optional("n", Int.self) ?? 0) + 1
            let versionID = try await db.insertReturningID(
                """
                INSERT INTO assessment_scheme_versions (scheme_id, version_no, body, source_note, created_by, created_at)
                VALUES (\(bind: id), \(bind: next), \(bind: body), \(bind: note), \(bind: actor.userID), \(bind: now))
                """)
            if schemeID != nil { try await db.raw("UPDATE assessment_schemes SET name = \(bind: scheme.name) WHERE id = \(bind: id)").run() }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_scheme", objectID: String(id), organisationID: ownerID,
                    summary: "指标体系“\(scheme.name)”第 \(next) 版：\(scheme.aspects.count) 个方面、\(scheme.indicators.count) 项指标"),
                by: actor, in: db, dialect: database.dialect)
            return StoredSchemeVersion(
                id: versionID, schemeID: id, organisationID: ownerID, number: next, scheme: scheme, sourceNote: note, rounds: 0)
        }
    }

    /// The schemes of the organisations inside `access`, newest first.
    public func schemes(access: OrganisationAccess) async throws -> [AssessmentSchemeInfo] {
        try await database.read { db in
            let visible = AccessSQL.predicate(access, alias: "o")
            let rows = try await db.raw(
                """
                SELECT s.id, s.organisation_id, s.name, o.name AS organisation_name, v.id AS version_id, v.version_no, v.source_note, v.created_at,
                    (SELECT COUNT(*) FROM assessment_rounds r WHERE r.scheme_version_id = v.id) AS rounds
                FROM assessment_schemes s JOIN organisations o ON o.id = s.organisation_id
                JOIN assessment_scheme_versions v ON v.scheme_id = s.id
                WHERE \(visible) ORDER BY s.id DESC, v.version_no DESC
                """
            ).all()
            var result: [AssessmentSchemeInfo] = []
            for r in rows {
                let id: Int64 = try r.value("id")
                let version = SchemeVersionInfo(
                    id: try r.value("version_id"), number: try r.value("version_no"), sourceNote: try r.value("source_note"),
                    createdAt: try r.value("created_at"), rounds: try r.value("rounds"))
                if result.last?.id == id {
                    result[result.count - 1].versions.append(version)
                } else {
                    result.append(
                        AssessmentSchemeInfo(
                            id: id, organisationID: try r.value("organisation_id"), organisationName: try r.value("organisation_name"),
                            name: try r.value("name"), versions: [version]))
                }
            }
            return result
        }
    }

    /// One version, if its scheme's organisation is inside `access`.
    public func schemeVersion(_ id: Int64, access: OrganisationAccess) async throws -> StoredSchemeVersion {
        try await database.read { db in
            guard let version = try await Self.schemeVersion(id, db: db),
                try await OrganisationRepository.find(version.organisationID, access: access, db: db) != nil
            else { throw RecordNotFound(objectType: "assessment_scheme_version", objectID: String(id)) }
            return version
        }
    }

    static func schemeVersion(_ id: Int64, db: any SQLDatabase) async throws -> StoredSchemeVersion? {
        guard
            let r = try await db.raw(
                """
                SELECT v.*, s.organisation_id, (SELECT COUNT(*) FROM assessment_rounds r WHERE r.scheme_version_id = v.id) AS rounds
                FROM assessment_scheme_versions v JOIN assessment_schemes s ON s.id = v.scheme_id WHERE v.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return StoredSchemeVersion(
            id: id, schemeID: try r.value("scheme_id"), organisationID: try r.value("organisation_id"), number: try r.value("version_no"),
            scheme: try decode(IndicatorScheme.self, try r.value("body")), sourceNote: try r.value("source_note"), rounds: try r.value("rounds"))
    }

    // MARK: Rounds

    /// Opens a round (ASSESS-01): the scheme version is frozen by use, the rule book's evaluation parameters are copied
    /// in, and each unit is entered with its category (ASSESS-02: the 考核类别 of the work unit it covers).
    public func openRound(_ draft: AssessmentRoundDraft, access: OrganisationAccess, actor: Actor) async throws -> AssessmentRoundRecord {
        let name = draft.name.trimmed
        var problems = draft.timetable.problems()
        if name.isEmpty || name.count > 100 {
            problems.append(ValidationFailure(field: "name", message: "请填写考评名称（不超过 100 个字）", ruleID: RuleID.assess01.code))
        }
        if !(2000...2100).contains(draft.year) {
            problems.append(ValidationFailure(field: "year", message: "考评年度应在 2000–2100 之间", ruleID: RuleID.assess01.code))
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        let book = try await RuleBookRepository.inForce(in: database, on: today)
        let parameters = try Self.json(book.evaluation)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let organiser = try await OrganisationRepository.find(draft.organiserID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(draft.organiserID))
            }
            guard let version = try await Self.schemeVersion(draft.schemeVersionID, db: db),
                try await OrganisationRepository.find(version.organisationID, access: access, db: db) != nil
            else { throw ValidationFailure(field: "scheme_version", message: "请选择本单位可用的指标体系", ruleID: RuleID.assess01.code) }
            var units: [Organisation] = []
            if draft.unitIDs.isEmpty {
                for r in try await db.raw(
                    "SELECT id FROM organisations WHERE parent_id = \(bind: organiser.id) AND dissolved_at IS NULL ORDER BY sort_order, id"
                ).all() {
                    if let o = try await OrganisationRepository.find(try r.value("id"), access: access, db: db) { units.append(o) }
                }
            } else {
                for id in Set(draft.unitIDs).sorted() {
                    guard let o = try await OrganisationRepository.find(id, access: access, db: db), organiser.path.contains(o.path) else {
                        throw ValidationFailure(field: "units", message: "单位（编号 \(id)）不在“\(organiser.name)”的考评范围内", ruleID: RuleID.assess01.code)
                    }
                    units.append(o)
                }
            }
            guard !units.isEmpty else {
                throw ValidationFailure(field: "units", message: "“\(organiser.name)”下没有可考评的单位", ruleID: RuleID.assess01.code)
            }
            let t = draft.timetable
            let id = try await db.insertReturningID(
                """
                INSERT INTO assessment_rounds (organiser_id, year, name, scheme_version_id, data_cutoff, self_opens, self_closes, site_opens, site_closes,
                    approve_by, parameters, state, created_by, created_at)
                VALUES (\(bind: organiser.id), \(bind: draft.year), \(bind: name), \(bind: version.id), \(bind: t.dataCutoff.description),
                    \(bind: t.selfOpens.description), \(bind: t.selfCloses.description), \(bind: t.siteOpens.description), \(bind: t.siteCloses.description),
                    \(bind: t.approveBy.description), \(bind: parameters), \(bind: AssessmentRoundState.open.rawValue), \(bind: actor.userID), \(bind: now))
                """)
            for unit in units {
                let category = try await db.raw(
                    "SELECT assessment_category FROM units WHERE organisation_id = \(bind: unit.id) AND assessment_category IS NOT NULL ORDER BY id LIMIT 1"
                ).first()?.optional("assessment_category", String.self)
                // A category the scheme does not weigh is still kept: it ranks the unit within its category (ASSESS-02).
                try await db.raw(
                    """
                    INSERT INTO assessment_units (round_id, organisation_id, category, bonuses, deductions, vetoes)
                    VALUES (\(bind: id), \(bind: unit.id), \(bind: category), '{}', '{}', '[]')
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_round", objectID: String(id), organisationID: organiser.id,
                    summary: "开展考评“\(name)”（\(draft.year) 年度）：\(units.count) 个单位，指标体系“\(version.scheme.name)”第 \(version.number) 版"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.round(id, db: db).required("assessment_round", id)
        }
    }

    /// The round and organisation of unit `unitID` (nil when there is none; access is checked by each use).
    public func unitReference(_ unitID: Int64) async throws -> (roundID: Int64, organisationID: Int64)? {
        try await database.read { db in
            try await db.raw("SELECT round_id, organisation_id FROM assessment_units WHERE id = \(bind: unitID)").first().map {
                (try $0.value("round_id", Int64.self), try $0.value("organisation_id", Int64.self))
            }
        }
    }

    static func round(_ id: Int64, db: any SQLDatabase) async throws -> AssessmentRoundRecord? {
        guard
            let r = try await db.raw(
                "SELECT r.*, o.name AS organiser_name FROM assessment_rounds r JOIN organisations o ON o.id = r.organiser_id WHERE r.id = \(bind: id)"
            ).first()
        else { return nil }
        return try decodeRound(r)
    }

    static func decodeRound(_ r: any SQLRow) throws -> AssessmentRoundRecord {
        AssessmentRoundRecord(
            id: try r.value("id"), organiserID: try r.value("organiser_id"), organiserName: try r.value("organiser_name"), year: try r.value("year"),
            name: try r.value("name"), schemeVersionID: try r.value("scheme_version_id"),
            timetable: AssessmentTimetable(
                dataCutoff: try r.date("data_cutoff"), selfOpens: try r.date("self_opens"), selfCloses: try r.date("self_closes"),
                siteOpens: try r.date("site_opens"), siteCloses: try r.date("site_closes"), approveBy: try r.date("approve_by")),
            parameters: (try? decode(EvaluationParameters.self, try r.value("parameters"))) ?? EvaluationParameters(),
            state: AssessmentRoundState(rawValue: try r.value("state")) ?? .open, version: try r.value("version"))
    }

    /// A round the caller organises (`ledger.manage` over the organiser), else `RecordNotFound`.
    public func organisedRound(_ id: Int64, access: OrganisationAccess) async throws -> AssessmentRoundRecord {
        try await database.read { db in try await Self.organisedRound(id, access: access, db: db) }
    }

    static func organisedRound(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> AssessmentRoundRecord {
        guard let round = try await round(id, db: db), try await OrganisationRepository.find(round.organiserID, access: access, db: db) != nil else {
            throw RecordNotFound(objectType: "assessment_round", objectID: String(id))
        }
        return round
    }

    /// The rounds organised inside `access`, and those where `userID` sits on the panel or whose units `unitAccess`
    /// reaches — newest first, each once.
    public func rounds(userID: Int64?, access: OrganisationAccess, unitAccess: OrganisationAccess) async throws -> [AssessmentRoundRecord] {
        try await database.read { db in
            let organised = AccessSQL.predicate(access, alias: "o")
            let units = AccessSQL.predicate(unitAccess, alias: "uo")
            return try await db.raw(
                """
                SELECT r.*, o.name AS organiser_name FROM assessment_rounds r JOIN organisations o ON o.id = r.organiser_id
                WHERE \(organised)
                   OR r.id IN (SELECT round_id FROM assessment_panel WHERE user_id = \(bind: userID ?? -1))
                   OR r.id IN (SELECT u.round_id FROM assessment_units u JOIN organisations uo ON uo.id = u.organisation_id WHERE \(units))
                ORDER BY r.year DESC, r.id DESC LIMIT 200
                """
            ).all().map(Self.decodeRound)
        }
    }
}
