import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

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
            items: "每年 讲一次党课\n每月 召开一次支委会", organisationID: tree["A1"], access: .maintenance, actor: console)
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
