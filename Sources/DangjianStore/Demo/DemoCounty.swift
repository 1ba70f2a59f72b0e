public import Foundation
public import DangjianDomain

/// The demo county (示范县): a small but realistic tree and one account per role, for trying the product and for
/// end-to-end tests. Generated, never shipped as a file.
public struct DemoCounty: Sendable {
    /// A demo account and the password printed for it.
    public struct Account: Sendable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var organisation: String?
        public var password: String
        /// The TOTP secret enrolled for a role that needs a second factor (issue 15, H6), printed with the password.
        public var secondFactorSecret: String? = nil
    }

    let store: StoreServices
    let organisations: OrganisationRepository
    let accounts: AccountRepository
    /// Nil for a tree without rosters (and so without records).
    let members: MemberRepository?
    let actor = Actor.console("demo")

    /// The demo county over `store`; `withRosters: false` creates the tree and accounts only.
    public init(store: StoreServices, withRosters: Bool = true) {
        self.store = store
        organisations = store.organisations
        accounts = store.accounts
        members = withRosters ? store.members : nil
    }

    /// The tree: (type, name, short name, children).
    struct Node {
        var type: OrganisationType
        var name: String
        var short: String?
        var children: [Node] = []
    }

    static let tree = Node(
        type: .partyCommittee, name: "中共示范县委员会", short: "示范县委",
        children: [
            Node(
                type: .workingCommittee, name: "中共示范县直属机关工作委员会", short: "县直机关工委",
                children: [
                    Node(
                        type: .organCommittee, name: "中共示范县人民政府办公室机关委员会", short: "县政府办机关党委",
                        children: [
                            Node(type: .branch, name: "中共示范县人民政府办公室第一支部委员会", short: "政府办第一支部"),
                            Node(type: .branch, name: "中共示范县人民政府办公室第二支部委员会", short: "政府办第二支部"),
                        ]),
                    Node(
                        type: .generalBranch, name: "中共示范县财政局总支部委员会", short: "财政局党总支",
                        children: [
                            Node(
                                type: .branch, name: "中共示范县财政局机关支部委员会", short: "财政局机关支部",
                                children: [
                                    Node(type: .partyGroup, name: "财政局机关支部第一党小组", short: "第一党小组")
                                ]),
                            Node(type: .branch, name: "中共示范县财政局离退休干部支部委员会", short: "财政局离退休支部"),
                        ]),
                    Node(type: .branch, name: "中共示范县教育局机关支部委员会", short: "教育局机关支部"),
                    Node(type: .jointBranch, name: "中共示范县档案馆地方志办联合支部委员会", short: "档案方志联合支部"),
                ]),
            Node(
                type: .partyCommittee, name: "中共示范县城关镇委员会", short: "城关镇党委",
                children: [
                    Node(type: .branch, name: "中共示范县城关镇东街村支部委员会", short: "东街村支部"),
                    Node(type: .branch, name: "中共示范县城关镇西街社区支部委员会", short: "西街社区支部"),
                    Node(type: .temporaryBranch, name: "城关镇老旧小区改造项目临时党支部", short: "改造项目临时支部"),
                ]),
        ])

    /// When the demo county's organisations were set up.
    static let established = CivilDate(year: 2019, month: 7, day: 1) ?? .earliest

    /// Records about a year of organisational life, deterministic: most branches keep up, a few miss a month or a
    /// quarter, so the roll-up shows green, yellow and red as a real county does.
    func seedMeetings(_ orgs: [Organisation]) async throws {
        guard members != nil else { return }  // a tree without rosters gets no records either
        let meetings = store.meetings
        let today = CivilDate(date: organisations.clock.now())
        var dice = SyntheticPeople(seed: 1921)
        let start = CompliancePeriod(.month, containing: today.adding(months: -11)).start
        for (rank, org) in orgs.sorted(by: { $0.id < $1.id }).enumerated() where [.branch, .jointBranch, .partyGroup].contains(org.type) {
            let roster = try await meetings.roster(of: org.id, access: .maintenance)
            // Every fourth branch is sloppy; the rest keep up.
            let keep = rank % 4 == 3 ? 60 : 95
            func hold(_ kind: MeetingKind, on day: CivilDate, topic: String) async throws {
                guard day <= today, dice.int(1...100) <= keep else { return }
                var draft = MeetingDraft(kind: kind, heldOn: day)
                draft.topic = topic
                draft.place = "党员活动室"
                draft.lecturer = kind == .partyLecture ? "支部书记" : ""
                for m in roster { draft.attendance[m.id] = dice.int(1...10) == 1 ? (.leave, "出差") : (.present, "") }
                _ = try await meetings.record(draft, organisationID: org.id, access: .maintenance, actor: actor)
            }
            var month = start
            while month <= today {
                let period = CompliancePeriod(.month, containing: month)
                if org.type == .partyGroup {
                    try await hold(.groupMeeting, on: month.adding(days: 9), topic: "\(period)党小组学习")
                } else {
                    try await hold(.themeDay, on: month.adding(days: 14), topic: "\(period)主题党日")
                    if roster.filter(\.full).count >= 7 {  // LIFE-03 applies where a committee is required (ORG-06)
                        try await hold(.committeeMeeting, on: month.adding(days: 4), topic: "\(period)支委会")
                    }
                    if month.month % 3 == 0 {
                        try await hold(.generalMeeting, on: month.adding(days: 19), topic: "\(CompliancePeriod(.quarter, containing: month))支部党员大会")
                        try await hold(.partyLecture, on: month.adding(days: 21), topic: "\(CompliancePeriod(.quarter, containing: month))专题党课")
                    }
                    if month.month == 12 {
                        try await hold(.lifeMeeting, on: month.adding(days: 24), topic: "\(month.year)年度组织生活会")
                        try await hold(.democraticEvaluation, on: month.adding(days: 24), topic: "\(month.year)年度民主评议党员")
                        try await hold(.heartTalk, on: month.adding(days: 10), topic: "\(month.year)年度谈心谈话")
                    }
                }
                month = month.adding(months: 1)
            }
        }
    }

    /// Adds a plausible roster to every branch (党支部, 联合党支部; not 临时党支部, LIFE-12): 6–30 members each, deterministic.
    func seedMembers(_ orgs: [Organisation]) async throws {
        guard let members else { return }
        var people = SyntheticPeople(seed: 2026)
        let today = CivilDate(date: organisations.clock.now())
        for org in orgs.sorted(by: { $0.id < $1.id }) where [.branch, .jointBranch].contains(org.type) {
            let size = people.int(6...30)
            var added = 0
            while added < size {
                let draft = people.draft(today: today, category: org.name.contains("离退休") ? .retired : nil)
                do {
                    _ = try await members.create(draft, organisationID: org.id, access: .maintenance, actor: actor)
                    added += 1
                } catch is ValidationFailure {
                    continue  // a rare duplicate ID number: draw another person
                }
            }
        }
    }

    /// Creates the tree and accounts when the database has no organisations; returns the accounts with fresh
    /// random passwords either way (each start prints new ones).
    public func seed() async throws -> [Account] {
        var byShort: [String: Organisation] = [:]
        if try await organisations.count() == 0 {
            func create(_ node: Node, parent: Int64?) async throws {
                // The county's organisations have existed for years (组织沿革 and the compliance history need a past).
                let org = try await organisations.create(
                    type: node.type, name: node.name, shortName: node.short, parentID: parent, access: .maintenance, actor: actor,
                    effectiveDate: Self.established)
                byShort[node.short ?? node.name] = org
                for child in node.children { try await create(child, parent: org.id) }
            }
            try await create(Self.tree, parent: nil)
            try await seedMembers(Array(byShort.values))
            try await seedMeetings(Array(byShort.values))
        } else {
            for org in try await organisations.visible(access: .maintenance) { byShort[org.label] = org }
        }
        let plan: [(String, String, Role, String?)] = [
            ("sysadmin", "系统管理员（演示）", .systemAdmin, nil),
            ("secadmin", "安全管理员（演示）", .securityAdmin, nil),
            ("auditor", "审计管理员（演示）", .auditAdmin, nil),
            ("zzb", "县委组织部 李组织", .orgAdmin, "示范县委"),
            ("jggw", "县直机关工委 王工委", .orgAdmin, "县直机关工委"),
            ("czj", "财政局党总支 赵书记", .orgAdmin, "财政局党总支"),
            ("zhibu1", "政府办第一支部 陈书记", .partyWorker, "政府办第一支部"),
            ("dongjie", "东街村支部 刘书记", .partyWorker, "东街村支部"),
            ("dangyuan", "政府办第一支部 张党员", .member, "政府办第一支部"),
        ]
        var result: [Account] = []
        for (username, name, role, orgLabel) in plan {
            result.append(try await account(username: username, displayName: name, role: role, organisation: orgLabel.flatMap { byShort[$0] }))
        }
        if members != nil {
            try await seedLists(byShort)
            try await seedDevelopment(byShort)
        }
        // The demo 党员 is linked to the first member of the branch's roster (own record, QR sign-in).
        if let members, let branch = byShort["政府办第一支部"],
            let first = try await store.meetings
                .roster(of: branch.id, access: .maintenance).first,
            try await members.linkedMember(userID: try await accounts.find(username: "dangyuan")?.id ?? 0) == nil
        {
            try await members.linkAccount(username: "dangyuan", toMember: first.id, access: .maintenance, actor: actor)
        }
        return result
    }

    /// 三单一账 for the county's organs (once): this year's 模范机关创建 campaign with tasks in four categories for six
    /// units — done on time, done late, in progress, 临期 and 逾期 — a supervision group and a round six weeks ago whose
    /// findings became problems in every state of the loop, and reminder letters sent and acknowledged.
    func seedLists(_ byShort: [String: Organisation]) async throws {
        let database = organisations.database, clock = organisations.clock
        guard try await database.read({ db in try await db.raw("SELECT COUNT(*) AS n FROM campaigns").first()?.value("n", Int.self) ?? 0 }) == 0,
            let committee = byShort["县直机关工委"], let office = try await accounts.find(username: "jggw"),
            let rectifier = try await accounts.find(username: "czj")
        else { return }
        let today = CivilDate(date: clock.now())
        let unitNames = ["县政府办机关党委", "政府办第一支部", "政府办第二支部", "财政局党总支", "教育局机关支部", "档案方志联合支部"]
        let units = unitNames.compactMap { byShort[$0] }
        let campaigns = store.campaigns
        let campaign = try await campaigns.create(
            name: "\(today.year)年“四优”模范机关创建", year: today.year, description: "4类重点任务，清单化管理、项目化推进",
            organisationID: committee.id, access: .maintenance, actor: actor)
        let tasks: [(String, String, Int)] = [
            ("政治建设", "落实“第一议题”制度", -60), ("理论武装", "开展青年理论学习小组活动", -20),
            ("服务人民", "开展“双报到”志愿服务", 5), ("正风肃纪", "开展廉政警示教育", 40),
        ]
        for (t, (category, title, offset)) in tasks.enumerated() {
            let deadline = today.adding(days: offset)
            let id = try await campaigns.addTask(
                campaignID: campaign, category: category, title: title, deliverable: "活动记录、照片", deadline: deadline,
                assignees: units.map(\.id), access: .maintenance, actor: actor)
            let board = try await campaigns.board(campaign, access: .maintenance)
            for (u, a) in board.assignments.filter({ $0.task.id == id }).enumerated() {
                switch (t + u) % 4 {
                case 0, 1:  // claimed, recorded, done (late when the deadline had passed by then)
                    let day = min(today, deadline.adding(days: (t + u) % 4 == 0 ? -3 : 4))
                    try await campaigns.claim(a.id, refinement: "制定方案，明确专人负责", owner: "支部书记", access: .maintenance, actor: actor)
                    try await campaigns.recordProgress(
                        a.id, on: min(day, today), text: "按方案组织开展，形成记录", evidence: "活动记录本", access: .maintenance, actor: actor)
                    if day <= today && day >= today.adding(days: -90) {
                        try await campaigns.complete(a.id, on: day, access: .maintenance, actor: actor)
                    }
                case 2:
                    try await campaigns.claim(a.id, refinement: "分两步推进", owner: "组织委员", access: .maintenance, actor: actor)
                default: break  // untouched: 逾期 or 临期 by its deadline
                }
            }
        }
        // 责任清单: a "十个一" style list for every branch, most months kept, a few gaps; 责任书 signed in February.
        let duties = store.duties
        let template = try await duties.createTemplate(
            name: "党支部书记抓党建履职清单（十个一）", post: "党支部书记", appliesTo: [.branch, .jointBranch],
            items: [
                "每年 签订一份党建目标责任书", "每年 制定一份党建工作计划", "每年 召开一次组织生活会", "每年 开展一次民主评议党员", "每年 述职一次",
                "每季度 讲一次党课", "每季度 召开一次支部党员大会", "每月 召开一次支委会", "每月 开展一次主题党日", "每月 开展一次谈心谈话",
            ].joined(separator: "\n"),
            organisationID: committee.id, access: .maintenance, actor: actor)
        _ = try await duties.instantiate(templateID: template, year: today.year, access: .maintenance, actor: actor)
        for (i, list) in try await duties.lists(anchorID: committee.id, scope: .subtree, year: today.year, access: .maintenance).enumerated() {
            let items = list.template.items
            func done(_ item: DutyItem, _ date: CivilDate) async throws {
                guard date <= today, date.year == today.year else { return }
                try await duties.record(
                    listID: list.id, itemID: item.id, on: date, text: "已完成：\(item.title)", evidence: "工作纪实手册", access: .maintenance, actor: actor)
            }
            try await done(items[0], CivilDate(year: today.year, month: 2, day: 20) ?? .earliest)
            try await done(items[1], CivilDate(year: today.year, month: 2, day: 25) ?? .earliest)
            for month in 1...today.month {
                let first = CivilDate(year: today.year, month: month, day: 1) ?? .earliest
                for (k, item) in items.enumerated() where item.cadence == .month && (month + i + k) % 6 != 0 {
                    try await done(item, first.adding(days: 4 + k))
                }
                if month % 3 == 2 {
                    for item in items where item.cadence == .quarter && (month + i) % 5 != 0 { try await done(item, first.adding(days: 14)) }
                }
            }
            _ = try await duties.recordLetter(
                organisationID: list.organisationID, year: today.year, title: "\(today.year)年党建工作目标责任书", signatory: "支部书记",
                signedOn: min(today, CivilDate(year: today.year, month: 2, day: 20) ?? .earliest), issuerOrganisationID: committee.id,
                access: .maintenance, actor: actor)
        }
        let supervision = store.supervision
        let group = try await supervision.createGroup(
            name: "第一督导组", year: today.year, organisationID: committee.id, members: [(office.id, "组长")],
            organisationIDs: units.map(\.id), access: .maintenance, actor: actor)
        let round = try await supervision.createRound(
            name: "第一轮专项督查", scheme: "对标8方面30项创建指标", startsOn: today.adding(days: -45),
            endsOn: today.adding(days: -30), campaignID: campaign, organisationID: committee.id, access: .maintenance, actor: actor)
        let findings: [String: [(String, String)]] = [
            "政府办第二支部": [("组织生活", "主题党日主题不够鲜明"), ("阵地建设", "党员活动室制度未上墙")],
            "财政局党总支": [("制度落实", "党费收缴台账不完整")],
            "教育局机关支部": [("理论武装", "学习笔记检查未开展"), ("队伍建设", "发展党员计划未报备")],
            "档案方志联合支部": [("组织生活", "支委会议题记录过简")],
        ]
        let problems = store.problems
        let officeActor = Actor(userID: office.id, name: "jggw", ip: "127.0.0.1", requestID: "demo")
        let unitActor = Actor(userID: rectifier.id, name: "czj", ip: "127.0.0.1", requestID: "demo")
        var stage = 0
        for (i, unit) in units.enumerated() {
            let visitDay = today.adding(days: -44 + i)
            let found = (findings[unitNames[i]] ?? []).map { FindingDraft(category: $0.0, description: $0.1, deadline: visitDay.adding(days: 30)) }
            let visit = try await supervision.recordVisit(
                roundID: round, groupID: group, organisationID: unit.id, visitedOn: visitDay, notes: "查阅资料、座谈交流",
                findings: found, userID: office.id, manage: .maintenance, actor: officeActor)
            guard !visit.problemIDs.isEmpty else { continue }
            let letter = try await supervision.issueLetter(
                LetterDraft(
                    organisationID: unit.id, visitID: visit.id, problemIDs: visit.problemIDs, title: "关于督导检查发现问题的提醒函", recipient: unit.label,
                    body: "第一轮专项督查发现你单位存在 \(visit.problemIDs.count) 个问题，请于30日内完成整改并书面报送整改情况。", issuingOrgan: "县直机关工委",
                    issuedOn: visitDay.adding(days: 2)), issuerOrganisationID: committee.id, access: .maintenance, actor: officeActor)
            try await supervision.markSent(letter.id, on: visitDay.adding(days: 2), access: .maintenance, actor: officeActor)
            try await supervision.acknowledge(letter.id, on: visitDay.adding(days: 3), access: .maintenance, actor: unitActor)
            for problem in visit.problemIDs {
                defer { stage += 1 }
                guard stage % 5 != 4 else { continue }  // left 待整改 (now overdue)
                try await problems.apply(
                    problem, .plan(measures: "对照问题逐项整改", responsible: "支部书记", deadline: visitDay.adding(days: 30)),
                    on: visitDay.adding(days: 4), access: .maintenance, actor: unitActor)
                guard stage % 5 != 3 else { continue }  // 整改中
                try await problems.apply(
                    problem, .requestClosure(evidence: "整改材料已归档"), on: visitDay.adding(days: 20), access: .maintenance, actor: unitActor)
                guard stage % 5 != 2 else { continue }  // 申请销号, waiting for acceptance
                try await problems.apply(
                    problem, .accept(opinion: "经查阅资料，整改到位"), on: visitDay.adding(days: 25), access: .maintenance, actor: officeActor)
            }
        }
    }

    /// 发展党员 for the demo's first branch (once): an archived case converted last year, a 预备党员 in probation, a
    /// development target in training, an activist whose year ends within the month and a fresh applicant; this
    /// year's targets for the county organs' branches (DEVPLAN-01).
    func seedDevelopment(_ byShort: [String: Organisation]) async throws {
        let database = organisations.database, clock = organisations.clock
        guard members != nil, let branch = byShort["政府办第一支部"], let committee = byShort["县直机关工委"],
            try await database.read({ db in try await db.raw("SELECT COUNT(*) AS n FROM development_cases").first()?.value("n", Int.self) ?? 0 }) == 0
        else { return }
        let today = CivilDate(date: clock.now())
        let development = store.development
        let forms = store.applicationForms
        let numbers = try await forms.issue(
            first: "示\(today.year - 3)000001", count: 10, organisationID: committee.id, on: today.adding(days: -1200),
            access: .maintenance, actor: actor)
        // Days after the application on which each step is taken (the conversion meeting is a year after admission).
        let offsets: [(DevelopmentStep, Int)] = [
            (.application, 0), (.applicationTalk, 19), (.activistDesignation, 70), (.activistFiling, 75), (.contactsAssigned, 75), (.cultivation, 80),
            (.targetDesignation, 437), (.targetFiling, 440), (.sponsors, 441), (.politicalReview, 455), (.training, 461), (.committeeReview, 466),
            (.preReview, 471), (.applicationForm, 476), (.admissionMeeting, 487), (.approvalTalk, 496), (.approval, 506), (.approvalFiling, 511),
            (.assignedToBranch, 512), (.oath, 518), (.continuedEducation, 519),
        ]
        let people: [(String, String, Int, Int)] = [  // name, born, days since application, sequence
            ("黄归档", "1994-04-12", 950, 991), ("林预备", "1996-08-03", 600, 993), ("何对象", "1997-11-21", 470, 995),
            ("罗积极", "1999-02-14", 420, 997), ("郭申请", "2001-06-30", 10, 999),
        ]
        for (k, (name, born, since, sequence)) in people.enumerated() {
            let body = "610102" + born.replacingOccurrences(of: "-", with: "") + String(sequence)
            let id = try await development.open(
                applicantName: name, idNumber: body + String(IDNumber.checkCharacter(for: body) ?? "X"), organisationID: branch.id,
                access: .maintenance, actor: actor)
            let applied = today.adding(days: -since)
            var records = offsets.filter { $0.1 <= since }.map { step, offset -> StepRecord in
                var f = StepFacts()
                switch step {
                case .contactsAssigned, .sponsors: f.people = [("陈书记", true), ("张党员", true)]
                case .activistDesignation: f.recommendations = [.members, .massOrganisation]
                case .politicalReview: f.reviewPassed = true
                case .approvalTalk: f.people = [("周组织员", true)]; f.talkerRole = .organiser
                case .training: f.trainingDays = 3; f.trainingHours = 24
                case .applicationForm: f.formNumber = numbers[k]
                case .targetDesignation: f.publicityStart = applied.adding(days: 423)
                case .admissionMeeting:
                    f.vote = ResolutionVote(entitled: 9, present: 8, inFavour: 8, against: 0, abstaining: 0, writtenInFavour: 1);
                    f.branchFullMembers = 9
                case .approval: f.approverType = .workingCommittee
                default: break
                }
                return StepRecord(step: step, date: applied.adding(days: offset), facts: f)
            }
            if let meeting = records.first(where: { $0.step == .admissionMeeting })?.date, meeting.adding(years: 1).adding(days: 40) <= today {
                var vote = StepFacts()
                vote.vote = ResolutionVote(entitled: 10, present: 9, inFavour: 9, against: 0, abstaining: 0)
                vote.branchFullMembers = 10
                var approval = StepFacts()
                approval.approverType = .workingCommittee
                records += [
                    StepRecord(step: .conversionApplication, date: meeting.adding(years: 1).adding(days: -20)),
                    StepRecord(step: .conversionMeeting, date: meeting.adding(years: 1), facts: vote),
                    StepRecord(step: .conversionApproval, date: meeting.adding(years: 1).adding(days: 20), facts: approval),
                    StepRecord(step: .archive, date: meeting.adding(years: 1).adding(days: 30)),
                ]
            }
            for record in records { _ = try await development.record(caseID: id, record, access: .maintenance, actor: actor) }
        }
        for (label, target) in [("政府办第一支部", 2), ("政府办第二支部", 1), ("教育局机关支部", 1)] {
            if let org = byShort[label] {
                try await development.setTarget(
                    organisationID: org.id, year: today.year, target: target, note: "县直机关工委下达", access: .maintenance, actor: actor)
            }
        }
    }

    /// A demo account holding `role` on `organisation`, created on first use, with a fresh random password.
    public func account(username: String, displayName: String, role: Role, organisation org: Organisation?) async throws -> Account {
        let user: User
        if let existing = try await accounts.find(username: username) {
            user = existing
        } else {
            user = try await accounts.create(
                username: username, displayName: displayName, organisationID: org?.id, policy: .mlps, actor: actor
            ).user
            // Grants are made by the console, never by the user themself.
            _ = try await accounts.grant(role: role, to: user.id, organisationID: org?.id, scope: nil, actor: actor)
        }
        // Random for every start, printed once to the operator; never a fixed credential (decision 0005).
        let generated = "Demo-" + RandomToken.make(bytes: 6)
        try await accounts.setDemoPassword(userID: user.id, password: generated, actor: actor)
        return Account(username: username, displayName: displayName, role: role, organisation: org?.name, password: generated)
    }
}
