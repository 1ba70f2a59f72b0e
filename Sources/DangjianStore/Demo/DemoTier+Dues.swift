import SQLKit
public import DangjianDomain

/// 党费 and 主题党日 attendance at the tier's scale (issue 18's benchmarks: the city's dues report and accounts, and
/// the year's points for 300,000 members). This year's base for every member (computed by `DuesCalculator`); nine
/// members in ten paid every finished quarter on the 10th of its last month and each month of this quarter on the
/// 10th; every 主题党日 of this year lists each member of its branch (one in seven absent). Rows go in as multi-row
/// inserts; the settled months and the attendance are written set-based.
extension TierGenerator {
    func generateDues(root: Organisation, today: CivilDate) async throws {
        let database = organisations.database
        let year = today.year
        let thisMonth = DuesMonth(containing: today)
        let now = organisations.clock.now().epochSeconds
        let within = AccessSQL.scopePredicate(root.id, root.path, .subtree, alias: "o")
        let members = try await database.read { db in
            try await db.raw(
                """
                SELECT m.id, m.organisation_id FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE \(within) AND m.deleted_at IS NULL ORDER BY m.id
                """
            ).all().map { (try $0.value("id", Int64.self), try $0.value("organisation_id", Int64.self)) }
        }
        // The entries each paying member makes: a quarterly entry per finished quarter, a regular one per month of
        // this quarter before this month.
        var plan: [(kind: DuesEntryKind, months: [DuesMonth])] = []
        for q in DuesPeriod.all(year: year, length: .quarterly) where q.last < thisMonth {
            plan.append((.quarterly, (0..<3).map { q.first.adding(months: $0) }))
        }
        let quarterStart = DuesPeriod(containing: thisMonth, length: .quarterly).first
        var m = quarterStart
        while m < thisMonth {
            plan.append((.regular, [m]))
            m = m.adding(months: 1)
        }
        var receipts: [Int64: Int] = [:]
        var bases: [SQLQueryString] = []
        var payments: [SQLQueryString] = []
        func flush(_ force: Bool) async throws {
            guard force || bases.count + payments.count >= 2_000 else { return }
            let (b, p) = (bases, payments)
            bases.removeAll(keepingCapacity: true)
            payments.removeAll(keepingCapacity: true)
            try await database.write { db in
                for start in stride(from: 0, to: b.count, by: 500) {
                    try await db.raw(
                        """
                        INSERT INTO dues_bases (member_id, organisation_id, year, category, base_fen, monthly_fen, parameters_version, recorded_at) VALUES
                        """ + b[start..<min(start + 500, b.count)].joined(separator: ", ")
                    ).run()
                }
                for start in stride(from: 0, to: p.count, by: 500) {
                    try await db.raw(
                        """
                        INSERT INTO dues_payments (member_id, organisation_id, kind, months, amount_fen, paid_on, method, receipt_no, recorded_at) VALUES
                        """ + p[start..<min(start + 500, p.count)].joined(separator: ", ")
                    ).run()
                }
            }
        }
        for (i, (member, org)) in members.enumerated() {
            guard let base = Fen(300_000 + Int64(i &* 9_973 % 900_000)) else { continue }
            let amount = try DuesCalculator.monthly(.employed, base: base)
            bases.append(
                """
                (\(bind: member), \(bind: org), \(bind: year), \(bind: DuesCategory.employed.rawValue), \(bind: base.value), \(bind: amount.monthly.value),
                 \(bind: DuesParameters.national.version), \(bind: now))
                """)
            guard i % 10 != 0 else { continue }
            for entry in plan {
                let last = entry.months[entry.months.count - 1]
                let paidOn = CivilDate(year: last.year, month: last.month, day: 10) ?? today
                let n = (receipts[org] ?? 0) + 1
                receipts[org] = n
                let number = String(n)
                payments.append(
                    """
                    (\(bind: member), \(bind: org), \(bind: entry.kind.rawValue), \(bind: entry.months.map(\.code).joined(separator: ",")),
                     \(bind: amount.monthly.value * Int64(entry.months.count)), \(bind: min(paidOn, today).description), \(bind: DuesPaymentMethod.online.rawValue),
                     \(bind: "\(year)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"), \(bind: now))
                    """)
            }
            try await flush(false)
        }
        try await flush(true)
        // The settled months of those entries, and 主题党日 attendance, each in one statement per month.
        try await database.write(largeWrite: true) { db in
            var month = DuesMonth(year: year, month: 1) ?? thisMonth
            while month < thisMonth {
                try await db.raw(
                    """
                    INSERT INTO dues_settlements (member_id, month, payment_id)
                    SELECT p.member_id, \(bind: month.code), p.id FROM dues_payments p JOIN organisations o ON o.id = p.organisation_id
                    WHERE \(within) AND p.reverses_id IS NULL AND p.months LIKE \(bind: "%\(month.code)%")
                    """
                ).run()
                month = month.adding(months: 1)
            }
            try await db.raw(
                """
                INSERT INTO meeting_attendance (meeting_id, member_id, status)
                SELECT g.id, m.id, CASE WHEN (m.id + g.id) % 7 = 0 THEN \(bind: AttendanceStatus.absent.rawValue) ELSE \(bind: AttendanceStatus.present.rawValue) END
                FROM meetings g JOIN organisations o ON o.id = g.organisation_id JOIN members m ON m.organisation_id = g.organisation_id
                WHERE \(within) AND g.kind = \(bind: MeetingKind.themeDay.rawValue) AND g.held_on >= \(bind: "\(year)-01-01") AND g.deleted_at IS NULL
                AND m.deleted_at IS NULL
                """
            ).run()
        }
    }
}
