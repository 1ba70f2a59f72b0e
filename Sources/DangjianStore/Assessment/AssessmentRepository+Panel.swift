public import DangjianDomain
import SQLKit

/// A member of a round's panel (评审组, EVAL-03).
public struct PanelMemberRecord: Sendable, Equatable {
    public var userID: Int64
    public var username: String
    public var name: String
    public var duty: PanelDuty
}

/// A unit of a round with its assessors.
public struct AssessmentUnitRecord: Sendable, Equatable {
    /// The unit's own id in the round (the pages' `/assessment/units/{id}`).
    public var id: Int64
    public var roundID: Int64
    public var organisationID: Int64
    public var name: String
    public var path: MaterialisedPath
    public var category: String?
    public var assessorIDs: [Int64]
    public var bonuses: [String: Score]
    public var deductions: [String: Score]
    public var vetoes: Set<String>
    public var finalScore: Score?
    public var grade: String?
    public var passed: Bool?
    public var rankOverall: Int?
    public var rankCategory: Int?
    public var version: Int64
}

/// The panel, its assignments and the conflict checks (EVAL-03/04). Only the organiser (`ledger.manage` over the
/// organising organisation) changes the panel; an assessor declares their own relations, the chair records others'.
extension AssessmentRepository {
    /// Puts users on the panel with a duty (a second call changes the duty).
    public func setPanel(roundID: Int64, members: [(userID: Int64, duty: PanelDuty)], access: OrganisationAccess, actor: Actor) async throws {
        guard !members.isEmpty else { throw ValidationFailure(field: "usernames", message: "请填写评审组成员的账号", ruleID: RuleID.eval03.code) }
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            for m in members {
                try await db.raw(
                    """
                    INSERT INTO assessment_panel (round_id, user_id, duty) VALUES (\(bind: roundID), \(bind: m.userID), \(bind: m.duty.rawValue))
                    ON CONFLICT (round_id, user_id) DO UPDATE SET duty = \(bind: m.duty.rawValue)
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "考评“\(round.name)”评审组：\(members.map { "\($0.userID)（\($0.duty.displayName)）" }.joined(separator: "、"))"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Assigns every scoring panel member of `userIDs` to every unit of `unitIDs` (pairs already assigned stay).
    /// Refused as a whole, each pair named, when a user is not a scoring panel member or must recuse (EVAL-04).
    public func assign(roundID: Int64, unitIDs: [Int64], userIDs: [Int64], access: OrganisationAccess, actor: Actor) async throws {
        guard !unitIDs.isEmpty, !userIDs.isEmpty else {
            throw ValidationFailure(field: "units", message: "请选择单位和评审人员", ruleID: RuleID.eval03.code)
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            let units = try await Self.units(roundID, db: db)
            let panel = try await Self.panel(roundID, db: db)
            var problems: [ValidationFailure] = []
            var pairs: [(Int64, Int64)] = []
            for unitID in Set(unitIDs).sorted() {
                guard let unit = units.first(where: { $0.organisationID == unitID }) else {
                    problems.append(ValidationFailure(field: "units", message: "单位（编号 \(unitID)）不在本轮考评中", ruleID: RuleID.assess01.code))
                    continue
                }
                for userID in Set(userIDs).sorted() {
                    guard let member = panel.first(where: { $0.userID == userID }), member.duty.scores else {
                        problems.append(ValidationFailure(field: "users", message: "用户（编号 \(userID)）不是本轮评审组的评审人员", ruleID: RuleID.eval03.code))
                        continue
                    }
                    let reasons = try await Self.conflicts(userID: userID, unit: unit, roundID: roundID, db: db)
                    if !reasons.isEmpty {
                        var refusal = ConflictOfInterest.refusal(unitName: unit.name, reasons: reasons)
                        refusal.message = "\(member.name)" + refusal.message
                        problems.append(refusal)
                        continue
                    }
                    pairs.append((unitID, userID))
                }
            }
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            for (unitID, userID) in pairs {
                try await db.raw(
                    """
                    INSERT INTO assessment_assignments (round_id, organisation_id, user_id, assigned_at)
                    VALUES (\(bind: roundID), \(bind: unitID), \(bind: userID), \(bind: now)) ON CONFLICT (round_id, organisation_id, user_id) DO NOTHING
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "考评“\(round.name)”分配评审：\(Set(unitIDs).count) 个单位 × \(Set(userIDs).count) 名评审人员"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Declares a close relation (EVAL-04 (c)) of `userID` with a unit: by the user themself or by the chair. The
    /// assignment, if any and not yet submitted, is withdrawn in the same step.
    public func declareConflict(
        roundID: Int64, userID: Int64, organisationID: Int64, relation: String, callerID: Int64, actor: Actor
    ) async throws {
        let relation = relation.trimmed
        guard !relation.isEmpty, relation.count <= 100 else {
            throw ValidationFailure(field: "relation", message: "请写明需要回避的关系（不超过 100 个字），如“配偶在该单位任职”", ruleID: RuleID.eval04.code)
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let round = try await Self.round(roundID, db: db) else {
                throw RecordNotFound(objectType: "assessment_round", objectID: String(roundID))
            }
            let panel = try await Self.panel(roundID, db: db)
            let callerIsChair = panel.contains { $0.userID == callerID && $0.duty == .chair }
            guard panel.contains(where: { $0.userID == userID }), callerID == userID || callerIsChair else {
                throw RecordNotFound(objectType: "assessment_round", objectID: String(roundID))
            }
            guard round.state == .open else { throw Self.closed(round) }
            guard try await Self.unit(roundID, organisationID: organisationID, db: db) != nil else {
                throw ValidationFailure(field: "organisation", message: "该单位不在本轮考评中", ruleID: RuleID.assess01.code)
            }
            let submitted = try await db.raw(
                """
                SELECT id FROM assessment_sheets WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: organisationID)
                    AND stage = \(bind: AssessmentStage.site.rawValue) AND assessor_key = \(bind: userID) AND state = \(bind: SheetState.submitted.rawValue)
                """
            ).first()
            guard submitted == nil else {
                throw ValidationFailure(field: "organisation", message: "已提交该单位的评分表，须由组长退回后再申报回避", ruleID: RuleID.eval05.code)
            }
            try await db.raw(
                """
                INSERT INTO assessment_declarations (round_id, user_id, organisation_id, relation, recorded_by, recorded_at)
                VALUES (\(bind: roundID), \(bind: userID), \(bind: organisationID), \(bind: relation), \(bind: callerID), \(bind: now))
                """
            ).run()
            try await db.raw(
                """
                DELETE FROM assessment_assignments WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: organisationID) AND user_id = \(bind: userID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_declaration", objectID: "\(roundID)/\(userID)/\(organisationID)",
                    organisationID: round.organiserID, summary: "考评“\(round.name)”申报回避：用户 \(userID)，单位 \(organisationID)（\(relation)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    // MARK: Reading

    static func panel(_ roundID: Int64, db: any SQLDatabase) async throws -> [PanelMemberRecord] {
        try await db.raw(
            """
            SELECT p.user_id, p.duty, u.username, u.display_name FROM assessment_panel p JOIN users u ON u.id = p.user_id
            WHERE p.round_id = \(bind: roundID) ORDER BY p.user_id
            """
        ).all().map { r in
            PanelMemberRecord(
                userID: try r.value("user_id"), username: try r.value("username"), name: try r.value("display_name"),
                duty: PanelDuty(rawValue: try r.value("duty")) ?? .assessor)
        }
    }

    /// One unit of the round (nil when it is not in the round), read alone: a sheet page of a 500-unit round reads
    /// one unit's row and assessors, not the round's.
    static func unit(_ roundID: Int64, organisationID: Int64, db: any SQLDatabase) async throws -> AssessmentUnitRecord? {
        try await units(roundID, only: organisationID, db: db).first
    }

    static func units(_ roundID: Int64, only organisationID: Int64? = nil, db: any SQLDatabase) async throws -> [AssessmentUnitRecord] {
        let one: SQLQueryString = organisationID.map { "AND organisation_id = \(bind: $0)" } ?? ""
        let oneUnit: SQLQueryString = organisationID.map { "AND u.organisation_id = \(bind: $0)" } ?? ""
        let assigned = try await db.raw(
            "SELECT organisation_id, user_id FROM assessment_assignments WHERE round_id = \(bind: roundID) \(one) ORDER BY user_id"
        ).all()
        var byUnit: [Int64: [Int64]] = [:]
        for r in assigned { byUnit[try r.value("organisation_id"), default: []].append(try r.value("user_id")) }
        return try await db.raw(
            """
            SELECT u.*, o.name, o.path FROM assessment_units u JOIN organisations o ON o.id = u.organisation_id
            WHERE u.round_id = \(bind: roundID) \(oneUnit) ORDER BY o.sort_order, o.id
            """
        ).all().map { r in
            let id: Int64 = try r.value("organisation_id")
            let micro = try r.optional("final_micro", Int64.self)
            return AssessmentUnitRecord(
                id: try r.value("id"), roundID: roundID, organisationID: id, name: try r.value("name"),
                path: MaterialisedPath(try r.value("path")) ?? .root(id: id),
                category: try r.optional("category"), assessorIDs: byUnit[id] ?? [],
                bonuses: (try? decode([String: Score].self, try r.value("bonuses"))) ?? [:],
                deductions: (try? decode([String: Score].self, try r.value("deductions"))) ?? [:],
                vetoes: (try? decode(Set<String>.self, try r.value("vetoes"))) ?? [], finalScore: micro.map { Score(micro: $0) },
                grade: try r.optional("grade"), passed: try r.optional("passed", Int64.self).map { $0 != 0 },
                rankOverall: try r.optional("rank_overall"), rankCategory: try r.optional("rank_category"), version: try r.value("version"))
        }
    }

    /// EVAL-04 reasons for `userID` and `unit`: (a) on the roster inside it, (b) a post or an account's scope inside it,
    /// (c) a declaration in this round.
    static func conflicts(userID: Int64, unit: AssessmentUnitRecord, roundID: Int64, db: any SQLDatabase) async throws -> [ConflictReason] {
        var roster: [MaterialisedPath] = []
        var posts: [MaterialisedPath] = []
        // The organisation of the user's member record, and the organisation their account belongs to.
        for r in try await db.raw(
            """
            SELECT o.path FROM users u JOIN members m ON m.id = u.member_id JOIN organisations o ON o.id = m.organisation_id WHERE u.id = \(bind: userID)
            UNION
            SELECT o.path FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = \(bind: userID)
            """
        ).all() {
            if let path = MaterialisedPath(try r.value("path", String.self)) { roster.append(path) }
        }
        for r in try await db.raw(
            """
            SELECT o.path FROM role_assignments a JOIN organisations o ON o.id = a.organisation_id
            WHERE a.user_id = \(bind: userID) AND a.revoked_at IS NULL
            UNION
            SELECT o.path FROM users u JOIN leaders l ON l.member_id = u.member_id JOIN terms t ON t.id = l.term_id
                JOIN organisations o ON o.id = t.organisation_id
            WHERE u.id = \(bind: userID) AND l.left_on IS NULL AND t.id = (SELECT MAX(t2.id) FROM terms t2 WHERE t2.organisation_id = t.organisation_id)
            """
        ).all() {
            if let path = MaterialisedPath(try r.value("path", String.self)) { posts.append(path) }
        }
        let declared = try await db.raw(
            "SELECT organisation_id FROM assessment_declarations WHERE round_id = \(bind: roundID) AND user_id = \(bind: userID)"
        ).all().map { try $0.value("organisation_id", Int64.self) }
        return ConflictOfInterest.reasons(
            unit: unit.path, rosterPaths: roster, postPaths: posts, declaredUnitIDs: Set(declared), unitID: unit.organisationID)
    }

    static func closed(_ round: AssessmentRoundRecord) -> ValidationFailure {
        ValidationFailure(field: "round", message: "考评“\(round.name)”已审定，不能再修改", ruleID: RuleID.assess09.code)
    }
}

/// The organiser's changes while a round runs: the timetable (EVAL-07: the chair's office extends an incomplete stage)
/// and the bonus, deduction and veto items of a unit (EVAL-01/10), each with its reason kept.
extension AssessmentRepository {
    public func changeTimetable(
        roundID: Int64, _ timetable: AssessmentTimetable, reason: String, access: OrganisationAccess, actor: Actor
    ) async throws {
        let problems = timetable.problems()
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        let reason = reason.trimmed
        guard !reason.isEmpty, reason.count <= 500 else {
            throw ValidationFailure(field: "reason", message: "调整日程须写明理由（不超过 500 个字），如“有效评分表不足，延长实地考评”", ruleID: RuleID.eval07.code)
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            let t = timetable
            try await db.raw(
                """
                UPDATE assessment_rounds SET data_cutoff = \(bind: t.dataCutoff.description), self_opens = \(bind: t.selfOpens.description),
                    self_closes = \(bind: t.selfCloses.description), site_opens = \(bind: t.siteOpens.description),
                    site_closes = \(bind: t.siteCloses.description), approve_by = \(bind: t.approveBy.description), version = version + 1
                WHERE id = \(bind: roundID)
                """
            ).run()
            let before = AssessmentTimetableWords(round.timetable).text, after = AssessmentTimetableWords(t).text
            try await db.raw(
                """
                INSERT INTO assessment_changes (round_id, organisation_id, field, old_value, new_value, reason, recorded_by, recorded_at)
                VALUES (\(bind: roundID), \(bind: round.organiserID), 'timetable', \(bind: before), \(bind: after), \(bind: reason), \(bind: actor.userID),
                    \(bind: now))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "调整考评“\(round.name)”日程：\(after)（\(reason)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Records a bonus, deduction or veto item for a unit (`points` nil for a veto; 0 removes a bonus or deduction;
    /// `remove` lifts a veto). The item must be in the scheme and within its points (EVAL-01); the three-years
    /// deduction is the platform's own (ASSESS-06) and not entered by hand.
    public func recordAdjustment(
        roundID: Int64, organisationID: Int64, itemCode: String, points: Score?, remove: Bool, reason: String, access: OrganisationAccess,
        actor: Actor
    ) async throws {
        let reason = reason.trimmed
        let now = clock.now().epochSeconds
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            guard let unit = try await Self.unit(roundID, organisationID: organisationID, db: db),
                let version = try await Self.schemeVersion(round.schemeVersionID, db: db)
            else { throw ValidationFailure(field: "unit", message: "该单位不在本轮考评中", ruleID: RuleID.assess01.code) }
            guard !reason.isEmpty, reason.count <= 500 else {
                throw ValidationFailure(field: "reason", message: "加分、扣分或一票否决须写明依据（不超过 500 个字）", ruleID: RuleID.eval01.code)
            }
            let scheme = version.scheme
            var bonuses = unit.bonuses, deductions = unit.deductions, vetoes = unit.vetoes
            let field: String
            let old: String, new: String
            if let veto = scheme.vetoItems.first(where: { $0.code == itemCode }) {
                field = "veto"
                old = vetoes.contains(veto.code) ? "一票否决：\(veto.name)" : "无"
                if remove { vetoes.remove(veto.code) } else { vetoes.insert(veto.code) }
                new = vetoes.contains(veto.code) ? "一票否决：\(veto.name)" : "无"
            } else if let item = (scheme.bonusItems + scheme.deductionItems).first(where: { $0.code == itemCode }), !item.isAdmissionDrought {
                guard let points, points >= .zero, points <= item.maxPoints, points.isMultiple(of: Score(hundredths: 1)) else {
                    throw ValidationFailure(
                        field: "points", message: "“\(item.name)”应为 0 至 \(item.maxPoints.plain) 分，最多两位小数", ruleID: RuleID.eval01.code)
                }
                let isBonus = scheme.bonusItems.contains { $0.code == item.code }
                field = isBonus ? "bonus" : "deduction"
                old = (isBonus ? bonuses[item.code] : deductions[item.code]).map { "\(item.name) \($0)" } ?? "无"
                if isBonus {
                    bonuses[item.code] = points == .zero ? nil : points
                } else {
                    deductions[item.code] = points == .zero ? nil : points
                }
                new = points == .zero ? "无" : "\(item.name) \(points)"
            } else {
                throw ValidationFailure(field: "item", message: "“\(itemCode.prefix(20))”不是本轮指标体系的加分、扣分或一票否决项", ruleID: RuleID.eval01.code)
            }
            try await db.raw(
                """
                UPDATE assessment_units SET bonuses = \(bind: try Self.json(bonuses)), deductions = \(bind: try Self.json(deductions)),
                    vetoes = \(bind: try Self.json(vetoes.sorted())), version = version + 1
                WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: organisationID)
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO assessment_changes (round_id, organisation_id, field, old_value, new_value, reason, recorded_by, recorded_at)
                VALUES (\(bind: roundID), \(bind: organisationID), \(bind: field), \(bind: old), \(bind: new), \(bind: reason), \(bind: actor.userID), \(bind: now))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_unit", objectID: String(unit.id), organisationID: organisationID,
                    summary: "考评“\(round.name)”\(unit.name)：\(old) → \(new)（\(reason)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}

/// A timetable in words, for the change record.
struct AssessmentTimetableWords {
    var text: String
    init(_ t: AssessmentTimetable) {
        text = "数据截至 \(t.dataCutoff)；自评 \(t.selfOpens)–\(t.selfCloses)；实地 \(t.siteOpens)–\(t.siteCloses)；审定 \(t.approveBy) 前"
    }
}
