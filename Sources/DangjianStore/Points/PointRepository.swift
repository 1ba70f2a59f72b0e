public import DangjianDomain
import SQLKit

/// A stored entry as the member's page lists it.
public struct StoredPointEntry: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Counted.
        case posted
        /// A manual entry waiting for the branch (POINT-04).
        case pending
        case rejected
    }

    public var id: Int64
    public var entry: PointEntry
    public var automatic: Bool
    public var state: State
    public var evidence: String?
}

/// 党员积分 (issue 18, item 6; slug `points`): the automatic entries recomputed as a set from the records the platform
/// keeps (attendance, dues settled in their month), manual entries a branch approves, the year's veto or exemption,
/// and each member's account (`PointLedger`). Reads need `membersRead` over the member's organisation, writes
/// `membersWrite`.
public struct PointRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    /// The parameters when given; nil (the default): the rule book's for the year (POINT-01/03/06/07).
    let fixedRules: PointRules?

    public init(database: Database, audit: AuditTrail, clock: any WallClock, rules: PointRules? = nil) {
        self.database = database
        self.audit = audit
        self.clock = clock
        fixedRules = rules
    }

    /// The rules `year` is scored under: the rule book in force on the year's last day, or today while it runs.
    func rules(year: Int) async throws -> PointRules {
        if let fixedRules { return fixedRules }
        return try await RuleBookRepository.forYear(year, today: CivilDate(date: clock.now()), in: database).pointRules
    }

    /// POINT-06: "年满 70 周岁，免评" for a member born `birthDate`, judged at the end of `year` (nil below the age or
    /// when the rule book sets none).
    static func ageExemption(_ birthDate: CivilDate?, year: Int, rules: PointRules) -> String? {
        guard rules.exemptAge > 0, let born = birthDate, year - born.year >= rules.exemptAge else { return nil }
        return "年满 \(rules.exemptAge) 周岁，免评（\(RuleID.point06)）"
    }

    /// Replaces the automatic entries of `year` in `anchorID`'s subtree (or everywhere, for the maintenance job) with
    /// the set today's records give (POINT-03): 主题党日 attended, other 三会一课 attended (when the rule book gives them
    /// points), unexcused absences, and each month whose dues were settled by an entry paid within that month. Run it
    /// twice and nothing changes. Returns how many automatic entries the year now has there.
    @discardableResult
    public func recompute(year: Int, anchorID: Int64?, access: OrganisationAccess, actor: Actor) async throws -> Int {
        let now = clock.now().epochSeconds
        let first = "\(year)-01-01", next = "\(year + 1)-01-01"
        let rules = try await rules(year: year)
        return try await database.write(largeWrite: true) { db in
            var scope: SQLQueryString = "1 = 1"
            var scopeOrganisation: Int64?
            if let anchorID {
                guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                    throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
                }
                scope = AccessSQL.scopePredicate(anchor.id, anchor.path, .subtree, alias: "o")
                scopeOrganisation = anchor.id
            } else if !access.isUnrestricted {
                throw AccessDenied(permission: access.permission, reason: "重算全部积分需要系统维护权限")
            }
            let visible = AccessSQL.predicate(access, alias: "o")
            try await db.raw(
                """
                DELETE FROM point_entries WHERE year = \(bind: year) AND automatic = 1
                AND organisation_id IN (SELECT o.id FROM organisations o WHERE \(scope) AND \(visible))
                """
            ).run()
            // Attendance: the member's organisation now holds the entry (a member who moved keeps their record).
            func attendance(_ item: PointItem, kinds: [MeetingKind], status: AttendanceStatus) async throws {
                guard let per = rules.perTime[item], per != .zero else { return }
                try await db.raw(
                    """
                    INSERT INTO point_entries (member_id, organisation_id, year, item, on_date, tenths, note, source, automatic, state, recorded_at)
                    SELECT a.member_id, mb.organisation_id, \(bind: year), \(bind: item.rawValue), mt.held_on, \(bind: per.tenths),
                        mt.held_on || ' ' || mt.topic, 'meeting:' || CAST(mt.id AS TEXT), 1, \(bind: StoredPointEntry.State.posted.rawValue), \(bind: now)
                    FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN members mb ON mb.id = a.member_id
                    JOIN organisations o ON o.id = mb.organisation_id
                    WHERE mt.deleted_at IS NULL AND mt.held_on >= \(bind: first) AND mt.held_on < \(bind: next)
                    AND mt.kind IN (\(binds: kinds.map(\.rawValue))) AND a.status = \(bind: status.rawValue)
                    AND mb.deleted_at IS NULL AND \(scope) AND \(visible)
                    """
                ).run()
            }
            try await attendance(.themeDay, kinds: [.themeDay], status: .present)
            try await attendance(.meetings, kinds: [.generalMeeting, .groupMeeting, .partyLecture], status: .present)
            try await attendance(.absence, kinds: [.themeDay, .generalMeeting, .groupMeeting, .partyLecture], status: .absent)
            // Dues: a month settled by an entry paid within that month (the collection day, DUES-11/12: by month-end).
            if let per = rules.perTime[.dues], per != .zero {
                try await db.raw(
                    """
                    INSERT INTO point_entries (member_id, organisation_id, year, item, on_date, tenths, note, source, automatic, state, recorded_at)
                    SELECT s.member_id, mb.organisation_id, \(bind: year), \(bind: PointItem.dues.rawValue), p.paid_on, \(bind: per.tenths),
                        s.month || ' 党费按时交纳', 'dues:' || s.month, 1, \(bind: StoredPointEntry.State.posted.rawValue), \(bind: now)
                    FROM dues_settlements s JOIN dues_payments p ON p.id = s.payment_id JOIN members mb ON mb.id = s.member_id
                    JOIN organisations o ON o.id = mb.organisation_id
                    WHERE s.month >= \(bind: "\(year)-01") AND s.month <= \(bind: "\(year)-12") AND substr(p.paid_on, 1, 7) <= s.month
                    AND mb.deleted_at IS NULL AND \(scope) AND \(visible)
                    """
                ).run()
            }
            let count =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM point_entries e JOIN organisations o ON o.id = e.organisation_id
                    WHERE e.year = \(bind: year) AND e.automatic = 1 AND \(scope) AND \(visible)
                    """
                ).first()?.value("n", Int.self) ?? 0
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "point_recompute", objectID: String(year), organisationID: scopeOrganisation,
                    summary: "重算 \(year) 年党员积分的自动项：\(count) 条"),
                by: actor, in: db, dialect: database.dialect)
            return count
        }
    }

    /// A manual entry for member `memberID` (POINT-04), waiting for the branch's approval.
    public func submit(
        memberID: Int64, item: PointItem, on day: CivilDate, points: Points, note: String, evidence: String, access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        var problems: [ValidationFailure] = []
        if item.automatic {
            problems.append(ValidationFailure(field: "item", message: "“\(item.displayName)”由系统根据记录自动计分，不能手工登记", ruleID: RuleID.point03.code))
        }
        if points == .zero || abs(points.tenths) > 500 {
            problems.append(ValidationFailure(field: "points", message: "分值应在 -50 至 50 之间且不为 0", ruleID: RuleID.point04.code))
        }
        if note.trimmed.isEmpty || evidence.trimmed.isEmpty {
            problems.append(ValidationFailure(field: "evidence", message: "请写明事由和佐证材料", ruleID: RuleID.point04.code))
        }
        if day > CivilDate(date: clock.now()) {
            problems.append(ValidationFailure(field: "on", message: "日期 \(day) 晚于今天", ruleID: RuleID.point04.code))
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let template: PointTemplate = member.isFloating ? .floating : .standard
            guard template.items.contains(item) else {
                throw ValidationFailure(
                    field: "item", message: "流动党员只计“汇报情况”和“交纳党费”，不计“\(item.displayName)”", ruleID: RuleID.point02.code)
            }
            let n =
                (try await db.raw("SELECT COUNT(*) AS n FROM point_entries WHERE member_id = \(bind: memberID) AND automatic = 0").first()?
                    .value("n", Int.self) ?? 0) + 1
            let id = try await db.insertReturningID(
                """
                INSERT INTO point_entries (member_id, organisation_id, year, item, on_date, tenths, note, source, automatic, state, evidence, recorded_by, recorded_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: day.year), \(bind: item.rawValue), \(bind: day.description),
                    \(bind: points.tenths), \(bind: note.trimmed), \(bind: "manual:\(n)"), 0, \(bind: StoredPointEntry.State.pending.rawValue),
                    \(bind: evidence.trimmed), \(bind: actor.userID), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "point_entry", objectID: String(id), organisationID: member.organisationID,
                    summary: "登记积分（待支部审核）：\(member.name)，\(item.displayName) \(points) 分，\(note.trimmed)"),
                by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    /// The branch approves or rejects a pending manual entry (POINT-04).
    public func decide(entryID: Int64, approve: Bool, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            guard
                let row = try await db.raw("SELECT member_id, organisation_id, state, note, tenths FROM point_entries WHERE id = \(bind: entryID)")
                    .first(),
                try await MemberRepository.find(try row.value("member_id"), access: access, db: db) != nil
            else { throw RecordNotFound(objectType: "point_entry", objectID: String(entryID)) }
            guard try row.value("state", String.self) == StoredPointEntry.State.pending.rawValue else {
                throw ValidationFailure(field: "entry", message: "该积分已审核过", ruleID: RuleID.point04.code)
            }
            let state: StoredPointEntry.State = approve ? .posted : .rejected
            try await db.raw(
                "UPDATE point_entries SET state = \(bind: state.rawValue), decided_by = \(bind: actor.userID) WHERE id = \(bind: entryID)"
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "point_entry", objectID: String(entryID), organisationID: try row.value("organisation_id"),
                    summary: "\(approve ? "审核通过" : "未通过")积分：\(try row.value("note", String.self))",
                    changes: [FieldChange(field: "point_state", old: "待审核", new: approve ? "已计入" : "未通过")]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Sets (or clears, with `kind` nil) member `memberID`'s veto or exemption for `year` (POINT-05/06).
    public func setStanding(
        memberID: Int64, year: Int, veto: String?, exempt: String?, access: OrganisationAccess, actor: Actor
    ) async throws {
        try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            try await db.raw("DELETE FROM point_standings WHERE member_id = \(bind: memberID) AND year = \(bind: year)").run()
            let kind = veto != nil ? "veto" : exempt != nil ? "exempt" : nil
            if let kind, let text = (veto ?? exempt)?.trimmed, !text.isEmpty {
                try await db.raw(
                    """
                    INSERT INTO point_standings (member_id, year, kind, text, decided_by, decided_at)
                    VALUES (\(bind: memberID), \(bind: year), \(bind: kind), \(bind: text), \(bind: actor.userID), \(bind: clock.now().epochSeconds))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "point_standing", objectID: "\(memberID):\(year)", organisationID: member.organisationID,
                    summary: "\(year) 年积分：\(member.name) " + (veto.map { "一票否决（\($0)）" } ?? exempt.map { "免评（\($0)）" } ?? "恢复计分")),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Member `memberID`'s account for `year` and its entries (pending and rejected ones listed, not counted).
    public func account(memberID: Int64, year: Int, access: OrganisationAccess) async throws -> (account: PointAccount, entries: [StoredPointEntry]) {
        let rules = try await rules(year: year)
        return try await database.read { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let entries = try await db.raw(
                "SELECT * FROM point_entries WHERE member_id = \(bind: memberID) AND year = \(bind: year) ORDER BY on_date, id"
            ).all().map(Self.decode)
            let standing = try await db.raw("SELECT kind, text FROM point_standings WHERE member_id = \(bind: memberID) AND year = \(bind: year)")
                .first()
            let kind: String? = try standing?.value("kind")
            let text: String? = try standing?.value("text")
            let account = PointLedger.account(
                year: year, template: member.isFloating ? .floating : .standard, entries: entries.filter { $0.state == .posted }.map(\.entry),
                veto: kind == "veto" ? text : nil,
                exempt: kind == "exempt" ? text : Self.ageExemption(member.birthDate, year: year, rules: rules), rules: rules)
            return (account, entries)
        }
    }

    /// The accounts of every member on organisation `organisationID`'s own roster for `year` (实时质量图, POINT-08), by
    /// name — with the entries dated up to `through` only when given (the monthly wall: the standing at a month's
    /// end): three queries (roster, posted entries, standings) whatever the roster's length.
    public func board(
        organisationID: Int64, year: Int, through: CivilDate? = nil, access: OrganisationAccess
    ) async throws -> (
        organisation: Organisation, members: [(memberID: Int64, name: String, account: PointAccount)]
    ) {
        let rules = try await rules(year: year)
        return try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let roster = try await db.raw(
                """
                SELECT m.id, m.name, m.is_floating, m.birth_date FROM members m WHERE m.organisation_id = \(bind: organisationID) AND m.deleted_at IS NULL
                AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) ORDER BY m.name, m.id
                """
            ).all()
            var entries: [Int64: [PointEntry]] = [:]
            for row in try await db.raw(
                """
                SELECT e.* FROM point_entries e JOIN members m ON m.id = e.member_id
                WHERE m.organisation_id = \(bind: organisationID) AND e.year = \(bind: year) AND e.state = \(bind: StoredPointEntry.State.posted.rawValue)
                AND e.on_date <= \(bind: (through ?? CivilDate(year: year, month: 12, day: 31) ?? .earliest).description)
                """
            ).all() {
                entries[try row.value("member_id"), default: []].append(try Self.decode(row).entry)
            }
            var standings: [Int64: (String, String)] = [:]
            for row in try await db.raw(
                """
                SELECT s.member_id, s.kind, s.text FROM point_standings s JOIN members m ON m.id = s.member_id
                WHERE m.organisation_id = \(bind: organisationID) AND s.year = \(bind: year)
                """
            ).all() {
                standings[try row.value("member_id")] = (try row.value("kind"), try row.value("text"))
            }
            let members = try roster.map { row -> (memberID: Int64, name: String, account: PointAccount) in
                let id: Int64 = try row.value("id")
                let standing = standings[id]
                let account = PointLedger.account(
                    year: year, template: try row.value("is_floating", Int64.self) == 1 ? .floating : .standard, entries: entries[id] ?? [],
                    veto: standing?.0 == "veto" ? standing?.1 : nil,
                    exempt: standing?.0 == "exempt"
                        ? standing?.1
                        : Self.ageExemption(try row.optional("birth_date", String.self).flatMap(CivilDate.init(iso:)), year: year, rules: rules),
                    rules: rules)
                return (id, try row.value("name"), account)
            }
            return (org, members)
        }
    }

    /// The member an entry belongs to, inside `access`.
    public func memberOfEntry(_ entryID: Int64, access: OrganisationAccess) async throws -> Int64? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT member_id FROM point_entries WHERE id = \(bind: entryID)").first() else { return nil }
            let member: Int64 = try row.value("member_id")
            return try await MemberRepository.find(member, access: access, db: db) == nil ? nil : member
        }
    }

    static func decode(_ r: any SQLRow) throws -> StoredPointEntry {
        StoredPointEntry(
            id: try r.value("id"),
            entry: PointEntry(
                item: PointItem(rawValue: try r.value("item")) ?? .excellence, on: try r.date("on_date"),
                points: Points(tenths: Int(clamping: try r.value("tenths", Int64.self))), note: try r.value("note")),
            automatic: try r.value("automatic", Int64.self) == 1,
            state: StoredPointEntry.State(rawValue: try r.value("state")) ?? .pending, evidence: try r.optional("evidence"))
    }
}

extension StoreServices {
    /// 党员积分: the capability's part of the one graph.
    public var points: PointRepository { PointRepository(database: database, audit: audit, clock: clock) }
}
