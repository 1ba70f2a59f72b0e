import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension ListsFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        try await fixture.addLists(store: setup.store, clock: setup.clock, console: setup.console)
        let made: [RouteTarget: Int64] = [
            .campaign: fixture.campaign, .taskAssignment: fixture.taskAssignment, .problem: fixture.problem,
            .supervisionRound: fixture.supervisionRound, .letter: fixture.letter, .dutyList: fixture.dutyList, .attachment: fixture.attachment,
            .dutyTemplate: fixture.dutyTemplate,
        ]
        fixture.records.merge(made) { _, new in new }
    }

    /// In each position's organisation a campaign with a task for the organisation itself and evidence on it, a
    /// problem, a supervision round, a reminder letter and this year's duty list (from a template of A and of B).
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        let (store, console, today) = (setup.store, setup.console, setup.today)
        for root in ["A", "B"] {
            let template = try await store.duties.createTemplate(
                name: "书记抓党建履职清单（\(root)）", post: "书记", appliesTo: OrganisationType.allCases,
                items: "每年 讲一次党课", organisationID: setup.tree[root], access: .maintenance, actor: console)
            _ = try await store.duties.instantiate(templateID: template, year: today.year, access: .maintenance, actor: console)
        }
        for key in setup.keys {
            let org = setup.tree[key]
            let campaign = try await store.campaigns.create(
                name: "创建活动（\(key)）", year: today.year, description: "", organisationID: org, access: .maintenance, actor: console)
            records.add(.campaign, in: org, campaign)
            let task = try await store.campaigns.addTask(
                campaignID: campaign, category: "政治建设", title: "第一议题学习", deliverable: "", deadline: today.adding(days: 30), assignees: [org],
                access: .maintenance, actor: console)
            let assignment = try await store.campaigns.board(campaign, access: .maintenance).assignments.first { $0.task.id == task }!.id
            records.add(.taskAssignment, in: org, assignment)
            try await store.campaigns.recordProgress(
                assignment, on: today, text: "已开展", evidence: "照片", file: try EvidenceFile(fileName: "现场.png", data: WebFixture.png),
                access: .maintenance, actor: console)
            records.add(.attachment, in: org, try await store.campaigns.assignment(assignment, access: .maintenance)!.2.first!.attachments.first!.id)
            let problem = try await store.problems.create(
                ProblemDraft(
                    organisationID: org, source: .selfCheck, category: "组织生活", description: "记录不全（\(key)）", foundOn: today,
                    deadline: today.adding(days: 30)),
                access: .maintenance, actor: console)
            records.add(.problem, in: org, problem)
            let round = try await store.supervision.createRound(
                name: "督查（\(key)）", scheme: "8方面30项", startsOn: today.adding(days: -10), endsOn: today.adding(days: 10), campaignID: nil,
                organisationID: org, access: .maintenance, actor: console)
            records.add(.supervisionRound, in: org, round)
            let letter = try await store.supervision.issueLetter(
                LetterDraft(
                    organisationID: org, visitID: nil, problemIDs: [], title: "提醒函", recipient: key, body: "请整改。", issuingOrgan: "工委",
                    issuedOn: today),
                issuerOrganisationID: org, access: .maintenance, actor: console)
            records.add(.letter, in: org, letter.id)
            guard let list = try await store.duties.lists(anchorID: org, scope: .own, year: today.year, access: .maintenance).first else {
                throw ValidationFailure(field: "fixture", message: "no duty list in \(key)")
            }
            records.add(.dutyList, in: org, list.id)
            let template = try await store.duties.createTemplate(
                name: "支部书记履职清单（\(key)）", post: "支部书记", appliesTo: [.branch], items: "每月 召开一次支委会", organisationID: org,
                access: .maintenance, actor: console)
            records.add(.dutyTemplate, in: org, template)
        }
    }
}

extension WebFixture {
    mutating func addLists(store: StoreServices, clock: ManualClock, console: Actor) async throws {
        let today = CivilDate(date: clock.now())
        let campaigns = store.campaigns
        campaign = try await campaigns.create(
            name: "模范机关创建", year: today.year, description: "", organisationID: tree["A1"], access: .maintenance, actor: console)
        let task = try await campaigns.addTask(
            campaignID: campaign, category: "政治建设", title: "第一议题学习", deliverable: "", deadline: today.adding(days: 30),
            assignees: [tree["A1a1"]], access: .maintenance, actor: console)
        taskAssignment = try await campaigns.board(campaign, access: .maintenance).assignments.first { $0.task.id == task }!.id
        problem = try await store.problems.create(
            ProblemDraft(
                organisationID: tree["A1a1"], source: .selfCheck, category: "组织生活", description: "记录不全", foundOn: today,
                deadline: today.adding(days: 30)),
            access: .maintenance, actor: console)
        let supervision = store.supervision
        supervisionGroup = try await supervision.createGroup(
            name: "第一督导组", year: today.year, organisationID: tree["A1"], members: [(targetUserID, "组员")],
            organisationIDs: [tree["A1a1"]], access: .maintenance, actor: console)
        supervisionRound = try await supervision.createRound(
            name: "第一轮督查", scheme: "8方面30项", startsOn: today.adding(days: -10), endsOn: today.adding(days: 10),
            campaignID: campaign, organisationID: tree["A1"], access: .maintenance, actor: console)
        supervisionVisit = try await supervision.recordVisit(
            roundID: supervisionRound, groupID: supervisionGroup, organisationID: tree["A1a1"], visitedOn: today,
            notes: "", findings: [FindingDraft(category: "阵地建设", description: "未挂牌", deadline: today.adding(days: 30))],
            userID: targetUserID, manage: .maintenance, actor: console
        ).id
        letter = try await supervision.issueLetter(
            LetterDraft(
                organisationID: tree["A1a1"], visitID: supervisionVisit, problemIDs: [], title: "提醒函", recipient: "一支部",
                body: "请整改。", issuingOrgan: "工委", issuedOn: today),
            issuerOrganisationID: tree["A1"], access: .maintenance, actor: console
        ).id
        let duties = store.duties
        dutyTemplate = try await duties.createTemplate(
            name: "党支部书记抓党建履职清单", post: "党支部书记", appliesTo: [.branch],
            items: "每年 讲一次党课\n每月 召开一次支委会\n每年 签订一份党建目标责任书", organisationID: tree["A1"], access: .maintenance, actor: console)
        _ = try await duties.instantiate(templateID: dutyTemplate, year: today.year, access: .maintenance, actor: console)
        dutyList = try await duties.lists(anchorID: tree["A1a1"], scope: .own, year: today.year, access: .maintenance).first!.id
        try await campaigns.recordProgress(
            taskAssignment, on: today, text: "已开展", evidence: "照片", file: try EvidenceFile(fileName: "现场.png", data: Self.png),
            access: .maintenance, actor: console)
        attachment = try await campaigns.assignment(taskAssignment, access: .maintenance)!.2.first!.attachments.first!.id
        _ = try await store.applicationForms
            .issue(first: "粤2026000001", count: 3, organisationID: tree["A1"], on: today, access: .maintenance, actor: console)
    }
}
