import Foundation
import DangjianDomain

extension DemoCounty {
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
        // 责任清单: a "十个一" style list for every branch; 责任书 signed in February.
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
            // Items that name a meeting (支委会, 党课 …) are fulfilled by the organisational-life records the demo
            // already holds (one ledger); only the others are entered on the list.
            func done(_ item: DutyItem, _ date: CivilDate) async throws {
                guard date <= today, date.year == today.year, item.fedBy == nil else { return }
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
}

extension DemoCounty.DemoPart {
    /// 三单一账.
    public static let lists = DemoCounty.DemoPart("lists") { county, context in
        try await county.seedLists(context.byShort)
    }
}
