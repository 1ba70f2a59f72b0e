import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("三单一账: tasks, problems, supervision and the 月通报 on both databases")
struct ListsAndLedgerStoreTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    static let today = Date(timeIntervalSince1970: 1_783_641_600)  // 2026-07-10

    func actor(_ id: Int64, _ name: String) -> Actor { Actor(userID: id, name: name, ip: "127.0.0.1", requestID: "test") }

    @Test(
        "凤翔区 (seed 000): 2 supervision groups, 30 units visited in 2 rounds, 63 problems, 27 reminder letters — the 月通报 shows exactly those figures, equal to an independent count from the tables",
        arguments: TestBackend.enabled)
    func fengxiangScenario(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.today)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let committee = tree["A1"]  // 区直机关工委
            var units: [Int64] = []
            for i in 1...30 {
                units.append(
                    try await kit.organisations.create(
                        type: .branch, name: "创建单位\(String(format: "%02d", i))党支部", shortName: nil,
                        parentID: committee, access: .maintenance, actor: .console("t")
                    ).id)
            }
            var inspectors: [Int64] = []
            for i in 1...4 {
                inspectors.append(
                    try await kit.accounts.create(
                        username: "duban\(i)", displayName: "督导员\(i)", organisationID: committee, policy: .mlps,
                        actor: .console("t")
                    ).user.id)
            }
            let supervision = kit.store.supervision
            let groups = [
                try await supervision.createGroup(
                    name: "第一督导组", year: 2026, organisationID: committee, members: [(inspectors[0], "组长"), (inspectors[1], "组员")],
                    organisationIDs: Array(units[0..<15]), access: .maintenance, actor: .console("t")),
                try await supervision.createGroup(
                    name: "第二督导组", year: 2026, organisationID: committee, members: [(inspectors[2], "组长"), (inspectors[3], "组员")],
                    organisationIDs: Array(units[15..<30]), access: .maintenance, actor: .console("t")),
            ]
            let scheme = "对标8方面30项创建指标"
            let rounds = [
                try await supervision.createRound(
                    name: "第一轮专项督查", scheme: scheme, startsOn: day("2026-05-06"), endsOn: day("2026-05-20"), campaignID: nil,
                    organisationID: committee, access: .maintenance, actor: .console("t")),
                try await supervision.createRound(
                    name: "第二轮专项督查", scheme: scheme, startsOn: day("2026-06-03"), endsOn: day("2026-06-17"), campaignID: nil,
                    organisationID: committee, access: .maintenance, actor: .console("t")),
            ]
            // A group member records visits to their units without holding any role; the other group's units are refused.
            let nobody = OrganisationAccess(permission: .ledgerManage, reaches: [])
            await #expect(throws: ValidationFailure.self) {
                try await supervision.recordVisit(
                    roundID: rounds[0], groupID: groups[0], organisationID: units[20], visitedOn: day("2026-05-07"), notes: "",
                    findings: [], userID: inspectors[0], manage: nobody, actor: actor(inspectors[0], "督导员1"))
            }
            await #expect(throws: AccessDenied.self) {
                try await supervision.recordVisit(
                    roundID: rounds[0], groupID: groups[0], organisationID: units[0], visitedOn: day("2026-05-07"), notes: "",
                    findings: [], userID: inspectors[2], manage: nobody, actor: actor(inspectors[2], "督导员3"))
            }
            await #expect(throws: ValidationFailure.self, "outside the round's dates") {
                try await supervision.recordVisit(
                    roundID: rounds[0], groupID: groups[0], organisationID: units[0], visitedOn: day("2026-05-21"), notes: "",
                    findings: [], userID: inspectors[0], manage: nobody, actor: actor(inspectors[0], "督导员1"))
            }
            // A bad finding (deadline before the visit) writes nothing: neither the visit nor the other findings.
            do {
                _ = try await supervision.recordVisit(
                    roundID: rounds[0], groupID: groups[0], organisationID: units[0], visitedOn: day("2026-05-07"), notes: "",
                    findings: [
                        FindingDraft(category: "组织生活", description: "支委会记录不全", deadline: day("2026-06-07")),
                        FindingDraft(category: "阵地建设", description: "活动室未挂牌", deadline: day("2026-05-01")),
                    ],
                    userID: inspectors[0], manage: nobody, actor: actor(inspectors[0], "督导员1"))
                Issue.record("a finding with a deadline before the visit was accepted")
            } catch let f as ValidationFailure { #expect(f.message.hasPrefix("第 2 个问题")) }
            let aspects = ["政治建设", "理论武装", "组织生活", "队伍建设", "阵地建设", "制度落实", "服务中心", "作风建设"]
            var secondRoundProblems: [Int64: [Int64]] = [:]
            for (r, round) in rounds.enumerated() {
                for (i, unit) in units.enumerated() {
                    let count = r == 0 ? i % 3 : (i + 1) % 3 + (i < 3 ? 1 : 0)
                    let visitDay = r == 0 ? day("2026-05-06").adding(days: i % 10) : day("2026-06-03").adding(days: i % 10)
                    let findings = (0..<count).map { k in
                        FindingDraft(
                            category: aspects[(i + k) % 8], description: "第\(r + 1)轮发现：单位\(i + 1)问题\(k + 1)", deadline: visitDay.adding(days: 30))
                    }
                    let inspector = inspectors[(i < 15 ? 0 : 2) + r % 2]
                    let visit = try await supervision.recordVisit(
                        roundID: round, groupID: groups[i < 15 ? 0 : 1], organisationID: unit, visitedOn: visitDay,
                        notes: "查阅资料、座谈", findings: findings, userID: inspector, manage: nobody, actor: actor(inspector, "督导员"))
                    #expect(visit.problemIDs.count == count)
                    if r == 1 { secondRoundProblems[unit] = visit.problemIDs }
                }
            }
            // A group of one office cannot record into another office's round; a letter cannot cite a visit to another unit.
            let otherRound = try await supervision.createRound(
                name: "县委巡察", scheme: "", startsOn: day("2026-06-01"), endsOn: day("2026-06-30"), campaignID: nil,
                organisationID: tree["A"], access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self) {
                try await supervision.recordVisit(
                    roundID: otherRound, groupID: groups[0], organisationID: units[0], visitedOn: day("2026-06-05"), notes: "",
                    findings: [], userID: inspectors[0], manage: nobody, actor: actor(inspectors[0], "督导员1"))
            }
            let visitOfUnit1 = try #require(
                try await supervision.round(rounds[1], userID: inspectors[0], access: nobody)?.1.first { $0.organisationID == units[1] })
            await #expect(throws: ValidationFailure.self) {
                try await supervision.issueLetter(
                    LetterDraft(
                        organisationID: units[0], visitID: visitOfUnit1.id, problemIDs: [], title: "提醒函", recipient: "某支部",
                        body: "请整改", issuingOrgan: "工委", issuedOn: day("2026-06-18")),
                    issuerOrganisationID: committee, access: .maintenance, actor: .console("t"))
            }
            // The inspector sees their own group and its office's rounds, not the other office's round.
            let seen = try await supervision.overview(userID: inspectors[0], access: nobody)
            #expect(seen.groups.map(\.id) == [groups[0]] && Set(seen.rounds.map(\.id)) == Set(rounds))
            #expect(try await supervision.overview(userID: inspectors[0], access: .maintenance).rounds.count == 3)
            let manage = OrganisationAccess.maintenance
            for unit in units.prefix(27) {
                let letter = try await supervision.issueLetter(
                    LetterDraft(
                        organisationID: unit, visitID: nil, problemIDs: secondRoundProblems[unit] ?? [], title: "关于督导发现问题的提醒函",
                        recipient: "创建单位党支部", body: "经第二轮专项督查，发现你单位存在以下问题，请于30日内完成整改。", issuingOrgan: "区直机关工委",
                        issuedOn: day("2026-06-18")),
                    issuerOrganisationID: committee, access: manage, actor: .console("t"))
                #expect(letter.number.hasPrefix("提醒函〔2026〕"))
            }
            let letters = try await supervision.letters(access: manage)
            #expect(Set(letters.map(\.number)).count == 27, "numbers are unique")
            #expect(letters.contains { $0.number == "提醒函〔2026〕27号" })

            let report = try await kit.store.ledgerReports
                .report(anchorID: committee, scope: .subtree, month: day("2026-06-01"), access: manage)
            #expect(report.year.groups == 2 && report.year.rounds == 2 && report.year.unitsVisited == 30 && report.year.visits == 60)
            #expect(report.year.problemsFound == 63 && report.year.letters == 27)
            #expect(report.month.rounds == 1 && report.month.unitsVisited == 30 && report.month.problemsFound == 33 && report.month.letters == 27)
            // Independent count straight from the tables.
            let counted = try await kit.database.read { db in
                func n(_ sql: SQLQueryString) async throws -> Int { try await db.raw(sql).first()!.value("n", Int.self) }
                return (
                    try await n("SELECT COUNT(DISTINCT group_id) AS n FROM supervision_visits"),
                    try await n("SELECT COUNT(DISTINCT round_id) AS n FROM supervision_visits"),
                    try await n("SELECT COUNT(DISTINCT organisation_id) AS n FROM supervision_visits"),
                    try await n("SELECT COUNT(*) AS n FROM problems WHERE source = 'supervision'"),
                    try await n("SELECT COUNT(*) AS n FROM supervision_letters"),
                    try await n("SELECT COUNT(*) AS n FROM problems WHERE found_on >= '2026-06-01' AND found_on <= '2026-06-30'")
                )
            }
            #expect(
                counted == (
                    report.year.groups, report.year.rounds, report.year.unitsVisited, report.year.problemsFound, report.year.letters,
                    report.month.problemsFound
                ))
            // Per unit the figures add up to the totals, and every unit visited is on the report.
            #expect(report.lines.count == 30 && report.lines.map(\.year.problemsFound).reduce(0, +) == 63)
            // At the end of June every problem of the first round is past its deadline (visit + 30 days) and open.
            #expect(report.month.problemsOverdue == 30 && report.month.problemsOpen == 63)
        }
    }

    @Test(
        "a problem's loop through the repository: the rectifier cannot accept, a rejection returns it, 回头看 reopens it; events are kept and dates in order",
        arguments: TestBackend.enabled)
    func problemLoop(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.today)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let worker = try await kit.accounts.create(
                username: "zhengai", displayName: "整改人", organisationID: tree["A1a1"], policy: .mlps, actor: .console("t")
            ).user.id
            let checker = try await kit.accounts.create(
                username: "yanshou", displayName: "验收人", organisationID: tree["A1"], policy: .mlps, actor: .console("t")
            ).user.id
            let repo = kit.store.problems
            let id = try await repo.create(
                ProblemDraft(
                    organisationID: tree["A1a1"], source: .inspection, category: "组织生活", description: "三会一课记录不规范",
                    foundOn: day("2026-06-01"), deadline: day("2026-06-30")), access: .maintenance, actor: actor(checker, "验收人"))
            try await repo.apply(
                id, .plan(measures: "逐月补齐记录", responsible: "王书记", deadline: day("2026-07-05")), on: day("2026-06-02"), access: .maintenance,
                actor: actor(worker, "整改人"))
            let photo = Data([0xFF, 0xD8, 0xFF, 0xE1]) + Data((0..<5000).map { UInt8($0 % 251) })
            try await repo.apply(
                id, .requestClosure(evidence: "已补齐"), on: day("2026-06-20"), file: try EvidenceFile(fileName: "../整改/记录.jpg", data: photo),
                access: .maintenance, actor: actor(worker, "整改人"))
            let stored = try #require(try await repo.find(id, access: .maintenance)?.events.last?.attachments.first)
            #expect(stored.fileName == "记录.jpg" && stored.contentType == "image/jpeg" && stored.byteSize == photo.count)
            let (_, bytes) = try #require(try await kit.store.attachments.download(stored.id, access: .maintenance))
            #expect(bytes == photo, "the bytes come back unchanged from \(backend)")
            do {
                try await repo.apply(id, .accept(opinion: "同意"), on: day("2026-06-21"), access: .maintenance, actor: actor(worker, "整改人"))
                Issue.record("the rectifier accepted their own rectification")
            } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.independentAcceptance) }
            await #expect(throws: ValidationFailure.self, "a date before the last event") {
                try await repo.apply(id, .reject(reason: "x"), on: day("2026-06-19"), access: .maintenance, actor: actor(checker, "验收人"))
            }
            try await repo.apply(id, .reject(reason: "缺少 5 月记录"), on: day("2026-06-22"), access: .maintenance, actor: actor(checker, "验收人"))
            try await repo.apply(id, .requestClosure(evidence: "5 月记录已补"), on: day("2026-06-25"), access: .maintenance, actor: actor(worker, "整改人"))
            try await repo.apply(id, .accept(opinion: "整改到位"), on: day("2026-06-26"), access: .maintenance, actor: actor(checker, "验收人"))
            var file = try #require(try await repo.find(id, access: .maintenance))
            #expect(file.lifecycle.state == .closed && file.lifecycle.closedOn == day("2026-06-26") && file.events.count == 5)
            #expect(file.lifecycle.deadline == day("2026-07-05") && file.lifecycle.responsible == "王书记")
            #expect(file.events.map(\.actorName) == ["整改人", "整改人", "验收人", "整改人", "验收人"])
            try await repo.apply(id, .reopen(reason: "回头看：7 月记录又缺"), on: day("2026-07-08"), access: .maintenance, actor: actor(checker, "验收人"))
            file = try #require(try await repo.find(id, access: .maintenance))
            #expect(file.lifecycle.state == .rectifying && file.lifecycle.reopenings == 1)
            let listed = try await repo.list(anchorID: tree["A1"], scope: .subtree, state: .rectifying, access: .maintenance)
            #expect(listed.map(\.id) == [id])
            // Outside the caller's scope the problem does not exist.
            let b1 = try #require(try await kit.organisations.find(tree["B1"], access: .maintenance))
            let other = OrganisationAccess(permission: .ledgerWrite, reaches: [OrganisationReach(organisationID: b1.id, path: b1.path, scope: .own)])
            #expect(try await repo.find(id, access: other) == nil)
            await #expect(throws: RecordNotFound.self) {
                try await repo.apply(id, .progress("越权"), on: day("2026-07-09"), access: other, actor: actor(worker, "整改人"))
            }
        }
    }

    @Test(
        "a campaign's task for two units: claimed, recorded in the ledger, done (LIST-05); late and open tasks in the 月通报; the year-end close stops the ledger (LIST-06)",
        arguments: TestBackend.enabled)
    func campaignTasks(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.today)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.campaigns
            let campaign = try await repo.create(
                name: "2026年“四优”模范机关创建", year: 2026, description: "4类11项重点任务", organisationID: tree["A1"],
                access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self, "a unit outside the campaign's subtree") {
                try await repo.addTask(
                    campaignID: campaign, category: "政治建设", title: "越界任务", deliverable: "", deadline: day("2026-06-30"),
                    assignees: [tree["B1"]], access: .maintenance, actor: .console("t"))
            }
            let task = try await repo.addTask(
                campaignID: campaign, category: "政治建设", title: "开展“第一议题”学习", deliverable: "学习记录",
                deadline: day("2026-06-30"), assignees: [tree["A1a1"], tree["A1b"]], access: .maintenance, actor: .console("t"))
            let board = try await repo.board(campaign, access: .maintenance)
            #expect(board.tasks.map(\.id) == [task] && board.assignments.count == 2 && board.organisations.count == 2)
            let a1a1 = board.assignments.first { $0.organisationID == tree["A1a1"] }!
            try await repo.claim(a1a1.id, refinement: "每月第一周学习", owner: "王书记", access: .maintenance, actor: .console("t"))
            do {
                try await repo.complete(a1a1.id, on: day("2026-06-28"), access: .maintenance, actor: .console("t"))
                Issue.record("completed without a ledger entry")
            } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.ledgerBacked) }
            try await repo.recordProgress(
                a1a1.id, on: day("2026-06-05"), text: "6 月学习已开展", evidence: "会议记录第 12 页", access: .maintenance, actor: .console("t"))
            try await repo.complete(a1a1.id, on: day("2026-06-28"), access: .maintenance, actor: .console("t"))
            let (done, _, ledger) = try #require(try await repo.assignment(a1a1.id, access: .maintenance))
            #expect(done.lifecycle.state == .done && done.ownerName == "王书记" && ledger.map(\.evidence) == ["会议记录第 12 页"])
            let report = try await kit.store.ledgerReports
                .report(anchorID: tree["A1"], scope: .subtree, month: day("2026-06-01"), access: .maintenance)
            #expect(report.month.tasks == 2 && report.month.tasksDone == 1 && report.month.tasksOverdue == 1)
            #expect(report.lines.first?.organisationID == tree["A1a1"] && report.lines.last?.overdueItems == 1)
            try await repo.close(campaign, on: day("2026-07-10"), access: .maintenance, actor: .console("t"))
            let other = board.assignments.first { $0.organisationID == tree["A1b"] }!
            do {
                try await repo.recordProgress(other.id, on: day("2026-07-10"), text: "补记", evidence: "", access: .maintenance, actor: .console("t"))
                Issue.record("recorded after the year-end close")
            } catch let f as ValidationFailure { #expect(f.ruleID == ListRule.yearEndClose) }
        }
    }

    @Test(
        "责任清单: a template's items as data, lists for every branch of the subtree, items recorded in the ledger; the 月通报 counts duty items, completions and stars; 责任书 registered once per unit, year and title",
        arguments: TestBackend.enabled)
    func dutyLists(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            // The tree is set up on 2025-12-01 (a list judges only periods after an organisation's establishment).
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_547_200))
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            clock.advance(seconds: Self.today.timeIntervalSince(clock.now()))  // 2026-07-10
            let repo = kit.store.duties
            await #expect(throws: ValidationProblems.self) {
                try await repo.createTemplate(
                    name: "坏模板", post: "书记", appliesTo: [.branch], items: "每周 例会", organisationID: tree["A1"], access: .maintenance,
                    actor: .console("t"))
            }
            let template = try await repo.createTemplate(
                name: "党支部书记抓党建履职清单（十个一）", post: "党支部书记", appliesTo: [.branch],
                items: "每年 签订一份党建目标责任书\n每季度 讲一次党课\n每月 召开一次支委会",
                organisationID: tree["A1"], access: .maintenance, actor: .console("t"))
            #expect(try await repo.instantiate(templateID: template, year: 2026, access: .maintenance, actor: .console("t")) == 3, "A1a1, A1a2, A1b")
            #expect(
                try await repo.instantiate(templateID: template, year: 2026, access: .maintenance, actor: .console("t")) == 0, "kept, not doubled")
            let lists = try await repo.lists(anchorID: tree["A1"], scope: .subtree, year: 2026, access: .maintenance)
            let a1a1 = try #require(lists.first { $0.organisationID == tree["A1a1"] })
            let items = a1a1.template.items
            // A1a1 holds its committee every month to June and the Q1 and Q2 lectures — recorded once, as organisational
            // life (one ledger: the items naming a 支委会 and a 党课 are fulfilled by those records) — and its theme days and
            // general meetings, so that its months earn the board's stars; the annual letter is entered on the list.
            #expect(items.map { $0.fedBy } == [nil, .partyLecture, .committeeMeeting])
            func hold(_ kind: MeetingKind, _ date: String) async throws {
                var d = MeetingDraft(kind: kind, heldOn: day(date))
                d.topic = "\(kind.displayName) \(date)"
                d.lecturer = kind == .partyLecture ? "支部书记" : ""
                _ = try await kit.store.meetings.record(d, organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            }
            for m in 1...6 {
                try await hold(.committeeMeeting, "2026-0\(m)-08")
                try await hold(.themeDay, "2026-0\(m)-18")
            }
            for d in ["2026-03-20", "2026-05-20"] { try await hold(.partyLecture, d) }
            for d in ["2026-03-25", "2026-06-25"] { try await hold(.generalMeeting, d) }
            try await repo.record(
                listID: a1a1.id, itemID: items[0].id, on: day("2026-02-20"), text: "已签订", evidence: "", access: .maintenance, actor: .console("t"))
            do {
                try await repo.record(
                    listID: a1a1.id, itemID: items[2].id, on: day("2026-06-08"), text: "6月支委会", evidence: "", access: .maintenance,
                    actor: .console("t"))
                Issue.record("an item fed by meeting records was entered a second time")
            } catch let f as ValidationFailure {
                #expect(f.field == "item" && f.message.contains("由组织生活记录自动完成") && f.ruleID == "LIST-09")
            }
            await #expect(throws: ValidationFailure.self, "outside the list's year") {
                try await repo.record(
                    listID: a1a1.id, itemID: items[0].id, on: day("2025-12-20"), text: "x", evidence: "", access: .maintenance, actor: .console("t"))
            }
            await #expect(throws: ValidationFailure.self, "an item of another template") {
                try await repo.record(
                    listID: a1a1.id, itemID: 9999, on: day("2026-02-20"), text: "x", evidence: "", access: .maintenance, actor: .console("t"))
            }
            let list = try #require(try await repo.list(a1a1.id, access: .maintenance))
            #expect(list.standing.stars == [1, 2, 3, 4, 5, 6] && list.standing.state == .pending)
            // One star count: the list shows the organisation's stars, the same as the board's tile.
            let board = try await kit.store.compliance.board(anchorID: tree["A1a1"], scope: .own, access: .maintenance)
            let tile = try #require(board.first)
            #expect(list.months == tile.months && list.stars == tile.stars)
            #expect(tile.stars == 6, "\(tile.months)")
            let a1b = try #require(try await repo.lists(anchorID: tree["A1b"], scope: .own, year: 2026, access: .maintenance).first)
            #expect(a1b.standing.state == .overdue && a1b.standing.stars.isEmpty)
            // June's report: three lists; June's monthly items (3) and Q2's lectures (3) ended in June; A1a1 met both.
            let report = try await kit.store.ledgerReports
                .report(anchorID: tree["A1"], scope: .subtree, month: day("2026-06-01"), access: .maintenance)
            #expect(report.month.dutyItems == 6 && report.month.dutyMet == 2 && report.month.stars == 1)
            #expect(report.year.dutyItems == 3 * (6 + 2) && report.year.dutyMet == 6 + 2 && report.year.stars == 6)
            #expect(report.lines.first?.organisationID == tree["A1a1"])
            _ = try await repo.recordLetter(
                organisationID: tree["A1a1"], year: 2026, title: "2026年党建工作目标责任书", signatory: "王书记", signedOn: day("2026-02-20"),
                issuerOrganisationID: tree["A1"], access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self, "registered once") {
                try await repo.recordLetter(
                    organisationID: tree["A1a1"], year: 2026, title: "2026年党建工作目标责任书", signatory: "王书记", signedOn: day("2026-02-21"),
                    issuerOrganisationID: tree["A1"], access: .maintenance, actor: .console("t"))
            }
            #expect(try await repo.letters(year: 2026, access: .maintenance).count == 1)
        }
    }

    @Test("evidence files are recognised by their first bytes, capped at 10MB, and their names cleaned")
    func evidenceFileChecks() throws {
        #expect(try EvidenceFile(fileName: "", data: Data()) == nil, "no file chosen is no evidence")
        #expect(try EvidenceFile(fileName: nil, data: Data()) == nil, "no file chosen is no evidence")
        // L10 (issue 15): a chosen file with no bytes is refused with its name, not dropped.
        #expect(throws: ValidationFailure.self) { try EvidenceFile(fileName: "a.png", data: Data()) }
        #expect(try EvidenceFile(fileName: "x.bin", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1]))?.contentType == "image/png")
        #expect(try EvidenceFile(fileName: "报告.pdf", data: Data("%PDF-1.7".utf8))?.contentType == "application/pdf")
        #expect(throws: ValidationFailure.self) { try EvidenceFile(fileName: "a.jpg", data: Data("GIF89a".utf8)) }
        #expect(throws: ValidationFailure.self) {
            try EvidenceFile(fileName: "big.jpg", data: Data([0xFF, 0xD8, 0xFF]) + Data(count: EvidenceFile.maximumBytes))
        }
        #expect(try EvidenceFile(fileName: "C:\\照片\\现场\u{7}.jpg", data: Data([0xFF, 0xD8, 0xFF]))?.fileName == "现场.jpg")
        #expect(try EvidenceFile(fileName: nil, data: Data([0xFF, 0xD8, 0xFF]))?.fileName == "佐证照片.jpg")
    }
}
