/// Working days (工作日) for periods counted in working days, e.g. the 公示 of a development target (DEV-17): Monday to
/// Friday, except the statutory holidays (法定节假日) the State Council announces each year, plus the weekend days
/// that become working days in exchange (调休上班). The dates are data an administrator maintains per year.
public struct WorkingDayCalendar: Sendable, Equatable {
    /// 放假 days with their name.
    public var holidays: [CivilDate: String]
    /// 调休上班 weekend days with their name.
    public var workdays: [CivilDate: String]

    public init(holidays: [CivilDate: String] = [:], workdays: [CivilDate: String] = [:]) {
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Monday to Friday only (no holiday data).
    public static let weekdaysOnly = WorkingDayCalendar()

    /// 0 = Monday … 6 = Sunday.
    public static func weekday(_ day: CivilDate) -> Int {
        ((day.days(since: CivilDate(checkedYear: 2024, month: 1, day: 1)) % 7) + 7) % 7  // 2024-01-01 was a Monday
    }

    public func isWorkingDay(_ day: CivilDate) -> Bool {
        if workdays[day] != nil { return true }
        if holidays[day] != nil { return false }
        return Self.weekday(day) < 5
    }

    /// The `count`-th working day counting from `start` (start itself counts when it is a working day).
    public func workingDay(_ count: Int, from start: CivilDate) -> CivilDate {
        var day = start
        var seen = isWorkingDay(day) ? 1 : 0
        while seen < max(1, count) {
            day = day.adding(days: 1)
            if isWorkingDay(day) { seen += 1 }
        }
        return day
    }

    /// The last working day strictly before `day`.
    public func previousWorkingDay(before day: CivilDate) -> CivilDate {
        var d = day.adding(days: -1)
        var guardDays = 0
        while !isWorkingDay(d) && guardDays < 60 {
            d = d.adding(days: -1)
            guardDays += 1
        }
        return d
    }

    /// Whether the calendar has any data for `year` (a warning is shown when a period falls in a year without it).
    public func knows(year: Int) -> Bool {
        holidays.keys.contains { $0.year == year } || workdays.keys.contains { $0.year == year }
    }

    /// Parses the administrator's lines: "2026-10-01 国庆节 休", a range "2026-10-01~2026-10-08 国庆节 休", or
    /// "2026-10-11 国庆节调休 班"; every bad line is named.
    public static func parse(_ text: String) -> Result<WorkingDayCalendar, ValidationProblems> {
        var calendar = WorkingDayCalendar()
        var problems: [ValidationFailure] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = raw.split(whereSeparator: { $0 == " " || $0 == "　" || $0 == "\t" }).map(String.init)
            if parts.isEmpty { continue }
            func bad(_ why: String) {
                problems.append(ValidationFailure(field: "calendar", message: "第 \(n + 1) 行：\(why)", ruleID: RuleID.dev17.code))
            }
            guard parts.count >= 2 else { bad("应写“日期 名称 休/班”，如“2026-10-01 国庆节 休”"); continue }
            guard let kind = parts.last else { continue }
            guard kind == "休" || kind == "班" else { bad("最后一项应为“休”（放假）或“班”（调休上班）"); continue }
            let name = parts.count > 2 ? parts[1..<(parts.count - 1)].joined(separator: " ") : (kind == "休" ? "放假" : "调休上班")
            let range = parts[0].split(whereSeparator: { $0 == "~" || $0 == "～" || $0 == "至" }).map(String.init)
            guard let first = range.first.flatMap(CivilDate.parseLenient), let last = (range.count > 1 ? CivilDate.parseLenient(range[1]) : first)
            else {
                bad("日期无法识别：\(parts[0])"); continue
            }
            guard first <= last, last.days(since: first) < 31 else { bad("日期范围应从早到晚且不超过 31 天"); continue }
            var day = first
            while day <= last {
                if kind == "休" { calendar.holidays[day] = name } else { calendar.workdays[day] = name }
                day = day.adding(days: 1)
            }
        }
        return problems.isEmpty ? .success(calendar) : .failure(ValidationProblems(problems: problems))
    }

    /// The calendar as editable lines, one per day, in date order.
    public var lines: String {
        (holidays.map { ($0.key, "\($0.key) \($0.value) 休") } + workdays.map { ($0.key, "\($0.key) \($0.value) 班") })
            .sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
    }
}
