import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 19's scenario (seed 001, 忻州: "单位自评、评审组实地考评、党工委综合审定", lagging units get a 问题清单 and
/// rectify until they pass): the 党工委 (A1) assesses its general branch (A1a, standing for the enterprise
/// committees) and its branch (A1b) — self-assessment, three assessors on site, 审定, 公示 with a request for review
/// answered 更正 (the correction republishes only the changed line, EVAL-12) and one refused after publicity; the
/// lagging branch's problems go through the existing 三单一账 loop (plan → 申请销号 → 验收销号); the 复验 is refused
/// while one is open and passes once all are closed (ASSESS-08); the results are final after publicity. On SQLite
/// and PostgreSQL.
@Suite("考评验收: the 忻州 round end to end")
struct XinzhouScenarioTests {
    static func day(_ s: String) -> CivilDate { CivilDate(iso: s) ?? .earliest }

    @Test("self → site → 审定 → 公示/复核 → problems rectified → 复验 passes", arguments: TestBackend.enabled)
    func scenario(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(AssessmentStoreTests.start)  // 2026-09-01
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.assessment
            let console = Actor.console("t")
            func user(_ name: String, _ org: String) async throws -> (Int64, Actor) {
                let id = try await kit.accounts.create(username: name, displayName: name, organisationID: tree[org], policy: .mlps, actor: console)
                    .user.id
                return (id, Actor(userID: id, name: name, ip: "127.0.0.1", requestID: "t"))
            }
            let (chair, chairActor) = try await user("zuzhang", "A1")
            let (p1, _) = try await user("pingshen1", "A1")
            let (p2, _) = try await user("pingshen2", "A")
            let (_, clerk) = try await user("zhibu", "A1b")  // the branch's 党务工作者, who rectifies

            let version = try await repo.importScheme(
                name: "模范机关创建考评细则", rows: AssessmentStoreTests.table, sourceNote: "忻州", organisationID: tree["A1"], schemeID: nil,
                access: .maintenance, actor: console)
            let round = try await repo.openRound(
                AssessmentRoundDraft(
                    organiserID: tree["A1"], year: 2026, name: "2026年度模范机关创建考评验收", schemeVersionID: version.id,
                    timetable: AssessmentTimetable(
                        dataCutoff: Self.day("2026-09-30"), selfOpens: Self.day("2026-09-01"), selfCloses: Self.day("2026-09-30"),
                        siteOpens: Self.day("2026-10-15"), siteCloses: Self.day("2026-10-31"), approveBy: Self.day("2026-11-13"))),
                access: .maintenance, actor: console)
            try await repo.setPanel(
                roundID: round.id, members: [(chair, .chair), (p1, .assessor), (p2, .assessor)], access: .maintenance, actor: console)
            try await repo.assign(
                roundID: round.id, unitIDs: [tree["A1a"], tree["A1b"]], userIDs: [chair, p1, p2], access: .maintenance, actor: console)
            let codes = ["1.1", "1.2", "2.1", "2.2"]
            // 单位自评.
            for unit in ["A1a", "A1b"] {
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: tree[unit], stage: .selfAssessment,
                    entries: codes.map { SheetEntry(code: $0, text: $0.hasPrefix("1") ? "20" : "30") }, submit: true, expectedVersion: nil, userID: 0,
                    unitAccess: .maintenance, actor: console)
            }
            // 实地考评.
            AssessmentStoreTests.move(clock, to: "2026-10-20")
            for who in [chair, p1, p2] {
                for (unit, values) in [("A1a", ["18", "20", "28", "26"]), ("A1b", ["10", "10", "20", "20"])] {
                    _ = try await repo.saveSheet(
                        roundID: round.id, organisationID: tree[unit], stage: .site,
                        entries: zip(codes, values).map { SheetEntry(code: $0.0, text: $0.1, verifiedOnSite: true) }, submit: true,
                        expectedVersion: nil,
                        userID: who, unitAccess: .maintenance, actor: console)
                }
            }
            // 综合审定 (Friday 2026-11-06): 92.00 优秀 and 60.00 一般, not 达标 → two problems for the branch.
            AssessmentStoreTests.move(clock, to: "2026-11-06")
            let current = try await repo.organisedRound(round.id, access: .maintenance)
            let approved = try await repo.approve(
                roundID: round.id, adjustments: [], expectedVersion: current.version, access: .maintenance, actor: chairActor)
            #expect(approved.rows.map(\.finalScore.description) == ["92.00", "60.00"] && approved.rows.map(\.passed) == [true, false])
            // EVAL-11: five working days from Monday 9 November → Friday 13 November; the first publication has both lines.
            var publicity = try await repo.publicity(roundID: round.id, access: .maintenance)
            #expect(publicity.ends?.description == "2026-11-13" && !publicity.final)
            #expect(publicity.publications.count == 1 && publicity.publications[0].lines.count == 2)

            // EVAL-12: both units ask for review; the general branch's is maintained, the branch's corrected.
            func unitAccess(_ key: String) async throws -> OrganisationAccess {
                let org = try #require(try await kit.organisations.find(tree[key], access: .maintenance))
                return OrganisationAccess(
                    permission: .ledgerWrite, reaches: [OrganisationReach(organisationID: org.id, path: org.path, scope: .subtree)])
            }
            try await repo.fileAppeal(
                roundID: round.id, organisationID: tree["A1a"], reason: "第一议题学习记录已补充", unitAccess: try await unitAccess("A1a"), actor: console)
            try await repo.fileAppeal(
                roundID: round.id, organisationID: tree["A1b"], reason: "主题党日有 2 次漏记", unitAccess: try await unitAccess("A1b"), actor: clerk)
            await #expect(throws: ValidationFailure.self) {  // one open request per unit
                try await repo.fileAppeal(
                    roundID: round.id, organisationID: tree["A1b"], reason: "再次申请", unitAccess: try await unitAccess("A1b"), actor: clerk)
            }
            await #expect(throws: RecordNotFound.self) {  // not for another unit
                try await repo.fileAppeal(
                    roundID: round.id, organisationID: tree["A1a"], reason: "代为申请", unitAccess: try await unitAccess("A1b"), actor: clerk)
            }
            publicity = try await repo.publicity(roundID: round.id, access: .maintenance)
            let (first, second) = (publicity.appeals[0], publicity.appeals[1])
            #expect(second.replyDue.description == "2026-11-20")  // ten working days after the request (UNCONFIRMED default)
            try await repo.answerAppeal(
                appealID: first.id, outcome: .maintained, correctedScore: nil, reply: "经复核，维持原评分", access: .maintenance, actor: chairActor)
            try await repo.answerAppeal(
                appealID: second.id, outcome: .corrected, correctedScore: Score(points: 62), reply: "核实漏记 2 次，更正为 62 分", access: .maintenance,
                actor: chairActor)
            publicity = try await repo.publicity(roundID: round.id, access: .maintenance)
            #expect(publicity.publications.count == 2 && publicity.publications[1].correction)
            // Only the branch's line is republished; the general branch's is unchanged.
            #expect(publicity.publications[1].lines.map(\.organisationID) == [tree["A1b"]] && publicity.publications[1].lines[0].score == "62.00")
            #expect(publicity.appeals[1].oldScore?.description == "60.00" && publicity.appeals[1].newScore?.description == "62.00")
            let results = try await repo.results(roundID: round.id, access: .maintenance)
            #expect(results.changes.contains { $0.oldValue == "60.00" && $0.newValue == "62.00" && $0.reason.hasPrefix("复核更正") })

            // After publicity a request is refused; with none open the results are final.
            AssessmentStoreTests.move(clock, to: "2026-11-16")
            do {
                try await repo.fileAppeal(
                    roundID: round.id, organisationID: tree["A1b"], reason: "补充申请", unitAccess: try await unitAccess("A1b"), actor: clerk)
                Issue.record("a request after publicity was accepted")
            } catch let f as ValidationFailure { #expect(f.ruleID == "EVAL-12" && f.message.contains("2026-11-13")) }
            #expect(try await repo.publicity(roundID: round.id, access: .maintenance).final)

            // ASSESS-08: the branch's problems (1.1 and 1.2 at 50 %) through the 三单一账 loop.
            let problemIDs = try await scratch.database.read { db in
                try await db.raw(
                    "SELECT problem_id FROM assessment_problems WHERE organisation_id = \(bind: tree["A1b"]) ORDER BY indicator_code"
                ).all().map { try $0.value("problem_id", Int64.self) }
            }
            #expect(problemIDs.count == 2)
            let problems = kit.store.problems
            let today = Self.day("2026-11-16")
            for id in problemIDs {
                try await problems.apply(
                    id, .plan(measures: "建立学习台账，每月检查", responsible: "支部书记", deadline: Self.day("2026-12-06")), on: today, access: .maintenance,
                    actor: clerk)
            }
            try await problems.apply(problemIDs[0], .requestClosure(evidence: "学习台账及会议记录"), on: today, access: .maintenance, actor: clerk)
            try await problems.apply(problemIDs[0], .accept(opinion: "整改到位，同意销号"), on: today, access: .maintenance, actor: chairActor)
            // One still open: the 复验 is refused naming it.
            do {
                try await repo.recheck(
                    roundID: round.id, organisationID: tree["A1b"], scores: ["1.1": "20", "1.2": "20"], access: .maintenance, actor: chairActor)
                Issue.record("a recheck with an open problem was accepted")
            } catch let f as ValidationFailure { #expect(f.ruleID == "ASSESS-08" && f.message.contains("1 个问题未销号")) }
            try await problems.apply(problemIDs[1], .requestClosure(evidence: "第一议题学习记录"), on: today, access: .maintenance, actor: clerk)
            try await problems.apply(problemIDs[1], .accept(opinion: "同意销号"), on: today, access: .maintenance, actor: chairActor)
            // A rescore above the maximum is refused naming the indicator (EVAL-02).
            await #expect(throws: ValidationProblems.self) {
                try await repo.recheck(
                    roundID: round.id, organisationID: tree["A1b"], scores: ["1.1": "21", "1.2": "20"], access: .maintenance, actor: chairActor)
            }
            // 复验: 62.00 − 10 − 10 + 20 + 18 = 80.00 → 达标.
            let recheck = try await repo.recheck(
                roundID: round.id, organisationID: tree["A1b"], scores: ["1.1": "20", "1.2": "18"], access: .maintenance, actor: chairActor)
            #expect(recheck.total.description == "80.00" && recheck.passed)
            #expect(try await repo.publicity(roundID: round.id, access: .maintenance).rechecks.count == 1)
            // The general branch has no problems: nothing to recheck.
            await #expect(throws: ValidationFailure.self) {
                try await repo.recheck(roundID: round.id, organisationID: tree["A1a"], scores: [:], access: .maintenance, actor: chairActor)
            }

            // 述职评议 combined with this round (REVIEW-06, 40 % ballot + 60 % assessment): the general branch's secretary
            // 28/9/3/0 of 40 → 92.50 with 92.00 → 92.20 好; the branch's 10/0/0/0 → 100.00 with the corrected 62.00 → 77.20 一般.
            let review = kit.store.review
            let reviewID = try await review.openRound(
                ReviewRoundDraft(
                    organiserID: tree["A1"], year: 2026, name: "2026年度述职评议", heldOn: Self.day("2026-12-20"), assessmentRoundID: round.id),
                access: .maintenance, actor: chairActor)
            var (reviewRound, reporters) = try await review.round(reviewID, access: .maintenance)
            #expect(reviewRound.weights == ReviewWeights(ballotPercent: 40, assessmentPercent: 60))
            let inputs = try await review.inputs(reporterID: reporters[0].id, access: .maintenance)
            #expect(inputs.lines[0].value == "92.00 分，优秀，第 1 名")
            for (reporter, tally, attendees) in [
                (reporters[0], BallotTally(counts: [28, 9, 3, 0]), 40), (reporters[1], BallotTally(counts: [10, 0, 0, 0]), 10),
            ] {
                try await review.recordPaperTally(
                    reporterID: reporter.id, tally: tally, attendees: attendees, access: .maintenance, actor: chairActor)
                try await review.comment(reporterID: reporter.id, text: "点评意见", access: .maintenance, actor: chairActor)
                try await review.closeBallot(reporterID: reporter.id, access: .maintenance, actor: chairActor)
            }
            reviewRound = try await review.round(reviewID, access: .maintenance).0
            try await review.confirm(
                roundID: reviewID, adjustments: [], expectedVersion: reviewRound.version, access: .maintenance, actor: chairActor)
            reporters = try await review.round(reviewID, access: .maintenance).1
            #expect(reporters.map { $0.final?.description ?? "" } == ["92.20", "77.20"] && reporters.map { $0.grade ?? "" } == ["好", "一般"])
            #expect(reporters[0].outcome.assessment?.description == "92.00" && reporters[1].outcome.assessment?.description == "62.00")
        }
    }
}

@Suite("考评验收: EVAL-07 uniform sheets voided when the rule book says so")
struct UniformSheetTests {
    @Test("an assessor giving every unit the same total is void when configured; counted when not", arguments: TestBackend.enabled)
    func uniform(_ backend: TestBackend) async throws {
        for voiding in [false, true] {
            try await ScratchDatabase.with(backend) { scratch in
                let clock = ManualClock(AssessmentStoreTests.start)
                let kit = StoreKit(database: scratch.database, clock: clock)
                let tree = try await FixtureTree.create(kit.organisations)
                let console = Actor.console("t")
                if voiding {
                    var book = RuleBook.national2014
                    book.version = "某县-考评"
                    book.effectiveFrom = XinzhouScenarioTests.day("2026-09-01")
                    book.evaluation.voidUniformSheets = true
                    try await kit.store.rules.save(book, previous: .national2014, actor: console)
                }
                let repo = kit.store.assessment
                let version = try await repo.importScheme(
                    name: "考评", rows: AssessmentStoreTests.table, sourceNote: "", organisationID: tree["A1"], schemeID: nil, access: .maintenance,
                    actor: console)
                let round = try await repo.openRound(
                    AssessmentRoundDraft(
                        organiserID: tree["A1"], year: 2026, name: "考评", schemeVersionID: version.id,
                        timetable: AssessmentTimetable(
                            dataCutoff: XinzhouScenarioTests.day("2026-09-30"), selfOpens: XinzhouScenarioTests.day("2026-09-01"),
                            selfCloses: XinzhouScenarioTests.day("2026-09-30"), siteOpens: XinzhouScenarioTests.day("2026-10-15"),
                            siteCloses: XinzhouScenarioTests.day("2026-10-31"), approveBy: XinzhouScenarioTests.day("2026-11-13"))),
                    access: .maintenance, actor: console)
                var ids: [Int64] = []
                for name in ["pingfen1", "pingfen2", "pingfen3"] {
                    ids.append(
                        try await kit.accounts.create(username: name, displayName: name, organisationID: tree["A"], policy: .mlps, actor: console)
                            .user.id)
                }
                try await repo.setPanel(roundID: round.id, members: ids.map { ($0, PanelDuty.assessor) }, access: .maintenance, actor: console)
                try await repo.assign(roundID: round.id, unitIDs: [tree["A1a"], tree["A1b"]], userIDs: ids, access: .maintenance, actor: console)
                AssessmentStoreTests.move(clock, to: "2026-10-20")
                // a1 and a2 tell the units apart; a3 gives both 80 (20 + 20 + 20 + 20).
                let sheets: [(Int64, String, [String])] = [
                    (ids[0], "A1a", ["18", "20", "28", "26"]), (ids[0], "A1b", ["14", "16", "24", "22"]),
                    (ids[1], "A1a", ["20", "18", "26", "28"]), (ids[1], "A1b", ["16", "14", "22", "24"]),
                    (ids[2], "A1a", ["20", "20", "20", "20"]), (ids[2], "A1b", ["20", "20", "20", "20"]),
                ]
                for (who, unit, values) in sheets {
                    _ = try await repo.saveSheet(
                        roundID: round.id, organisationID: tree[unit], stage: .site,
                        entries: zip(["1.1", "1.2", "2.1", "2.2"], values).map { SheetEntry(code: $0.0, text: $0.1, verifiedOnSite: true) },
                        submit: true,
                        expectedVersion: nil, userID: who, unitAccess: .maintenance, actor: console)
                }
                let results = try await repo.results(roundID: round.id, access: .maintenance)
                let a = try #require(results.rows.first { $0.unit.organisationID == tree["A1a"] })
                if voiding {
                    // Two valid sheets of 92 each → 92.00; the quorum of ⌈2/3 × 3⌉ = 2 still met.
                    #expect(a.validSheets == 2 && a.result.total.description == "92.00" && a.quorumMet)
                } else {
                    // Three sheets: 92, 92, 80 → 88.00.
                    #expect(a.validSheets == 3 && a.result.total.description == "88.00")
                }
            }
        }
    }
}

@Suite("公示与复核 (domain)")
struct ResultPublicityTests {
    @Test("EVAL-12: a correction republishes only the changed lines — a score, a grade, a rank or 达标")
    func changedLines() {
        let a = PublishedLine(organisationID: 1, name: "甲", score: "92.00", grade: "优秀", rank: 1, passed: true)
        let b = PublishedLine(organisationID: 2, name: "乙", score: "85.00", grade: "良好", rank: 2, passed: true)
        let c = PublishedLine(organisationID: 3, name: "丙", score: "60.00", grade: "一般", rank: 3, passed: false)
        #expect(ResultPublicity.changedLines(before: [a, b, c], after: [a, b, c]).isEmpty)
        var c2 = c
        c2.score = "62.00"
        #expect(ResultPublicity.changedLines(before: [a, b, c], after: [a, b, c2]) == [c2])
        // 丙 corrected above 乙: both move in rank, 甲 stays.
        var b2 = b
        b2.rank = 3
        var c3 = c
        c3.score = "88.00"
        c3.grade = "良好"
        c3.rank = 2
        c3.passed = true
        #expect(ResultPublicity.changedLines(before: [a, b, c], after: [a, c3, b2]).map(\.organisationID) == [3, 2])
    }

    @Test("EVAL-11/12: publicity of 5 working days from the day after 审定; requests until its last day; final after it with none open")
    func window() {
        let calendar = WorkingDayCalendar()
        let friday = CivilDate(iso: "2026-11-06") ?? .earliest
        let ends = ResultPublicity.ends(approvedOn: friday, workingDays: 5, calendar: calendar)
        #expect(ends.description == "2026-11-13")
        #expect(ResultPublicity.appealRefusal(on: ends, publicityEnds: ends, reason: "理由") == nil)
        #expect(ResultPublicity.appealRefusal(on: ends.adding(days: 1), publicityEnds: ends, reason: "理由")?.ruleID == "EVAL-12")
        #expect(ResultPublicity.appealRefusal(on: ends, publicityEnds: ends, reason: " ")?.ruleID == "EVAL-12")
        #expect(!ResultPublicity.isFinal(today: ends, publicityEnds: ends, openRequests: 0))
        #expect(ResultPublicity.isFinal(today: ends.adding(days: 1), publicityEnds: ends, openRequests: 0))
        #expect(!ResultPublicity.isFinal(today: ends.adding(days: 1), publicityEnds: ends, openRequests: 1))
        #expect(!ResultPublicity.isFinal(today: ends.adding(days: 1), publicityEnds: nil, openRequests: 0))
    }

    @Test("ASSESS-08: the recheck waits for every problem; the total replaces the affected indicators")
    func recheck() {
        #expect(Recheck.refusal(unit: "乙", openProblems: ["问题一"])?.ruleID == "ASSESS-08")
        #expect(Recheck.refusal(unit: "乙", openProblems: []) == nil)
        let total = Recheck.total(
            approved: Score(points: 62), changes: [(Score(points: 10), Score(points: 20)), (Score(points: 10), Score(points: 18))])
        #expect(total.description == "80.00")
    }
}

@Suite("ASSESS-05: dues on time (domain)")
struct DuesPunctualityTests {
    static func m(_ text: String) -> DuesMonth { DuesMonth.parse(text) ?? DuesMonth(containing: .earliest) }
    static func d(_ text: String) -> CivilDate { CivilDate(iso: text) ?? .earliest }

    @Test("months due from January (or when owing starts) through the last month ended by the cut-off; paid by the month's end")
    func counting() {
        let paid: [DuesMonth: CivilDate] = [
            Self.m("2026-01"): Self.d("2026-01-10"), Self.m("2026-02"): Self.d("2026-03-02"),  // February paid late
            Self.m("2026-03"): Self.d("2026-01-10"),  // paid in advance
            Self.m("2026-09"): Self.d("2026-09-30"),
        ]
        // Cut-off 30 September: January–September due (9), on time: Jan, Mar, Sep.
        let full = DuesPunctuality.count(owingSince: Self.m("2020-05"), year: 2026, cutoff: Self.d("2026-09-30"), paidOn: paid)
        #expect(full.due == 9 && full.onTime == 3)
        // Cut-off 29 September: September has not ended — eight months due.
        #expect(DuesPunctuality.count(owingSince: Self.m("2020-05"), year: 2026, cutoff: Self.d("2026-09-29"), paidOn: paid).due == 8)
        // Owing from June (joined in June): June–September.
        #expect(DuesPunctuality.count(owingSince: Self.m("2026-06"), year: 2026, cutoff: Self.d("2026-09-30"), paidOn: paid) == (1, 4))
        // No base at all (owing never starts), or a cut-off in January: nothing due.
        #expect(
            DuesPunctuality.count(
                owingSince: DuesMonth(year: 9999, month: 12) ?? Self.m("2026-01"), year: 2026, cutoff: Self.d("2026-09-30"), paidOn: [:]) == (0, 0))
        #expect(DuesPunctuality.count(owingSince: Self.m("2020-01"), year: 2026, cutoff: Self.d("2026-01-20"), paidOn: paid) == (0, 0))
    }
}
