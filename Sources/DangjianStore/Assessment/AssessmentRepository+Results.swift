public import Foundation
public import DangjianDomain
import SQLKit

/// One unit's line on the results page.
public struct UnitResultRow: Sendable {
    public var unit: AssessmentUnitRecord
    public var result: UnitResult
    /// Submitted site sheets and sheets assigned.
    public var validSheets: Int
    public var assigned: Int
    /// EVAL-07: enough valid sheets.
    public var quorumMet: Bool
    /// The self-assessment total (weight 0: a gap check, EVAL-08), when submitted.
    public var selfTotal: Score?
    /// ASSESS-04 自评偏高: the indicators whose self-score exceeds the site mean by more than the gap.
    public var selfTooHigh: [String]
    /// The score that ranks (after 综合审定 the approved one) and its grade, pass and ranks.
    public var finalScore: Score
    public var grade: String
    public var passed: Bool
    public var rank: Int
    public var categoryRank: Int
    public var tieNote: String?
}

/// A unit's progress in the three stages (the organiser's board).
public struct UnitProgress: Sendable {
    public var unit: AssessmentUnitRecord
    public var selfState: SheetState?
    public var siteSubmitted: Int
    public var assigned: Int
    /// Assigned assessors who have not submitted, by name.
    public var missing: [String]
    public var quorumMet: Bool
}

public struct RoundResults: Sendable {
    public var round: AssessmentRoundRecord
    public var scheme: IndicatorScheme
    public var rows: [UnitResultRow]
    /// EVAL-05: scores are hidden until every sheet is in or the site window has closed.
    public var visible: Bool
    /// Units without a quorum (EVAL-07): 审定 waits for them.
    public var incomplete: [String]
    public var changes: [AssessmentChange]
}

/// A change the committee made in 综合审定 (ASSESS-03): both values and the reason.
public struct AssessmentChange: Sendable, Equatable {
    public var organisationID: Int64
    public var field: String
    public var oldValue: String
    public var newValue: String
    public var reason: String
}

/// Results, ranking and 综合审定 (EVAL-05/06/07/09/10/13, ASSESS-03/07/08).
extension AssessmentRepository {
    /// The organiser's progress board: units × stages, and who has not submitted.
    public func progress(roundID: Int64, access: OrganisationAccess) async throws -> (AssessmentRoundRecord, [UnitProgress], [PanelMemberRecord]) {
        try await database.read { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            let units = try await Self.units(roundID, db: db)
            let panel = try await Self.panel(roundID, db: db)
            let sheets = try await Self.sheetStates(roundID, db: db)
            let rows = units.map { unit in
                let submitted = unit.assessorIDs.filter { sheets[SheetKey(unit.organisationID, .site, $0)] == .submitted }
                let missing = unit.assessorIDs.filter { !submitted.contains($0) }.map { id in panel.first { $0.userID == id }?.name ?? "用户 \(id)" }
                return UnitProgress(
                    unit: unit, selfState: sheets[SheetKey(unit.organisationID, .selfAssessment, 0)], siteSubmitted: submitted.count,
                    assigned: unit.assessorIDs.count, missing: missing,
                    quorumMet: !unit.assessorIDs.isEmpty
                        && submitted.count >= Self.quorum(assigned: unit.assessorIDs.count, parameters: round.parameters))
            }
            return (round, rows, panel)
        }
    }

    /// The results for the organiser. Before every assigned sheet is in and before the site window has closed, the
    /// scores stay hidden (EVAL-05): `visible` is false and rows are empty.
    public func results(roundID: Int64, access: OrganisationAccess) async throws -> RoundResults {
        try await database.read { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            return try await computeResults(round, db: db)
        }
    }

    /// A unit's own result — only after 综合审定 (EVAL-05: the scored unit sees nothing before approval).
    public func unitResult(roundID: Int64, organisationID: Int64, unitAccess: OrganisationAccess) async throws -> UnitResultRow? {
        try await database.read { db in
            guard let round = try await Self.round(roundID, db: db),
                try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil,
                try await Self.unit(roundID, organisationID: organisationID, db: db) != nil
            else { throw RecordNotFound(objectType: "assessment_round", objectID: String(roundID)) }
            guard round.state == .approved else { return nil }
            return try await computeResults(round, db: db).rows.first { $0.unit.organisationID == organisationID }
        }
    }

    func computeResults(_ round: AssessmentRoundRecord, db: any SQLDatabase) async throws -> RoundResults {
        guard let version = try await Self.schemeVersion(round.schemeVersionID, db: db) else {
            throw RecordNotFound(objectType: "assessment_scheme_version", objectID: String(round.schemeVersionID))
        }
        let scheme = version.scheme
        let units = try await Self.units(round.id, db: db)
        let states = try await Self.sheetStates(round.id, db: db)
        let visible = scoresVisible(round, units: units, states: states)
        let changes = try await db.raw(
            "SELECT * FROM assessment_changes WHERE round_id = \(bind: round.id) ORDER BY id"
        ).all().map { r in
            AssessmentChange(
                organisationID: try r.value("organisation_id"), field: try r.value("field"), oldValue: try r.value("old_value"),
                newValue: try r.value("new_value"), reason: try r.value("reason"))
        }
        guard visible else { return RoundResults(round: round, scheme: scheme, rows: [], visible: false, incomplete: [], changes: changes) }
        let autoValues = try await Self.autoValues(round.id, db: db)
        // Every submitted sheet with its scores, and which indicators have evidence, in three queries for the round.
        let submitted = Dictionary(grouping: try await Self.submittedSheets(round.id, db: db), by: \.organisationID)
        let evidenced = try await Self.evidencedIndicators(round.id, db: db)
        let scale = round.parameters.gradeScale
        var computed: [(AssessmentUnitRecord, UnitResult, Int, Int, Bool, Score?, [String])] = []
        var incomplete: [String] = []
        let void = round.parameters.voidUniformSheets ? Self.uniformAssessors(submitted: submitted, units: units, scheme: scheme) : []
        for unit in units {
            // EVAL-07 (optional): an assessor whose sheets give every unit the same total, or full marks everywhere, is void.
            let site = (submitted[unit.organisationID] ?? []).filter { $0.stage == .site && !void.contains($0.assessorKey) }
            let evidence = evidenced[unit.organisationID] ?? []
            let sheets = site.map { sheet in
                ScoreSheet(
                    assessorID: sheet.assessorKey,
                    points: Dictionary(
                        uniqueKeysWithValues: sheet.scores.compactMap { code, stored -> (String, Score)? in
                            guard let indicator = scheme.indicator(code) else { return nil }
                            return (
                                code,
                                EvidenceRule.effective(
                                    stored.points, indicator: indicator, hasEvidence: evidence.contains(code),
                                    verifiedOnSite: stored.verifiedOnSite)
                            )
                        }))
            }
            let result = UnitScoring.result(
                scheme: scheme, category: unit.category, sheets: sheets, autoValues: autoValues[unit.organisationID] ?? [:], bonuses: unit.bonuses,
                deductions: unit.deductions, vetoes: unit.vetoes, trimMin: round.parameters.trimMin)
            let quorumMet = !unit.assessorIDs.isEmpty && site.count >= Self.quorum(assigned: unit.assessorIDs.count, parameters: round.parameters)
            if !quorumMet { incomplete.append(unit.name) }
            let selfSheet = submitted[unit.organisationID]?.first { $0.stage == .selfAssessment }
            var tooHigh: [String] = []
            if let selfSheet, let aggregation = result.aggregation {
                for (code, stored) in selfSheet.scores.sorted(by: { $0.key < $1.key }) {
                    guard let indicator = scheme.indicator(code), let mean = aggregation.indicatorMeans[code] else { continue }
                    if EvidenceRule.selfScoreTooHigh(
                        selfScore: stored.points, siteMean: mean, maxPoints: indicator.maxPoints, gapPercent: round.parameters.selfGapPercent)
                    {
                        tooHigh.append(code)
                    }
                }
            }
            computed.append(
                (unit, result, site.count, unit.assessorIDs.count, quorumMet, selfSheet.map { $0.scores.values.map(\.points).total() }, tooHigh))
        }
        // The score that ranks: the approved one after 审定, else the computed total.
        let finals = computed.map { $0.0.finalScore ?? $0.1.total }
        let entries = computed.enumerated().map { i, c in
            RankingEntry(
                id: c.0.organisationID, score: finals[i], heaviestStage: c.1.sitePart, penaltyCount: c.1.penaltyCount,
                medianSheet: c.1.aggregation?.median ?? .zero)
        }
        let ranked = Ranking.rank(entries)
        let vetoed = Set(computed.filter { $0.1.vetoed }.map { $0.0.organisationID })
        let grades = scale.grades(ranked, vetoed: vetoed)
        var rankOf: [Int64: RankedEntry<Int64>] = [:]
        for r in ranked { rankOf[r.entry.id] = r }
        var categoryRank: [Int64: Int] = [:]
        for category in Set(computed.map { $0.0.category ?? "" }) {
            let members = entries.filter { e in (computed.first { $0.0.organisationID == e.id }?.0.category ?? "") == category }
            for r in Ranking.rank(members) { categoryRank[r.entry.id] = r.rank }
        }
        let rows = computed.enumerated().map { i, c in
            let id = c.0.organisationID
            return UnitResultRow(
                unit: c.0, result: c.1, validSheets: c.2, assigned: c.3, quorumMet: c.4, selfTotal: c.5, selfTooHigh: c.6, finalScore: finals[i],
                grade: c.0.grade ?? grades[id] ?? "", passed: c.0.passed ?? scale.passes(finals[i], vetoed: c.1.vetoed), rank: rankOf[id]?.rank ?? 0,
                categoryRank: categoryRank[id] ?? 0, tieNote: rankOf[id]?.decidedBy?.displayName ?? (rankOf[id]?.isTied == true ? "并列" : nil))
        }.sorted { ($0.rank, $0.unit.organisationID) < ($1.rank, $1.unit.organisationID) }
        return RoundResults(round: round, scheme: scheme, rows: rows, visible: true, incomplete: incomplete, changes: changes)
    }

    /// Every submitted sheet of the round with its assessor's name (the .xlsx's 评分明细) — only once the scores are
    /// visible (EVAL-05); empty before.
    public func sheetDetails(
        roundID: Int64, access: OrganisationAccess
    ) async throws -> [(unit: AssessmentUnitRecord, assessor: String, sheet: AssessmentSheetRecord)] {
        try await database.read { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            let units = try await Self.units(roundID, db: db)
            let states = try await Self.sheetStates(roundID, db: db)
            guard scoresVisible(round, units: units, states: states) else { return [] }
            let panel = try await Self.panel(roundID, db: db)
            let byUnit = Dictionary(grouping: try await Self.submittedSheets(roundID, db: db), by: \.organisationID)
            var result: [(AssessmentUnitRecord, String, AssessmentSheetRecord)] = []
            for unit in units {
                for sheet in byUnit[unit.organisationID] ?? [] {
                    let name = sheet.assessorKey == 0 ? "单位自评" : panel.first { $0.userID == sheet.assessorKey }?.name ?? "用户 \(sheet.assessorKey)"
                    result.append((unit, name, sheet))
                }
            }
            return result
        }
    }

    // MARK: Helpers

    struct SheetKey: Hashable {
        var organisationID: Int64
        var stage: AssessmentStage
        var assessor: Int64
        init(_ organisationID: Int64, _ stage: AssessmentStage, _ assessor: Int64) {
            self.organisationID = organisationID
            self.stage = stage
            self.assessor = assessor
        }
    }

    static func sheetStates(_ roundID: Int64, db: any SQLDatabase) async throws -> [SheetKey: SheetState] {
        var states: [SheetKey: SheetState] = [:]
        for r in try await db.raw(
            "SELECT organisation_id, stage, assessor_key, state FROM assessment_sheets WHERE round_id = \(bind: roundID)"
        ).all() {
            guard let stage = AssessmentStage(rawValue: try r.value("stage")), let state = SheetState(rawValue: try r.value("state")) else {
                continue
            }
            states[SheetKey(try r.value("organisation_id"), stage, try r.value("assessor_key"))] = state
        }
        return states
    }

    /// Every submitted sheet of the round with its scores (two queries), ordered by unit, stage and assessor.
    /// EVAL-07 (optional): the assessors whose submitted site sheets (two or more units) all total the same, or are
    /// all full marks for their unit's sheet.
    static func uniformAssessors(submitted: [Int64: [AssessmentSheetRecord]], units: [AssessmentUnitRecord], scheme: IndicatorScheme) -> Set<Int64> {
        var byAssessor: [Int64: [(total: Score, maximum: Score)]] = [:]
        for unit in units {
            let maximum = scheme.sheetIndicators(category: unit.category).filter { $0.source != .auto }.map(\.maxPoints).total()
            for sheet in submitted[unit.organisationID] ?? [] where sheet.stage == .site {
                byAssessor[sheet.assessorKey, default: []].append((sheet.scores.values.map(\.points).total(), maximum))
            }
        }
        return Set(byAssessor.filter { StageQuorum.isUniformSheetSet($0.value) }.keys)
    }

    static func submittedSheets(_ roundID: Int64, db: any SQLDatabase) async throws -> [AssessmentSheetRecord] {
        var scores: [Int64: [String: StoredScore]] = [:]
        for s in try await db.raw(
            """
            SELECT c.* FROM assessment_scores c JOIN assessment_sheets h ON h.id = c.sheet_id
            WHERE h.round_id = \(bind: roundID) AND h.state = \(bind: SheetState.submitted.rawValue)
            """
        ).all() {
            scores[try s.value("sheet_id"), default: [:]][try s.value("indicator_code")] = StoredScore(
                points: Score(micro: try s.value("points_micro")), entered: try s.value("entered"), note: try s.value("note"),
                verifiedOnSite: (try s.value("verified_on_site", Int64.self)) != 0)
        }
        return try await db.raw(
            """
            SELECT * FROM assessment_sheets WHERE round_id = \(bind: roundID) AND state = \(bind: SheetState.submitted.rawValue)
            ORDER BY organisation_id, stage, assessor_key
            """
        ).all().compactMap { r in
            let id: Int64 = try r.value("id")
            guard let stage = AssessmentStage(rawValue: try r.value("stage")) else { return nil }
            return AssessmentSheetRecord(
                id: id, roundID: roundID, organisationID: try r.value("organisation_id"), stage: stage, assessorKey: try r.value("assessor_key"),
                state: .submitted, submittedAt: try r.optional("submitted_at"), version: try r.value("version"), scores: scores[id] ?? [:])
        }
    }

    /// The indicators each unit has evidence for (ASSESS-04).
    static func evidencedIndicators(_ roundID: Int64, db: any SQLDatabase) async throws -> [Int64: Set<String>] {
        var result: [Int64: Set<String>] = [:]
        for r in try await db.raw("SELECT DISTINCT organisation_id, indicator_code FROM assessment_evidence WHERE round_id = \(bind: roundID)").all()
        {
            result[try r.value("organisation_id"), default: []].insert(try r.value("indicator_code"))
        }
        return result
    }

    /// EVAL-05: scores show once every assigned site sheet is in, the site window has closed, or the round is approved.
    func scoresVisible(_ round: AssessmentRoundRecord, units: [AssessmentUnitRecord], states: [SheetKey: SheetState]) -> Bool {
        round.state == .approved || today > round.timetable.siteCloses
            || units.allSatisfy { u in u.assessorIDs.allSatisfy { states[SheetKey(u.organisationID, .site, $0)] == .submitted } }
    }

    static func autoValues(_ roundID: Int64, db: any SQLDatabase) async throws -> [Int64: [String: Score]] {
        var result: [Int64: [String: Score]] = [:]
        for r in try await db.raw(
            "SELECT organisation_id, indicator_code, points_micro FROM assessment_auto_values WHERE round_id = \(bind: roundID)"
        ).all() {
            result[try r.value("organisation_id"), default: [:]][try r.value("indicator_code")] = Score(micro: try r.value("points_micro"))
        }
        return result
    }

    static func quorum(assigned: Int, parameters: EvaluationParameters) -> Int {
        StageQuorum.minimumValid(assigned: assigned, percent: parameters.quorumPercent)
    }
}
