/// 述职评议 (slug `review`, evaluation.md §5): the ballot tally (REVIEW-05) and the combined result (REVIEW-06).

/// A grade set for ballots, highest first, each with its value (REVIEW-05: 100/80/60/0, UNCONFIRMED).
public struct BallotGradeSet: Sendable, Hashable, Codable {
    public var grades: [BallotGrade]
    public init(grades: [BallotGrade]) { self.grades = grades }

    /// {好, 较好, 一般, 差} (the default).
    public static let standard = BallotGradeSet(grades: [
        BallotGrade(name: "好", value: Score(points: 100)), BallotGrade(name: "较好", value: Score(points: 80)),
        BallotGrade(name: "一般", value: Score(points: 60)), BallotGrade(name: "差", value: .zero),
    ])
    /// {优秀, 称职, 基本称职, 不称职}.
    public static let competence = BallotGradeSet(grades: [
        BallotGrade(name: "优秀", value: Score(points: 100)), BallotGrade(name: "称职", value: Score(points: 80)),
        BallotGrade(name: "基本称职", value: Score(points: 60)), BallotGrade(name: "不称职", value: .zero),
    ])
}

public struct BallotGrade: Sendable, Hashable, Codable {
    public var name: String
    public var value: Score
    public init(name: String, value: Score) {
        self.name = name
        self.value = value
    }
}

/// The count of one reporter's ballots.
public struct BallotTally: Sendable, Hashable, Codable {
    /// Counts in the grade set's order.
    public var counts: [Int]
    /// Blank or multiply marked ballots.
    public var invalid: Int

    public init(counts: [Int], invalid: Int = 0) {
        self.counts = counts
        self.invalid = invalid
    }

    public var valid: Int { counts.reduce(0, +) }

    /// REVIEW-05 checks: one count per grade, none negative, and (when `attendees` is given) valid + invalid equal
    /// to the attendees who balloted — each refusal names the reporter and the rule.
    public func problems(gradeSet: BallotGradeSet, attendees: Int?, reporter: String) -> [ValidationFailure] {
        var found: [ValidationFailure] = []
        let rule = RuleID.review05.code
        if counts.count != gradeSet.grades.count {
            found.append(
                ValidationFailure(
                    field: "tally", message: "“\(reporter)”的票数应按 \(gradeSet.grades.map(\.name).joined(separator: "、")) 逐档填写", ruleID: rule))
        }
        if counts.contains(where: { !(0...100_000).contains($0) }) || !(0...100_000).contains(invalid) {
            found.append(ValidationFailure(field: "tally", message: "“\(reporter)”的票数应为 0 至 100000 之间的整数", ruleID: rule))
        }
        if let attendees, found.isEmpty, valid + invalid != attendees {
            found.append(
                ValidationFailure(
                    field: "tally", message: "“\(reporter)”的有效票 \(valid) 张加无效票 \(invalid) 张，合计 \(valid + invalid) 张，与参加测评的 \(attendees) 人不符",
                    ruleID: rule))
        }
        return found
    }

    /// Satisfaction = the top two grades ÷ valid, in hundredths of a percent as a score (92.50); nil without valid ballots.
    public func satisfaction() -> Score? {
        guard valid > 0 else { return nil }
        let top = counts.prefix(2).reduce(0, +)
        return Score.hundred.scaled(by: Int64(top), over: Int64(valid))
    }

    /// Ballot score = Σ value × count ÷ valid (REVIEW-05); nil without valid ballots.
    public func score(gradeSet: BallotGradeSet) -> Score? {
        guard valid > 0, counts.count == gradeSet.grades.count else { return nil }
        var total = Score.zero
        for (count, grade) in zip(counts, gradeSet.grades) { total = total + grade.value.scaled(by: Int64(count), over: 1) }
        return total.scaled(by: 1, over: Int64(valid))
    }
}

/// REVIEW-06: `review = ballot% × ballot + assessment% × assessment (+ daily% × daily)`, whole-percent weights.
public struct ReviewWeights: Sendable, Hashable, Codable {
    public var ballotPercent: Int
    public var assessmentPercent: Int
    public var dailyPercent: Int

    public init(ballotPercent: Int = 40, assessmentPercent: Int = 60, dailyPercent: Int = 0) {
        self.ballotPercent = ballotPercent
        self.assessmentPercent = assessmentPercent
        self.dailyPercent = dailyPercent
    }

    public func combine(ballot: Score, assessment: Score, daily: Score = .zero) -> Score? {
        StageCombination.combine([(ballot, ballotPercent), (assessment, assessmentPercent), (daily, dailyPercent)])
    }
}
