public import DangjianDomain
import SQLKit

/// One organisation's (or one group's) figures in a month's 党费 report.
public struct DuesReportFigures: Sendable, Equatable {
    /// Members on the roster.
    public var members = 0
    /// Members with a base for the month's year, and the sum of their monthly amounts (应交).
    public var due = 0
    public var dueFen: Int64 = 0
    /// Members whose month is settled (已交, 减免 included).
    public var paid = 0
    /// Net fen of the entries recorded with a payment date in the month (实收: payments less reversals).
    public var collectedFen: Int64 = 0
    /// Members with 3 and with 6 unpaid months before the month (DUES-13/19).
    public var threeMonths = 0
    public var sixMonths = 0
    /// Approved 少交/免交 covering the month (DUES-18).
    public var reductions = 0

    public init() {}

    mutating func add(_ o: DuesReportFigures) {
        members += o.members
        due += o.due
        dueFen += o.dueFen
        paid += o.paid
        collectedFen += o.collectedFen
        threeMonths += o.threeMonths
        sixMonths += o.sixMonths
        reductions += o.reductions
    }

    /// 收缴率: paid / due, nil when nothing is due.
    public var rate: Double? { due == 0 ? nil : Double(paid) / Double(due) }
}

/// 党费月报 (issue 18, item 5): a month across a subtree — per organisation with members, and per group (each direct
/// child of the anchor with everything below it) with the total — in four grouped queries over the whole subtree.
public struct DuesMonthReport: Sendable {
    public struct Line: Sendable {
        public var organisation: Organisation
        public var figures: DuesReportFigures
    }

    public var anchor: Organisation
    public var month: DuesMonth
    /// Each direct child of the anchor with its subtree (and the anchor's own members as its own line, when it has any).
    public var groups: [Line]
    /// Every organisation with members, by path.
    public var lines: [Line]
    public var total: DuesReportFigures
}

extension DuesRepository {
    public func monthReport(anchorID: Int64, month: DuesMonth, access: OrganisationAccess) async throws -> DuesMonthReport {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let within = AccessSQL.scopePredicate(anchor.id, anchor.path, .subtree, alias: "o")
            let visible = AccessSQL.predicate(access, alias: "o")
            let organisations = try await db.raw(
                "SELECT o.* FROM organisations o WHERE \(within) AND \(visible) ORDER BY o.path"
            ).all().map(OrganisationRepository.decode)
            var figures: [Int64: DuesReportFigures] = [:]
            let three = month.adding(months: -3), six = month.adding(months: -6)
            func lastMonths(_ n: Int) -> [String] { (1...n).map { month.adding(months: -$0).code } }
            // The base of the year 3 and 6 months back: the month's own when it is the same year (no second join).
            let base3: SQLQueryString = three.year == month.year ? "d.id" : "b3.id"
            let base6: SQLQueryString = six.year == month.year ? "d.id" : "b6.id"
            let join3: SQLQueryString =
                three.year == month.year ? "" : "LEFT JOIN dues_bases b3 ON b3.member_id = m.id AND b3.year = \(bind: three.year)"
            let join6: SQLQueryString = six.year == month.year ? "" : "LEFT JOIN dues_bases b6 ON b6.member_id = m.id AND b6.year = \(bind: six.year)"
            // Roster, 应交 and 已交, and the runs of unpaid months, per organisation (sums cast: PostgreSQL's SUM of BIGINT is NUMERIC).
            for row in try await db.raw(
                """
                SELECT m.organisation_id, COUNT(*) AS members, COUNT(d.id) AS due, CAST(SUM(d.monthly_fen) AS BIGINT) AS due_fen, COUNT(t.member_id) AS paid,
                    CAST(SUM(CASE WHEN \(base3) IS NOT NULL AND m.join_date < \(bind: three.adding(months: 1).firstDay.description) AND NOT EXISTS (
                        SELECT 1 FROM dues_settlements s WHERE s.member_id = m.id AND s.month IN (\(binds: lastMonths(3)))) THEN 1 ELSE 0 END) AS BIGINT) AS three_months,
                    CAST(SUM(CASE WHEN \(base6) IS NOT NULL AND m.join_date < \(bind: six.adding(months: 1).firstDay.description) AND NOT EXISTS (
                        SELECT 1 FROM dues_settlements s WHERE s.member_id = m.id AND s.month IN (\(binds: lastMonths(6)))) THEN 1 ELSE 0 END) AS BIGINT) AS six_months
                FROM members m JOIN organisations o ON o.id = m.organisation_id
                LEFT JOIN dues_bases d ON d.member_id = m.id AND d.year = \(bind: month.year)
                \(join3)
                \(join6)
                LEFT JOIN dues_settlements t ON t.member_id = m.id AND t.month = \(bind: month.code)
                WHERE \(within) AND \(visible) AND m.deleted_at IS NULL AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                GROUP BY m.organisation_id
                """
            ).all() {
                var f = DuesReportFigures()
                f.members = try row.value("members")
                f.due = try row.value("due")
                f.dueFen = try row.optional("due_fen", Int64.self) ?? 0
                f.paid = try row.value("paid")
                f.threeMonths = try row.optional("three_months", Int.self) ?? 0
                f.sixMonths = try row.optional("six_months", Int.self) ?? 0
                figures[try row.value("organisation_id")] = f
            }
            // 实收: entries paid in the month, reversals taken off (a reversal carries its entry's amount).
            for row in try await db.raw(
                """
                SELECT p.organisation_id, CAST(SUM(CASE WHEN p.reverses_id IS NULL THEN p.amount_fen ELSE -p.amount_fen END) AS BIGINT) AS collected
                FROM dues_payments p JOIN organisations o ON o.id = p.organisation_id
                WHERE \(within) AND \(visible) AND p.paid_on >= \(bind: month.firstDay.description) AND p.paid_on < \(bind: month.adding(months: 1).firstDay.description)
                GROUP BY p.organisation_id
                """
            ).all() {
                figures[try row.value("organisation_id"), default: DuesReportFigures()].collectedFen = try row.optional("collected", Int64.self) ?? 0
            }
            for row in try await db.raw(
                """
                SELECT r.organisation_id, COUNT(*) AS n FROM dues_reductions r JOIN organisations o ON o.id = r.organisation_id
                WHERE \(within) AND \(visible) AND r.state = \(bind: DuesReductionState.approved.rawValue)
                AND r.from_month <= \(bind: month.code) AND r.until_month >= \(bind: month.code)
                GROUP BY r.organisation_id
                """
            ).all() {
                figures[try row.value("organisation_id"), default: DuesReportFigures()].reductions = try row.value("n")
            }
            let lines = organisations.compactMap { org in figures[org.id].map { DuesMonthReport.Line(organisation: org, figures: $0) } }
            // Groups: the anchor's own line, then each direct child with everything below it.
            var groups: [DuesMonthReport.Line] = []
            if let own = figures[anchor.id] { groups.append(.init(organisation: anchor, figures: own)) }
            for child in organisations where child.parentID == anchor.id {
                var sum = DuesReportFigures()
                for line in lines where child.path.contains(line.organisation.path) { sum.add(line.figures) }
                groups.append(.init(organisation: child, figures: sum))
            }
            var total = DuesReportFigures()
            for line in lines { total.add(line.figures) }
            return DuesMonthReport(anchor: anchor, month: month, groups: groups, lines: lines, total: total)
        }
    }
}
