/// ASSESS-05 "Dues on time": member-months paid by their month's end ÷ member-months due, for one member in the
/// cut-off's year. Due: every month from January (or the month the member starts owing, DUES-10) through the last
/// month that ended by the cut-off. A month settled by a payment made in it or before counts as on time.
public enum DuesPunctuality {
    public static func count(owingSince: DuesMonth, year: Int, cutoff: CivilDate, paidOn: [DuesMonth: CivilDate]) -> (onTime: Int, due: Int) {
        guard let january = DuesMonth(year: year, month: 1) else { return (0, 0) }
        // The last month wholly ended by the cut-off.
        let next = cutoff.adding(days: 1)
        let lastMonth = next.day == 1 ? DuesMonth(containing: cutoff) : DuesMonth(year: cutoff.year, month: cutoff.month - 1)
        guard let lastMonth, lastMonth.year == year else { return (0, 0) }
        let start = max(january, owingSince)
        guard start <= lastMonth else { return (0, 0) }
        var onTime = 0
        var due = 0
        for m in start.month...lastMonth.month {
            guard let month = DuesMonth(year: year, month: m) else { continue }
            due += 1
            if let paid = paidOn[month], DuesMonth(containing: paid) <= month { onTime += 1 }
        }
        return (onTime, due)
    }
}
