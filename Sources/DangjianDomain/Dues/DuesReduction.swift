/// 少交/免交 (issue 18, item 3; DUES-07/18): a member in real difficulty applies, the branch studies it, and the next
/// higher Party committee approves — only then may 减免 be recorded for the months it covers, at the approved amount
/// (0 for 免交; those months count as paid for DUES-13/19). An approval is valid for a number of months (12 by default,
/// UNCONFIRMED: a rule-book parameter) and is then re-reviewed.

public enum DuesReductionState: String, Sendable, CaseIterable, Codable {
    /// 已申请: recorded, waiting for the branch.
    case applied
    /// 支部同意: the branch studied it and agreed; waiting for the higher committee.
    case branchAgreed = "branch_agreed"
    /// 已批准: the higher committee approved it.
    case approved
    /// 未同意 (by the branch) or 未批准 (by the committee).
    case rejected

    public var displayName: String {
        switch self {
        case .applied: "已申请，待支部研究"
        case .branchAgreed: "支部已同意，待上级党委批准"
        case .approved: "已批准"
        case .rejected: "未同意"
        }
    }
}

/// The steps of the lifecycle.
public enum DuesReductionAction: String, Sendable, CaseIterable {
    /// 支部研究同意 / 不同意.
    case branchAgree = "branch_agree"
    case branchDisagree = "branch_disagree"
    /// 上级党委批准 / 不批准.
    case approve, reject

    /// Whether the step is the higher committee's (else the branch's).
    public var byHigherCommittee: Bool { self == .approve || self == .reject }

    /// The state the step needs.
    public var requires: DuesReductionState { byHigherCommittee ? .branchAgreed : .applied }

    public var result: DuesReductionState {
        switch self {
        case .branchAgree: .branchAgreed
        case .approve: .approved
        case .branchDisagree, .reject: .rejected
        }
    }

    public var displayName: String {
        switch self {
        case .branchAgree: "支部研究同意"
        case .branchDisagree: "支部研究不同意"
        case .approve: "上级党委批准"
        case .reject: "上级党委不批准"
        }
    }
}

/// An application as recorded.
public struct DuesReductionDraft: Sendable, Equatable {
    /// 免交 (nothing to pay) rather than 少交.
    public var exempt: Bool
    /// The monthly amount to pay while it holds (0 when exempt).
    public var monthly: Fen
    public var from: DuesMonth
    /// How many months it asks for (at most the rule book's validity).
    public var months: Int
    public var reason: String

    public init(exempt: Bool, monthly: Fen, from: DuesMonth, months: Int, reason: String) {
        self.exempt = exempt
        self.monthly = monthly
        self.from = from
        self.months = months
        self.reason = reason
    }

    /// The last month it covers.
    public var until: DuesMonth { from.adding(months: max(months, 1) - 1) }
}

/// A stored application and where it stands.
public struct DuesReduction: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var organisationID: Int64
    public var exempt: Bool
    public var monthly: Fen
    public var from: DuesMonth
    public var until: DuesMonth
    public var reason: String
    public var state: DuesReductionState
    /// What each step said: "2026-11-20 支部研究同意（王书记）".
    public var history: [String]
    public var version: Int64

    public init(
        id: Int64, memberID: Int64, organisationID: Int64, exempt: Bool, monthly: Fen, from: DuesMonth, until: DuesMonth, reason: String,
        state: DuesReductionState, history: [String], version: Int64
    ) {
        self.id = id
        self.memberID = memberID
        self.organisationID = organisationID
        self.exempt = exempt
        self.monthly = monthly
        self.from = from
        self.until = until
        self.reason = reason
        self.state = state
        self.history = history
        self.version = version
    }

    /// Whether an approved reduction covers every one of `months`.
    public func covers(_ months: [DuesMonth]) -> Bool {
        state == .approved && !months.isEmpty && months.allSatisfy { $0 >= from && $0 <= until }
    }

    /// "免交" / "每月少交至 5.00 元", with the months.
    public var summary: String {
        (exempt ? "免交党费" : "每月按 \(monthly) 元交纳") + "（\(from)至\(until)）"
    }
}

/// The local parameter of DUES-18.
public struct DuesReductionRules: Sendable, Codable, Equatable {
    /// Validity of an approval in months, then re-review (UNCONFIRMED).
    public var validityMonths: Int = 12

    public init() {}

    public static let national = DuesReductionRules()
}

public enum DuesReductions {
    /// Checks an application against the member's regular monthly amount (nil: no base set for the year).
    public static func check(
        _ draft: DuesReductionDraft, regularMonthly: Fen?, rules: DuesReductionRules = .national
    ) -> [ValidationFailure] {
        var problems: [ValidationFailure] = []
        let reason = draft.reason.trimmed
        if reason.isEmpty || reason.count > 500 {
            problems.append(ValidationFailure(field: "reason", message: "请写明困难情况（不超过 500 个字）", ruleID: RuleID.dues07.code))
        }
        if !(1...rules.validityMonths).contains(draft.months) {
            problems.append(
                ValidationFailure(
                    field: "months", message: "减免期限应为 1 至 \(rules.validityMonths) 个月，期满后重新审核", ruleID: RuleID.dues18.code))
        }
        if draft.exempt && draft.monthly != .zero {
            problems.append(ValidationFailure(field: "monthly", message: "免交时每月金额应为 0", ruleID: RuleID.dues18.code))
        }
        if let regular = regularMonthly {
            if !draft.exempt && draft.monthly >= regular {
                problems.append(
                    ValidationFailure(
                        field: "monthly", message: "少交后的金额 \(draft.monthly) 元不少于按标准应交的 \(regular) 元，不需要申请", ruleID: RuleID.dues07.code))
            }
        } else {
            problems.append(
                ValidationFailure(field: "from", message: "\(draft.from.year) 年党费基数尚未核定，请先设定基数再申请减免", ruleID: RuleID.dues09.code))
        }
        return problems
    }
}
