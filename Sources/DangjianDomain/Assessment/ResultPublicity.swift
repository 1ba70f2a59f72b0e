/// 公示 and 复核 of an approved round (EVAL-11/12) and the 复验 of a lagging unit (ASSESS-08).

/// One published line: what the publicity shows of a unit (names, scores, grades — never a person, BULLETIN-05).
public struct PublishedLine: Sendable, Hashable, Codable {
    public var organisationID: Int64
    public var name: String
    /// Two decimals ("82.95").
    public var score: String
    public var grade: String
    public var rank: Int
    public var passed: Bool

    public init(organisationID: Int64, name: String, score: String, grade: String, rank: Int, passed: Bool) {
        self.organisationID = organisationID
        self.name = name
        self.score = score
        self.grade = grade
        self.rank = rank
        self.passed = passed
    }
}

/// The answer to a request for review (EVAL-12).
public enum AppealOutcome: String, Sendable, CaseIterable, Codable {
    case maintained = "maintained"
    case corrected = "corrected"

    public var displayName: String {
        switch self {
        case .maintained: "维持"
        case .corrected: "更正"
        }
    }
}

public enum ResultPublicity {
    /// EVAL-11: the last day of publicity — `workingDays` working days counted from the day after approval.
    public static func ends(approvedOn: CivilDate, workingDays: Int, calendar: WorkingDayCalendar) -> CivilDate {
        calendar.workingDay(max(1, workingDays), from: approvedOn.adding(days: 1))
    }

    /// EVAL-12: a written request is accepted until publicity ends (that day included).
    public static func appealRefusal(on day: CivilDate, publicityEnds: CivilDate, reason: String) -> ValidationFailure? {
        if day > publicityEnds {
            return ValidationFailure(
                field: "reason", message: "公示期已于 \(publicityEnds) 结束，不能再申请复核", ruleID: RuleID.eval12.code)
        }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.count > 2000 {
            return ValidationFailure(field: "reason", message: "请写明申请复核的理由（不超过 2000 个字）", ruleID: RuleID.eval12.code)
        }
        return nil
    }

    /// EVAL-12: the reply is due `workingDays` working days after the request.
    public static func replyDue(filedOn: CivilDate, workingDays: Int, calendar: WorkingDayCalendar) -> CivilDate {
        calendar.workingDay(max(1, workingDays), from: filedOn.adding(days: 1))
    }

    /// EVAL-12: results are final once publicity has ended with no open request.
    public static func isFinal(today: CivilDate, publicityEnds: CivilDate?, openRequests: Int) -> Bool {
        guard let publicityEnds else { return false }
        return today > publicityEnds && openRequests == 0
    }

    /// EVAL-12: a correction republishes only the lines that changed (score, grade, rank or 达标), in the new order.
    public static func changedLines(before: [PublishedLine], after: [PublishedLine]) -> [PublishedLine] {
        let old = Dictionary(before.map { ($0.organisationID, $0) }, uniquingKeysWith: { a, _ in a })
        return after.filter { old[$0.organisationID] != $0 }
    }
}

/// ASSESS-08 复验: once every problem of a lagging unit is 销号, the affected indicators are rescored.
public enum Recheck {
    /// Refused while problems are open, naming them.
    public static func refusal(unit: String, openProblems: [String]) -> ValidationFailure? {
        guard !openProblems.isEmpty else { return nil }
        return ValidationFailure(
            field: "recheck",
            message: "“\(unit)”还有 \(openProblems.count) 个问题未销号，全部销号后才能复验：\(openProblems.prefix(3).joined(separator: "；"))",
            ruleID: RuleID.assess08.code)
    }

    /// The rechecked total: the approved score with each affected indicator's value replaced.
    public static func total(approved: Score, changes: [(old: Score, new: Score)]) -> Score {
        changes.reduce(approved) { $0 - $1.old + $1.new }
    }
}
