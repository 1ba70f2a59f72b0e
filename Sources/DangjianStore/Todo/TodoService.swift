public import Foundation
public import DangjianDomain
import SQLKit

/// One thing a user should do (待办), with the rule it comes from and where to do it.
public struct TodoItem: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        case life, vote, participation, term, transfer, floating, lists, development

        public var displayName: String {
            switch self {
            case .life: "组织生活"
            case .vote: "待表决事项"
            case .participation: "党员参加组织生活"
            case .term: "换届"
            case .transfer: "组织关系转接"
            case .floating: "流动党员"
            case .lists: "任务、问题整改与责任清单"
            case .development: "发展党员"
            }
        }
    }

    public enum Severity: String, Sendable, Comparable {
        /// Due this period, still time.
        case info
        /// 临期 (yellow).
        case warning
        /// 逾期 or needs action now (red).
        case urgent

        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

        public var colour: String { self == .info ? "grey" : self == .warning ? "yellow" : "red" }
    }

    public var category: Category
    public var severity: Severity
    public var organisationID: Int64?
    public var organisationName: String
    public var ruleID: String?
    public var message: String
    public var link: String
    public var dueOn: CivilDate?
    /// Names the matter and its period, so that a reminder is sent once per matter and period.
    public var key: String
}

/// 待办: what each user should do now, from everything the system checks — organisational life due or overdue in
/// the organisations they look after, members to check under DUES-13, terms ending (ORG-T3/T4), transfers to
/// receive, floating certificates not taken back. Computed on request (always current); the reminder job stores
/// the yellow and red ones as reminders.
public struct TodoService: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let transfers: TransferRepository

    public init(database: Database, audit: AuditTrail, clock: any WallClock, transfers: TransferRepository) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.transfers = transfers
    }

    /// Above this many judged organisations under one grant, organisational life is summarised (a committee looks
    /// at the roll-up) instead of listed finding by finding (a secretary records each).
    static let detailLimit = 12

    /// 发展党员: the time limits of open case files due soon or missed (DEV-03/07/16/24/26/28/30), for those who keep
    /// the files; many become one line pointing to the plan.
    func developmentItems(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let write = principal.access(for: .membersWrite)
        var items: [TodoItem] = []
        for reach in write.reaches {
            let rows = try await database.read { db in
                try await DevelopmentRepository.plan(anchorID: reach.organisationID, scope: reach.scope, access: write, today: today, db: db)
            }.filter { !$0.deadlines.isEmpty }
            // DEV-28 for members with an open case file comes from here (it knows an extension), not from the roster.
            let all = rows.flatMap { row in row.deadlines.map { (row, $0) } }
            guard !all.isEmpty else { continue }
            let names = try await OrganisationRepository(database: database, audit: audit, clock: clock).labels(Set(rows.map(\.organisationID) + [reach.organisationID]))
            if all.count > Self.detailLimit {
                let red = all.filter { $0.1.status == .overdue }.count
                items.append(TodoItem(
                    category: .development, severity: red > 0 ? .urgent : .warning, organisationID: reach.organisationID,
                    organisationName: names[reach.organisationID] ?? "", ruleID: RuleID.span(.dev03, .dev30),
                    message: "发展党员：\(Set(all.map(\.0.caseID)).count) 份档案有 \(red) 项逾期、\(all.count - red) 项临期，请在发展党员计划中办理",
                    link: "/development?org=\(reach.organisationID)&scope=\(reach.scope.rawValue)", dueOn: nil,
                    key: "development-summary:\(reach.organisationID):\(today.year)-\(today.month):\(red):\(all.count)"))
                continue
            }
            for (row, deadline) in all {
                items.append(TodoItem(
                    category: .development, severity: deadline.status == .overdue ? .urgent : .warning, organisationID: row.organisationID,
                    organisationName: names[row.organisationID] ?? "", ruleID: deadline.ruleID,
                    message: "\(row.applicantName)（\(deadline.status.displayName)）：\(deadline.message)（\(deadline.ruleID)）", link: "/development/\(row.caseID)", dueOn: deadline.dueOn,
                    key: "development:\(row.caseID):\(deadline.ruleID):\(deadline.dueOn):\(deadline.status.rawValue)"))
            }
        }
        return items
    }

    /// 三单一账: tasks and problems 临期/逾期 (LIST-01/02), problems to plan, closures to accept (for the office),
    /// letters to acknowledge, duty-list items falling behind (LIST-09). Many of one kind become one summary line.
    func listItems(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let write = principal.access(for: .ledgerWrite)
        let manage = principal.access(for: .ledgerManage)
        guard !write.isEmpty else { return [] }
        let rules = try await RuleBookRepository(database: database, audit: audit, clock: clock).inForce(on: today)
        func severity(_ s: DeadlineStatus) -> TodoItem.Severity? { s == .overdue ? .urgent : s == .dueSoon ? .warning : nil }
        var tasks: [TodoItem] = [], problems: [TodoItem] = [], duties: [TodoItem] = [], letters: [TodoItem] = []
        for (a, campaign) in try await CampaignRepository(database: database, audit: audit, clock: clock).assignments(access: write)
        where campaign.closedOn == nil && a.lifecycle.state != .done {
            let status = a.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays)
            guard let sev = severity(status), let warning = DeadlineStatus.warning(deadline: a.task.deadline, status: status, today: today) else { continue }
            tasks.append(TodoItem(category: .lists, severity: sev, organisationID: a.organisationID, organisationName: "", ruleID: status == .overdue ? ListRule.overdue : ListRule.dueSoon,
                                  message: "任务“\(a.task.title)”\(warning)", link: "/tasks/\(a.id)", dueOn: a.task.deadline, key: "task:\(a.id):\(status.rawValue)"))
        }
        let problemRepository = ProblemRepository(database: database, audit: audit, clock: clock)
        let organisations = OrganisationRepository(database: database, audit: audit, clock: clock)
        for reach in write.reaches {
            for p in try await problemRepository.list(anchorID: reach.organisationID, scope: reach.scope, state: nil, access: write) where p.state != .closed {
                let status = DeadlineStatus.of(deadline: p.deadline, finishedOn: nil, today: today, dueSoonDays: rules.listDueSoonDays)
                let link = "/problems/\(p.id)"
                if p.state == .closureRequested {
                    if !manage.isEmpty, try await organisations.find(p.organisationID, access: manage) != nil {
                        problems.append(TodoItem(category: .lists, severity: .warning, organisationID: p.organisationID, organisationName: "", ruleID: ListRule.independentAcceptance,
                                                 message: "问题“\(p.description.prefix(30))”已申请销号，请组织验收（\(ListRule.independentAcceptance)）", link: link, dueOn: nil,
                                                 key: "problem-accept:\(p.id)"))
                    }
                    continue
                }
                let sev = severity(status) ?? (p.state == .found ? .info : nil)
                guard let sev else { continue }
                let what = p.state == .found ? "请制定整改措施" : "请按期整改"
                problems.append(TodoItem(category: .lists, severity: sev, organisationID: p.organisationID, organisationName: "",
                                         ruleID: status == .overdue ? ListRule.overdue : status == .dueSoon ? ListRule.dueSoon : nil,
                                         message: "问题“\(p.description.prefix(30))”\(what)" + (DeadlineStatus.warning(deadline: p.deadline, status: status, today: today).map { "，\($0)" } ?? ""),
                                         link: link, dueOn: p.deadline, key: "problem:\(p.id):\(p.state.rawValue):\(status.rawValue)"))
            }
            for list in try await DutyListRepository(database: database, audit: audit, clock: clock)
                .lists(anchorID: reach.organisationID, scope: reach.scope, year: today.year, access: write, today: today) {
                for period in list.standing.periods where period.state >= .dueSoon {
                    duties.append(TodoItem(category: .lists, severity: period.state == .overdue ? .urgent : .warning, organisationID: list.organisationID, organisationName: "",
                                           ruleID: ListRule.dutyWarning, message: "责任清单：\(period.period)“\(period.item.title)”\(period.state == .overdue ? "未完成" : "尚未完成，\(period.period.end) 截止")（\(ListRule.dutyWarning)）",
                                           link: "/duties/\(list.id)", dueOn: period.period.end, key: "duty:\(list.id):\(period.item.id):\(period.period.start):\(period.state.rawValue)"))
                }
            }
        }
        for l in try await SupervisionRepository(database: database, audit: audit, clock: clock).letters(access: write) where l.sentOn != nil && l.acknowledgedOn == nil {
            letters.append(TodoItem(category: .lists, severity: .warning, organisationID: l.organisationID, organisationName: l.recipient, ruleID: nil,
                                    message: "\(l.number)“\(l.title)”已送达，请签收并按要求整改", link: "/letters", dueOn: nil, key: "letter:\(l.id)"))
        }
        // Many lines of one kind (an office over a large subtree) become one line with the counts.
        func summarised(_ lines: [TodoItem], _ label: String, _ link: String) -> [TodoItem] {
            guard lines.count > Self.detailLimit * 2 else { return lines }
            let red = lines.filter { $0.severity == .urgent }.count, yellow = lines.filter { $0.severity == .warning }.count
            return [TodoItem(category: .lists, severity: red > 0 ? .urgent : .warning, organisationID: nil, organisationName: "", ruleID: RuleID.citing(.list01, .list02),
                             message: "\(label)：逾期 \(red) 项、临期 \(yellow) 项，共 \(lines.count) 项", link: link, dueOn: nil,
                             key: "\(label):\(today):\(red):\(yellow)")]
        }
        return summarised(tasks, "任务清单", "/tasks") + summarised(problems, "问题整改", "/problems") + summarised(duties, "责任清单", "/duties") + letters
    }

    public func items(for principal: Principal, today: CivilDate? = nil) async throws -> [TodoItem] {
        let today = today ?? CivilDate(date: clock.now())
        var items: [TodoItem] = []
        let compliance = ComplianceService(database: database, audit: audit, clock: clock)
        let participation = ParticipationService(database: database, audit: audit, clock: clock)
        let organisations = OrganisationRepository(database: database, audit: audit, clock: clock)
        let membersAccess = principal.access(for: .membersRead)
        let writeAccess = principal.access(for: .membersWrite)
        let orgAccess = principal.access(for: .organisationsRead)

        for reach in membersAccess.reaches {
            // Organisational life in the organisations this grant covers.
            let rollUp = try await compliance.rollUp(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, today: today)
            let judged = rollUp.organisations.filter { $0.worst != nil }
            if judged.count <= Self.detailLimit {
                for org in judged {
                    // A record link only where this user may record; otherwise the organisation's year.
                    let canRecord = writeAccess.covers(path: org.organisation.path, parentID: org.organisation.parentID)
                    for f in org.findings where f.state != .met && (f.state != .pending || f.period.contains(today)) {
                        let severity: TodoItem.Severity = f.state == .overdue ? .urgent : f.state == .dueSoon ? .warning : .info
                        items.append(TodoItem(
                            category: .life, severity: severity, organisationID: org.organisation.id, organisationName: org.organisation.name,
                            ruleID: f.requirement.ruleID, message: f.message,
                            link: canRecord ? "/orgs/\(org.organisation.id)/meetings/new?kind=\(f.requirement.kind.rawValue)" : "/orgs/\(org.organisation.id)/meetings",
                            dueOn: f.period.end, key: "life:\(org.organisation.id):\(f.requirement.ruleID):\(f.requirement.kind.rawValue):\(f.period.start):\(f.state.rawValue)"))
                    }
                }
            } else {
                let counts = rollUp.counts
                let red = counts[.overdue] ?? 0, yellow = counts[.dueSoon] ?? 0
                var anchor = rollUp.organisations.first { $0.organisation.id == reach.organisationID }?.organisation
                if anchor == nil { anchor = try await organisations.find(reach.organisationID, access: membersAccess) }
                if red + yellow > 0, let anchor {
                    items.append(TodoItem(
                        category: .life, severity: red > 0 ? .urgent : .warning, organisationID: anchor.id, organisationName: anchor.name, ruleID: RuleID.span(.life01, .life09),
                        message: "所辖 \(judged.count) 个党组织中，\(red) 个组织生活逾期、\(yellow) 个临期，请督促（\(RuleID.span(.life01, .life09))）",
                        link: "/compliance?org=\(anchor.id)&scope=\(reach.scope.rawValue)&problems=1", dueOn: nil,
                        key: "life-summary:\(anchor.id):\(today.year)-\(today.month):\(red):\(yellow)"))
                }
            }
            // Members who have not taken part for months (DUES-13): a person checks, nothing is automatic.
            for row in try await participation.flagged(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, today: today) {
                let p = row.participation
                items.append(TodoItem(
                    category: .participation, severity: p.level == .review ? .urgent : .warning, organisationID: row.organisationID,
                    organisationName: "", ruleID: RuleID.dues13.code, message: "\(row.name)：\(p.message ?? "")",
                    link: "/participation?org=\(row.organisationID)&scope=own", dueOn: nil,
                    key: "participation:\(row.memberID):\(p.since?.start.description ?? ""):\(p.level.rawValue)"))
            }
        }
        // Votes to hold: probationary members whose year ends within 30 days or has ended (DEV-27/28) — the branch
        // general meeting discusses conversion and votes (LIFE-02).
        if !writeAccess.isEmpty {
            let rules = try await RuleBookRepository(database: database, audit: audit, clock: clock).inForce(on: today)
            // Probation ends on join date + probationYears: due when the join date is on or before today + 30 days − the probation.
            let latestJoin = today.adding(days: 30).adding(years: -rules.probationYears)
            for reach in writeAccess.reaches {
                // Members whose case file is still open are reminded from the case (development items).
                let rows = try await database.read { db -> [(Int64, String, Int64, String, String, String?)] in
                    guard let anchor = try await OrganisationRepository.find(reach.organisationID, access: writeAccess, db: db) else { return [] }
                    return try await db.raw("""
                        SELECT m.id, m.name, m.organisation_id, m.join_date, o.name AS org_name,
                            (SELECT MAX(t.received_on) FROM member_transfers t WHERE t.member_id = m.id AND t.status = 'received') AS received_on
                        FROM members m JOIN organisations o ON o.id = m.organisation_id
                        WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, reach.scope, alias: "o")) AND \(AccessSQL.predicate(writeAccess, alias: "o"))
                        AND m.deleted_at IS NULL AND m.party_status = 'probationary' AND m.membership_state = 'normal' AND m.join_date <= \(bind: latestJoin.description)
                        AND NOT EXISTS (SELECT 1 FROM development_cases c WHERE c.member_id = m.id AND c.status = 'open')
                        ORDER BY m.join_date LIMIT 200
                        """).all().map { (try $0.value("id"), try $0.value("name"), try $0.value("organisation_id"), try $0.value("join_date"), try $0.value("org_name"),
                                          try $0.optional("received_on", String.self)) }
                }
                for (id, name, orgID, joined, orgName, received) in rows {
                    guard let join = CivilDate(iso: joined) else { continue }
                    let end = join.adding(years: rules.probationYears)
                    // DEV-31: a probationary member received by transfer during probation may have the discussion put
                    // off by up to 6 months; the conversion date stays the end of probation.
                    if let received = received.flatMap(CivilDate.init(iso:)), received > join, received <= end {
                        let latest = end.adding(months: 6)
                        items.append(TodoItem(
                            category: .vote, severity: latest < today ? .urgent : .warning, organisationID: orgID, organisationName: orgName, ruleID: RuleID.dev31.code,
                            message: "\(name)（预备期内转入）的预备期\(end < today ? "已于" : "将于") \(end) 期满，确有需要可推迟讨论转正，最迟不超过 \(latest)；转正的，转正日期仍为 \(end)（\(RuleID.dev31)）",
                            link: "/orgs/\(orgID)/meetings/new?kind=general_meeting", dueOn: latest, key: "vote:conversion:\(id):\(end):transferred"))
                        continue
                    }
                    items.append(TodoItem(
                        category: .vote, severity: end < today ? .urgent : .warning, organisationID: orgID, organisationName: orgName, ruleID: RuleID.dev28.code,
                        message: end < today ? "\(name) 的预备期已于 \(end) 期满，应及时召开支部党员大会讨论转正并表决（\(RuleID.dev28)）"
                                             : "\(name) 的预备期将于 \(end) 期满，请准备召开支部党员大会讨论转正（\(RuleID.dev28)）",
                        link: "/orgs/\(orgID)/meetings/new?kind=general_meeting", dueOn: end, key: "vote:conversion:\(id):\(end)"))
                }
            }
        }
        // Terms ending within six months or overdue (ORG-T3/T4), for those who keep the organisations.
        for reach in orgAccess.reaches {
            for row in try await TermRepository(database: database, audit: audit, clock: clock)
                .ledger(anchorID: reach.organisationID, scope: reach.scope, months: 6, access: orgAccess) {
                guard let status = row.status else { continue }
                let severity: TodoItem.Severity
                switch status {
                case .overdue: severity = .urgent
                case .dueSoon: severity = .warning
                default: continue
                }
                items.append(TodoItem(
                    category: .term, severity: severity, organisationID: row.organisation.id, organisationName: row.organisation.name,
                    ruleID: status.ruleID, message: "\(status.message)（\(status.ruleID)）", link: "/orgs/\(row.organisation.id)", dueOn: row.term?.endDate,
                    key: "term:\(row.organisation.id):\(row.term?.id ?? 0):\(status.ruleID)"))
            }
        }
        // Transfers waiting at the receiving organisation (MEM-04: the sender stays responsible until received).
        if !writeAccess.isEmpty {
            for t in try await transfers.pending(access: writeAccess).incoming {
                items.append(TodoItem(
                    category: .transfer, severity: .warning, organisationID: t.toOrganisationID, organisationName: t.toOrganisationName, ruleID: RuleID.mem04.code,
                    message: "\(t.memberName) 的组织关系由\(t.fromOrganisationName)转来（介绍信 \(t.letterNumber)），请办理接收（\(RuleID.mem04)）",
                    link: "/transfers", dueOn: t.issuedOn.adding(days: t.validDays), key: "transfer:\(t.id)"))
            }
        }
        // Floating-member certificates past their term and not taken back (MEM-02/03).
        for reach in membersAccess.reaches {
            for c in try await FloatingCertificateRepository(database: database, audit: audit, clock: clock)
                .register(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, openOnly: true)
            where c.status(on: today) == .expired {
                items.append(TodoItem(
                    category: .floating, severity: .warning, organisationID: nil, organisationName: "", ruleID: RuleID.mem03.code,
                    message: "\(c.memberName) 的流动党员活动证 \(c.certificateNumber) 已于 \(c.validUntil) 到期，尚未收回（\(RuleID.mem03)）",
                    link: "/floating", dueOn: c.validUntil, key: "floating:\(c.id)"))
            }
        }
        items += try await listItems(for: principal, today: today)
        items += try await developmentItems(for: principal, today: today)
        // The same matter reached through two grants appears once.
        var seen: Set<String> = []
        return items.filter { seen.insert($0.key).inserted }
            .sorted { ($0.severity, $1.dueOn ?? today.adding(days: 36_500)) > ($1.severity, $0.dueOn ?? today.adding(days: 36_500)) }
    }
}
