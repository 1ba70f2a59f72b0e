/// The monthly or quarterly organisational-life report (组织生活月报/季报) of a subtree: for one reporting period,
/// what each organisation had to hold, what it held and whether it met the rules, with totals per requirement and
/// per directly subordinate organisation — the figures a committee sends up and publishes in its 月通报.
public struct ComplianceReport: Sendable {
    /// One organisation's findings for the reporting period.
    public struct OrganisationLine: Sendable {
        public var organisation: Organisation
        /// Every requirement period that overlaps the reporting period, judged on the report day (see `build`).
        public var findings: [ComplianceFinding]
        /// The findings whose period ends inside the reporting period: these decide the organisation's result.
        public var due: [ComplianceFinding]

        /// The organisation's result: the worst state of what fell due in the period (nil: nothing fell due).
        public var state: ComplianceState? { due.map(\.state).max() }
        public var met: Bool { !due.isEmpty && due.allSatisfy { $0.state == .met } }
        /// The messages of what was not met, each naming its rule.
        public var problems: [String] { findings.filter { $0.state >= .dueSoon }.map(\.message) }
    }

    /// One requirement's totals: how many organisations it fell due for and how many met it.
    public struct RequirementLine: Sendable {
        public var requirement: LifeRequirement
        public var organisations: Int
        public var met: Int
        public var held: Int
        /// 达标率 in per cent, rounded down; nil when it fell due for none.
        public var rate: Int? { Percentage.of(met, organisations) }
    }

    /// The totals of one directly subordinate organisation's subtree (or of the anchor itself).
    public struct GroupLine: Sendable {
        public var organisation: Organisation
        public var organisations: Int
        public var met: Int
        public var overdue: Int
        public var rate: Int? { Percentage.of(met, organisations) }
    }

    public var period: CompliancePeriod
    /// The day the report was judged on: the period's end, or today while the period is still running.
    public var asOf: CivilDate
    public var rules: String
    public var lines: [OrganisationLine]
    public var requirements: [RequirementLine]
    public var groups: [GroupLine]

    /// Whether the period has ended (a final report) or is still running (an interim one, where what is not held
    /// yet shows as 进行中 or 临期).
    public var final: Bool { asOf >= period.end }
    /// Organisations something fell due for.
    public var judged: Int { lines.filter { !$0.due.isEmpty }.count }
    public var met: Int { lines.filter(\.met).count }
    public var overdue: Int { lines.filter { $0.state == .overdue }.count }
    public var rate: Int? { Percentage.of(met, judged) }

    /// Builds the report. `organisations` are in tree order with the anchor first when it is included;
    /// `requirements`, `heldOn` and `since` are per organisation id. Rule: every requirement period that overlaps
    /// the reporting period is judged on today, or on the day after the period's end once it is over; only those ending inside the period count
    /// towards the result (a yearly 组织生活会 counts in the fourth quarter's report, shows as progress before).
    public static func build(
        period: CompliancePeriod, today: CivilDate, rules: RuleBook, anchor: Organisation,
        organisations: [Organisation], requirements: (Organisation) -> [LifeRequirement],
        heldOn: [Int64: [MeetingKind: [CivilDate]]], since: [Int64: CivilDate]
    ) -> ComplianceReport {
        let asOf = min(today, period.end)
        // Once the period is over it is judged as on the next day: what was not held by its last day is 逾期.
        let judgedOn = today > period.end ? period.end.adding(days: 1) : today
        var lines: [OrganisationLine] = []
        var totals: [String: RequirementLine] = [:]
        var order: [String] = []
        for org in organisations {
            var findings: [ComplianceFinding] = []
            for r in requirements(org) {
                var p = CompliancePeriod(r.length, containing: period.start)
                while p.start <= period.end {
                    if let f = LifeCompliance.evaluate(
                        r, period: p, heldOn: heldOn[org.id]?[r.kind] ?? [], today: judgedOn,
                        since: since[org.id], rules: rules)
                    {
                        findings.append(f)
                    }
                    p = CompliancePeriod(r.length, containing: p.end.adding(days: 1))
                }
            }
            let due = findings.filter { $0.period.end <= period.end && $0.period.end >= period.start }
            for f in due {
                let key = "\(f.requirement.ruleID)|\(f.requirement.kind.rawValue)"
                if totals[key] == nil {
                    order.append(key); totals[key] = RequirementLine(requirement: f.requirement, organisations: 0, met: 0, held: 0)
                }
                totals[key]?.held += f.held
            }
            // An organisation counts once per requirement: met only if every period of it in the report was met.
            var seen: [String: Bool] = [:]
            for f in due {
                let key = "\(f.requirement.ruleID)|\(f.requirement.kind.rawValue)"
                seen[key] = (seen[key] ?? true) && f.state == .met
            }
            for (key, ok) in seen {
                totals[key]?.organisations += 1
                if ok { totals[key]?.met += 1 }
            }
            lines.append(OrganisationLine(organisation: org, findings: findings.sorted { ($0.state, $0.period) > ($1.state, $1.period) }, due: due))
        }
        // Groups: the anchor's own line, then each direct child's subtree.
        var groups: [GroupLine] = []
        let children = organisations.filter { $0.parentID == anchor.id }
        func group(_ org: Organisation, _ members: [OrganisationLine]) -> GroupLine {
            let judged = members.filter { !$0.due.isEmpty }
            return GroupLine(
                organisation: org, organisations: judged.count, met: judged.filter(\.met).count,
                overdue: judged.filter { $0.state == .overdue }.count)
        }
        if let own = lines.first(where: { $0.organisation.id == anchor.id }), !own.due.isEmpty { groups.append(group(anchor, [own])) }
        for child in children {
            groups.append(group(child, lines.filter { child.path.contains($0.organisation.path) }))
        }
        return ComplianceReport(
            period: period, asOf: asOf, rules: rules.version, lines: lines,
            requirements: order.compactMap { totals[$0] }, groups: groups.filter { $0.organisations > 0 })
    }
}

extension CompliancePeriod {
    /// The reporting period named by a year and a month (1–12) or quarter (1–4); nil when out of range.
    public init?(_ length: PeriodLength, year: Int, number: Int) {
        let month: Int
        switch length {
        case .month: guard (1...12).contains(number) else { return nil }; month = number
        case .quarter: guard (1...4).contains(number) else { return nil }; month = (number - 1) * 3 + 1
        case .year: month = 1
        }
        guard (1900...9999).contains(year), let first = CivilDate(year: year, month: month, day: 1) else { return nil }
        self.init(length, containing: first)
    }

    /// The month (1–12) or quarter (1–4) within its year.
    public var number: Int {
        switch length {
        case .month: start.month
        case .quarter: (start.month - 1) / 3 + 1
        case .year: 1
        }
    }
}
