import Testing
import DangjianDomain

/// 述职评议 rules beyond the tally: rotation (REVIEW-02), content (REVIEW-03), the comment before closing (REVIEW-04),
/// phone votes counted (REVIEW-05) and the combined outcome with its band (REVIEW-06).
@Suite("述职评议 (domain)")
struct ReviewRoundTests {
    @Test("REVIEW-02: written last year → on site this year when the rotation is on; off, or on site last year, anything goes")
    func rotation() {
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .written, lastYear: .written, rotationOn: true)?.ruleID == "REVIEW-02")
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .written, lastYear: .written, rotationOn: true)?.message.contains("张书记") == true)
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .written, lastYear: .written, rotationOn: false) == nil)
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .written, lastYear: .onSite, rotationOn: true) == nil)
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .written, lastYear: nil, rotationOn: true) == nil)
        #expect(ReviewMode.rotationRefusal(reporter: "张书记", mode: .onSite, lastYear: .written, rotationOn: true) == nil)
    }

    @Test("REVIEW-01: the report is due by the meeting, a half-year one by 31 July at the latest (overdue on 1 August)")
    func reportDue() {
        let d = { (s: String) in CivilDate(iso: s) ?? .earliest }
        #expect(ReviewRoundKind.halfYear.reportDue(year: 2026, heldOn: d("2026-08-20")) == d("2026-07-31"))
        #expect(ReviewRoundKind.halfYear.reportDue(year: 2026, heldOn: d("2026-07-15")) == d("2026-07-15"))
        #expect(ReviewRoundKind.annual.reportDue(year: 2026, heldOn: d("2027-01-10")) == d("2026-12-31"))
        #expect(ReviewRoundKind.annual.reportDue(year: 2026, heldOn: d("2026-12-20")) == d("2026-12-20"))
    }

    @Test("REVIEW-03: the two mandatory items stay on every checklist and a report must cover them")
    func content() throws {
        let read = ReviewContentChecklist.reading("履职情况\n\n党员教育管理情况\n下一步打算")
        let list = try #require(read.checklist)
        #expect(list.items == ReviewContentChecklist.mandatory + ["履职情况", "下一步打算"])
        #expect(ReviewContentChecklist.reading(String(repeating: "长", count: 101)).problem?.ruleID == "REVIEW-03")
        let missing = list.refusal(covered: ["党员教育管理情况"], reporter: "李书记")
        #expect(missing?.ruleID == "REVIEW-03" && missing?.message.contains("上年度述职评议指出问题的整改情况") == true)
        #expect(list.refusal(covered: Set(ReviewContentChecklist.mandatory), reporter: "李书记") == nil)
    }

    @Test("REVIEW-04/05: no comment or no ballots → the ballot cannot close; phone votes and paper merge grade by grade")
    func closing() {
        let tally = BallotTally(counts: [1, 0, 0, 0])
        #expect(ReviewBallotClosing.refusal(reporter: "王书记", comment: nil, tally: tally)?.ruleID == "REVIEW-04")
        #expect(ReviewBallotClosing.refusal(reporter: "王书记", comment: "  ", tally: tally)?.ruleID == "REVIEW-04")
        #expect(ReviewBallotClosing.refusal(reporter: "王书记", comment: "好", tally: BallotTally(counts: [0, 0, 0, 0]))?.ruleID == "REVIEW-05")
        #expect(ReviewBallotClosing.refusal(reporter: "王书记", comment: "好", tally: tally) == nil)
        let phone = ReviewBallotClosing.tally(votes: [0: 3, 1: 1, -1: 2, 9: 1], gradeSet: .standard)
        #expect(phone == BallotTally(counts: [3, 1, 0, 0], invalid: 3))
        #expect(ReviewBallotClosing.merge(phone, BallotTally(counts: [25, 8, 3, 0], invalid: 1)) == BallotTally(counts: [28, 9, 3, 0], invalid: 4))
    }

    @Test("REVIEW-06: 28/9/3/0 with ASSESS 86.00 → 88.60 较好; without an assessment no combined score unless its weight is 0")
    func outcome() {
        let tally = BallotTally(counts: [28, 9, 3, 0])
        let combined = ReviewOutcome.compute(
            tally: tally, gradeSet: .standard, assessment: Score(points: 86), weights: ReviewWeights(), scale: .reviewDefault)
        #expect(combined.ballot?.description == "92.50" && combined.satisfaction?.description == "92.50")
        #expect(combined.combined?.description == "88.60" && combined.grade == "较好")
        let missing = ReviewOutcome.compute(tally: tally, gradeSet: .standard, assessment: nil, weights: ReviewWeights(), scale: .reviewDefault)
        #expect(missing.combined == nil && missing.missing?.contains("REVIEW-06") == true)
        let ballotOnly = ReviewOutcome.compute(
            tally: tally, gradeSet: .standard, assessment: nil, weights: ReviewWeights(ballotPercent: 100, assessmentPercent: 0),
            scale: .reviewDefault)
        #expect(ballotOnly.combined?.description == "92.50" && ballotOnly.grade == "好")
        // The band's lower bound is inclusive on the 2-decimal value: 89.995 shows as 90.00 → 好.
        #expect(GradeScale.reviewDefault.grade(Score(micro: 89_995_000)) == "好")
        #expect(GradeScale.reviewDefault.grade(Score(micro: 89_994_000)) == "较好")
    }
}
