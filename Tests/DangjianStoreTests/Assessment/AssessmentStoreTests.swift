import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 19 (store): a round from an imported scheme through self-assessment, the assessors' sheets and 综合审定 —
/// EVAL-04 refusals from data and declarations, EVAL-05 hidden until all submitted and locked after, EVAL-07 windows,
/// EVAL-02 refusals naming the indicator, ASSESS-03 changes with both values, ASSESS-08 problems in the 三单一账 loop.
/// On SQLite and PostgreSQL.
@Suite("考评验收 (store)")
struct AssessmentStoreTests {
    static let start = ISO8601DateFormatter().date(from: "2026-09-01T04:00:00Z") ?? Date()

    static func move(_ clock: ManualClock, to iso: String) {
        guard let target = ISO8601DateFormatter().date(from: iso + "T04:00:00Z") else { return }
        clock.advance(seconds: target.timeIntervalSince(clock.now()))
    }

    func actor(_ id: Int64, _ name: String) -> Actor { Actor(userID: id, name: name, ip: "127.0.0.1", requestID: "test") }

    /// The office's table: 2 aspects, 4 indicators, 100 points, a bonus and a deduction item, a veto.
    static let table: [(number: Int, cells: [String])] = [
        ["2026年度模范机关创建考评细则"], ["编号", "方面", "指标", "分值", "评分细则", "佐证材料"],
        ["1.1", "政治建设（40分）", "理论学习中心组学习", "20", "每少1次扣2分", ""],
        ["1.2", "", "第一议题", "20", "", "会议记录"],
        ["2.1", "组织建设（60分）", "三会一课", "30", "", ""],
        ["2.2", "", "主题党日", "30", "", ""],
        ["", "加分项", "创新项目获奖", "3", "", ""],
        ["", "扣分项", "连续三年未发展党员", "2", "", ""],
        ["", "一票否决", "发生严重违纪违法问题", "1", "", ""],
    ].enumerated().map { (number: $0.offset + 1, cells: $0.element) }

    @Test("import → round → self → site → 审定, with every refusal on the way", arguments: TestBackend.enabled)
    func round(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.start)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.assessment
            let console = Actor.console("t")
            func user(_ name: String, _ org: String) async throws -> Int64 {
                try await kit.accounts.create(username: name, displayName: name, organisationID: tree[org], policy: .mlps, actor: console).user.id
            }
            let chair = try await user("zuzhang", "A1")
            let p1 = try await user("pingshen1", "A1")
            let p2 = try await user("pingshen2", "A")
            let p3 = try await user("pingshen3", "A2")
            let insider = try await user("caizheng", "A1a1")  // on the 财政局 roster: must recuse from A1a

            // A scheme with a wrong sum is refused naming the row's aspect; nothing is stored.
            var wrong = Self.table
            wrong[3].cells[3] = "25"
            do {
                _ = try await repo.importScheme(
                    name: "创建考评", rows: wrong, sourceNote: "", organisationID: tree["A1"], schemeID: nil, access: .maintenance, actor: console)
                Issue.record("a scheme whose sums disagree was stored")
            } catch let p as ValidationProblems {
                #expect(p.problems.contains { $0.ruleID == "EVAL-01" && $0.message.contains("政治建设") })
            }
            #expect(try await repo.schemes(access: .maintenance).isEmpty)
            let version = try await repo.importScheme(
                name: "创建考评", rows: Self.table, sourceNote: "考评细则.xlsx", organisationID: tree["A1"], schemeID: nil, access: .maintenance,
                actor: console)
            #expect(version.number == 1 && version.scheme.indicators.count == 4 && version.scheme.vetoItems.count == 1)

            let timetable = AssessmentTimetable(
                dataCutoff: CivilDate(iso: "2026-09-30")!, selfOpens: CivilDate(iso: "2026-09-01")!, selfCloses: CivilDate(iso: "2026-09-30")!,
                siteOpens: CivilDate(iso: "2026-10-15")!, siteCloses: CivilDate(iso: "2026-10-31")!, approveBy: CivilDate(iso: "2026-11-13")!)
            var badTimes = timetable
            badTimes.siteOpens = CivilDate(iso: "2026-09-20")!
            await #expect(throws: ValidationProblems.self) {
                _ = try await repo.openRound(
                    AssessmentRoundDraft(organiserID: tree["A1"], year: 2026, name: "2026年度考评", schemeVersionID: version.id, timetable: badTimes),
                    access: .maintenance, actor: console)
            }
            let round = try await repo.openRound(
                AssessmentRoundDraft(organiserID: tree["A1"], year: 2026, name: "2026年度考评", schemeVersionID: version.id, timetable: timetable),
                access: .maintenance, actor: console)
            // The units are the organiser's direct sub-organisations: 财政局党总支 and 教育局支部.
            let (_, board, _) = try await repo.progress(roundID: round.id, access: .maintenance)
            #expect(board.map(\.unit.organisationID) == [tree["A1a"], tree["A1b"]])
            // A used version is frozen: a change is the next version.
            #expect(try await repo.schemeVersion(version.id, access: .maintenance).rounds == 1)

            try await repo.setPanel(
                roundID: round.id, members: [(chair, .chair), (p1, .assessor), (p2, .assessor), (p3, .assessor), (insider, .assessor)],
                access: .maintenance, actor: console)
            // EVAL-04 (a): the 财政局 member may not score 财政局党总支 — refused as a whole, nothing assigned.
            do {
                try await repo.assign(
                    roundID: round.id, unitIDs: [tree["A1a"], tree["A1b"]], userIDs: [p1, insider], access: .maintenance, actor: console)
                Issue.record("a conflicted assessor was assigned")
            } catch let p as ValidationProblems {
                #expect(p.problems.count == 1 && p.problems[0].ruleID == "EVAL-04" && p.problems[0].message.contains("甲财政局党总支"))
            }
            #expect(try await repo.progress(roundID: round.id, access: .maintenance).1.allSatisfy { $0.assigned == 0 })
            try await repo.assign(
                roundID: round.id, unitIDs: [tree["A1a"], tree["A1b"]], userIDs: [chair, p1, p2, p3], access: .maintenance, actor: console)
            try await repo.assign(roundID: round.id, unitIDs: [tree["A1b"]], userIDs: [insider], access: .maintenance, actor: console)
            // EVAL-04 (c): a declared relation withdraws the assignment.
            try await repo.declareConflict(
                roundID: round.id, userID: insider, organisationID: tree["A1b"], relation: "配偶任教育局支部书记", callerID: insider, actor: actor(insider, "i")
            )
            #expect(try await repo.assessorUnits(userID: insider).isEmpty)

            // 单位自评 (self window), with the unit's own access only.
            let unitAccess = OrganisationAccess(
                permission: .ledgerWrite,
                reaches: [
                    OrganisationReach(
                        organisationID: tree["A1a"], path: try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance)).path,
                        scope: .subtree)
                ])
            let selfEntries = [("1.1", "20"), ("1.2", "20"), ("2.1", "30"), ("2.2", "30")].map { SheetEntry(code: $0.0, text: $0.1) }
            _ = try await repo.saveSheet(
                roundID: round.id, organisationID: tree["A1a"], stage: .selfAssessment, entries: selfEntries, submit: true, expectedVersion: nil,
                userID: 0, unitAccess: unitAccess, actor: console)
            // The unit cannot reach the other unit's self-assessment, nor an assessor's sheet.
            await #expect(throws: RecordNotFound.self) {
                _ = try await repo.sheetView(
                    roundID: round.id, organisationID: tree["A1b"], stage: .selfAssessment, userID: 0, unitAccess: unitAccess)
            }
            // Before the site window opens, a site sheet is refused (EVAL-07).
            do {
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: tree["A1a"], stage: .site, entries: [], submit: false, expectedVersion: nil, userID: p1,
                    unitAccess: .maintenance, actor: actor(p1, "p1"))
                Issue.record("a sheet saved before the window")
            } catch let f as ValidationFailure { #expect(f.ruleID == "EVAL-07") }

            Self.move(clock, to: "2026-10-20")
            func sheet(_ who: Int64, _ unit: String, _ values: [String], submit: Bool = true) async throws {
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: tree[unit], stage: .site,
                    entries: zip(["1.1", "1.2", "2.1", "2.2"], values).map { SheetEntry(code: $0.0, text: $0.1, verifiedOnSite: $0.0 == "1.2") },
                    submit: submit, expectedVersion: nil, userID: who, unitAccess: .maintenance, actor: actor(who, "评审"))
            }
            // EVAL-02: above the maximum, off the step, an unknown indicator — each named, nothing written.
            for (entries, words) in [
                ([SheetEntry(code: "2.1", text: "31")], "超出范围"), ([SheetEntry(code: "2.1", text: "20.3")], "0.5 分的整数倍"),
                ([SheetEntry(code: "1.1", text: "19")], "不符合评分细则"), ([SheetEntry(code: "9.9", text: "1")], "不在本轮评分表中"),
            ] {
                do {
                    _ = try await repo.saveSheet(
                        roundID: round.id, organisationID: tree["A1a"], stage: .site, entries: entries, submit: false, expectedVersion: nil,
                        userID: p1,
                        unitAccess: .maintenance, actor: actor(p1, "p1"))
                    Issue.record("\(entries) was stored")
                } catch let p as ValidationProblems {
                    #expect(p.problems.count == 1 && p.problems[0].message.contains(words) && p.problems[0].ruleID != nil, "\(p.problems)")
                }
            }
            // Submitting with a blank indicator is refused.
            await #expect(throws: ValidationProblems.self) { try await sheet(p1, "A1a", ["18", "20", "28"]) }
            try await sheet(p1, "A1a", ["18", "20", "28", "27"])
            // EVAL-05: submitted sheets are locked …
            do {
                try await sheet(p1, "A1a", ["20", "20", "30", "30"])
                Issue.record("a submitted sheet was overwritten")
            } catch let f as ValidationFailure { #expect(f.ruleID == "EVAL-05") }
            // … and before all are in, scores are hidden from the organiser.
            var results = try await repo.results(roundID: round.id, access: .maintenance)
            #expect(!results.visible && results.rows.isEmpty)
            // An assessor not assigned cannot see or write the sheet.
            await #expect(throws: RecordNotFound.self) {
                _ = try await repo.sheetView(roundID: round.id, organisationID: tree["A1b"], stage: .site, userID: insider, unitAccess: .maintenance)
            }
            // Only the chair reopens, with a reason; the submitted version is kept.
            await #expect(throws: RecordNotFound.self) {
                try await repo.reopenSheet(roundID: round.id, organisationID: tree["A1a"], assessorID: p1, reason: "笔误", callerID: p2, actor: console)
            }
            await #expect(throws: ValidationFailure.self) {
                try await repo.reopenSheet(
                    roundID: round.id, organisationID: tree["A1a"], assessorID: p1, reason: " ", callerID: chair, actor: console)
            }
            try await repo.reopenSheet(
                roundID: round.id, organisationID: tree["A1a"], assessorID: p1, reason: "2.2 项笔误", callerID: chair, actor: actor(chair, "组长"))
            try await sheet(p1, "A1a", ["18", "20", "28", "28"])
            let history = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM assessment_sheet_history").first()?.value("n", Int.self)
            }
            #expect(history == 1)
            try await sheet(p2, "A1a", ["16", "20", "26", "27"])
            try await sheet(p3, "A1a", ["20", "18", "29", "28"])
            try await sheet(chair, "A1a", ["18", "19", "27", "26"])
            for who in [chair, p1, p2] { try await sheet(who, "A1b", ["10", "10", "20", "20"]) }
            try await sheet(p3, "A1b", ["8", "12", "22", "18"], submit: false)  // never submitted: void at the close

            Self.move(clock, to: "2026-11-02")
            do {
                try await sheet(p3, "A1b", ["8", "12", "22", "18"])
                Issue.record("a sheet was submitted after the close")
            } catch let f as ValidationFailure { #expect(f.ruleID == "EVAL-07" && f.message.contains("已于 2026-10-31 截止")) }
            results = try await repo.results(roundID: round.id, access: .maintenance)
            #expect(results.visible && results.incomplete.isEmpty)
            let a = try #require(results.rows.first { $0.unit.organisationID == tree["A1a"] })
            let b = try #require(results.rows.first { $0.unit.organisationID == tree["A1b"] })
            // A1a: sheets 94, 89, 95, 90 → (no trim, EVAL-06) 92.00; A1b: three valid sheets of 60 → 60.00 (the draft is void).
            #expect(a.result.total.description == "92.00" && a.validSheets == 4 && a.selfTotal == Score(points: 100))
            #expect(b.result.total.description == "60.00" && b.validSheets == 3 && b.assigned == 4 && b.quorumMet)
            #expect(a.rank == 1 && b.rank == 2 && a.grade == "优秀" && b.grade == "一般" && !b.passed)
            // The unit sees nothing before approval.
            #expect(try await repo.unitResult(roundID: round.id, organisationID: tree["A1a"], unitAccess: unitAccess) == nil)

            // 综合审定: a change without a reason is refused; with one both values are kept.
            let current = try await repo.organisedRound(round.id, access: .maintenance)
            do {
                _ = try await repo.approve(
                    roundID: round.id, adjustments: [ApprovalAdjustment(organisationID: tree["A1a"], score: Score(points: 93), reason: "")],
                    expectedVersion: current.version, access: .maintenance, actor: console)
                Issue.record("a change without a reason was approved")
            } catch let p as ValidationProblems { #expect(p.problems.first?.ruleID == "ASSESS-03") }
            let approved = try await repo.approve(
                roundID: round.id, adjustments: [ApprovalAdjustment(organisationID: tree["A1a"], score: Score(points: 93), reason: "创新项目经党工委认定加分")],
                expectedVersion: current.version, access: .maintenance, actor: console)
            #expect(approved.round.state == .approved)
            #expect(approved.changes.count == 1 && approved.changes[0].oldValue == "92.00" && approved.changes[0].newValue == "93.00")
            let mine = try #require(try await repo.unitResult(roundID: round.id, organisationID: tree["A1a"], unitAccess: unitAccess))
            #expect(mine.finalScore.description == "93.00" && mine.grade == "优秀" && mine.rank == 1)
            // ASSESS-08: 教育局支部 (60.00, below 达标 80) gets one problem per indicator under 60 % of its maximum (1.1: 10/20 and
            // 1.2: 10/20 are 50 %; 2.1 and 2.2: 20/30 are 67 %) in the 三单一账 loop.
            let issued = try await scratch.database.read { db in
                try await db.raw(
                    "SELECT p.description, p.source FROM assessment_problems a JOIN problems p ON p.id = a.problem_id ORDER BY a.indicator_code"
                ).all().map { (try $0.value("description", String.self), try $0.value("source", String.self)) }
            }
            #expect(issued.count == 2 && issued.allSatisfy { $0.1 == "assessment" } && issued[0].0.contains("1.1 理论学习中心组学习"))
            // Approved rounds take no more changes.
            await #expect(throws: ValidationFailure.self) {
                try await sheet(p3, "A1b", ["8", "12", "22", "18"])
            }
        }
    }

    @Test(
        "bonus, deduction and veto items by hand (EVAL-01/10) and a timetable extension (EVAL-07), each with its reason",
        arguments: TestBackend.enabled)
    func adjustments(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.start)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.assessment
            let console = Actor.console("t")
            let version = try await repo.importScheme(
                name: "创建考评", rows: Self.table, sourceNote: "", organisationID: tree["A1"], schemeID: nil, access: .maintenance, actor: console)
            let day = { (s: String) in CivilDate(iso: s) ?? .earliest }
            let timetable = AssessmentTimetable(
                dataCutoff: day("2026-09-30"), selfOpens: day("2026-09-01"), selfCloses: day("2026-09-30"), siteOpens: day("2026-10-15"),
                siteCloses: day("2026-10-31"), approveBy: day("2026-11-13"))
            let round = try await repo.openRound(
                AssessmentRoundDraft(organiserID: tree["A1"], year: 2026, name: "调整", schemeVersionID: version.id, timetable: timetable),
                access: .maintenance, actor: console)
            let unit = tree["A1a"]
            func record(_ item: String, _ points: String?, remove: Bool = false, reason: String = "依据") async throws {
                try await repo.recordAdjustment(
                    roundID: round.id, organisationID: unit, itemCode: item, points: points.flatMap(Score.parse), remove: remove, reason: reason,
                    access: .maintenance, actor: console)
            }
            try await record("B1", "2.5")
            // Above the item's points, the platform's own three-years deduction, an unknown item, no reason: refused.
            for (item, points, reason) in [("B1", "3.5", "依据"), ("D1", "2", "依据"), ("X9", "1", "依据"), ("B1", "1", " ")] {
                do {
                    try await record(item, points, reason: reason)
                    Issue.record("\(item) \(points) was recorded")
                } catch let f as ValidationFailure { #expect(f.ruleID == "EVAL-01") }
            }
            try await record("V1", nil)
            var units = try await scratch.database.read { db in try await AssessmentRepository.units(round.id, db: db) }
            var a = try #require(units.first { $0.organisationID == unit })
            #expect(a.bonuses == ["B1": Score(hundredths: 250)] && a.vetoes == ["V1"])
            try await record("V1", nil, remove: true, reason: "经核实不属实")
            units = try await scratch.database.read { db in try await AssessmentRepository.units(round.id, db: db) }
            a = try #require(units.first { $0.organisationID == unit })
            #expect(a.vetoes.isEmpty)
            // EVAL-07: extending the site stage needs a reason and a sound order.
            var longer = timetable
            longer.siteCloses = day("2026-11-10")
            await #expect(throws: ValidationFailure.self) {
                try await repo.changeTimetable(roundID: round.id, longer, reason: "", access: .maintenance, actor: console)
            }
            var wrong = longer
            wrong.approveBy = day("2026-11-01")
            await #expect(throws: ValidationProblems.self) {
                try await repo.changeTimetable(roundID: round.id, wrong, reason: "延长", access: .maintenance, actor: console)
            }
            try await repo.changeTimetable(roundID: round.id, longer, reason: "有效评分表不足，延长实地考评", access: .maintenance, actor: console)
            #expect(try await repo.organisedRound(round.id, access: .maintenance).timetable.siteCloses == day("2026-11-10"))
            let fields = try await scratch.database.read { db in
                try await db.raw("SELECT field FROM assessment_changes WHERE round_id = \(bind: round.id) ORDER BY id").all().map {
                    try $0.value("field", String.self)
                }
            }
            #expect(fields == ["bonus", "veto", "veto", "timetable"])
        }
    }

    @Test("many saves of one sheet at once: one version wins each time, the sheet is never half-written", arguments: TestBackend.enabled)
    func concurrentSaves(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.start)
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.assessment
            let console = Actor.console("t")
            let version = try await repo.importScheme(
                name: "创建考评", rows: Self.table, sourceNote: "", organisationID: tree["A1"], schemeID: nil, access: .maintenance, actor: console)
            let timetable = AssessmentTimetable(
                dataCutoff: CivilDate(iso: "2026-09-01")!, selfOpens: CivilDate(iso: "2026-09-01")!, selfCloses: CivilDate(iso: "2026-09-01")!,
                siteOpens: CivilDate(iso: "2026-09-02")!, siteCloses: CivilDate(iso: "2026-09-30")!, approveBy: CivilDate(iso: "2026-10-10")!)
            let round = try await repo.openRound(
                AssessmentRoundDraft(organiserID: tree["A1"], year: 2026, name: "并发", schemeVersionID: version.id, timetable: timetable),
                access: .maintenance, actor: console)
            let who = try await kit.accounts.create(username: "pingshen", displayName: "评审", organisationID: tree["A"], policy: .mlps, actor: console)
                .user.id
            try await repo.setPanel(roundID: round.id, members: [(who, .assessor)], access: .maintenance, actor: console)
            try await repo.assign(roundID: round.id, unitIDs: [tree["A1b"]], userIDs: [who], access: .maintenance, actor: console)
            Self.move(clock, to: "2026-09-10")
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        do {
                            _ = try await repo.saveSheet(
                                roundID: round.id, organisationID: tree["A1b"], stage: .site,
                                entries: ["1.1", "1.2", "2.1", "2.2"].map { SheetEntry(code: $0, text: String(10 + 2 * (i % 5))) },
                                submit: i % 4 == 0,
                                expectedVersion: nil, userID: who, unitAccess: .maintenance, actor: console)
                            return "saved"
                        } catch is EditConflict { return "conflict" } catch let f as ValidationFailure where f.ruleID == "EVAL-05" {
                            return "locked"
                        } catch { return "error: \(error)" }
                    }
                }
                var all: [String] = []
                for await o in group { all.append(o) }
                return all
            }
            #expect(!outcomes.contains { $0.hasPrefix("error") }, "\(outcomes)")
            let counts = try await scratch.database.read { db in
                try await db.raw(
                    "SELECT COUNT(*) AS n, COUNT(DISTINCT points_micro) AS d FROM assessment_scores s JOIN assessment_sheets h ON h.id = s.sheet_id"
                ).first().map { (try $0.value("n", Int.self), try $0.value("d", Int.self)) }
            }
            // One sheet, four scores, all from the same save.
            #expect(counts?.0 == 4 && counts?.1 == 1)
        }
    }
}
