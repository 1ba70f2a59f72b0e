/// 月通报 of the lists and ledger (三单一账, rules.md §8.2): per organisation in a scope, tasks done and late,
/// problems found, rectified and overdue, supervision visits and reminder letters, with a ranking; for one month,
/// with the year to date beside it. Computed from raw facts only, so a test can recompute every figure.
public struct LedgerReport: Sendable {
    /// A task line assigned to an organisation.
    public struct TaskFact: Sendable {
        public var organisationID: Int64
        public var deadline: CivilDate
        public var doneOn: CivilDate?
        public init(organisationID: Int64, deadline: CivilDate, doneOn: CivilDate?) {
            self.organisationID = organisationID
            self.deadline = deadline
            self.doneOn = doneOn
        }
    }

    /// A problem with its history of states (the state and deadline after each event, in order).
    public struct ProblemFact: Sendable {
        public var organisationID: Int64
        public var source: ProblemSource
        public var foundOn: CivilDate
        public var deadline: CivilDate
        public var transitions: [(on: CivilDate, state: ProblemState, deadline: CivilDate)]
        public init(
            organisationID: Int64, source: ProblemSource, foundOn: CivilDate, deadline: CivilDate,
            transitions: [(on: CivilDate, state: ProblemState, deadline: CivilDate)]
        ) {
            self.organisationID = organisationID
            self.source = source
            self.foundOn = foundOn
            self.deadline = deadline
            self.transitions = transitions
        }

        /// State and deadline at the end of `day` (nil when not yet found).
        public func standing(on day: CivilDate) -> (state: ProblemState, deadline: CivilDate)? {
            guard foundOn <= day else { return nil }
            var current = (state: ProblemState.found, deadline: deadline)
            for t in transitions where t.on <= day { current = (t.state, t.deadline) }
            return current
        }

        /// Whether it was closed (销号) on a day within `start…end`.
        public func closed(between start: CivilDate, and end: CivilDate) -> Bool {
            transitions.contains { $0.state == .closed && $0.on >= start && $0.on <= end }
        }
    }

    /// A supervision visit (督导到单位).
    public struct VisitFact: Sendable {
        public var roundID: Int64
        public var groupID: Int64
        public var organisationID: Int64
        public var visitedOn: CivilDate
        public init(roundID: Int64, groupID: Int64, organisationID: Int64, visitedOn: CivilDate) {
            self.roundID = roundID
            self.groupID = groupID
            self.organisationID = organisationID
            self.visitedOn = visitedOn
        }
    }

    /// A reminder letter (提醒函) issued to an organisation.
    public struct LetterFact: Sendable {
        public var organisationID: Int64
        public var issuedOn: CivilDate
        public var acknowledgedOn: CivilDate?
        public init(organisationID: Int64, issuedOn: CivilDate, acknowledgedOn: CivilDate?) {
            self.organisationID = organisationID
            self.issuedOn = issuedOn
            self.acknowledgedOn = acknowledgedOn
        }
    }

    /// A duty list's periods (责任清单) and the months that earned a star.
    public struct DutyFact: Sendable {
        public var organisationID: Int64
        public var periods: [(end: CivilDate, met: Bool)]
        public var starMonths: [CivilDate]  // the last day of each starred month
        public init(organisationID: Int64, periods: [(end: CivilDate, met: Bool)], starMonths: [CivilDate]) {
            self.organisationID = organisationID
            self.periods = periods
            self.starMonths = starMonths
        }

        /// The list's periods, and the stars of the organisation's months (`Standing`: the same stars as the board,
        /// organisational life and duty list together).
        public init(_ list: DutyStanding, months: [StandingMonth], organisationID: Int64) {
            self.init(
                organisationID: organisationID, periods: list.periods.map { ($0.period.end, $0.met) },
                starMonths: months.filter(\.star).map {
                    CompliancePeriod(.month, containing: CalendarYear(clamping: list.year).firstDay(ofMonth: $0.month)).end
                })
        }
    }

    /// Figures over a span of days (the month, or the year to date).
    public struct Figures: Sendable, Equatable {
        public var tasks = 0  // 任务数（截止日在期末前或已完成）
        public var tasksDone = 0  // 按期完成
        public var tasksDoneLate = 0  // 逾期完成
        public var tasksOverdue = 0  // 期末逾期未完成
        public var problemsFound = 0  // 发现问题
        public var problemsClosed = 0  // 整改销号
        public var problemsOpen = 0  // 期末未销号
        public var problemsOverdue = 0  // 期末逾期未销号
        public var visits = 0  // 督导到单位次数
        public var unitsVisited = 0  // 督导单位数
        public var groups = 0  // 督导组数
        public var rounds = 0  // 督导轮次
        public var letters = 0  // 下发提醒函
        public var lettersAcknowledged = 0  // 已签收
        public var dutyItems = 0  // 责任清单到期事项
        public var dutyMet = 0  // 按期完成的责任清单事项
        public var stars = 0  // 贴星（月）
        public init() {}

        /// 责任清单完成率 in percent.
        public var dutyRate: Int? { Percentage.of(dutyMet, dutyItems) }

        /// 逾期（未完成已过期，或逾期完成）.
        public var tasksLate: Int { tasksDoneLate + tasksOverdue }
        /// 按期完成率 in percent, nil without tasks.
        public var taskRate: Int? { Percentage.of(tasksDone, tasks) }
        /// 整改销号率 (closed of those found) in percent.
        public var rectificationRate: Int? { Percentage.of(problemsClosed, problemsFound) }
    }

    /// One organisation's line with its rank (1 = best).
    public struct Line: Sendable {
        public var organisationID: Int64
        public var name: String
        public var month: Figures
        public var year: Figures
        public var rank: Int
        /// Open items past their deadline at the cut-off (tasks and problems) — the ranking's first key.
        public var overdueItems: Int { year.tasksOverdue + year.problemsOverdue }
    }

    public var period: CompliancePeriod
    /// The cut-off: the end of the month, or today while the month is running.
    public var cutoff: CivilDate
    public var lines: [Line]
    public var month: Figures
    public var year: Figures

    /// Computes the report of `period` (a month) for the organisations in `names` as of `today`.
    public init(
        period: CompliancePeriod, today: CivilDate, names: [Int64: String], tasks: [TaskFact], problems: [ProblemFact],
        visits: [VisitFact], letters: [LetterFact], duties: [DutyFact] = []
    ) {
        self.period = period
        let cutoff = min(period.end, today)
        self.cutoff = cutoff
        let yearStart = period.start.startOfYear
        // Past its deadline at the cut-off: the deadline day itself counts once the cut-off day is over (a month
        // already ended), not while it is still today.
        func past(_ deadline: CivilDate) -> Bool { deadline < cutoff || (deadline == cutoff && cutoff < today) }
        func figures(
            _ start: CivilDate, _ tasks: [TaskFact], _ problems: [ProblemFact], _ visits: [VisitFact], _ letters: [LetterFact],
            _ duties: [DutyFact]
        ) -> Figures {
            var f = Figures()
            // Duty-list periods that ended within the span (and are over by the cut-off), and stars of months in it.
            for d in duties {
                for p in d.periods where p.end >= start && p.end <= cutoff && p.end < today {
                    f.dutyItems += 1
                    if p.met { f.dutyMet += 1 }
                }
                f.stars += d.starMonths.filter { $0 >= start && $0 <= cutoff }.count
            }
            for t in tasks {
                let done = t.doneOn.map { $0 <= cutoff } ?? false
                // A task counts in a span when it fell due in it, or was finished in it.
                let dueIn = t.deadline >= start && t.deadline <= cutoff
                let doneIn = done && (t.doneOn.map { $0 >= start } ?? false)
                let stillOpenLate = !done && past(t.deadline) && t.deadline < start  // carried over, still late
                guard dueIn || doneIn || stillOpenLate else { continue }
                f.tasks += 1
                if done, let doneOn = t.doneOn, doneOn <= t.deadline {
                    f.tasksDone += 1
                } else if done {
                    f.tasksDoneLate += 1
                } else if past(t.deadline) {
                    f.tasksOverdue += 1
                }
            }
            for p in problems {
                if p.foundOn >= start && p.foundOn <= cutoff { f.problemsFound += 1 }
                if p.closed(between: start, and: cutoff) { f.problemsClosed += 1 }
                if let s = p.standing(on: cutoff), s.state != .closed {
                    f.problemsOpen += 1
                    if past(s.deadline) { f.problemsOverdue += 1 }
                }
            }
            let spanVisits = visits.filter { $0.visitedOn >= start && $0.visitedOn <= cutoff }
            f.visits = spanVisits.count
            f.unitsVisited = Set(spanVisits.map(\.organisationID)).count
            f.groups = Set(spanVisits.map(\.groupID)).count
            f.rounds = Set(spanVisits.map(\.roundID)).count
            let spanLetters = letters.filter { $0.issuedOn >= start && $0.issuedOn <= cutoff }
            f.letters = spanLetters.count
            f.lettersAcknowledged = spanLetters.filter { $0.acknowledgedOn.map { $0 <= cutoff } ?? false }.count
            return f
        }
        let tasks = tasks.filter { names[$0.organisationID] != nil }
        let problems = problems.filter { names[$0.organisationID] != nil }
        let visits = visits.filter { names[$0.organisationID] != nil }
        let letters = letters.filter { names[$0.organisationID] != nil }
        let duties = duties.filter { names[$0.organisationID] != nil }
        month = figures(period.start, tasks, problems, visits, letters, duties)
        year = figures(yearStart, tasks, problems, visits, letters, duties)
        let d = Dictionary(grouping: duties, by: \.organisationID)
        let t = Dictionary(grouping: tasks, by: \.organisationID), p = Dictionary(grouping: problems, by: \.organisationID)
        let v = Dictionary(grouping: visits, by: \.organisationID), l = Dictionary(grouping: letters, by: \.organisationID)
        var lines: [Line] = names.map { id, name in
            let facts = (t[id] ?? [], p[id] ?? [], v[id] ?? [], l[id] ?? [], d[id] ?? [])
            return Line(
                organisationID: id, name: name, month: figures(period.start, facts.0, facts.1, facts.2, facts.3, facts.4),
                year: figures(yearStart, facts.0, facts.1, facts.2, facts.3, facts.4), rank: 0)
        }
        // 排名: fewer overdue items first, then the higher on-time rate, then the higher rectification rate.
        lines.sort { a, b in
            if a.overdueItems != b.overdueItems { return a.overdueItems < b.overdueItems }
            if (a.year.taskRate ?? 100) != (b.year.taskRate ?? 100) { return (a.year.taskRate ?? 100) > (b.year.taskRate ?? 100) }
            if (a.year.rectificationRate ?? 100) != (b.year.rectificationRate ?? 100) {
                return (a.year.rectificationRate ?? 100) > (b.year.rectificationRate ?? 100)
            }
            if (a.year.dutyRate ?? 100) != (b.year.dutyRate ?? 100) { return (a.year.dutyRate ?? 100) > (b.year.dutyRate ?? 100) }
            return a.name < b.name
        }
        var rank = 0
        for i in lines.indices {
            if i == 0 || Self.rankKey(lines[i]) != Self.rankKey(lines[i - 1]) { rank = i + 1 }
            lines[i].rank = rank
        }
        self.lines = lines
    }

    static func rankKey(_ l: Line) -> [Int] { [l.overdueItems, l.year.taskRate ?? 100, l.year.rectificationRate ?? 100, l.year.dutyRate ?? 100] }
}
