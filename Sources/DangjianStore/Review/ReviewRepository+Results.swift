public import DangjianDomain
import SQLKit

/// A change the committee makes to one reporter's combined result (REVIEW-06).
public struct ReviewAdjustment: Sendable {
    public var reporterID: Int64
    public var score: Score
    public var reason: String
    public init(reporterID: Int64, score: Score, reason: String) {
        self.reporterID = reporterID
        self.score = score
        self.reason = reason
    }
}

/// One item of a reporter's rectification lists (REVIEW-07, 平谷 "三张清单").
public enum ReviewListKind: String, Sendable, CaseIterable {
    case problem = "problem"
    case responsibility = "responsibility"
    case rectification = "rectification"

    public var displayName: String {
        switch self {
        case .problem: "问题清单"
        case .responsibility: "责任清单"
        case .rectification: "整改清单"
        }
    }
}

/// What the committee sees of one reporter before it confirms (REVIEW-08).
public struct ReviewInputs: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var value: String
        /// Not yet available in the platform (the capability comes later).
        public var pending: Bool
    }
    public var lines: [Line]
    /// Problems of the organisation found before this round's year and still open ("上年度未整改问题").
    public var openProblems: [String]

    public init(lines: [Line], openProblems: [String]) {
        self.lines = lines
        self.openProblems = openProblems
    }
}

/// The committee's 综合评价 (REVIEW-06), the rectification lists (REVIEW-07) and the inputs page (REVIEW-08).
extension ReviewRepository {
    /// Confirms the round: every reporter's ballot closed; the combined score is ballot × weight + assessment ×
    /// weight (REVIEW-06) and its band; an adjustment needs a reason and keeps both values.
    public func confirm(
        roundID: Int64, adjustments: [ReviewAdjustment], expectedVersion: Int64, access: OrganisationAccess, actor: Actor
    ) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            guard round.version == expectedVersion else { throw EditConflict(objectType: "review_round", objectID: roundID) }
            let reporters = try await reporters(round, db: db)
            var problems: [ValidationFailure] = []
            for r in reporters where !r.closed {
                problems.append(ValidationFailure(field: "reporter_\(r.id)", message: "“\(r.name)”的测评尚未结束", ruleID: RuleID.review05.code))
            }
            for r in reporters where r.closed && r.outcome.combined == nil {
                problems.append(
                    ValidationFailure(
                        field: "reporter_\(r.id)", message: "“\(r.name)”：\(r.outcome.missing ?? "无法计算综合得分")", ruleID: RuleID.review06.code))
            }
            var adjusted: [Int64: (Score, String)] = [:]
            for a in adjustments {
                guard let r = reporters.first(where: { $0.id == a.reporterID }) else {
                    problems.append(ValidationFailure(field: "adjust_\(a.reporterID)", message: "述职人（编号 \(a.reporterID)）不在本次述职评议中"))
                    continue
                }
                guard let combined = r.outcome.combined, a.score != combined else { continue }
                let reason = a.reason.trimmingCharacters(in: .whitespacesAndNewlines)
                if reason.isEmpty || reason.count > 500 {
                    problems.append(
                        ValidationFailure(
                            field: "reason_\(r.id)", message: "“\(r.name)”的确定得分与计算得分不同，须写明理由（不超过 500 个字）", ruleID: RuleID.review06.code))
                }
                if a.score < .zero || a.score > Score.hundred {
                    problems.append(ValidationFailure(field: "adjust_\(r.id)", message: "“\(r.name)”的确定得分应在 0–100 分之间", ruleID: RuleID.review06.code))
                }
                adjusted[r.id] = (a.score, reason)
            }
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            for r in reporters {
                guard let combined = r.outcome.combined else { continue }
                let final = adjusted[r.id]?.0 ?? combined
                try await db.raw(
                    """
                    UPDATE review_reporters SET combined_micro = \(bind: combined.micro), final_micro = \(bind: final.micro),
                        grade = \(bind: GradeScale.reviewDefault.grade(final)), adjust_reason = \(bind: adjusted[r.id]?.1), version = version + 1
                    WHERE id = \(bind: r.id)
                    """
                ).run()
            }
            try await db.raw(
                """
                UPDATE review_rounds SET state = \(bind: ReviewRoundState.confirmed.rawValue), confirmed_at = \(bind: now), ballot_nonce = NULL,
                    version = version + 1
                WHERE id = \(bind: roundID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "确定述职评议综合评价“\(round.name)”：\(reporters.count) 名书记，调整 \(adjusted.count) 名"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Issues a reporter's list items as problems in the 三单一账 loop (REVIEW-07, EVAL-13), due by `deadline`
    /// (def. before the next review: 31 October of the following year). Returns the problems' ids.
    @discardableResult
    public func issueRectification(
        reporterID: Int64, items: [(kind: ReviewListKind, text: String)], deadline: CivilDate?, access: OrganisationAccess, actor: Actor
    ) async throws -> [Int64] {
        let items = items.map { ($0.kind, $0.text.trimmingCharacters(in: .whitespacesAndNewlines)) }.filter { !$0.1.isEmpty }
        guard !items.isEmpty, items.count <= 50 else {
            throw ValidationFailure(field: "items", message: "请填写 1–50 条整改事项（每行一条）", ruleID: RuleID.review07.code)
        }
        if let long = items.first(where: { $0.1.count > 500 }) {
            throw ValidationFailure(field: "items", message: "整改事项“\(long.1.prefix(20))…”超过 500 个字", ruleID: RuleID.review07.code)
        }
        let day = today
        return try await database.write { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            let due = deadline ?? CivilDate(year: round.year + 1, month: 10, day: 31) ?? day.adding(days: 300)
            guard due > day else {
                throw ValidationFailure(field: "deadline", message: "整改期限应晚于今天（\(day)）", ruleID: RuleID.review07.code)
            }
            let name: String = try row.value("name")
            let organisationID: Int64 = try row.value("organisation_id")
            var ids: [Int64] = []
            for (kind, text) in items {
                let id = try await problems.insert(
                    ProblemDraft(
                        organisationID: organisationID, source: .review, category: "述职评议",
                        description: "【\(round.name)·\(kind.displayName)】\(name)：\(text)（\(RuleID.review07.code)）", foundOn: day, deadline: due),
                    visitID: nil, access: .maintenance, actor: actor, db: db)
                try await db.raw(
                    "INSERT INTO review_problems (reporter_id, problem_id, list_kind) VALUES (\(bind: reporterID), \(bind: id), \(bind: kind.rawValue))"
                ).run()
                ids.append(id)
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "review_reporter", objectID: String(reporterID), organisationID: organisationID,
                    summary: "下达述职评议整改事项 \(ids.count) 条：\(name)（\(round.name)），\(due) 前完成"),
                by: actor, in: db, dialect: database.dialect)
            return ids
        }
    }

    /// The reporter's issued items: list kind, problem id, description, state.
    public func rectification(
        reporterID: Int64, access: OrganisationAccess
    ) async throws -> [(kind: ReviewListKind, problemID: Int64, text: String, state: String)] {
        try await database.read { db in
            _ = try await Self.organisedReporter(reporterID, access: access, db: db)
            return try await db.raw(
                """
                SELECT rp.list_kind, p.id, p.description, p.state FROM review_problems rp JOIN problems p ON p.id = rp.problem_id
                WHERE rp.reporter_id = \(bind: reporterID) ORDER BY p.id
                """
            ).all().map {
                (
                    ReviewListKind(rawValue: try $0.value("list_kind")) ?? .problem, try $0.value("id"), try $0.value("description"),
                    ProblemState(rawValue: try $0.value("state"))?.displayName ?? ""
                )
            }
        }
    }

    /// REVIEW-08: the assessment result (when combined), duty-list stars and organisational life of the year, the
    /// problems still open from before the year; 擂台赛 (COMP-13), 双报到 (VOL-10) and learning (LEARN-06) are shown
    /// as pending until those capabilities exist.
    public func inputs(reporterID: Int64, access: OrganisationAccess) async throws -> ReviewInputs {
        let day = today
        return try await database.read { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            let organisationID: Int64 = try row.value("organisation_id")
            var lines: [ReviewInputs.Line] = []
            if let assessmentID = round.assessmentRoundID,
                let a = try await db.raw(
                    """
                    SELECT u.final_micro, u.grade, u.rank_overall, r.name FROM assessment_units u JOIN assessment_rounds r ON r.id = u.round_id
                    WHERE u.round_id = \(bind: assessmentID) AND u.organisation_id = \(bind: organisationID)
                    """
                ).first()
            {
                let value =
                    try a.optional("final_micro", Int64.self).map {
                        "\(Score(micro: $0)) 分，\(try a.optional("grade", String.self) ?? "")，第 \(try a.optional("rank_overall", Int64.self) ?? 0) 名"
                    } ?? "尚未审定"
                lines.append(.init(label: "年度考评（\(try a.value("name", String.self))）", value: value, pending: false))
            } else {
                lines.append(.init(label: "年度考评", value: "本次述职评议未关联年度考评", pending: true))
            }
            let rules = try await RuleBookRepository.inForce(in: database, on: day)
            let standings = try await DutyListRepository.standings(
                organisationIDs: [organisationID], years: [round.year], today: day, rules: rules, db: db)
            let months = (standings[organisationID] ?? []).flatMap(\.months).filter { $0.due > 0 }
            lines.append(
                .init(
                    label: "责任清单履职（贴星）",
                    value: months.isEmpty ? "本年度无责任清单" : "\(months.filter(\.star).count) 颗星 / 有任务的月份 \(months.count) 个", pending: false))
            let held =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM meetings WHERE organisation_id = \(bind: organisationID) AND held_on >= \(bind: "\(round.year)-01-01")
                      AND held_on <= \(bind: "\(round.year)-12-31")
                    """
                ).first()?.value("n", Int.self) ?? 0
            lines.append(.init(label: "组织生活（本年度已记录活动）", value: "\(held) 次", pending: false))
            for (label, rule) in [("擂台赛成绩", RuleID.comp13), ("在职党员进社区报到（双报到）", RuleID.vol10), ("学习情况（码上学）", RuleID.learn06)] {
                lines.append(.init(label: "\(label)（\(rule.code)）", value: "该功能上线后自动显示", pending: true))
            }
            let open = try await db.raw(
                """
                SELECT description FROM problems WHERE organisation_id = \(bind: organisationID) AND closed_on IS NULL
                  AND found_on < \(bind: "\(round.year)-01-01") ORDER BY deadline LIMIT 20
                """
            ).all().map { try $0.value("description", String.self) }
            return ReviewInputs(lines: lines, openProblems: open)
        }
    }
}
