/// Who may score whom (EVAL-04) and the "three years without admission" deduction (ASSESS-06).

/// A reason an assessor may not score an object (回避, EVAL-04).
public enum ConflictReason: String, Sendable, CaseIterable, Codable {
    /// (a) on the roster of the object's organisation or its subtree.
    case roster
    /// (b) holding a post (a term post, an account scoped) there.
    case post
    /// (c) a declared or chair-recorded close relation.
    case declaredRelation = "declared_relation"
    /// (d) the object's author or presenter; in 互评 a unit never scores itself.
    case author

    public var displayName: String {
        switch self {
        case .roster: "本人组织关系在该单位"
        case .post: "本人在该单位任职"
        case .declaredRelation: "申报或记录的近亲属关系"
        case .author: "本人为材料作者或汇报人"
        }
    }
}

public enum ConflictOfInterest {
    /// EVAL-04 (a)(b)(d) from data and (c) from declarations: the reasons `assessor` is blocked from `unit`.
    /// `rosterPaths` are the paths of the organisations where the assessor is on the roster; `postPaths` those where
    /// they hold a post or an account's scope; an organisation's subtree counts as the organisation.
    public static func reasons(
        unit: MaterialisedPath, rosterPaths: [MaterialisedPath], postPaths: [MaterialisedPath], declaredUnitIDs: Set<Int64>,
        unitID: Int64, authoredUnitIDs: Set<Int64> = []
    ) -> [ConflictReason] {
        var found: [ConflictReason] = []
        if rosterPaths.contains(where: { unit.contains($0) }) { found.append(.roster) }
        if postPaths.contains(where: { unit.contains($0) }) { found.append(.post) }
        if declaredUnitIDs.contains(unitID) { found.append(.declaredRelation) }
        if authoredUnitIDs.contains(unitID) { found.append(.author) }
        return found
    }

    /// The refusal an assessor sees when assigned or scoring despite a conflict.
    public static func refusal(unitName: String, reasons: [ConflictReason]) -> ValidationFailure {
        ValidationFailure(
            field: "assessor", message: "须回避“\(unitName)”：\(reasons.map(\.displayName).joined(separator: "、"))", ruleID: RuleID.eval04.code)
    }
}

/// ASSESS-06: an organisation with no member developed in `windowYears` consecutive whole years loses points.
public struct AdmissionDrought: Sendable, Equatable {
    public var windowYears: Int
    public var deduction: Score
    public init(windowYears: Int = 3, deduction: Score = Score(points: 2)) {
        self.windowYears = windowYears
        self.deduction = deduction
    }

    public enum Outcome: Sendable, Equatable {
        /// Not subject: fewer than 3 full members, temporary, or not yet `windowYears` whole years old.
        case notApplicable(String)
        /// An admission was approved within the window.
        case developed(year: Int)
        /// Deduct: no admission in the window (its first and last years).
        case deduct(from: Int, through: Int)
    }

    /// The outcome for the year assessed. `admissionYears` are the years of approvals (DEV-24) in the organisation's
    /// subtree; only whole calendar years after `founded` count.
    public func check(assessedYear: Int, founded: CivilDate?, fullMembers: Int, isTemporary: Bool, admissionYears: Set<Int>) -> Outcome {
        if isTemporary { return .notApplicable("临时党组织不适用") }
        if fullMembers < 3 { return .notApplicable("正式党员不足 3 人") }
        let first = assessedYear - windowYears + 1
        if let founded {
            let firstWholeYear = founded.month == 1 && founded.day == 1 ? founded.year : founded.year + 1
            if firstWholeYear > first { return .notApplicable("成立后满 \(windowYears) 个完整年度前不适用（最早 \(firstWholeYear + windowYears - 1) 年）") }
        }
        if let year = admissionYears.filter({ (first...assessedYear).contains($0) }).max() { return .developed(year: year) }
        return .deduct(from: first, through: assessedYear)
    }

    /// The optional 怀宁 warning ladder: blue = no activist designated this year; yellow = no admission this year;
    /// orange = two years; red = three or more.
    public static func warning(yearsWithoutAdmission: Int, activistDesignatedThisYear: Bool) -> WarningLevel {
        switch yearsWithoutAdmission {
        case 3...: .alarm
        case 2: .lateDone
        case 1: .caution
        default: activistDesignatedThisYear ? .good : .neutral
        }
    }
}
