/// 责任清单 (the secretaries' duty lists, e.g. 书记抓党建履职清单 "十个一"/"八个一"): configurable templates of annual,
/// quarterly and monthly items, instantiated per organisation and year, items recorded done in the ledger, monthly
/// stars (按月贴星) and red/yellow warnings (双色预警) for those who fall behind. rules.md §8.2 has no national list,
/// so nothing is hard-coded: the items are data and the warning days are the rule book's (LIST-09).
public enum DutyCadence: String, Sendable, CaseIterable, Codable {
    case year, quarter, month

    public var displayName: String {
        switch self {
        case .year: "每年"
        case .quarter: "每季度"
        case .month: "每月"
        }
    }

    var periodLength: PeriodLength {
        switch self {
        case .year: .year
        case .quarter: .quarter
        case .month: .month
        }
    }

    /// Accepts 每年/年度/年, 每季度/季度/季, 每月/月度/月 or the code.
    public init?(text: String) {
        let t = text.trimmed
        if let c = DutyCadence(rawValue: t) { self = c; return }
        switch t {
        case "每年", "年度", "年", "全年": self = .year
        case "每季度", "季度", "季", "每季": self = .quarter
        case "每月", "月度", "月": self = .month
        default: return nil
        }
    }
}

extension ListRule {
    /// LIST-09: a duty-list item not done in its period is 临期 from the rule book's warning days before the period
    /// ends (the same days as organisational life: month / quarter / year) and 逾期 once the period has ended.
    public static let dutyWarning = RuleID.list09.code
}

/// One item of a duty-list template: what, how often, how many times per period.
public struct DutyItem: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var cadence: DutyCadence
    public var minimum: Int

    /// The kind of organisational-life activity the item names, if any: such an item is fulfilled by the meeting
    /// records of that kind (one ledger), not by entries made on the duty list.
    public var fedBy: MeetingKind? { MeetingKind(namedIn: title) }

    public init(id: Int64, title: String, cadence: DutyCadence, minimum: Int = 1) {
        self.id = id
        self.title = title
        self.cadence = cadence
        self.minimum = minimum
    }

    /// Parses the template editor's lines: "每年 讲一次党课", "每月 召开支委会 1", "季度：讲党课 1"; every problem
    /// names its line.
    public static func parse(_ text: String) -> Result<[DutyItem], ValidationProblems> {
        var items: [DutyItem] = []
        var problems: [ValidationFailure] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmed
            if line.isEmpty { continue }
            var parts = line.split(whereSeparator: { $0 == " " || $0 == "　" || $0 == "：" || $0 == ":" || $0 == "\t" }).map(String.init)
            guard parts.count >= 2, let cadence = DutyCadence(text: parts[0]) else {
                problems.append(ValidationFailure(field: "items", message: "第 \(n + 1) 行应以“每年/每季度/每月”开头，再写事项名称，如“每年 讲一次党课”"))
                continue
            }
            parts.removeFirst()
            var minimum = 1
            if parts.count >= 2, let last = parts.last, let m = Int(last) { minimum = m; parts.removeLast() }
            let title = parts.joined(separator: " ")
            guard (1...31).contains(minimum) else {
                problems.append(ValidationFailure(field: "items", message: "第 \(n + 1) 行：每期次数应在 1–31 之间")); continue
            }
            guard title.count <= 100 else { problems.append(ValidationFailure(field: "items", message: "第 \(n + 1) 行：事项名称不超过 100 字")); continue }
            items.append(DutyItem(id: Int64(items.count + 1), title: title, cadence: cadence, minimum: minimum))
        }
        if items.isEmpty && problems.isEmpty { problems.append(ValidationFailure(field: "items", message: "请至少填写一项职责")) }
        return problems.isEmpty ? .success(items) : .failure(ValidationProblems(problems: problems))
    }
}

/// Where one item stands in one period.
public struct DutyPeriodState: Sendable, Equatable {
    public var item: DutyItem
    public var period: CompliancePeriod
    public var done: Int
    public var state: ComplianceState

    public var met: Bool { done >= item.minimum }
}

/// A duty list's standing for a year on a day: every item in every period begun so far, the state now and the
/// months with their stars — by the one set of definitions in `Standing`.
public struct DutyStanding: Sendable {
    public var year: Int
    public var periods: [DutyPeriodState]
    /// The months of the year so far (`Standing.months`) from the list's own items.
    public var months: [StandingMonth]

    /// Months (1…12) that earned a star from the list's own items.
    public var stars: [Int] { months.filter(\.star).map(\.month) }

    /// The state now (`Standing.now`): 逾期 if something that ended last month was not done, 临期 if something due
    /// soon is not done yet.
    public let state: ComplianceState

    /// Computes the standing of `items` from the dates they were done — for items fed by organisational life, the
    /// dates the meetings of their kind were held — as seen on `today`.
    /// Periods that began before `since` (the organisation's establishment) are not judged, as for organisational life.
    public init(items: [DutyItem], year: Int, records: [Int64: [CivilDate]], today: CivilDate, since: CivilDate? = nil, rules: RuleBook) {
        self.year = year
        var periods: [DutyPeriodState] = []
        let yearStart = CalendarYear(clamping: year).firstDay
        for item in items {
            var period = CompliancePeriod(item.cadence.periodLength, containing: yearStart)
            while period.start.year == year && period.start <= today {
                if let since, period.start < since {
                    period = CompliancePeriod(item.cadence.periodLength, containing: period.end.adding(days: 1))
                    continue
                }
                let done = (records[item.id] ?? []).filter { period.contains($0) && $0 <= today }.count
                let state = Standing.state(
                    done: done, minimum: item.minimum, period: period, today: today,
                    warningDays: LifeCompliance.warningDays(item.cadence.periodLength, rules: rules))
                periods.append(DutyPeriodState(item: item, period: period, done: done, state: state))
                period = CompliancePeriod(item.cadence.periodLength, containing: period.end.adding(days: 1))
            }
        }
        self.periods = periods
        self.months = Standing.months(periods, year: year, today: today)
        self.state = Standing.now(periods, today: today) ?? .met
    }

    /// The warnings with their rule, for the secretary's page: every period of the year so far that is 临期 or 逾期.
    public var warnings: [String] {
        periods.filter { $0.state >= .dueSoon }.map { p in
            "\(p.period)“\(p.item.title)”\(p.state == .overdue ? "未完成（逾期）" : "尚未完成（临期，\(p.period.end) 截止）")，已完成 \(p.done)/\(p.item.minimum)（\(ListRule.dutyWarning)）"
        }
    }
}
