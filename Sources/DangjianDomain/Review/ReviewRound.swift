/// 述职评议 (slug `review`, evaluation.md §5): the round's kinds, modes and content checklist, the rotation of modes
/// (REVIEW-02), the comment a ballot needs before it closes (REVIEW-04), a phone ballot (REVIEW-05) and the
/// combined result (REVIEW-06).

/// Annual, or the half-year report village secretaries give their 街道/镇 党工委 (REVIEW-01).
public enum ReviewRoundKind: String, Sendable, CaseIterable, Codable {
    case annual = "annual"
    case halfYear = "half_year"

    public var displayName: String {
        switch self {
        case .annual: "年度述职评议"
        case .halfYear: "半年述职"
        }
    }

    /// REVIEW-01: the written report is due by the meeting, and at the latest by the kind's default date (a missing
    /// half-year report is overdue on 1 August).
    public func reportDue(year: Int, heldOn: CivilDate) -> CivilDate {
        guard let latest = defaultDueDate(year: year) else { return heldOn }
        return min(heldOn, latest)
    }

    /// REVIEW-01 defaults (UNCONFIRMED): the half-year report by 31 July, the annual one by 31 December.
    public func defaultDueDate(year: Int) -> CivilDate? {
        switch self {
        case .annual: CivilDate(year: year, month: 12, day: 31)
        case .halfYear: CivilDate(year: year, month: 7, day: 31)
        }
    }
}

/// 现场述职 or 书面述职 (REVIEW-02); both are balloted (REVIEW-05).
public enum ReviewMode: String, Sendable, CaseIterable, Codable {
    case onSite = "on_site"
    case written = "written"

    public var displayName: String {
        switch self {
        case .onSite: "现场述职"
        case .written: "书面述职"
        }
    }

    /// REVIEW-02 rotation (def. on, UNCONFIRMED): a secretary who reported in writing last year reports on site this
    /// year. Returns the refusal naming the reporter, or nil.
    public static func rotationRefusal(reporter: String, mode: ReviewMode, lastYear: ReviewMode?, rotationOn: Bool) -> ValidationFailure? {
        guard rotationOn, mode == .written, lastYear == .written else { return nil }
        return ValidationFailure(
            field: "mode", message: "“\(reporter)”上一年度已书面述职，本年度应现场述职", ruleID: RuleID.review02.code)
    }
}

/// The content a report covers (REVIEW-03): a configurable checklist that always keeps the two mandatory items.
public struct ReviewContentChecklist: Sendable, Hashable, Codable {
    public var items: [String]

    /// 述前述后两整改 and 党员教育管理 (EduRegs2019 Art. 43): never removed.
    public static let mandatory = ["上年度述职评议指出问题的整改情况", "党员教育管理情况"]
    public static let standard = ReviewContentChecklist(items: mandatory + ["履行基层党建工作第一责任人职责情况", "存在的问题及原因", "下一步工作思路和措施"])

    public init(items: [String]) { self.items = items }

    /// The organiser's lines (one per line, blank ones dropped, at most 20 of 100 characters), with the mandatory items first.
    public static func reading(_ text: String) -> (checklist: ReviewContentChecklist?, problem: ValidationFailure?) {
        var items = mandatory
        for line in text.split(whereSeparator: \.isNewline) {
            let item = String(line).trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty, !items.contains(item) else { continue }
            guard item.count <= 100 else {
                return (nil, ValidationFailure(field: "content", message: "述职内容“\(item.prefix(20))…”超过 100 个字", ruleID: RuleID.review03.code))
            }
            items.append(item)
        }
        guard items.count <= 20 else {
            return (nil, ValidationFailure(field: "content", message: "述职内容最多 20 项", ruleID: RuleID.review03.code))
        }
        return (ReviewContentChecklist(items: items), nil)
    }

    /// REVIEW-03: a report must say it covers every mandatory item; refusal names the missing items.
    public func refusal(covered: Set<String>, reporter: String) -> ValidationFailure? {
        let missing = Self.mandatory.filter { !covered.contains($0) }
        guard !missing.isEmpty else { return nil }
        return ValidationFailure(
            field: "covered", message: "“\(reporter)”的述职报告须包含：\(missing.joined(separator: "、"))", ruleID: RuleID.review03.code)
    }
}

/// The grade set a round ballots on (REVIEW-05).
public enum ReviewGradeSetChoice: String, Sendable, CaseIterable, Codable {
    case standard = "standard"
    case competence = "competence"

    public var gradeSet: BallotGradeSet {
        switch self {
        case .standard: .standard
        case .competence: .competence
        }
    }

    public var displayName: String { gradeSet.grades.map(\.name).joined(separator: " / ") }
}

/// Closing one reporter's ballot (REVIEW-04/05): refused without the higher committee's comment and without ballots.
public enum ReviewBallotClosing {
    public static func refusal(reporter: String, comment: String?, tally: BallotTally) -> ValidationFailure? {
        if (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return ValidationFailure(
                field: "comment", message: "“\(reporter)”尚无上级党组织点评，不能结束测评（一述一评）", ruleID: RuleID.review04.code)
        }
        if tally.valid + tally.invalid == 0 {
            return ValidationFailure(field: "tally", message: "“\(reporter)”尚无测评票，不能结束测评", ruleID: RuleID.review05.code)
        }
        return nil
    }

    /// Phone ballots and the paper tally together: counts grade by grade, invalid added.
    public static func merge(_ a: BallotTally, _ b: BallotTally?) -> BallotTally {
        guard let b, b.counts.count == a.counts.count else { return a }
        return BallotTally(counts: zip(a.counts, b.counts).map { $0 + $1 }, invalid: a.invalid + b.invalid)
    }

    /// Phone votes as a tally, from the count of each grade index: indexes in range count for their grade, anything
    /// else (a blank line, −1) is invalid.
    public static func tally(votes: [Int: Int], gradeSet: BallotGradeSet) -> BallotTally {
        var counts = Array(repeating: 0, count: gradeSet.grades.count)
        var invalid = 0
        for (index, count) in votes {
            if counts.indices.contains(index) { counts[index] += count } else { invalid += count }
        }
        return BallotTally(counts: counts, invalid: invalid)
    }
}

/// One reporter's result (REVIEW-05/06): ballot score and satisfaction from the closed tally, the assessment score
/// when the round is combined with one, and the combined score and its band.
public struct ReviewOutcome: Sendable, Equatable {
    public var ballot: Score?
    public var satisfaction: Score?
    public var assessment: Score?
    public var combined: Score?
    public var grade: String?
    /// Why no combined score (in Chinese), or nil.
    public var missing: String?

    public init(
        ballot: Score? = nil, satisfaction: Score? = nil, assessment: Score? = nil, combined: Score? = nil, grade: String? = nil,
        missing: String? = nil
    ) {
        self.ballot = ballot
        self.satisfaction = satisfaction
        self.assessment = assessment
        self.combined = combined
        self.grade = grade
        self.missing = missing
    }

    public static func compute(
        tally: BallotTally?, gradeSet: BallotGradeSet, assessment: Score?, daily: Score = .zero, weights: ReviewWeights, scale: GradeScale
    ) -> ReviewOutcome {
        let ballot = tally.flatMap { $0.score(gradeSet: gradeSet) }
        let satisfaction = tally.flatMap { $0.satisfaction() }
        var outcome = ReviewOutcome(ballot: ballot, satisfaction: satisfaction, assessment: assessment)
        guard let ballot else {
            outcome.missing = "测评尚未结束"
            return outcome
        }
        let assessed: Score
        if let assessment {
            assessed = assessment
        } else if weights.assessmentPercent == 0 {
            assessed = .zero
        } else {
            outcome.missing = "无年度考评结果（\(RuleID.review06.code)：测评 \(weights.ballotPercent)% + 考评 \(weights.assessmentPercent)%）"
            return outcome
        }
        outcome.combined = weights.combine(ballot: ballot, assessment: assessed, daily: daily)
        outcome.grade = outcome.combined.map { scale.grade($0) }
        return outcome
    }
}
