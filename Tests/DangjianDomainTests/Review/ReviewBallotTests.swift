import Testing
@testable import DangjianDomain

@Suite("述职评议: ballots and the combined result (REVIEW-05/06)")
struct ReviewBallotTests {
    @Test("evaluation.md §5 worked example: 28/9/3/0 of 40 → 92.50 % and 92.50; with ASSESS 86.00 → 88.60 → 较好")
    func yananExample() throws {
        let tally = BallotTally(counts: [28, 9, 3, 0])
        #expect(tally.problems(gradeSet: .standard, attendees: 40, reporter: "甲").isEmpty)
        let ballot = try #require(tally.score(gradeSet: .standard))
        #expect(ballot.description == "92.50" && tally.satisfaction()?.description == "92.50")
        let review = try #require(ReviewWeights().combine(ballot: ballot, assessment: Score(points: 86)))
        #expect(review.description == "88.60" && GradeScale.reviewDefault.grade(review) == "较好")
    }

    @Test("REVIEW-05: a tally that does not add up to the attendees, a wrong number of grades or a negative count is refused")
    func refusals() {
        let off = BallotTally(counts: [28, 9, 3, 0], invalid: 1).problems(gradeSet: .standard, attendees: 40, reporter: "甲")
        #expect(off.count == 1 && off[0].ruleID == "REVIEW-05" && off[0].message.contains("与参加测评的 40 人不符") && off[0].message.contains("甲"))
        #expect(!BallotTally(counts: [1, 2, 3]).problems(gradeSet: .standard, attendees: nil, reporter: "乙").isEmpty)
        #expect(!BallotTally(counts: [1, -2, 3, 0]).problems(gradeSet: .standard, attendees: nil, reporter: "乙").isEmpty)
        #expect(BallotTally(counts: [0, 0, 0, 0], invalid: 3).score(gradeSet: .standard) == nil)
        #expect(ReviewWeights(ballotPercent: 50, assessmentPercent: 60).combine(ballot: .hundred, assessment: .hundred) == nil)
    }
}
