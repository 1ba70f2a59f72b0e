public import DangjianDomain
import SQLKit

/// A written request for review (复核, EVAL-12) and its answer.
public struct AssessmentAppeal: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var unit: String
    public var reason: String
    public var filedOn: CivilDate
    public var replyDue: CivilDate
    public var outcome: AppealOutcome?
    public var reply: String?
    public var oldScore: Score?
    public var newScore: Score?
}

/// One publication of a round's results: the first (every line) or a correction (only the changed lines).
public struct AssessmentPublication: Sendable, Equatable {
    public var id: Int64
    public var correction: Bool
    public var lines: [PublishedLine]
    public var publishedAt: Int64
}

/// A 复验 (ASSESS-08): the indicators rescored with old and new values, the rechecked total and whether it passes.
public struct AssessmentRecheck: Sendable, Equatable {
    public var organisationID: Int64
    public var scores: [String: [Score]]
    public var total: Score
    public var passed: Bool
}

/// 公示 and 复核 (EVAL-11/12) after 综合审定, and the 复验 of a lagging unit once its problems are 销号 (ASSESS-08).
extension AssessmentRepository {
    /// The last day of publicity (EVAL-11), set at 审定; nil before.
    static func publicityEnds(_ roundID: Int64, db: any SQLDatabase) async throws -> CivilDate? {
        try await db.raw("SELECT publicity_ends FROM assessment_rounds WHERE id = \(bind: roundID)").first()?
            .optional("publicity_ends", String.self).flatMap(CivilDate.init(iso:))
    }

    static func publishedLines(_ results: RoundResults) -> [PublishedLine] {
        results.rows.map {
            PublishedLine(
                organisationID: $0.unit.organisationID, name: $0.unit.name, score: $0.finalScore.description, grade: $0.grade, rank: $0.rank,
                passed: $0.passed)
        }
    }

    /// Stores grades, 达标 and ranks of every unit as `computeResults` gives them now.
    func storeStandings(_ results: RoundResults, roundID: Int64, db: any SQLDatabase) async throws {
        for row in results.rows {
            try await db.raw(
                """
                UPDATE assessment_units SET grade = \(bind: row.grade), passed = \(bind: row.passed ? 1 : 0), rank_overall = \(bind: row.rank),
                    rank_category = \(bind: row.categoryRank)
                WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: row.unit.organisationID)
                """
            ).run()
        }
    }

    func publish(_ lines: [PublishedLine], correction: Bool, roundID: Int64, actor: Actor, now: Int64, db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO assessment_publications (round_id, kind, lines, published_by, published_at)
            VALUES (\(bind: roundID), \(bind: correction ? "correction" : "initial"), \(bind: try Self.json(lines)), \(bind: actor.userID), \(bind: now))
            """
        ).run()
    }

    /// The round's publicity: its last day, whether the results are final, the requests and the publications.
    public func publicity(
        roundID: Int64, access: OrganisationAccess
    ) async throws -> (
        ends: CivilDate?, final: Bool, appeals: [AssessmentAppeal], publications: [AssessmentPublication], rechecks: [AssessmentRecheck]
    ) {
        let day = today
        return try await database.read { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            return try await publicity(round, today: day, db: db)
        }
    }

    /// The same for the unit itself: its own requests only, the publications (names, grades, scores — no persons).
    public func unitPublicity(
        roundID: Int64, organisationID: Int64, unitAccess: OrganisationAccess
    ) async throws -> (
        ends: CivilDate?, final: Bool, appeals: [AssessmentAppeal]
    )? {
        let day = today
        return try await database.read { db in
            guard let round = try await Self.round(roundID, db: db), round.state == .approved,
                try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil
            else { return nil }
            let all = try await publicity(round, today: day, db: db)
            return (all.ends, all.final, all.appeals.filter { $0.organisationID == organisationID })
        }
    }

    func publicity(
        _ round: AssessmentRoundRecord, today: CivilDate, db: any SQLDatabase
    ) async throws -> (
        ends: CivilDate?, final: Bool, appeals: [AssessmentAppeal], publications: [AssessmentPublication], rechecks: [AssessmentRecheck]
    ) {
        let ends = try await Self.publicityEnds(round.id, db: db)
        let appeals = try await db.raw(
            """
            SELECT a.*, o.name FROM assessment_appeals a JOIN organisations o ON o.id = a.organisation_id
            WHERE a.round_id = \(bind: round.id) ORDER BY a.id
            """
        ).all().map { r in
            AssessmentAppeal(
                id: try r.value("id"), organisationID: try r.value("organisation_id"), unit: try r.value("name"), reason: try r.value("reason"),
                filedOn: CivilDate(iso: try r.value("filed_on")) ?? today, replyDue: CivilDate(iso: try r.value("reply_due")) ?? today,
                outcome: try r.optional("outcome", String.self).flatMap(AppealOutcome.init(rawValue:)), reply: try r.optional("reply"),
                oldScore: try r.optional("old_micro", Int64.self).map(Score.init(micro:)),
                newScore: try r.optional("new_micro", Int64.self).map(Score.init(micro:)))
        }
        let publications = try await db.raw("SELECT * FROM assessment_publications WHERE round_id = \(bind: round.id) ORDER BY id").all().map { r in
            AssessmentPublication(
                id: try r.value("id"), correction: try r.value("kind", String.self) == "correction",
                lines: try Self.decode([PublishedLine].self, try r.value("lines")), publishedAt: try r.value("published_at"))
        }
        let rechecks = try await db.raw("SELECT * FROM assessment_rechecks WHERE round_id = \(bind: round.id) ORDER BY id").all().map { r in
            AssessmentRecheck(
                organisationID: try r.value("organisation_id"), scores: try Self.decode([String: [Score]].self, try r.value("scores")),
                total: Score(micro: try r.value("total_micro")), passed: try r.value("passed", Int64.self) != 0)
        }
        let open = appeals.filter { $0.outcome == nil }.count
        return (ends, ResultPublicity.isFinal(today: today, publicityEnds: ends, openRequests: open), appeals, publications, rechecks)
    }

    /// The lagging units' problems from this round (ASSESS-08) with their states, for the 复验.
    public func laggingProblems(
        roundID: Int64, access: OrganisationAccess
    ) async throws -> [(
        organisationID: Int64, name: String, problems: [(indicator: String, label: String, state: ProblemState)]
    )] {
        try await database.read { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            let scheme = try await Self.schemeVersion(round.schemeVersionID, db: db)?.scheme
            var result: [(Int64, String, [(String, String, ProblemState)])] = []
            for r in try await db.raw(
                """
                SELECT ap.organisation_id, o.name, ap.indicator_code, p.state FROM assessment_problems ap JOIN problems p ON p.id = ap.problem_id
                JOIN organisations o ON o.id = ap.organisation_id WHERE ap.round_id = \(bind: roundID) ORDER BY o.sort_order, o.id, ap.indicator_code
                """
            ).all() {
                let id: Int64 = try r.value("organisation_id")
                let code: String = try r.value("indicator_code")
                let line = (code, scheme?.indicators.first { $0.code == code }?.label ?? code, ProblemState(rawValue: try r.value("state")) ?? .found)
                if result.last?.0 == id { result[result.count - 1].2.append(line) } else { result.append((id, try r.value("name"), [line])) }
            }
            return result.map { ($0.0, $0.1, $0.2.map { (indicator: $0.0, label: $0.1, state: $0.2) }) }
        }
    }

    /// The round's name for a unit inside `unitAccess` (its result page); `RecordNotFound` otherwise.
    public func round(_ roundID: Int64, unitAccess: OrganisationAccess, organisationID: Int64) async throws -> AssessmentRoundRecord {
        try await database.read { db in
            guard let round = try await Self.round(roundID, db: db), try await Self.unit(roundID, organisationID: organisationID, db: db) != nil,
                try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil
            else { throw RecordNotFound(objectType: "assessment_round", objectID: String(roundID)) }
            return round
        }
    }

    /// A unit's written request for review (EVAL-12), until publicity ends; one open request per unit.
    public func fileAppeal(roundID: Int64, organisationID: Int64, reason: String, unitAccess: OrganisationAccess, actor: Actor) async throws {
        let day = today
        try await database.write { db in
            let calendar = try await HolidayCalendarRepository.load(db)
            guard let round = try await Self.round(roundID, db: db),
                let unit = try await Self.units(roundID, only: organisationID, db: db).first,
                try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil
            else { throw RecordNotFound(objectType: "assessment_unit", objectID: String(organisationID)) }
            guard round.state == .approved,
                let ends = try await Self.publicityEnds(roundID, db: db)
            else {
                throw ValidationFailure(field: "reason", message: "考评结果尚未审定公示，不能申请复核", ruleID: RuleID.eval12.code)
            }
            if let refusal = ResultPublicity.appealRefusal(on: day, publicityEnds: ends, reason: reason) { throw refusal }
            let due = ResultPublicity.replyDue(filedOn: day, workingDays: round.parameters.appealReplyWorkingDays, calendar: calendar)
            let inserted = try await db.raw(
                """
                INSERT INTO assessment_appeals (round_id, organisation_id, reason, filed_on, reply_due, filed_by, old_micro, open_marker)
                VALUES (\(bind: roundID), \(bind: organisationID), \(bind: reason.trimmed), \(bind: day.description), \(bind: due.description),
                    \(bind: actor.userID), \(bind: unit.finalScore?.micro), 1)
                ON CONFLICT (round_id, organisation_id, open_marker) DO NOTHING RETURNING id
                """
            ).first()
            guard let id = try inserted?.value("id", Int64.self) else {
                throw ValidationFailure(field: "reason", message: "“\(unit.name)”已有待答复的复核申请", ruleID: RuleID.eval12.code)
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_appeal", objectID: String(id), organisationID: organisationID,
                    summary: "申请复核“\(round.name)”的考评结果，\(due) 前答复"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The committee's answer (EVAL-12): 维持, or 更正 with the new score — then every unit is re-ranked and graded,
    /// and a correction publication lists only the lines that changed. Both scores stay on the request and in the
    /// round's changes.
    public func answerAppeal(
        appealID: Int64, outcome: AppealOutcome, correctedScore: Score?, reply: String, access: OrganisationAccess, actor: Actor
    ) async throws {
        let now = clock.now().epochSeconds
        let day = today
        let reply = reply.trimmed
        guard !reply.isEmpty, reply.count <= 2000 else {
            throw ValidationFailure(field: "reply", message: "请写明复核意见（不超过 2000 个字）", ruleID: RuleID.eval12.code)
        }
        try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM assessment_appeals WHERE id = \(bind: appealID)").first() else {
                throw RecordNotFound(objectType: "assessment_appeal", objectID: String(appealID))
            }
            let round = try await Self.organisedRound(try row.value("round_id"), access: access, db: db)
            guard try row.optional("outcome", String.self) == nil else {
                throw ValidationFailure(field: "reply", message: "该复核申请已答复", ruleID: RuleID.eval12.code)
            }
            let organisationID: Int64 = try row.value("organisation_id")
            let before = try await computeResults(round, db: db)
            guard let current = before.rows.first(where: { $0.unit.organisationID == organisationID }) else {
                throw RecordNotFound(objectType: "assessment_unit", objectID: String(organisationID))
            }
            var newScore: Score?
            if outcome == .corrected {
                let limit = Score(hundredths: Int64(round.parameters.baseTotalHundredths + round.parameters.bonusCapHundredths))
                guard let score = correctedScore, score >= .zero, score <= limit else {
                    throw ValidationFailure(field: "score", message: "更正时请填写 0–\(limit.plain) 分之间的更正后得分", ruleID: RuleID.eval12.code)
                }
                newScore = score
                try await db.raw(
                    """
                    UPDATE assessment_units SET final_micro = \(bind: score.micro), version = version + 1
                    WHERE round_id = \(bind: round.id) AND organisation_id = \(bind: organisationID)
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO assessment_changes (round_id, organisation_id, field, old_value, new_value, reason, recorded_by, recorded_at)
                    VALUES (\(bind: round.id), \(bind: organisationID), 'final_score', \(bind: current.finalScore.description), \(bind: score.description),
                        \(bind: "复核更正：\(reply)"), \(bind: actor.userID), \(bind: now))
                    """
                ).run()
                // Grades and 达标 are recomputed for every unit (the stored ones are what the last publication said).
                try await db.raw("UPDATE assessment_units SET grade = NULL, passed = NULL WHERE round_id = \(bind: round.id)").run()
                let after = try await computeResults(round, db: db)
                try await storeStandings(after, roundID: round.id, db: db)
                let changed = ResultPublicity.changedLines(before: Self.publishedLines(before), after: Self.publishedLines(after))
                try await publish(changed, correction: true, roundID: round.id, actor: actor, now: now, db: db)
            }
            try await db.raw(
                """
                UPDATE assessment_appeals SET outcome = \(bind: outcome.rawValue), reply = \(bind: reply), new_micro = \(bind: newScore?.micro),
                    replied_by = \(bind: actor.userID), replied_on = \(bind: day.description), open_marker = NULL
                WHERE id = \(bind: appealID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_appeal", objectID: String(appealID), organisationID: organisationID,
                    summary: "答复复核申请：\(outcome.displayName)（\(round.name)）",
                    changes: newScore.map { [FieldChange(field: "final_score", old: current.finalScore.description, new: $0.description)] } ?? []),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// 复验 (ASSESS-08): refused while any of the unit's problems from this round is not 销号; the given indicators
    /// are rescored (each checked by EVAL-02), the rechecked total is the approved score with them replaced, and it
    /// passes at the round's pass mark.
    @discardableResult
    public func recheck(
        roundID: Int64, organisationID: Int64, scores: [String: String], access: OrganisationAccess, actor: Actor
    ) async throws -> AssessmentRecheck {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .approved else {
                throw ValidationFailure(field: "recheck", message: "考评尚未审定，不能复验", ruleID: RuleID.assess08.code)
            }
            let results = try await computeResults(round, db: db)
            guard let row = results.rows.first(where: { $0.unit.organisationID == organisationID }) else {
                throw RecordNotFound(objectType: "assessment_unit", objectID: String(organisationID))
            }
            let problems = try await db.raw(
                """
                SELECT p.description, p.state, ap.indicator_code FROM assessment_problems ap JOIN problems p ON p.id = ap.problem_id
                WHERE ap.round_id = \(bind: roundID) AND ap.organisation_id = \(bind: organisationID)
                """
            ).all()
            guard !problems.isEmpty else {
                throw ValidationFailure(field: "recheck", message: "“\(row.unit.name)”没有限期达标的问题，无需复验", ruleID: RuleID.assess08.code)
            }
            let open = try problems.filter { try $0.value("state", String.self) != ProblemState.closed.rawValue }.map {
                try $0.value("description", String.self)
            }
            if let refusal = Recheck.refusal(unit: row.unit.name, openProblems: open) { throw refusal }
            let affected = Set(try problems.map { try $0.value("indicator_code", String.self) })
            var changes: [(old: Score, new: Score)] = []
            var stored: [String: [Score]] = [:]
            var failures: [ValidationFailure] = []
            for code in affected.sorted() {
                guard let indicator = results.scheme.indicators.first(where: { $0.code == code }) else { continue }
                do {
                    guard let input = try IndicatorScoring.input(scores[code] ?? "", for: indicator) else {
                        failures.append(
                            ValidationFailure(field: "score_\(code)", message: "请填写“\(indicator.label)”的复验得分", ruleID: RuleID.assess08.code))
                        continue
                    }
                    let value = try IndicatorScoring.score(indicator, input)
                    let old = row.result.indicatorValues[code] ?? .zero
                    changes.append((old, value))
                    stored[code] = [old, value]
                } catch let failure as ValidationFailure { failures.append(failure) }
            }
            guard failures.isEmpty else { throw ValidationProblems(problems: failures) }
            let total = Recheck.total(approved: row.finalScore, changes: changes)
            let passed = total.rounded >= Score(hundredths: Int64(round.parameters.passMarkHundredths)) && !row.result.vetoed
            try await db.raw(
                """
                INSERT INTO assessment_rechecks (round_id, organisation_id, scores, total_micro, passed, recorded_by, recorded_at)
                VALUES (\(bind: roundID), \(bind: organisationID), \(bind: try Self.json(stored)), \(bind: total.micro), \(bind: passed ? 1 : 0),
                    \(bind: actor.userID), \(bind: now))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_recheck", objectID: String(roundID), organisationID: organisationID,
                    summary: "复验“\(row.unit.name)”（\(round.name)）：\(total) 分，\(passed ? "达标" : "仍未达标")"),
                by: actor, in: db, dialect: database.dialect)
            return AssessmentRecheck(organisationID: organisationID, scores: stored, total: total, passed: passed)
        }
    }
}
