import Testing
@testable import DangjianDomain

@Suite("三单一账: deadlines, the task cycle and the rectification loop")
struct ListsAndLedgerTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("LIST-01/02 at the boundary dates: 临期 from N days before the deadline through the deadline, 逾期 from the day after")
    func deadlineBoundaries() {
        let deadline = day("2026-06-30")
        func status(_ today: String, done: String? = nil, n: Int = 7) -> DeadlineStatus {
            DeadlineStatus.of(deadline: deadline, finishedOn: done.map(day), today: day(today), dueSoonDays: n)
        }
        #expect(status("2026-06-22") == .open)
        #expect(status("2026-06-23") == .dueSoon)
        #expect(status("2026-06-30") == .dueSoon)
        #expect(status("2026-07-01") == .overdue)
        #expect(status("2026-07-05", done: "2026-06-30") == .done)
        #expect(status("2026-07-05", done: "2026-07-01") == .doneLate)
        #expect(status("2026-06-20", done: "2026-06-25") == .open, "a completion dated after today is not yet seen")
        #expect(status("2026-06-29", n: 0) == .open)
        #expect(status("2026-06-30", n: 0) == .dueSoon)
        #expect(DeadlineStatus.warning(deadline: deadline, status: .overdue, today: day("2026-07-03"))?.contains("已逾期 3 天") == true)
        #expect(DeadlineStatus.warning(deadline: deadline, status: .overdue, today: day("2026-07-03"))?.contains(ListRule.overdue) == true)
        #expect(DeadlineStatus.warning(deadline: deadline, status: .dueSoon, today: day("2026-06-25"))?.contains("还剩 5 天") == true)
        #expect(DeadlineStatus.warning(deadline: deadline, status: .done, today: day("2026-06-25")) == nil)
    }

    /// Brings a fresh problem into `state` (rectifier user 1).
    func problem(in state: ProblemState) throws -> ProblemLifecycle {
        var p = ProblemLifecycle(foundOn: day("2026-05-10"), deadline: day("2026-06-10"))
        if state == .found { return p }
        try p.apply(.plan(measures: "补齐会议记录", responsible: "张书记", deadline: day("2026-06-30")), by: 1, on: day("2026-05-12"))
        if state == .rectifying { return p }
        try p.apply(.requestClosure(evidence: "已补齐 5 月支委会记录"), by: 1, on: day("2026-05-20"))
        if state == .closureRequested { return p }
        try p.apply(.accept(opinion: "经查阅记录，整改到位"), by: 2, on: day("2026-05-25"))
        return p
    }

    static let actions: [ProblemAction] = [
        .plan(measures: "措施", responsible: "李委员", deadline: CivilDate(iso: "2026-07-31")!), .progress("进展"),
        .requestClosure(evidence: "佐证"), .accept(opinion: "同意"), .reject(reason: "记录不全"), .reopen(reason: "回头看发现反弹"),
    ]

    @Test("every state × action: allowed only from the state it belongs to (LIST-08), with the state it leads to")
    func transitionTable() throws {
        let expected: [ProblemState: [String: ProblemState]] = [
            .found: ["plan": .rectifying],
            .rectifying: ["plan": .rectifying, "progress": .rectifying, "request_closure": .closureRequested],
            .closureRequested: ["accept": .closed, "reject": .rectifying],
            .closed: ["reopen": .rectifying],
        ]
        for state in ProblemState.allCases {
            for action in Self.actions {
                var p = try problem(in: state)
                do {
                    try p.apply(action, by: 3, on: day("2026-05-28"))
                    #expect(expected[state]?[action.code] == p.state, "\(state) + \(action.code) → \(p.state)")
                } catch let failure as ValidationFailure {
                    #expect(expected[state]?[action.code] == nil, "\(state) + \(action.code) refused: \(failure.message)")
                    #expect(failure.ruleID == ListRule.order)
                }
            }
        }
    }

    @Test("LIST-03: the rectifier cannot accept or reject their own rectification; someone else can")
    func independentAcceptance() throws {
        var p = try problem(in: .closureRequested)
        #expect(throws: ValidationFailure(field: "action", message: "整改人不能验收本人的整改，请由其他人员验收", ruleID: ListRule.independentAcceptance)) {
            try p.apply(.accept(opinion: "自己验收"), by: 1, on: day("2026-05-21"))
        }
        #expect(throws: ValidationFailure.self) { try p.apply(.reject(reason: "自己退回"), by: 1, on: day("2026-05-21")) }
        // A colleague who reported progress is a rectifier too.
        var q = try problem(in: .rectifying)
        try q.apply(.progress("已召开支委会研究"), by: 4, on: day("2026-05-14"))
        try q.apply(.requestClosure(evidence: "记录已补"), by: 1, on: day("2026-05-20"))
        #expect(throws: ValidationFailure.self) { try q.apply(.accept(opinion: "同意"), by: 4, on: day("2026-05-21")) }
        try q.apply(.accept(opinion: "同意销号"), by: 2, on: day("2026-05-21"))
        #expect(q.state == .closed && q.closedOn == day("2026-05-21"))
    }

    @Test("LIST-04: closure needs evidence and a rejection its reason; LIST-07: 回头看 reopens with a reason and a new rectification")
    func evidenceAndLookBack() throws {
        var p = try problem(in: .rectifying)
        #expect(throws: ValidationFailure.self) { try p.apply(.requestClosure(evidence: "  "), by: 1, on: day("2026-05-20")) }
        try p.apply(.requestClosure(evidence: "已整改"), by: 1, on: day("2026-05-20"))
        do {
            try p.apply(.reject(reason: ""), by: 2, on: day("2026-05-22"))
            Issue.record("a rejection without a reason was accepted")
        } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.evidence) }
        try p.apply(.reject(reason: "记录缺少签名"), by: 2, on: day("2026-05-22"))
        #expect(p.state == .rectifying)
        try p.apply(.requestClosure(evidence: "补签完成"), by: 1, on: day("2026-05-26"))
        try p.apply(.accept(opinion: "同意"), by: 2, on: day("2026-05-27"))
        #expect(p.status(today: day("2026-12-01"), dueSoonDays: 7) == .done)
        do {
            try p.apply(.reopen(reason: " "), by: 2, on: day("2026-09-01"))
            Issue.record("回头看 without a reason")
        } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.lookBack) }
        try p.apply(.reopen(reason: "回头看：8 月记录又不全"), by: 2, on: day("2026-09-01"))
        #expect(p.state == .rectifying && p.closedOn == nil && p.reopenings == 1 && p.rectifiers.isEmpty)
        #expect(p.status(today: day("2026-09-01"), dueSoonDays: 7) == .overdue, "the deadline of 2026-06-30 has passed")
        // The acceptor of the first round may rectify this time, and then cannot accept.
        try p.apply(.requestClosure(evidence: "重新整改"), by: 2, on: day("2026-09-05"))
        #expect(throws: ValidationFailure.self) { try p.apply(.accept(opinion: "同意"), by: 2, on: day("2026-09-06")) }
        // Dates before the finding are refused; a plan cannot set a deadline before it either.
        var fresh = try problem(in: .found)
        #expect(throws: ValidationFailure.self) {
            try fresh.apply(.plan(measures: "m", responsible: "r", deadline: day("2026-06-01")), by: 1, on: day("2026-05-01"))
        }
        #expect(throws: ValidationFailure.self) {
            try fresh.apply(.plan(measures: "m", responsible: "r", deadline: day("2026-05-01")), by: 1, on: day("2026-05-11"))
        }
        #expect(throws: ValidationFailure.self) {
            try fresh.apply(.plan(measures: "m", responsible: " ", deadline: day("2026-06-01")), by: 1, on: day("2026-05-11"))
        }
    }

    @Test("tasks: claimed with a breakdown, done only with a ledger entry (LIST-05), nothing after done")
    func taskCycle() throws {
        var t = TaskAssignmentLifecycle(deadline: day("2026-06-30"))
        #expect(throws: ValidationFailure.self) { try t.claim(refinement: " ") }
        do {
            try t.complete(on: day("2026-06-01"))
            Issue.record("completed without a ledger entry")
        } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.ledgerBacked) }
        try t.claim(refinement: "1. 制定方案 2. 组织学习")
        #expect(t.state == .claimed)
        #expect(throws: ValidationFailure.self) { try t.claim(refinement: "再次认领") }
        try t.record(progress: "6 月 5 日召开动员会")
        #expect(t.state == .inProgress && t.ledgerEntries == 1)
        try t.complete(on: day("2026-07-02"))
        #expect(t.status(today: day("2026-07-10"), dueSoonDays: 7) == .doneLate)
        #expect(throws: ValidationFailure.self) { try t.record(progress: "补充") }
        #expect(throws: ValidationFailure.self) { try t.complete(on: day("2026-07-03")) }
    }

    @Test("月通报 figures: month and year to date, carried-over late tasks, problems overdue at the cut-off, ranking")
    func monthlyFigures() {
        let a: Int64 = 1, b: Int64 = 2
        let tasks = [
            LedgerReport.TaskFact(organisationID: a, deadline: day("2026-05-31"), doneOn: day("2026-05-20")),  // May, on time
            LedgerReport.TaskFact(organisationID: a, deadline: day("2026-06-15"), doneOn: day("2026-06-10")),  // June, on time
            LedgerReport.TaskFact(organisationID: b, deadline: day("2026-05-31"), doneOn: nil),  // May, still open → late in June
            LedgerReport.TaskFact(organisationID: b, deadline: day("2026-06-20"), doneOn: day("2026-06-25")),  // June, done late
            LedgerReport.TaskFact(organisationID: b, deadline: day("2026-07-31"), doneOn: nil),  // not due yet
        ]
        let problems = [
            LedgerReport.ProblemFact(
                organisationID: a, source: .supervision, foundOn: day("2026-06-03"), deadline: day("2026-06-20"),
                transitions: [
                    (day("2026-06-05"), .rectifying, day("2026-06-20")), (day("2026-06-12"), .closureRequested, day("2026-06-20")),
                    (day("2026-06-14"), .closed, day("2026-06-20")),
                ]),
            LedgerReport.ProblemFact(
                organisationID: b, source: .supervision, foundOn: day("2026-06-03"), deadline: day("2026-06-20"),
                transitions: [(day("2026-06-05"), .rectifying, day("2026-06-20"))]),
            LedgerReport.ProblemFact(organisationID: b, source: .selfCheck, foundOn: day("2026-07-02"), deadline: day("2026-07-20"), transitions: []),
        ]
        let visits = [
            LedgerReport.VisitFact(roundID: 1, groupID: 1, organisationID: a, visitedOn: day("2026-06-03")),
            LedgerReport.VisitFact(roundID: 1, groupID: 2, organisationID: b, visitedOn: day("2026-06-03")),
            LedgerReport.VisitFact(roundID: 1, groupID: 2, organisationID: b, visitedOn: day("2026-05-03")),
        ]
        let letters = [LedgerReport.LetterFact(organisationID: b, issuedOn: day("2026-06-04"), acknowledgedOn: day("2026-06-06"))]
        let report = LedgerReport(
            period: CompliancePeriod(.month, containing: day("2026-06-01")), today: day("2026-07-10"),
            names: [a: "甲局", b: "乙局"], tasks: tasks, problems: problems, visits: visits, letters: letters)
        #expect(report.cutoff == day("2026-06-30"))
        #expect(report.month.tasks == 3 && report.month.tasksDone == 1 && report.month.tasksDoneLate == 1 && report.month.tasksOverdue == 1)
        #expect(report.year.tasks == 4 && report.year.tasksDone == 2 && report.year.tasksLate == 2)
        #expect(
            report.month.problemsFound == 2 && report.month.problemsClosed == 1 && report.month.problemsOpen == 1 && report.month.problemsOverdue == 1
        )
        #expect(report.month.visits == 2 && report.month.unitsVisited == 2 && report.month.groups == 2 && report.month.rounds == 1)
        #expect(report.year.visits == 3 && report.month.letters == 1 && report.month.lettersAcknowledged == 1)
        #expect(report.lines.map(\.name) == ["甲局", "乙局"] && report.lines.map(\.rank) == [1, 2])
        #expect(report.lines[1].overdueItems == 2, "one task and one problem open past their deadline")
        // While the month runs, the cut-off is today.
        let running = LedgerReport(
            period: CompliancePeriod(.month, containing: day("2026-06-01")), today: day("2026-06-12"),
            names: [a: "甲局", b: "乙局"], tasks: tasks, problems: problems, visits: visits, letters: letters)
        #expect(
            running.cutoff == day("2026-06-12") && running.month.problemsClosed == 0 && running.month.problemsOverdue == 0
                && running.month.letters == 1)
    }
}

@Suite("责任清单: items as data, LIST-09 warnings, monthly stars")
struct ResponsibilityListTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    let rules = RuleBook.national2014  // warning days: month 7, quarter 15, year 30

    @Test("the template editor's lines: cadence, title, count; every bad line named")
    func parsing() throws {
        let items = try DutyItem.parse("每年 签订一份党建目标责任书\n每季度：讲一次党课\n每月 召开支委会 1\n\n月度 开展主题党日 2").get()
        #expect(items.map(\.cadence) == [.year, .quarter, .month, .month])
        #expect(items.map(\.title) == ["签订一份党建目标责任书", "讲一次党课", "召开支委会", "开展主题党日"])
        #expect(items.map(\.minimum) == [1, 1, 1, 2])
        guard case .failure(let errors) = DutyItem.parse("每周 例会\n每月 谈心谈话 40") else { Issue.record("bad lines accepted"); return }
        #expect(errors.problems.map(\.message).allSatisfy { $0.hasPrefix("第 ") } && errors.problems.count == 2)
        #expect((try? DutyItem.parse("  \n").get()) == nil)
    }

    @Test(
        "LIST-09 at the boundaries, as organisational life (one definition, Standing): a monthly item is 临期 in the month's last 7 days, 逾期 the day after; a quarterly one in the last 15"
    )
    func warnings() {
        let items = [DutyItem(id: 1, title: "召开支委会", cadence: .month), DutyItem(id: 2, title: "讲党课", cadence: .quarter)]
        func state(_ today: String, _ records: [Int64: [CivilDate]] = [:]) -> (ComplianceState, [ComplianceState]) {
            let s = DutyStanding(items: items, year: 2026, records: records, today: day(today), rules: rules)
            return (s.state, s.periods.map(\.state))
        }
        // 2026-01-24 is 7 days before the month's end: still pending; the 25th is 临期; 2026-02-01 the January item is 逾期.
        #expect(state("2026-01-24").1 == [.pending, .pending])
        #expect(state("2026-01-25").1 == [.dueSoon, .pending])
        #expect(state("2026-02-01").0 == .overdue)
        #expect(state("2026-03-16").1.last == .pending && state("2026-03-17").1.last == .dueSoon, "Q1 ends 03-31: its last 15 days begin 03-17")
        // The missed January item keeps the list red through February (the month after), not after.
        #expect(state("2026-02-28", [1: [day("2026-02-10")]]).0 == .overdue && state("2026-03-01", [1: [day("2026-02-10")]]).0 == .pending)
        let done = state("2026-02-01", [1: [day("2026-01-10")], 2: [day("2026-02-01")]])
        #expect(done.1 == [.met, .pending, .met] && done.0 == .pending)
        // A record dated after today is not counted.
        #expect(state("2026-01-25", [1: [day("2026-01-26")]]).1.first == .dueSoon)
    }

    @Test("a star for each finished month where everything that fell due in it was done; a quarterly item falls due in the quarter's last month only")
    func stars() {
        let items = [
            DutyItem(id: 1, title: "召开支委会", cadence: .month), DutyItem(id: 2, title: "讲党课", cadence: .quarter),
            DutyItem(id: 3, title: "主题党日", cadence: .month, minimum: 2),
        ]
        var records: [Int64: [CivilDate]] = [1: [], 2: [day("2026-02-10")], 3: []]
        for m in 1...5 {
            records[1]!.append(CivilDate(year: 2026, month: m, day: 5)!)
            if m != 3 { records[3]! += [CivilDate(year: 2026, month: m, day: 6)!, CivilDate(year: 2026, month: m, day: 20)!] }
        }
        records[3]!.append(day("2026-03-06"))  // March: only one 主题党日 of the two required
        let s = DutyStanding(items: items, year: 2026, records: records, today: day("2026-06-15"), rules: rules)
        #expect(s.stars == [1, 2, 4, 5], "March misses a 主题党日; June is not over")
        // March complete: a star; without the quarter's 党课 (done in February) March loses it, and only March — the
        // quarter falls due in March, so January, February, April and May keep theirs.
        records[3]!.append(day("2026-03-20"))
        #expect(DutyStanding(items: items, year: 2026, records: records, today: day("2026-06-15"), rules: rules).stars == [1, 2, 3, 4, 5])
        records[2] = []
        let none = DutyStanding(items: items, year: 2026, records: records, today: day("2026-06-15"), rules: rules)
        #expect(none.stars == [1, 2, 4, 5])
        #expect(none.months[2].state == .overdue && none.months[0].state == .met)
        #expect(none.warnings.contains { $0.contains("讲党课") && $0.contains("LIST-09") && $0.contains("逾期") })
    }
}
