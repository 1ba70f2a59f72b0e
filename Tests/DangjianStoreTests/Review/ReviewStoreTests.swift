import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 19 (store, 述职评议): a round of two secretaries — rotation (REVIEW-02), reports (REVIEW-03), the comment
/// before a ballot closes (REVIEW-04), anonymous phone ballots with the session QR and one-time codes, never on
/// oneself, once per attendee, plus the paper tally that must add up (REVIEW-05), the result confirmed with a reason
/// for a change (REVIEW-06), rectification items as problems (REVIEW-07) and the inputs page (REVIEW-08). On SQLite
/// and PostgreSQL.
@Suite("述职评议 (store)")
struct ReviewStoreTests {
    static let start = ISO8601DateFormatter().date(from: "2026-12-01T04:00:00Z") ?? Date()

    struct Setup {
        var kit: StoreKit
        var tree: FixtureTree
        var repo: ReviewRepository
        var jia: Int64  // the account of 甲, secretary of A1a
        var attendee: Int64
    }

    static func setUp(_ scratch: ScratchDatabase, clock: ManualClock) async throws -> Setup {
        let kit = StoreKit(database: scratch.database, clock: clock)
        let tree = try await FixtureTree.create(kit.organisations)
        let console = Actor.console("t")
        let candidates = [
            ElectionCheck.Candidate(name: "甲", votes: 15), .init(name: "丙", votes: 14), .init(name: "丁", votes: 12), .init(name: "戊", votes: 3),
        ]
        _ = try await kit.store.terms.recordElection(
            organisationID: tree["A1a"], heldOn: CivilDate(iso: "2024-06-01")!, seats: 3, eligible: 20, present: 18, candidates: candidates,
            posts: [("甲", .secretary), ("丙", .organisation), ("丁", .propaganda)], access: .maintenance, actor: console)
        let member = try await kit.store.members.create(
            MemberFixtures.draft(name: "甲", sequence: 811), organisationID: tree["A1a"], access: .maintenance, actor: console)
        let jia = try await kit.accounts.create(username: "jiashuji", displayName: "甲", organisationID: tree["A1a"], policy: .mlps, actor: console)
            .user.id
        try await scratch.database.write { db in try await db.raw("UPDATE users SET member_id = \(bind: member.id) WHERE id = \(bind: jia)").run() }
        let attendee = try await kit.accounts.create(username: "canhui", displayName: "参会", organisationID: tree["A1"], policy: .mlps, actor: console)
            .user.id
        return Setup(kit: kit, tree: tree, repo: kit.store.review, jia: jia, attendee: attendee)
    }

    func actor(_ id: Int64?) -> Actor { Actor(userID: id, name: "t", ip: "127.0.0.1", requestID: "test") }

    @Test("a round from opening to the confirmed result, with every refusal on the way", arguments: TestBackend.enabled)
    func round(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.start)
            let s = try await Self.setUp(scratch, clock: clock)
            let console = Actor.console("t")
            let repo = s.repo
            // Last year A1a's secretary reported in writing.
            let last = try await repo.openRound(
                ReviewRoundDraft(organiserID: s.tree["A1"], year: 2025, name: "2025年度述职评议", heldOn: CivilDate(iso: "2026-01-10")!),
                access: .maintenance, actor: console)
            let lastA1a = try #require(try await repo.round(last, access: .maintenance).1.first { $0.organisationID == s.tree["A1a"] })
            try await repo.setMode(reporterID: lastA1a.id, mode: .written, access: .maintenance, actor: console)

            // Weights that do not add up, or an assessment weight without an assessment round, are refused.
            await #expect(throws: ValidationFailure.self) {
                _ = try await repo.openRound(
                    ReviewRoundDraft(
                        organiserID: s.tree["A1"], year: 2026, name: "x", heldOn: CivilDate(iso: "2026-12-20")!,
                        weights: ReviewWeights(ballotPercent: 40, assessmentPercent: 60)), access: .maintenance, actor: console)
            }
            let id = try await repo.openRound(
                ReviewRoundDraft(organiserID: s.tree["A1"], year: 2026, name: "2026年度书记抓基层党建述职评议", heldOn: CivilDate(iso: "2026-12-20")!),
                access: .maintenance, actor: console)
            // Outside the organiser's access the round does not exist.
            let bOrg = try #require(try await s.kit.organisations.find(s.tree["B"], access: .maintenance))
            let b = OrganisationAccess(
                permission: .ledgerManage, reaches: [OrganisationReach(organisationID: bOrg.id, path: bOrg.path, scope: .subtree)])
            await #expect(throws: RecordNotFound.self) { _ = try await repo.round(id, access: b) }
            var (round, reporters) = try await repo.round(id, access: .maintenance)
            #expect(reporters.map(\.organisationID) == [s.tree["A1a"], s.tree["A1b"]])
            let a = reporters[0]
            let other = reporters[1]
            #expect(a.name == "甲" && a.memberID != nil && other.name == "（书记空缺）")
            #expect(round.weights == ReviewWeights(ballotPercent: 100, assessmentPercent: 0))

            // REVIEW-02: written two years running is refused; on site stays.
            do {
                try await repo.setMode(reporterID: a.id, mode: .written, access: .maintenance, actor: console)
                Issue.record("written twice in a row was accepted")
            } catch let failure as ValidationFailure { #expect(failure.ruleID == "REVIEW-02" && failure.message.contains("甲")) }
            try await repo.setMode(reporterID: other.id, mode: .written, access: .maintenance, actor: console)

            // REVIEW-03: the report must cover both mandatory items.
            let file = try #require(try EvidenceFile(fileName: "述职报告.pdf", data: Data("%PDF-1.4 report".utf8)))
            do {
                try await repo.uploadReport(
                    reporterID: a.id, file: file, covered: [ReviewContentChecklist.mandatory[1]], access: .maintenance, unitAccess: .maintenance,
                    actor: console)
                Issue.record("a report without the rectification item was accepted")
            } catch let failure as ValidationFailure { #expect(failure.ruleID == "REVIEW-03") }
            try await repo.uploadReport(
                reporterID: a.id, file: file, covered: Set(ReviewContentChecklist.mandatory), access: .maintenance, unitAccess: .maintenance,
                actor: console)
            #expect(try await repo.reportFile(reporterID: a.id, access: .maintenance, unitAccess: .maintenance)?.1 == file.data)
            #expect(try await repo.reportFile(reporterID: a.id, access: b, unitAccess: b) == nil)

            // Phone ballots: the session QR for signed-in attendees.
            let token = try await repo.openBallotSession(roundID: id, access: .maintenance, actor: console)
            #expect(try await repo.tokenNeedsSignIn(token) == true)
            #expect(try await repo.tokenNeedsSignIn(token + "x") == nil)
            // Malformed tokens are simply not tokens (a crafted one once trapped the server in the route fuzz test).
            for crafted in ["", "-", "r", "r-", "-r1", "k-1-", "r99999999999999999999-x", "x1-abc", String(repeating: "r", count: 500)] {
                #expect(try await repo.tokenNeedsSignIn(crafted) == nil)
            }
            let own = try #require(try await repo.ballotPaper(token: token, userID: s.jia))
            #expect(own.reporters.map(\.id) == [other.id])  // REVIEW-05: never on oneself
            do {
                _ = try await repo.cast(token: token, userID: s.jia, choices: [a.id: 0], actor: actor(s.jia))
                Issue.record("a secretary voted on themself")
            } catch let failure as ValidationFailure { #expect(failure.ruleID == "REVIEW-05") }
            #expect(try await repo.cast(token: token, userID: s.jia, choices: [other.id: 1], actor: actor(s.jia)) == 1)
            await #expect(throws: ValidationFailure.self) {
                _ = try await repo.cast(token: token, userID: s.jia, choices: [other.id: 0], actor: actor(s.jia))
            }
            #expect(try await repo.cast(token: token, userID: s.attendee, choices: [a.id: 0, other.id: 0], actor: actor(s.attendee)) == 2)
            // A one-time code: no sign-in, spent once used; a blank line counts as invalid.
            let codes = try await repo.issueCodes(roundID: id, count: 2, access: .maintenance, actor: console)
            let codeNeedsSignIn = try await repo.tokenNeedsSignIn(codes[0])
            #expect(codes.count == 2 && codeNeedsSignIn == false)
            #expect(try await repo.cast(token: codes[0], userID: nil, choices: [a.id: 1], actor: actor(nil)) == 2)
            await #expect(throws: ValidationFailure.self) {
                _ = try await repo.cast(token: codes[0], userID: nil, choices: [a.id: 0], actor: actor(nil))
            }
            #expect(try await repo.unusedCodes(roundID: id, access: .maintenance) == [codes[1]])
            (round, reporters) = try await repo.round(id, access: .maintenance)
            #expect(reporters[0].phoneTally == BallotTally(counts: [1, 1, 0, 0]))
            #expect(reporters[1].phoneTally == BallotTally(counts: [1, 1, 0, 0], invalid: 1))

            // The paper tally must add up to the paper attendees (REVIEW-05); nothing stored otherwise.
            do {
                try await repo.recordPaperTally(
                    reporterID: a.id, tally: BallotTally(counts: [26, 8, 3, 0]), attendees: 38, access: .maintenance, actor: console)
                Issue.record("a tally that does not add up was stored")
            } catch let p as ValidationProblems {
                #expect(p.problems.first?.ruleID == "REVIEW-05" && p.problems.first?.message.contains("38") == true)
            }
            #expect(try await repo.round(id, access: .maintenance).1[0].paperTally == nil)
            try await repo.recordPaperTally(
                reporterID: a.id, tally: BallotTally(counts: [27, 8, 3, 0]), attendees: 38, access: .maintenance, actor: console)

            // REVIEW-04: no comment → the ballot does not close.
            do {
                try await repo.closeBallot(reporterID: a.id, access: .maintenance, actor: console)
                Issue.record("a ballot closed without the comment")
            } catch let failure as ValidationFailure { #expect(failure.ruleID == "REVIEW-04") }
            try await repo.comment(reporterID: a.id, text: "抓党建责任落实较好，党员教育管理有待加强。", access: .maintenance, actor: console)
            try await repo.closeBallot(reporterID: a.id, access: .maintenance, actor: console)
            // 28/9/3/0 of 40 (the worked example's tally: phone 1/1 + paper 27/8/3/0).
            (round, reporters) = try await repo.round(id, access: .maintenance)
            #expect(reporters[0].tally == BallotTally(counts: [28, 9, 3, 0]) && reporters[0].outcome.ballot?.description == "92.50")
            // A closed ballot takes no more phone votes: it leaves the paper.
            #expect(try await repo.ballotPaper(token: codes[1], userID: nil)?.reporters.map(\.id) == [other.id])

            // Confirming while a ballot is open is refused; then with a change, the reason is required.
            await #expect(throws: ValidationProblems.self) {
                try await repo.confirm(roundID: id, adjustments: [], expectedVersion: round.version, access: .maintenance, actor: console)
            }
            try await repo.comment(reporterID: other.id, text: "书面述职，材料完整。", access: .maintenance, actor: console)
            try await repo.closeBallot(reporterID: other.id, access: .maintenance, actor: console)
            round = try await repo.round(id, access: .maintenance).0
            do {
                try await repo.confirm(
                    roundID: id, adjustments: [ReviewAdjustment(reporterID: other.id, score: Score(points: 85), reason: " ")],
                    expectedVersion: round.version,
                    access: .maintenance, actor: console)
                Issue.record("a change without a reason was accepted")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.ruleID == "REVIEW-06" && $0.field == "reason_\(other.id)" }) }
            try await repo.confirm(
                roundID: id, adjustments: [ReviewAdjustment(reporterID: other.id, score: Score(points: 85), reason: "书面述职材料翔实，经党工委会议研究调整")],
                expectedVersion: round.version, access: .maintenance, actor: console)
            (round, reporters) = try await repo.round(id, access: .maintenance)
            #expect(round.state == .confirmed)
            #expect(reporters[0].final?.description == "92.50" && reporters[0].grade == "好")
            // 乙's ballot: 好 1, 较好 1 of 2 valid → 90.00 computed, 85.00 confirmed → 较好; both values kept.
            #expect(reporters[1].outcome.combined?.description == "90.00" && reporters[1].final?.description == "85.00" && reporters[1].grade == "较好")
            #expect(reporters[1].adjustReason?.contains("党工委") == true)
            await #expect(throws: ValidationFailure.self) {
                try await repo.comment(reporterID: a.id, text: "再改", access: .maintenance, actor: console)
            }

            // REVIEW-07: the lists become problems in the 三单一账 loop.
            let ids = try await repo.issueRectification(
                reporterID: a.id, items: [(.problem, "党员教育管理有待加强"), (.rectification, "每季度开展一次集中培训")], deadline: nil, access: .maintenance,
                actor: console)
            #expect(ids.count == 2)
            let issued = try await repo.rectification(reporterID: a.id, access: .maintenance)
            #expect(issued.map(\.kind) == [.problem, .rectification] && issued[0].text.contains("REVIEW-07"))
            let problems = try await s.kit.store.problems.list(anchorID: s.tree["A1a"], scope: .subtree, state: nil, access: .maintenance)
            #expect(problems.filter { $0.source == .review }.count == 2)
            // REVIEW-08: the inputs the committee sees, with the later capabilities marked pending.
            let inputs = try await repo.inputs(reporterID: a.id, access: .maintenance)
            #expect(inputs.lines.contains { $0.label.contains("VOL-10") && $0.pending })
            #expect(inputs.lines.contains { $0.label.contains("责任清单") && !$0.pending })
        }
    }

    @Test("REVIEW-05 under load: eight submissions from one account → one ballot; eight codes at once → eight", arguments: TestBackend.enabled)
    func concurrentBallots(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Self.start)
            let s = try await Self.setUp(scratch, clock: clock)
            let repo = s.repo
            let id = try await repo.openRound(
                ReviewRoundDraft(organiserID: s.tree["A1"], year: 2026, name: "述职评议", heldOn: CivilDate(iso: "2026-12-20")!), access: .maintenance,
                actor: .console("t"))
            let reporter = try #require(try await repo.round(id, access: .maintenance).1.last)
            let token = try await repo.openBallotSession(roundID: id, access: .maintenance, actor: .console("t"))
            let codes = try await repo.issueCodes(roundID: id, count: 8, access: .maintenance, actor: .console("t"))
            let sameAccount = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        (try? await repo.cast(token: token, userID: s.attendee, choices: [reporter.id: 0], actor: actor(s.attendee))) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(sameAccount == 1)
            let byCode = await withTaskGroup(of: Bool.self) { group in
                for code in codes + codes {
                    group.addTask { (try? await repo.cast(token: code, userID: nil, choices: [reporter.id: 1], actor: actor(nil))) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(byCode == 8)
            let tally = try #require(try await repo.round(id, access: .maintenance).1.last).phoneTally
            #expect(tally.counts == [1, 8, 0, 0] && tally.invalid == 0)
        }
    }
}
