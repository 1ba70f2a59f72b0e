public import DangjianDomain
import SQLKit

/// A mid-year change of a member's base (DUES-09 with `midyear_changes` on).
public struct DuesBaseChange: Sendable, Equatable {
    public var memberID: Int64
    public var from: DuesMonth
    public var category: DuesCategory
    public var base: Fen?
    public var monthly: Fen
    public var reason: String
}

/// DUES-09's parameter `midyear_changes` (default off: the amount set for January holds for the year). When on, a
/// recorded change applies from the month the new wage is first received; a payment is due at each month's own
/// amount, and months already paid at the old one owe the difference (差额补交, DUES-17).
extension DuesRepository {
    /// Records a change for member `memberID` from `from` (February…December of a year whose base is set).
    public func changeBase(
        memberID: Int64, from: DuesMonth, category: DuesCategory, base: Fen?, reason: String, access: OrganisationAccess, actor: Actor
    ) async throws -> DuesBaseChange {
        // Out of reach first: a caller who may not write the member learns nothing about the rules.
        guard try await database.read({ db in try await MemberRepository.find(memberID, access: access, db: db) }) != nil else {
            throw RecordNotFound(objectType: "member", objectID: String(memberID))
        }
        let today = CivilDate(date: clock.now())
        let book = try await ruleBook(on: today)
        guard book.duesMidyearChanges else {
            throw ValidationFailure(
                field: "from", message: "按规则参数，党费标准每年 1 月核定后年内不作调整，工资变动从下一年起计算（\(RuleID.dues09)）", ruleID: RuleID.dues09.code)
        }
        let why = reason.trimmed
        guard !why.isEmpty, why.count <= 200 else {
            throw ValidationFailure(field: "reason", message: "请写明调整原因（不超过 200 个字）", ruleID: RuleID.dues09.code)
        }
        guard from.month > 1 else {
            throw ValidationFailure(field: "from", message: "1 月的标准在年度核定中设定，年中调整应从 2 月以后的某月起", ruleID: RuleID.dues09.code)
        }
        let parameters = try await amountParameters(year: from.year)
        let amount = try DuesCalculator.monthly(category, base: category.takesBase ? base : nil, parameters: parameters)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            guard let old = try await Self.monthlyAmounts(memberID, year: from.year, db: db)[from] else {
                throw ValidationFailure(
                    field: "from", message: "\(member.name) 的 \(from.year) 年党费基数尚未核定，请先在年度核定中设定", ruleID: RuleID.dues09.code)
            }
            let inserted = try await db.raw(
                """
                INSERT INTO dues_base_changes (member_id, organisation_id, year, from_month, category, base_fen, monthly_fen, parameters_version, reason, recorded_by, recorded_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: from.year), \(bind: from.code), \(bind: category.rawValue),
                    \(bind: category.takesBase ? base?.value : nil), \(bind: amount.monthly.value), \(bind: parameters.version), \(bind: why), \(bind: actor.userID), \(bind: now))
                ON CONFLICT (member_id, from_month) DO NOTHING RETURNING id
                """
            ).first()
            guard let id = try inserted?.value("id", Int64.self) else {
                throw ValidationFailure(field: "from", message: "\(from)起的调整已经登记过", ruleID: RuleID.dues09.code)
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "dues_base_change", objectID: String(id), organisationID: member.organisationID,
                    summary: "年中调整党费：\(member.name)，自\(from)起每月 \(amount.monthly) 元（\(why)）",
                    changes: [FieldChange(field: "dues_monthly", old: old.description, new: amount.monthly.description)]),
                by: actor, in: db, dialect: database.dialect)
            return DuesBaseChange(
                memberID: memberID, from: from, category: category, base: category.takesBase ? base : nil, monthly: amount.monthly, reason: why)
        }
    }

    /// Member `memberID`'s changes in `year`, by month.
    public func baseChanges(memberID: Int64, year: Int, access: OrganisationAccess) async throws -> [DuesBaseChange] {
        try await database.read { db in
            guard try await MemberRepository.find(memberID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            return try await Self.changes(memberID, year: year, db: db)
        }
    }

    static func changes(_ memberID: Int64, year: Int, db: any SQLDatabase) async throws -> [DuesBaseChange] {
        try await db.raw(
            "SELECT * FROM dues_base_changes WHERE member_id = \(bind: memberID) AND year = \(bind: year) ORDER BY from_month"
        ).all().compactMap { r in
            guard let from = DuesMonth.parse(try r.value("from_month", String.self)), let monthly = Fen(try r.value("monthly_fen", Int64.self)) else {
                return nil
            }
            return DuesBaseChange(
                memberID: memberID, from: from, category: DuesCategory(rawValue: try r.value("category")) ?? .employed,
                base: try r.optional("base_fen", Int64.self).flatMap(Fen.init), monthly: monthly, reason: try r.value("reason"))
        }
    }

    /// Each month's amount of `year` for member `memberID`: the yearly base's, then each change from its month;
    /// empty when no base is set for the year.
    static func monthlyAmounts(_ memberID: Int64, year: Int, db: any SQLDatabase) async throws -> [DuesMonth: Fen] {
        guard
            let yearly = try await db.raw("SELECT monthly_fen FROM dues_bases WHERE member_id = \(bind: memberID) AND year = \(bind: year)").first()
                .flatMap({ Fen(try $0.value("monthly_fen", Int64.self)) })
        else { return [:] }
        let changes = try await changes(memberID, year: year, db: db)
        var result: [DuesMonth: Fen] = [:]
        for n in 1...12 {
            guard let m = DuesMonth(year: year, month: n) else { continue }
            result[m] = changes.last { $0.from <= m }?.monthly ?? yearly
        }
        return result
    }
}
