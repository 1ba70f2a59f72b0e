public import DangjianDomain
import SQLKit

/// An adjustment the committee makes to one unit in 综合审定.
public struct ApprovalAdjustment: Sendable {
    public var organisationID: Int64
    public var score: Score
    public var reason: String
    public init(organisationID: Int64, score: Score, reason: String) {
        self.organisationID = organisationID
        self.score = score
        self.reason = reason
    }
}

/// 综合审定 (ASSESS-03) and what follows it: grades, ranks and 达标 fixed, the lagging units' problems (ASSESS-08).
extension AssessmentRepository {
    /// 综合审定 (ASSESS-03): refuses while a unit lacks its quorum (EVAL-07); an adjustment needs a reason and keeps
    /// both values; grades, ranks and 达标 are fixed; lagging units (ASSESS-08: below the pass mark, vetoed, or in the
    /// bottom k) get one problem per indicator below the threshold share of its maximum, due after `problemDueDays`,
    /// in the existing 三单一账 loop (EVAL-13).
    public func approve(
        roundID: Int64, adjustments: [ApprovalAdjustment], expectedVersion: Int64, access: OrganisationAccess, actor: Actor
    ) async throws -> RoundResults {
        let now = clock.now().epochSeconds
        let day = today
        return try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            guard round.version == expectedVersion else { throw EditConflict(objectType: "assessment_round", objectID: roundID) }
            let results = try await computeResults(round, db: db)
            guard results.visible else {
                throw ValidationFailure(field: "round", message: "实地考评尚未结束，评分表未全部提交，不能审定", ruleID: RuleID.eval05.code)
            }
            guard results.incomplete.isEmpty else {
                throw ValidationFailure(
                    field: "round", message: "以下单位有效评分表不足，须延长考评或增加评审人员后再审定：\(results.incomplete.joined(separator: "、"))",
                    ruleID: RuleID.eval07.code)
            }
            var problems: [ValidationFailure] = []
            var adjusted: [Int64: Score] = [:]
            for a in adjustments {
                guard let row = results.rows.first(where: { $0.unit.organisationID == a.organisationID }) else {
                    problems.append(ValidationFailure(field: "adjust_\(a.organisationID)", message: "单位（编号 \(a.organisationID)）不在本轮考评中"))
                    continue
                }
                if a.score == row.result.total { continue }
                if a.reason.trimmed.isEmpty || a.reason.count > 500 {
                    problems.append(
                        ValidationFailure(
                            field: "reason_\(a.organisationID)", message: "“\(row.unit.name)”的审定得分与计算得分不同，须写明理由（不超过 500 个字）",
                            ruleID: RuleID.assess03.code))
                }
                if a.score < .zero || a.score > Score(hundredths: Int64(round.parameters.baseTotalHundredths + round.parameters.bonusCapHundredths)) {
                    problems.append(
                        ValidationFailure(field: "adjust_\(a.organisationID)", message: "“\(row.unit.name)”的审定得分超出范围", ruleID: RuleID.assess03.code))
                }
                adjusted[a.organisationID] = a.score
            }
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            // Store the computed and final values, then rank and grade on the finals.
            for row in results.rows {
                let final = adjusted[row.unit.organisationID] ?? row.result.total
                try await db.raw(
                    """
                    UPDATE assessment_units SET computed_micro = \(bind: row.result.total.micro), final_micro = \(bind: final.micro), version = version + 1
                    WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: row.unit.organisationID)
                    """
                ).run()
                if let value = adjusted[row.unit.organisationID],
                    let reason = adjustments.first(where: { $0.organisationID == row.unit.organisationID })?.reason
                {
                    try await db.raw(
                        """
                        INSERT INTO assessment_changes (round_id, organisation_id, field, old_value, new_value, reason, recorded_by, recorded_at)
                        VALUES (\(bind: roundID), \(bind: row.unit.organisationID), 'final_score', \(bind: row.result.total.description),
                            \(bind: value.description), \(bind: reason.trimmed), \(bind: actor.userID), \(bind: now))
                        """
                    ).run()
                }
            }
            let ranked = try await computeResults(round, db: db)
            let bottom = Set(ranked.rows.suffix(round.parameters.laggingBottomK).map(\.unit.organisationID))
            var issued = 0
            for row in ranked.rows {
                try await db.raw(
                    """
                    UPDATE assessment_units SET grade = \(bind: row.grade), passed = \(bind: row.passed ? 1 : 0), rank_overall = \(bind: row.rank),
                        rank_category = \(bind: row.categoryRank), approved_at = \(bind: now)
                    WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: row.unit.organisationID)
                    """
                ).run()
                let lagging = !row.passed || row.result.vetoed || bottom.contains(row.unit.organisationID)
                guard lagging else { continue }
                for indicator in ranked.scheme.indicators where indicator.applies(to: row.unit.category) {
                    let value = row.result.indicatorValues[indicator.code] ?? .zero
                    guard value < indicator.maxPoints.weighted(percent: round.parameters.laggingIndicatorPercent) else { continue }
                    let problemID = try await self.problems.insert(
                        ProblemDraft(
                            organisationID: row.unit.organisationID, source: .assessment, category: "考评验收",
                            description:
                                "【\(round.name)】\(indicator.label)得 \(value) 分，低于该项分值的 \(round.parameters.laggingIndicatorPercent)%，限期达标（\(RuleID.assess08.code)）",
                            foundOn: day, deadline: day.adding(days: round.parameters.problemDueDays)),
                        visitID: nil, access: .maintenance, actor: actor, db: db)
                    try await db.raw(
                        """
                        INSERT INTO assessment_problems (round_id, organisation_id, indicator_code, problem_id)
                        VALUES (\(bind: roundID), \(bind: row.unit.organisationID), \(bind: indicator.code), \(bind: problemID))
                        """
                    ).run()
                    issued += 1
                }
            }
            // EVAL-11: publicity starts the day after 审定; the first publication lists every line.
            let calendar = try await HolidayCalendarRepository.load(db)
            let ends = ResultPublicity.ends(approvedOn: day, workingDays: round.parameters.publicityWorkingDays, calendar: calendar)
            try await db.raw(
                """
                UPDATE assessment_rounds SET state = \(bind: AssessmentRoundState.approved.rawValue), approved_at = \(bind: now),
                    publicity_ends = \(bind: ends.description), version = version + 1
                WHERE id = \(bind: roundID)
                """
            ).run()
            try await publish(Self.publishedLines(ranked), correction: false, roundID: roundID, actor: actor, now: now, db: db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "综合审定“\(round.name)”：\(ranked.rows.count) 个单位，调整 \(adjusted.count) 个，下达整改问题 \(issued) 个"),
                by: actor, in: db, dialect: database.dialect)
            return try await computeResults(try await Self.organisedRound(roundID, access: access, db: db), db: db)
        }
    }
}
