public import Foundation
public import DangjianDomain
import SQLKit

/// What is entered for one indicator on a sheet.
public struct SheetEntry: Sendable, Equatable {
    public var code: String
    public var text: String
    public var note: String
    public var verifiedOnSite: Bool
    public init(code: String, text: String, note: String = "", verifiedOnSite: Bool = false) {
        self.code = code
        self.text = text
        self.note = note
        self.verifiedOnSite = verifiedOnSite
    }
}

public struct StoredScore: Sendable, Equatable, Codable {
    public var points: Score
    public var entered: String
    public var note: String
    public var verifiedOnSite: Bool
}

public struct AssessmentSheetRecord: Sendable, Equatable {
    public var id: Int64
    public var roundID: Int64
    public var organisationID: Int64
    public var stage: AssessmentStage
    /// The assessor's user id; 0 for the unit's self-assessment.
    public var assessorKey: Int64
    public var state: SheetState
    public var submittedAt: Int64?
    public var version: Int64
    public var scores: [String: StoredScore]
}

/// One of an assessor's units (我的考评单位).
public struct AssessorUnit: Sendable, Equatable {
    public var round: AssessmentRoundRecord
    public var unit: AssessmentUnitRecord
    public var sheetState: SheetState?
}

/// Everything an assessor's (or the unit's) sheet page shows.
public struct SheetView: Sendable {
    public var round: AssessmentRoundRecord
    public var unit: AssessmentUnitRecord
    public var stage: AssessmentStage
    public var indicators: [Indicator]
    public var sheet: AssessmentSheetRecord?
    /// The unit's self-assessment (shown to its assessors as an input).
    public var selfSheet: AssessmentSheetRecord?
    public var evidence: [String: [EvidenceRecord]]
    /// Whether saving is possible today (the stage window, the round open, the sheet a draft).
    public var editable: Bool
    /// Why not, when not.
    public var lockedReason: String?
}

/// Sheets (EVAL-05/07): each assessor has one sheet per unit; the unit one self-assessment. A sheet is saved as a
/// draft any number of times inside its window, locked on submission, and reopened only by the chair with a reason
/// (the submitted version kept in `assessment_sheet_history`). Nobody writes another's sheet.
extension AssessmentRepository {
    /// The units `userID` is assigned to score, by round (newest first).
    public func assessorUnits(userID: Int64) async throws -> [AssessorUnit] {
        try await database.read { db in
            var result: [AssessorUnit] = []
            var rounds: [Int64: (AssessmentRoundRecord, [AssessmentUnitRecord])] = [:]
            for r in try await db.raw(
                """
                SELECT a.round_id, a.organisation_id, s.state FROM assessment_assignments a
                LEFT JOIN assessment_sheets s ON s.round_id = a.round_id AND s.organisation_id = a.organisation_id
                    AND s.stage = \(bind: AssessmentStage.site.rawValue) AND s.assessor_key = a.user_id
                WHERE a.user_id = \(bind: userID) ORDER BY a.round_id DESC, a.organisation_id
                """
            ).all() {
                let roundID: Int64 = try r.value("round_id")
                if rounds[roundID] == nil, let round = try await Self.round(roundID, db: db) {
                    rounds[roundID] = (round, try await Self.units(roundID, db: db))
                }
                guard let (round, units) = rounds[roundID],
                    let unit = units.first(where: { $0.organisationID == (try? r.value("organisation_id", Int64.self)) })
                else { continue }
                result.append(
                    AssessorUnit(round: round, unit: unit, sheetState: try r.optional("state", String.self).flatMap(SheetState.init(rawValue:))))
            }
            return result
        }
    }

    /// The units of open rounds that `unitAccess` reaches (单位自评: the caller's own units), newest round first.
    public func selfUnits(unitAccess: OrganisationAccess) async throws -> [AssessorUnit] {
        guard !unitAccess.isEmpty else { return [] }
        return try await database.read { db in
            let visible = AccessSQL.predicate(unitAccess, alias: "o")
            var result: [AssessorUnit] = []
            var rounds: [Int64: (AssessmentRoundRecord, [AssessmentUnitRecord])] = [:]
            for r in try await db.raw(
                """
                SELECT u.round_id, u.organisation_id, s.state FROM assessment_units u JOIN organisations o ON o.id = u.organisation_id
                JOIN assessment_rounds r ON r.id = u.round_id
                LEFT JOIN assessment_sheets s ON s.round_id = u.round_id AND s.organisation_id = u.organisation_id
                    AND s.stage = \(bind: AssessmentStage.selfAssessment.rawValue) AND s.assessor_key = 0
                WHERE \(visible) ORDER BY u.round_id DESC, o.path LIMIT 500
                """
            ).all() {
                let roundID: Int64 = try r.value("round_id")
                if rounds[roundID] == nil, let round = try await Self.round(roundID, db: db) {
                    rounds[roundID] = (round, try await Self.units(roundID, db: db))
                }
                let orgID: Int64 = try r.value("organisation_id")
                guard let (round, units) = rounds[roundID], let unit = units.first(where: { $0.organisationID == orgID }) else { continue }
                result.append(
                    AssessorUnit(round: round, unit: unit, sheetState: try r.optional("state", String.self).flatMap(SheetState.init(rawValue:))))
            }
            return result
        }
    }

    /// For the panel's chair: every assessor assigned to the unit with their sheet's state (to reopen one, EVAL-05);
    /// nil for anyone else.
    public func chairView(roundID: Int64, organisationID: Int64, callerID: Int64) async throws -> [(PanelMemberRecord, SheetState?)]? {
        try await database.read { db in
            let panel = try await Self.panel(roundID, db: db)
            guard panel.contains(where: { $0.userID == callerID && $0.duty == .chair }),
                let unit = try await Self.unit(roundID, organisationID: organisationID, db: db)
            else { return nil }
            let states = try await Self.sheetStates(roundID, db: db)
            return unit.assessorIDs.compactMap { id in
                panel.first { $0.userID == id }.map { ($0, states[SheetKey(organisationID, .site, id)]) }
            }
        }
    }

    /// The sheet page of `stage` for unit `organisationID`: an assigned assessor's own site sheet, or the unit's
    /// self-assessment for a caller whose `unitAccess` reaches the unit. Anyone else: `RecordNotFound`.
    public func sheetView(
        roundID: Int64, organisationID: Int64, stage: AssessmentStage, userID: Int64, unitAccess: OrganisationAccess
    ) async throws -> SheetView {
        try await database.read { db in
            let (round, unit, version) = try await Self.authoriseSheet(
                roundID: roundID, organisationID: organisationID, stage: stage, userID: userID, unitAccess: unitAccess, db: db,
                databaseID: ObjectIdentifier(database))
            let key = stage == .site ? userID : 0
            let sheet = try await Self.sheet(roundID: roundID, organisationID: organisationID, stage: stage, assessorKey: key, db: db)
            let selfSheet =
                stage == .site
                ? try await Self.sheet(roundID: roundID, organisationID: organisationID, stage: .selfAssessment, assessorKey: 0, db: db) : nil
            var lockedReason: String?
            if round.state != .open {
                lockedReason = "考评已审定"
            } else if let refusal = round.timetable.refusal(saving: stage, on: today) {
                lockedReason = refusal.fullMessage
            } else if sheet?.state == .submitted {
                lockedReason = ValidationFailure(field: "sheet", message: "评分表已提交并锁定；如需修改，请组长退回", ruleID: RuleID.eval05.code).fullMessage
            }
            return SheetView(
                round: round, unit: unit, stage: stage, indicators: version.scheme.sheetIndicators(category: unit.category),
                sheet: sheet,
                selfSheet: selfSheet?.state == .submitted ? selfSheet : nil,
                evidence: try await Self.evidence(roundID: roundID, organisationID: organisationID, db: db),
                editable: lockedReason == nil, lockedReason: lockedReason)
        }
    }

    /// Saves (and with `submit`, submits and locks) a sheet. Each entry is checked against its indicator's method
    /// (EVAL-02); an unknown indicator, a save outside the stage's window (EVAL-07), a submitted sheet (EVAL-05), a
    /// stale version or a submission with indicators left blank is refused — naming the indicator and the rule — and
    /// nothing is written.
    @discardableResult
    public func saveSheet(
        roundID: Int64, organisationID: Int64, stage: AssessmentStage, entries: [SheetEntry], submit: Bool, expectedVersion: Int64?, userID: Int64,
        unitAccess: OrganisationAccess, actor: Actor
    ) async throws -> AssessmentSheetRecord {
        let now = clock.now().epochSeconds
        let day = today
        return try await database.write { db in
            let (round, unit, version) = try await Self.authoriseSheet(
                roundID: roundID, organisationID: organisationID, stage: stage, userID: userID, unitAccess: unitAccess, db: db,
                databaseID: ObjectIdentifier(database))
            guard round.state == .open else { throw Self.closed(round) }
            if let refusal = round.timetable.refusal(saving: stage, on: day) { throw refusal }
            if stage == .site {
                let reasons = try await Self.conflicts(userID: userID, unit: unit, roundID: roundID, db: db)
                guard reasons.isEmpty else { throw ConflictOfInterest.refusal(unitName: unit.name, reasons: reasons) }
            }
            let indicators = version.scheme.sheetIndicators(category: unit.category)
            var scores: [String: StoredScore] = [:]
            var problems: [ValidationFailure] = []
            for entry in entries {
                guard let indicator = indicators.first(where: { $0.code == entry.code }) else {
                    problems.append(
                        ValidationFailure(
                            field: "score_\(entry.code.prefix(20))", message: "指标“\(entry.code.prefix(20))”不在本轮评分表中", ruleID: RuleID.eval01.code))
                    continue
                }
                guard entry.note.count <= 500 else {
                    problems.append(ValidationFailure(field: "note_\(indicator.code)", message: "指标“\(indicator.code)”的说明不超过 500 个字"))
                    continue
                }
                do {
                    guard let input = try IndicatorScoring.input(entry.text, for: indicator) else { continue }
                    let points = try IndicatorScoring.score(indicator, input)
                    scores[indicator.code] = StoredScore(
                        points: points, entered: entry.text.trimmed, note: entry.note.trimmed, verifiedOnSite: entry.verifiedOnSite)
                } catch let failure as ValidationFailure {
                    problems.append(failure)
                }
            }
            if submit && problems.isEmpty {
                for indicator in indicators where scores[indicator.code] == nil {
                    problems.append(
                        ValidationFailure(
                            field: "score_\(indicator.code)", message: "指标“\(indicator.code) \(indicator.name)”尚未评分，全部评分后才能提交",
                            ruleID: RuleID.eval05.code))
                }
            }
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            let key = stage == .site ? userID : 0
            try await db.raw(
                """
                INSERT INTO assessment_sheets (round_id, organisation_id, stage, assessor_key, state, version, updated_at)
                VALUES (\(bind: roundID), \(bind: organisationID), \(bind: stage.rawValue), \(bind: key), \(bind: SheetState.draft.rawValue), 1, \(bind: now))
                ON CONFLICT (round_id, organisation_id, stage, assessor_key) DO NOTHING
                """
            ).run()
            let current = try await Self.sheet(roundID: roundID, organisationID: organisationID, stage: stage, assessorKey: key, db: db)
                .required("assessment_sheet", "\(roundID)/\(organisationID)")
            if let expectedVersion, expectedVersion != current.version, !(expectedVersion == 0 && current.version == 1 && current.scores.isEmpty) {
                throw EditConflict(objectType: "assessment_sheet", objectID: current.id)
            }
            guard current.state == .draft else {
                throw ValidationFailure(field: "sheet", message: "评分表已提交并锁定，如需修改请组长退回", ruleID: RuleID.eval05.code)
            }
            let state = submit ? SheetState.submitted : .draft
            let updated = try await db.raw(
                """
                UPDATE assessment_sheets SET state = \(bind: state.rawValue), version = version + 1, updated_at = \(bind: now),
                    submitted_at = \(bind: submit ? now : nil), submitted_by = \(bind: submit ? actor.userID : nil)
                WHERE id = \(bind: current.id) AND version = \(bind: current.version) AND state = \(bind: SheetState.draft.rawValue) RETURNING id
                """
            ).first()
            guard updated != nil else { throw EditConflict(objectType: "assessment_sheet", objectID: current.id) }
            try await db.raw("DELETE FROM assessment_scores WHERE sheet_id = \(bind: current.id)").run()
            for (code, score) in scores.sorted(by: { $0.key < $1.key }) {
                try await db.raw(
                    """
                    INSERT INTO assessment_scores (sheet_id, indicator_code, points_micro, entered, note, verified_on_site)
                    VALUES (\(bind: current.id), \(bind: code), \(bind: score.points.micro), \(bind: score.entered), \(bind: score.note),
                        \(bind: score.verifiedOnSite ? 1 : 0))
                    """
                ).run()
            }
            let total = scores.values.map(\.points).total()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_sheet", objectID: String(current.id), organisationID: organisationID,
                    summary: "\(stage.displayName)“\(unit.name)”（\(round.name)）：\(submit ? "提交" : "保存") \(scores.count) 项，合计 \(total) 分"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.sheet(roundID: roundID, organisationID: organisationID, stage: stage, assessorKey: key, db: db)
                .required("assessment_sheet", current.id)
        }
    }

    /// The chair reopens a submitted site sheet with a written reason (EVAL-05); the submitted version is kept.
    public func reopenSheet(
        roundID: Int64, organisationID: Int64, assessorID: Int64, reason: String, callerID: Int64, actor: Actor
    ) async throws {
        let reason = reason.trimmed
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let round = try await Self.round(roundID, db: db),
                try await Self.panel(roundID, db: db).contains(where: { $0.userID == callerID && $0.duty == .chair })
            else { throw RecordNotFound(objectType: "assessment_round", objectID: String(roundID)) }
            guard !reason.isEmpty, reason.count <= 500 else {
                throw ValidationFailure(field: "reason", message: "退回评分表须写明理由（不超过 500 个字）", ruleID: RuleID.eval05.code)
            }
            guard round.state == .open else { throw Self.closed(round) }
            guard let sheet = try await Self.sheet(roundID: roundID, organisationID: organisationID, stage: .site, assessorKey: assessorID, db: db),
                sheet.state == .submitted
            else { throw ValidationFailure(field: "sheet", message: "该评分表未提交，无需退回", ruleID: RuleID.eval05.code) }
            try await db.raw(
                """
                INSERT INTO assessment_sheet_history (sheet_id, version, body, reason, recorded_by, recorded_at)
                VALUES (\(bind: sheet.id), \(bind: sheet.version), \(bind: try Self.json(sheet.scores)), \(bind: reason), \(bind: callerID), \(bind: now))
                """
            ).run()
            try await db.raw(
                """
                UPDATE assessment_sheets SET state = \(bind: SheetState.draft.rawValue), version = version + 1, updated_at = \(bind: now),
                    submitted_at = NULL, submitted_by = NULL WHERE id = \(bind: sheet.id)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_sheet", objectID: String(sheet.id), organisationID: organisationID,
                    summary: "组长退回评分表（\(round.name)，评审人员 \(assessorID)）：\(reason)",
                    changes: [FieldChange(field: "sheet_state", old: SheetState.submitted.displayName, new: SheetState.draft.displayName)]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    // MARK: Helpers

    static func authoriseSheet(
        roundID: Int64, organisationID: Int64, stage: AssessmentStage, userID: Int64, unitAccess: OrganisationAccess, db: any SQLDatabase,
        databaseID: ObjectIdentifier? = nil
    ) async throws -> (AssessmentRoundRecord, AssessmentUnitRecord, StoredSchemeVersion) {
        let notFound = RecordNotFound(objectType: "assessment_sheet", objectID: "\(roundID)/\(organisationID)")
        guard let round = try await round(roundID, db: db),
            let unit = try await unit(roundID, organisationID: organisationID, db: db)
        else { throw notFound }
        switch stage {
        case .site:
            guard unit.assessorIDs.contains(userID) else { throw notFound }
        case .selfAssessment:
            guard try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil else { throw notFound }
        }
        // A version never changes once a round uses it (EVAL-01): its decoded body is kept for a minute, keyed by the
        // database and the version, so a sheet page does not decode the scheme on every request.
        let load = {
            guard let version = try await schemeVersion(round.schemeVersionID, db: db) else { throw notFound }
            return version
        }
        let version: StoredSchemeVersion
        if let databaseID {
            version = try await versionCache.value("\(databaseID)|\(round.schemeVersionID)", load: load)
        } else {
            version = try await load()
        }
        return (round, unit, version)
    }

    static let versionCache = ShortLivedCache<StoredSchemeVersion>(ttl: 60)

    static func sheet(
        roundID: Int64, organisationID: Int64, stage: AssessmentStage, assessorKey: Int64, db: any SQLDatabase
    ) async throws
        -> AssessmentSheetRecord?
    {
        guard
            let r = try await db.raw(
                """
                SELECT * FROM assessment_sheets WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: organisationID)
                    AND stage = \(bind: stage.rawValue) AND assessor_key = \(bind: assessorKey)
                """
            ).first()
        else { return nil }
        let id: Int64 = try r.value("id")
        var scores: [String: StoredScore] = [:]
        for s in try await db.raw("SELECT * FROM assessment_scores WHERE sheet_id = \(bind: id)").all() {
            scores[try s.value("indicator_code")] = StoredScore(
                points: Score(micro: try s.value("points_micro")), entered: try s.value("entered"), note: try s.value("note"),
                verifiedOnSite: (try s.value("verified_on_site", Int64.self)) != 0)
        }
        return AssessmentSheetRecord(
            id: id, roundID: roundID, organisationID: organisationID, stage: stage, assessorKey: assessorKey,
            state: SheetState(rawValue: try r.value("state")) ?? .draft, submittedAt: try r.optional("submitted_at"), version: try r.value("version"),
            scores: scores)
    }
}
