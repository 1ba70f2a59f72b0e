public import DangjianDomain
import SQLKit

/// 三单一账 in 待办: tasks and problems 临期/逾期 (LIST-01/02), problems to plan, closures to accept (for the office),
/// letters to acknowledge, duty-list items falling behind (LIST-09). Many of one kind become one summary line.
public struct ListsTodoSource: TodoSource {
    let database: Database
    let organisations: OrganisationRepository
    let campaigns: CampaignRepository
    let problems: ProblemRepository
    let duties: DutyListRepository
    let supervision: SupervisionRepository

    public init(
        database: Database, organisations: OrganisationRepository, campaigns: CampaignRepository, problems: ProblemRepository,
        duties: DutyListRepository, supervision: SupervisionRepository
    ) {
        self.database = database
        self.organisations = organisations
        self.campaigns = campaigns
        self.problems = problems
        self.duties = duties
        self.supervision = supervision
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let write = principal.access(for: .ledgerWrite)
        let manage = principal.access(for: .ledgerManage)
        guard !write.isEmpty else { return [] }
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        func severity(_ s: DeadlineStatus) -> TodoItem.Severity? { s == .overdue ? .urgent : s == .dueSoon ? .warning : nil }
        var tasks: [TodoItem] = [], problems: [TodoItem] = [], duties: [TodoItem] = [], letters: [TodoItem] = []
        for (a, campaign) in try await campaigns.assignments(access: write)
        where campaign.closedOn == nil && a.lifecycle.state != .done {
            let status = a.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays)
            guard let sev = severity(status), let warning = DeadlineStatus.warning(deadline: a.task.deadline, status: status, today: today) else {
                continue
            }
            tasks.append(
                TodoItem(
                    category: .lists, severity: sev, organisationID: a.organisationID, organisationName: "",
                    ruleID: status == .overdue ? ListRule.overdue : ListRule.dueSoon,
                    message: "任务“\(a.task.title)”\(warning)", link: "/tasks/\(a.id)", dueOn: a.task.deadline, key: "task:\(a.id):\(status.rawValue)"))
        }
        for reach in write.reaches {
            for p in try await self.problems.list(anchorID: reach.organisationID, scope: reach.scope, state: nil, access: write)
            where p.state != .closed {
                let status = DeadlineStatus.of(deadline: p.deadline, finishedOn: nil, today: today, dueSoonDays: rules.listDueSoonDays)
                let link = "/problems/\(p.id)"
                if p.state == .closureRequested {
                    if !manage.isEmpty, try await organisations.find(p.organisationID, access: manage) != nil {
                        problems.append(
                            TodoItem(
                                category: .lists, severity: .warning, organisationID: p.organisationID, organisationName: "",
                                ruleID: ListRule.independentAcceptance,
                                message: "问题“\(p.description.prefix(30))”已申请销号，请组织验收（\(ListRule.independentAcceptance)）", link: link, dueOn: nil,
                                key: "problem-accept:\(p.id)"))
                    }
                    continue
                }
                let sev = severity(status) ?? (p.state == .found ? .info : nil)
                guard let sev else { continue }
                let what = p.state == .found ? "请制定整改措施" : "请按期整改"
                problems.append(
                    TodoItem(
                        category: .lists, severity: sev, organisationID: p.organisationID, organisationName: "",
                        ruleID: status == .overdue ? ListRule.overdue : status == .dueSoon ? ListRule.dueSoon : nil,
                        message: "问题“\(p.description.prefix(30))”\(what)"
                            + (DeadlineStatus.warning(deadline: p.deadline, status: status, today: today).map { "，\($0)" } ?? ""),
                        link: link, dueOn: p.deadline, key: "problem:\(p.id):\(p.state.rawValue):\(status.rawValue)"))
            }
            for list in try await self.duties
                .lists(anchorID: reach.organisationID, scope: reach.scope, year: today.year, access: write, today: today)
            {
                // What counts now (Standing.countsNow): this period's and last month's, not every miss of the year.
                for period in list.standing.periods where period.state >= .dueSoon && Standing.countsNow(period.period, today: today) {
                    // An item fulfilled by a meeting record is done by recording the meeting (one ledger).
                    let link = period.item.fedBy.map { "/orgs/\(list.organisationID)/meetings/new?kind=\($0.rawValue)" } ?? "/duties/\(list.id)"
                    duties.append(
                        TodoItem(
                            category: .lists, severity: period.state == .overdue ? .urgent : .warning, organisationID: list.organisationID,
                            organisationName: "",
                            ruleID: ListRule.dutyWarning,
                            message:
                                "责任清单：\(period.period)“\(period.item.title)”\(period.state == .overdue ? "未完成" : "尚未完成，\(period.period.end) 截止")（\(ListRule.dutyWarning)）",
                            link: link, dueOn: period.period.end,
                            key: "duty:\(list.id):\(period.item.id):\(period.period.start):\(period.state.rawValue)"))
                }
            }
        }
        for l in try await supervision.letters(access: write) where l.sentOn != nil && l.acknowledgedOn == nil {
            letters.append(
                TodoItem(
                    category: .lists, severity: .warning, organisationID: l.organisationID, organisationName: l.recipient, ruleID: nil,
                    message: "\(l.number)“\(l.title)”已送达，请签收并按要求整改", link: "/letters", dueOn: nil, key: "letter:\(l.id)"))
        }
        // Many lines of one kind (an office over a large subtree) become one line with the counts.
        func summarised(_ lines: [TodoItem], _ label: String, _ link: String) -> [TodoItem] {
            guard lines.count > TodoBoard.detailLimit * 2 else { return lines }
            let red = lines.filter { $0.severity == .urgent }.count, yellow = lines.filter { $0.severity == .warning }.count
            return [
                TodoItem(
                    category: .lists, severity: red > 0 ? .urgent : .warning, organisationID: nil, organisationName: "",
                    ruleID: RuleID.citing(.list01, .list02),
                    message: "\(label)：逾期 \(red) 项、临期 \(yellow) 项，共 \(lines.count) 项", link: link, dueOn: nil,
                    key: "\(label):\(today):\(red):\(yellow)")
            ]
        }
        return summarised(tasks, "任务清单", "/tasks") + summarised(problems, "问题整改", "/problems") + summarised(duties, "责任清单", "/duties") + letters
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var listsTodo: ListsTodoSource {
        ListsTodoSource(
            database: database, organisations: organisations, campaigns: campaigns, problems: problems,
            duties: duties, supervision: supervision)
    }
}
