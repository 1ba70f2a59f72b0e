import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 19 (store; ASSESS-05/06, EVAL-14): automatic indicators computed for each unit's subtree at the data cut-off
/// and stored with their inputs; problems due after the cut-off, or closed after it, do not count; recomputing
/// replaces the values until 审定; after it nothing changes. On SQLite and PostgreSQL.
@Suite("考评验收: automatic indicators (store)")
struct AssessmentAutoStoreTests {
    static let table: [(number: Int, cells: [String])] = [
        ["方面", "指标", "分值", "计分方法", "来源"],
        ["实地考评（80分）", "综合评价", "80", "评分", "实地"],
        ["日常工作（20分）", "组织生活落实率", "5", "按比例", "自动：组织生活"],
        ["", "问题按期整改率", "5", "按比例", "自动：整改"],
        ["", "按期换届", "5", "达标计分", "自动：换届"],
        ["", "党费按时交纳率", "5", "按比例", "自动：党费"],
        ["扣分项", "连续三年未发展党员", "2", "", ""],
    ].enumerated().map { (number: $0.offset + 1, cells: $0.element) }

    @Test("values and their inputs at the cut-off; recompute replaces; approved rounds refuse", arguments: TestBackend.enabled)
    func auto(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(AssessmentStoreTests.start)
            AssessmentStoreTests.move(clock, to: "2026-07-01")
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.assessment
            let console = Actor.console("t")
            let day = { (s: String) in CivilDate(iso: s) ?? .earliest }
            let workerID = try await kit.accounts.create(
                username: "zhenggai", displayName: "整改人", organisationID: tree["A1a1"], policy: .mlps, actor: console
            )
            .user.id
            let worker = Actor(userID: workerID, name: "整改人", ip: "l", requestID: "t")
            let checker = try await kit.accounts.create(
                username: "yanshou", displayName: "验收人", organisationID: tree["A1"], policy: .mlps, actor: console
            )
            .user.id
            let checkerActor = Actor(userID: checker, name: "验收人", ip: "l", requestID: "t")
            // 财政局一支部: one problem closed on time, one closed late, one still open — all due before the cut-off — and one
            // due after it.
            func problem(_ org: String, due: String) async throws -> Int64 {
                try await kit.store.problems.create(
                    ProblemDraft(
                        organisationID: tree[org], source: .inspection, category: "组织生活", description: "记录不全", foundOn: day("2026-07-01"),
                        deadline: day(due)), access: .maintenance, actor: checkerActor)
            }
            func close(_ id: Int64, on: String) async throws {
                try await kit.store.problems.apply(
                    id, .plan(measures: "补齐记录", responsible: "书记", deadline: day("2026-08-20")), on: day("2026-07-02"), access: .maintenance,
                    actor: worker)
                try await kit.store.problems.apply(id, .requestClosure(evidence: "已整改"), on: day(on), access: .maintenance, actor: worker)
                try await kit.store.problems.apply(id, .accept(opinion: "整改到位"), on: day(on), access: .maintenance, actor: checkerActor)
            }
            // 财政局一支部's member pays January on time, February late (补交 in March), March on time, nothing since.
            let payer = try await kit.store.members.create(
                MemberFixtures.draft(name: "交费人", born: "1980-01-01", sequence: 871), organisationID: tree["A1a1"], access: .maintenance,
                actor: console
            ).id
            let base = try await kit.store.dues.setBase(
                memberID: payer, year: try #require(CalendarYear(2026)), category: .employed, base: Fen(500_000), expectedVersion: 0,
                access: .maintenance, actor: console)
            let monthly = try #require(base.line.monthly)
            for (kind, month, paidOn) in [(DuesEntryKind.regular, 1, "2026-01-15"), (.backPayment, 2, "2026-03-10"), (.regular, 3, "2026-03-20")] {
                _ = try await kit.store.dues.record(
                    memberID: payer,
                    DuesEntryDraft(
                        kind: kind, months: [try #require(DuesMonth(year: 2026, month: month))], amount: monthly, paidOn: day(paidOn),
                        branchConsent: true), method: .cash, access: .maintenance, actor: console)
            }
            let onTime = try await problem("A1a1", due: "2026-08-20")
            let late = try await problem("A1a2", due: "2026-08-20")
            _ = try await problem("A1a1", due: "2026-09-10")
            _ = try await problem("A1a1", due: "2026-10-31")
            AssessmentStoreTests.move(clock, to: "2026-08-15")
            try await close(onTime, on: "2026-08-15")
            AssessmentStoreTests.move(clock, to: "2026-08-25")
            try await close(late, on: "2026-08-25")

            let version = try await repo.importScheme(
                name: "自动指标", rows: Self.table, sourceNote: "", organisationID: tree["A1"], schemeID: nil, access: .maintenance, actor: console)
            let round = try await repo.openRound(
                AssessmentRoundDraft(
                    organiserID: tree["A1"], year: 2026, name: "2026年度考评", schemeVersionID: version.id,
                    timetable: AssessmentTimetable(
                        dataCutoff: day("2026-09-30"), selfOpens: day("2026-09-01"), selfCloses: day("2026-09-30"), siteOpens: day("2026-10-15"),
                        siteCloses: day("2026-10-31"), approveBy: day("2026-11-13"))),
                access: .maintenance, actor: console)
            AssessmentStoreTests.move(clock, to: "2026-10-02")
            let stored = try await repo.computeAutoIndicators(roundID: round.id, access: .maintenance, actor: console)
            #expect(stored == 8)  // 4 indicators × 2 units
            var inputs = try await repo.autoInputs(roundID: round.id, access: .maintenance)
            let a = try #require(inputs[tree["A1a"]])
            // Due by 30 Sep: the two August problems and the 10 Sep one; on time: one. 5 × 1/3 = 1.67.
            #expect(a["2.2"]?.1 == AutoIndicatorInputs(actual: 1, required: 3, note: "截止 2026-09-30 到期问题 3 个，按期销号 1 个"))
            #expect(a["2.2"]?.0.description == "1.67")
            // No terms recorded: nothing overdue (full marks); organisational life: the points are 5 × met / due.
            #expect(a["2.3"]?.0 == Score(points: 5))
            let life = try #require(a["2.1"])
            #expect(life.0 == Score(points: 5).scaled(by: Int64(life.1.actual), over: Int64(max(life.1.required, 1))) || life.1.required == 0)
            // ASSESS-05 dues: January–September due (9 member-months), on time January and March: 5 × 2/9 = 1.11.
            #expect(a["2.4"]?.1 == AutoIndicatorInputs(actual: 2, required: 9, note: "截至 2026-09-30 应交党费 9 人·月，当月按时交纳 2 人·月"))
            #expect(a["2.4"]?.0.description == "1.11")
            // 教育局支部 has no problems: nothing due, full marks.
            #expect(inputs[tree["A1b"]]?["2.2"]?.1.required == 0 && inputs[tree["A1b"]]?["2.2"]?.0 == Score(points: 5))
            // A closure after the cut-off does not change the snapshot; a recompute still judges at the cut-off.
            try await close(onTime + 2, on: "2026-10-02")
            try await repo.computeAutoIndicators(roundID: round.id, access: .maintenance, actor: console)
            inputs = try await repo.autoInputs(roundID: round.id, access: .maintenance)
            #expect(inputs[tree["A1a"]]?["2.2"]?.1.actual == 1)
            // ASSESS-06 does not apply to units founded this year (no whole years yet): no deduction is recorded.
            let units = try await scratch.database.read { db in try await AssessmentRepository.units(round.id, db: db) }
            #expect(units.allSatisfy { $0.deductions.isEmpty })
        }
    }
}
