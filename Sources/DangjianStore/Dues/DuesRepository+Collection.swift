public import DangjianDomain
import SQLKit

/// One member's line on a branch's monthly collection sheet (党费收缴表).
public struct DuesCollectionLine: Sendable {
    public var memberID: Int64
    public var name: String
    public var full: Bool
    /// The monthly amount for the month's year; nil when the base is not set (DUES-09).
    public var monthly: Fen?
    /// The receipt that settled the month, nil when it is not settled.
    public var receipt: String?
    /// 党费交至 (MEM-04).
    public var paidUpTo: DuesMonth?
    /// Arrears on the day the sheet is read (DUES-13/19).
    public var arrears: DuesArrears
}

/// A branch's collection sheet for a month: every member on its own roster, what each owes for the month, whether it
/// is settled and each one's arrears; with the totals the secretary reports.
public struct DuesCollectionSheet: Sendable {
    public var organisation: Organisation
    public var month: DuesMonth
    public var lines: [DuesCollectionLine]

    /// Members with an amount for the month.
    public var dueCount: Int { lines.filter { $0.monthly != nil }.count }
    public var paidCount: Int { lines.filter { $0.receipt != nil }.count }
    /// 应交 and 实交 for the month, in fen (each amount ≤ 2 % of 10^10 fen; no roster overflows the sum).
    public var dueTotal: Fen { Fen(clamping: lines.reduce(Int64(0)) { $0 + ($1.monthly?.value ?? 0) }) }
    public var paidTotal: Fen { Fen(clamping: lines.reduce(Int64(0)) { $0 + ($1.receipt == nil ? 0 : ($1.monthly?.value ?? 0)) }) }
}

/// 党费收缴表 (issue 18, item 2): a branch's month in one query — the roster with each member's amount for the year,
/// the month's receipt and every settled month (for 交至 and arrears) — so the page a secretary opens every month
/// stays fast (docs/performance.md).
extension DuesRepository {
    /// The collection sheet of organisation `organisationID` for `month`, read on the repository clock's day.
    public func collection(organisationID: Int64, month: DuesMonth, access: OrganisationAccess) async throws -> DuesCollectionSheet {
        let today = CivilDate(date: clock.now())
        let rules = try await ruleBook(on: today).duesCollection
        return try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            // One query: each member's amount for the year, the month's receipt, the first base year and every settled
            // month as one list (the page a secretary opens every month; docs/performance.md).
            let months: SQLQueryString =
                database.dialect == .postgres
                ? "(SELECT string_agg(a.month, ',') FROM dues_settlements a WHERE a.member_id = m.id)"
                : "(SELECT group_concat(a.month, ',') FROM dues_settlements a WHERE a.member_id = m.id)"
            let rows = try await db.raw(
                """
                SELECT m.id, m.name, m.party_status, m.join_date, p.receipt_no,
                    COALESCE((SELECT c.monthly_fen FROM dues_base_changes c WHERE c.member_id = m.id AND c.year = \(bind: month.year)
                        AND c.from_month <= \(bind: month.code) ORDER BY c.from_month DESC LIMIT 1), d.monthly_fen) AS monthly_fen,
                    (SELECT MIN(b.year) FROM dues_bases b WHERE b.member_id = m.id) AS first_year, \(months) AS months
                FROM members m LEFT JOIN dues_bases d ON d.member_id = m.id AND d.year = \(bind: month.year)
                LEFT JOIN dues_settlements t ON t.member_id = m.id AND t.month = \(bind: month.code)
                LEFT JOIN dues_payments p ON p.id = t.payment_id
                WHERE m.organisation_id = \(bind: organisationID) AND m.deleted_at IS NULL
                AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) ORDER BY m.name, m.id
                """
            ).all()
            let lines = try rows.map { row in
                let id: Int64 = try row.value("id")
                let settled = Set((try row.optional("months", String.self) ?? "").split(separator: ",").compactMap { DuesMonth.parse(String($0)) })
                return DuesCollectionLine(
                    memberID: id, name: try row.value("name"), full: try row.value("party_status", String.self) == PartyStatus.full.rawValue,
                    monthly: try row.optional("monthly_fen", Int64.self).flatMap(Fen.init), receipt: try row.optional("receipt_no"),
                    paidUpTo: DuesCollection.paidUpTo(settled),
                    arrears: DuesCollection.arrears(
                        settled: settled,
                        since: Self.owesSince(joinDate: try row.optional("join_date"), firstBaseYear: try row.optional("first_year")),
                        today: today, rules: rules))
            }
            return DuesCollectionSheet(organisation: org, month: month, lines: lines)
        }
    }

    /// The first month a member's arrears are counted from: the month they joined (DUES-10: a probationary member
    /// pays from admission) but not before January of the first year a base was set for them (months before the
    /// platform knew their dues are not arrears it can judge). With no base at all, nothing is counted.
    static func owesSince(joinDate: String?, firstBaseYear: Int64?) -> DuesMonth {
        guard let firstBaseYear, let first = DuesMonth(year: Int(clamping: firstBaseYear), month: 1) else {
            return .latest
        }
        guard let joined = joinDate.flatMap(CivilDate.init(iso:)).map(DuesMonth.init(containing:)) else { return first }
        return max(first, joined)
    }

    /// Member `memberID`'s arrears on the repository clock's day; `settled`: the months already read with the
    /// member's entries (`payments`), so a page that shows both reads them once.
    public func arrears(memberID: Int64, settled: Set<DuesMonth>? = nil, access: OrganisationAccess) async throws -> DuesArrears {
        let today = CivilDate(date: clock.now())
        let rules = try await ruleBook(on: today).duesCollection
        return try await database.read { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let first = try await db.raw("SELECT MIN(year) AS y FROM dues_bases WHERE member_id = \(bind: memberID)").first()?.optional(
                "y", Int64.self)
            let months: Set<DuesMonth>
            if let settled { months = settled } else { months = try await Self.settledMonths(memberID, db: db) }
            return DuesCollection.arrears(
                settled: months, since: Self.owesSince(joinDate: member.joinDate.description, firstBaseYear: first ?? nil), today: today,
                rules: rules)
        }
    }

    /// Members in `scope` of `anchorID` whose arrears call for a reminder or a lapse review on the clock's day
    /// (DUES-13/19), worst first: two queries for the whole subtree (members with their first base year, and their
    /// settled months).
    public func inArrears(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess) async throws -> [MemberInArrears] {
        let today = CivilDate(date: clock.now())
        let rules = try await ruleBook(on: today).duesCollection
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let within = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let visible = AccessSQL.predicate(access, alias: "o")
            let members = try await db.raw(
                """
                SELECT m.id, m.name, m.join_date, o.id AS organisation_id, o.name AS organisation_name,
                    (SELECT MIN(b.year) FROM dues_bases b WHERE b.member_id = m.id) AS first_year
                FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE \(within) AND \(visible) AND m.deleted_at IS NULL AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                AND EXISTS (SELECT 1 FROM dues_bases b WHERE b.member_id = m.id)
                """
            ).all()
            var settled: [Int64: Set<DuesMonth>] = [:]
            for row in try await db.raw(
                """
                SELECT s.member_id, s.month FROM dues_settlements s JOIN members m ON m.id = s.member_id JOIN organisations o ON o.id = m.organisation_id
                WHERE \(within) AND \(visible) AND m.deleted_at IS NULL
                """
            ).all() {
                if let month = DuesMonth.parse(try row.value("month", String.self)) { settled[try row.value("member_id"), default: []].insert(month) }
            }
            var result: [MemberInArrears] = []
            for row in members {
                let id: Int64 = try row.value("id")
                let arrears = DuesCollection.arrears(
                    settled: settled[id] ?? [],
                    since: Self.owesSince(joinDate: try row.optional("join_date"), firstBaseYear: try row.optional("first_year")),
                    today: today, rules: rules)
                guard arrears.level != .none else { continue }
                result.append(
                    MemberInArrears(
                        memberID: id, name: try row.value("name"), organisationID: try row.value("organisation_id"),
                        organisationName: try row.value("organisation_name"), arrears: arrears))
            }
            return result.sorted { ($0.arrears.unpaidMonths, $1.name) > ($1.arrears.unpaidMonths, $0.name) }
        }
    }
}

/// A member whose unpaid months call for a reminder or a lapse review.
public struct MemberInArrears: Sendable {
    public var memberID: Int64
    public var name: String
    public var organisationID: Int64
    public var organisationName: String
    public var arrears: DuesArrears
}
