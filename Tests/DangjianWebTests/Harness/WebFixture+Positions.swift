import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// Records at every position (issue 16): for each organisation that a matrix position names (`organisation(_:for:)`
/// of every role), one record of each kind a route can target (`RouteTarget`), so that every organisation-scoped
/// route is checked with its target at own, child, parent, sibling and other county. Built once for the fixture
/// template (the matrix and the fuzz test copy it), not for every harness.
struct PositionedRecords: Sendable {
    /// Target kind → organisation ID → the record of that kind in that organisation.
    var records: [RouteTarget: [Int64: Int64]] = [:]
    /// A 民主评议党员 meeting per organisation (the evaluation routes' meeting).
    var evaluationMeetings: [Int64: Int64] = [:]
    /// The scan on each development case's first step, by case.
    var developmentMaterials: [Int64: Int64] = [:]

    func record(_ target: RouteTarget, in organisationID: Int64) -> Int64? { records[target]?[organisationID] }

    /// The organisations the five positions name for any role.
    static let organisationKeys = ["A", "A1", "A1a", "A1a1", "A1a1g", "A1a2", "A2", "B", "B1"]

    static func create(tree: FixtureTree, members: [String: Int64], store: StoreServices, clock: ManualClock) async throws -> PositionedRecords {
        let console = Actor.console("fixture")
        let today = CivilDate(date: clock.now())
        var made = PositionedRecords()
        func add(_ target: RouteTarget, _ org: Int64, _ id: Int64) { made.records[target, default: [:]][org] = id }
        for root in ["A", "B"] {
            let template = try await store.duties.createTemplate(
                name: "书记抓党建履职清单（\(root)）", post: "书记", appliesTo: OrganisationType.allCases,
                items: "每年 讲一次党课", organisationID: tree[root], access: .maintenance, actor: console)
            _ = try await store.duties.instantiate(templateID: template, year: today.year, access: .maintenance, actor: console)
        }
        for key in organisationKeys {
            let org = tree[key]
            // 组织生活: a 主题党日 with an open QR sign-in, and a 民主评议党员 meeting.
            var themeDay = MeetingDraft(kind: .themeDay, heldOn: today)
            themeDay.topic = "主题党日（\(key)）"
            let meeting = try await store.meetings.record(themeDay, organisationID: org, access: .maintenance, actor: console).id
            _ = try await store.checkins.open(meetingID: meeting, access: .maintenance, actor: console)
            add(.meeting, org, meeting)
            var evaluation = MeetingDraft(kind: .democraticEvaluation, heldOn: today)
            evaluation.topic = "民主评议党员（\(key)）"
            evaluation.attendance[members[key]!] = (.present, "")
            made.evaluationMeetings[org] = try await store.meetings.record(evaluation, organisationID: org, access: .maintenance, actor: console).id
            // 发展党员: a case with its application's scan.
            let sequence = 800 + organisationKeys.firstIndex(of: key)!
            let developmentCase = try await store.development.open(
                applicantName: "申请人\(key)", idNumber: MemberFixtures.idNumber(born: "2000-03-04", sequence: sequence), organisationID: org,
                access: .maintenance, actor: console)
            // Designated an activist (steps 1–3), so the case has a document to download, like the core fixture's.
            for step in DevelopmentFixtures.records(through: .activistDesignation) {
                let (_, refusals) = try await store.development.record(caseID: developmentCase, step, access: .maintenance, actor: console)
                guard refusals.isEmpty else { throw ValidationFailure(field: "fixture", message: "\(key) step \(step.step.rawValue): \(refusals)") }
            }
            let entry = try await store.development.find(developmentCase, access: .maintenance)!.entries[0].id
            try await store.development.addMaterial(
                caseID: developmentCase, entryID: entry, try EvidenceFile(fileName: "入党申请书.png", data: WebFixture.png)!, access: .maintenance,
                actor: console)
            add(.developmentCase, org, developmentCase)
            made.developmentMaterials[developmentCase] = try await store.development.find(developmentCase, access: .maintenance)!.entries[0]
                .attachments[0].id
            // 三单一账: a campaign with a task for the organisation itself and evidence on it, a problem, a
            // supervision round, a reminder letter and the duty list.
            let campaign = try await store.campaigns.create(
                name: "创建活动（\(key)）", year: today.year, description: "", organisationID: org, access: .maintenance, actor: console)
            add(.campaign, org, campaign)
            let task = try await store.campaigns.addTask(
                campaignID: campaign, category: "政治建设", title: "第一议题学习", deliverable: "", deadline: today.adding(days: 30), assignees: [org],
                access: .maintenance, actor: console)
            let assignment = try await store.campaigns.board(campaign, access: .maintenance).assignments.first { $0.task.id == task }!.id
            add(.taskAssignment, org, assignment)
            try await store.campaigns.recordProgress(
                assignment, on: today, text: "已开展", evidence: "照片", file: try EvidenceFile(fileName: "现场.png", data: WebFixture.png),
                access: .maintenance, actor: console)
            add(.attachment, org, try await store.campaigns.assignment(assignment, access: .maintenance)!.2.first!.attachments.first!.id)
            add(
                .problem, org,
                try await store.problems.create(
                    ProblemDraft(
                        organisationID: org, source: .selfCheck, category: "组织生活", description: "记录不全（\(key)）", foundOn: today,
                        deadline: today.adding(days: 30)),
                    access: .maintenance, actor: console))
            add(
                .supervisionRound, org,
                try await store.supervision.createRound(
                    name: "督查（\(key)）", scheme: "8方面30项", startsOn: today.adding(days: -10), endsOn: today.adding(days: 10), campaignID: nil,
                    organisationID: org, access: .maintenance, actor: console))
            add(
                .letter, org,
                try await store.supervision.issueLetter(
                    LetterDraft(
                        organisationID: org, visitID: nil, problemIDs: [], title: "提醒函", recipient: key, body: "请整改。", issuingOrgan: "工委",
                        issuedOn: today),
                    issuerOrganisationID: org, access: .maintenance, actor: console
                ).id)
            guard let list = try await store.duties.lists(anchorID: org, scope: .own, year: today.year, access: .maintenance).first else {
                throw ValidationFailure(field: "fixture", message: "no duty list in \(key)")
            }
            add(.dutyList, org, list.id)
            // Organisations and members: a unit registered under the organisation, a floating certificate of its member.
            add(
                .unit, org,
                try await store.units.create(
                    organisationID: org, name: "某单位（\(key)）", category: "机关", assessmentCategory: "党群政务", access: .maintenance, actor: console
                ).id)
            let traveller = try await store.members.create(
                MemberFixtures.draft(
                    name: "流动党员\(key)", born: "1990-07-01", sequence: 900 + sequence - 800, phone: "1370000\(String(format: "%04d", sequence))"),
                organisationID: org, access: .maintenance, actor: console
            ).id
            add(
                .floatingCertificate, org,
                try await store.floating.issue(
                    memberID: traveller, number: "", issuedOn: today, reason: "外出务工", destination: "广东省深圳市",
                    validUntil: today.adding(months: 3), access: .maintenance, actor: console
                ).certificate.id)
        }
        return made
    }
}
