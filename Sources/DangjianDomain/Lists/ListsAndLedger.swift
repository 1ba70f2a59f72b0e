/// 三单一账 (task list, responsibility list, problem list and one ledger; rules.md §8.2, local practice): deadline
/// warnings, the task claim/progress/done cycle and the problem rectification loop
/// 发现 → 整改中 → 申请销号 → 验收 → 销号 (or back to 整改中), with 回头看 reopening a closed problem.
///
/// rules.md marks 三单一账 UNCONFIRMED as a national term, so the rule IDs below (LIST-01 …) are this product's own,
/// documented in docs/decisions/0017; the one threshold (临期 days) is a rule-book parameter.
public enum ListRule {
    /// LIST-01: an open item whose deadline is within `RuleBook.listDueSoonDays` days is 临期 (yellow).
    public static let dueSoon = RuleID.list01.code
    /// LIST-02: an open item past its deadline is 逾期 (red).
    public static let overdue = RuleID.list02.code
    /// LIST-03: acceptance (验收) is by someone other than those who rectified (整改人不得验收本人整改).
    public static let independentAcceptance = RuleID.list03.code
    /// LIST-04: closure is requested with the rectification evidence; a rejected closure names its reason.
    public static let evidence = RuleID.list04.code
    /// LIST-05: a task is reported done only with at least one ledger entry (台账) behind it.
    public static let ledgerBacked = RuleID.list05.code
    /// LIST-06: the ledger of a campaign is closed at year end (年底交账); nothing is added after.
    public static let yearEndClose = RuleID.list06.code
    /// LIST-07: a 回头看 re-check may reopen a closed problem, with the reason.
    public static let lookBack = RuleID.list07.code
    /// LIST-08: the order of the loop — each action only from the state it belongs to.
    public static let order = RuleID.list08.code
}

/// Where an item stands against its deadline (双色预警: 临期 yellow, 逾期 red).
public enum DeadlineStatus: String, Sendable, CaseIterable, Comparable {
    case done  // 按期完成
    case open  // 进行中（未到临期）
    case doneLate  // 逾期完成
    case dueSoon  // 临期
    case overdue  // 逾期

    public var displayName: String {
        switch self {
        case .done: "按期完成"
        case .open: "推进中"
        case .doneLate: "逾期完成"
        case .dueSoon: "临期"
        case .overdue: "逾期"
        }
    }

    /// How serious the state is (green / grey / amber / yellow / red).
    public var warningLevel: WarningLevel {
        switch self {
        case .done: .good
        case .open: .neutral
        case .doneLate: .lateDone
        case .dueSoon: .caution
        case .overdue: .alarm
        }
    }

    public var isFinished: Bool { self == .done || self == .doneLate }

    private var rank: Int { DeadlineStatus.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: DeadlineStatus, b: DeadlineStatus) -> Bool { a.rank < b.rank }

    /// LIST-01/02: the status of an item with `deadline`, finished on `finishedOn` (nil while open), seen on `today`.
    /// 临期 from `dueSoonDays` days before the deadline up to and including the deadline; 逾期 from the day after.
    public static func of(deadline: CivilDate, finishedOn: CivilDate?, today: CivilDate, dueSoonDays: Int) -> DeadlineStatus {
        if let finishedOn, finishedOn <= today { return finishedOn <= deadline ? .done : .doneLate }
        if today > deadline { return .overdue }
        if today >= deadline.adding(days: -dueSoonDays) { return .dueSoon }
        return .open
    }

    /// The Chinese warning with its rule, or nil when there is nothing to warn about.
    public static func warning(deadline: CivilDate, status: DeadlineStatus, today: CivilDate) -> String? {
        switch status {
        case .overdue: "已逾期 \(today.days(since: deadline)) 天（截止 \(deadline)，\(ListRule.overdue)）"
        case .dueSoon: "临期：还剩 \(deadline.days(since: today)) 天（截止 \(deadline)，\(ListRule.dueSoon)）"
        default: nil
        }
    }
}

/// Where a task assigned to an organisation stands (任务清单).
public enum TaskState: String, Sendable, CaseIterable {
    case assigned = "assigned"  // 已下达
    case claimed = "claimed"  // 已认领（细化）
    case inProgress = "in_progress"  // 推进中
    case done = "done"  // 已完成

    public var displayName: String {
        switch self {
        case .assigned: "已下达"
        case .claimed: "已认领"
        case .inProgress: "推进中"
        case .done: "已完成"
        }
    }
}

/// The states of a problem (问题清单).
public enum ProblemState: String, Sendable, CaseIterable {
    case found = "found"  // 发现（待整改）
    case rectifying = "rectifying"  // 整改中
    case closureRequested = "closure_requested"  // 申请销号（待验收）
    case closed = "closed"  // 已销号

    public var displayName: String {
        switch self {
        case .found: "待整改"
        case .rectifying: "整改中"
        case .closureRequested: "申请销号"
        case .closed: "已销号"
        }
    }
}

/// Where a problem came from.
public enum ProblemSource: String, Sendable, CaseIterable {
    case supervision = "supervision"  // 督导检查
    case inspection = "inspection"  // 巡察
    case selfCheck = "self_check"  // 自查
    case lookBack = "look_back"  // 回头看
    case assessment = "assessment"  // 考核滞后
    case review = "review"  // 述职评议 (REVIEW-07)
    case other = "other"

    public var displayName: String {
        switch self {
        case .supervision: "督导检查"
        case .inspection: "巡察"
        case .selfCheck: "自查"
        case .lookBack: "回头看"
        case .assessment: "考核滞后"
        case .review: "述职评议"
        case .other: "其他"
        }
    }
}

/// An action on a problem; each is allowed from one state only (LIST-08).
public enum ProblemAction: Sendable, Equatable {
    /// 制定整改措施: measures, the responsible person and the deadline (found → rectifying; while rectifying, a revision).
    case plan(measures: String, responsible: String, deadline: CivilDate)
    /// 整改进展 (a ledger entry while rectifying).
    case progress(String)
    /// 申请销号 with the evidence of rectification (rectifying → closureRequested).
    case requestClosure(evidence: String)
    /// 验收通过，销号 (closureRequested → closed), by someone other than the rectifiers.
    case accept(opinion: String)
    /// 验收不通过 with the reason (closureRequested → rectifying).
    case reject(reason: String)
    /// 回头看 reopens a closed problem with the reason (closed → rectifying).
    case reopen(reason: String)

    /// The stored action name.
    public var code: String {
        switch self {
        case .plan: "plan"
        case .progress: "progress"
        case .requestClosure: "request_closure"
        case .accept: "accept"
        case .reject: "reject"
        case .reopen: "reopen"
        }
    }

    public var displayName: String {
        switch self {
        case .plan: "制定整改措施"
        case .progress: "整改进展"
        case .requestClosure: "申请销号"
        case .accept: "验收通过，销号"
        case .reject: "验收不通过，退回整改"
        case .reopen: "回头看，重新整改"
        }
    }

    /// The text the action carries (measures, progress, evidence, opinion or reason).
    public var text: String {
        switch self {
        case .plan(let m, _, _): m
        case .progress(let t), .requestClosure(let t), .accept(let t), .reject(let t), .reopen(let t): t
        }
    }
}

/// A problem's rectification loop: the state, who rectified, and the current measures. Pure; the repository stores
/// each applied action as an event and replays them.
public struct ProblemLifecycle: Sendable, Equatable {
    public private(set) var state: ProblemState = .found
    public private(set) var measures = ""
    public private(set) var responsible = ""
    public private(set) var deadline: CivilDate
    public let foundOn: CivilDate
    /// Users who planned, reported progress on or requested closure of the current rectification (LIST-03).
    public private(set) var rectifiers: Set<Int64> = []
    /// The day it was last closed (销号), nil while open.
    public private(set) var closedOn: CivilDate?
    /// How many times a 回头看 reopened it.
    public private(set) var reopenings = 0

    public init(foundOn: CivilDate, deadline: CivilDate) {
        self.foundOn = foundOn
        self.deadline = deadline
    }

    /// LIST-01/02 on `today`, closed problems measured by the day they were closed.
    public func status(today: CivilDate, dueSoonDays: Int) -> DeadlineStatus {
        DeadlineStatus.of(deadline: deadline, finishedOn: state == .closed ? closedOn : nil, today: today, dueSoonDays: dueSoonDays)
    }

    /// Applies `action` by `user` on `day`, or throws a `ValidationFailure` naming the rule.
    public mutating func apply(_ action: ProblemAction, by user: Int64, on day: CivilDate) throws {
        func refuse(_ field: String, _ message: String, _ rule: String) -> ValidationFailure {
            ValidationFailure(field: field, message: message, ruleID: rule)
        }
        func allowed(_ states: ProblemState...) throws {
            guard states.contains(state) else {
                throw refuse("action", "问题当前为“\(state.displayName)”，不能“\(action.displayName)”", ListRule.order)
            }
        }
        if day < foundOn { throw refuse("date", "日期不能早于发现问题的日期 \(foundOn)", ListRule.order) }
        let text = action.text.trimmed
        switch action {
        case .plan(_, let who, let newDeadline):
            try allowed(.found, .rectifying)
            guard !text.isEmpty else { throw refuse("measures", "请填写整改措施", ListRule.evidence) }
            let who = who.trimmed
            guard !who.isEmpty else { throw refuse("responsible", "请填写整改责任人", ListRule.evidence) }
            guard newDeadline >= foundOn else { throw refuse("deadline", "整改时限不能早于发现日期 \(foundOn)", ListRule.order) }
            measures = text
            responsible = who
            deadline = newDeadline
            state = .rectifying
            rectifiers.insert(user)
        case .progress:
            try allowed(.rectifying)
            guard !text.isEmpty else { throw refuse("text", "请填写整改进展", ListRule.evidence) }
            rectifiers.insert(user)
        case .requestClosure:
            try allowed(.rectifying)
            guard !text.isEmpty else { throw refuse("text", "申请销号须写明整改结果和佐证材料", ListRule.evidence) }
            rectifiers.insert(user)
            state = .closureRequested
        case .accept:
            try allowed(.closureRequested)
            guard !rectifiers.contains(user) else {
                throw refuse("action", "整改人不能验收本人的整改，请由其他人员验收", ListRule.independentAcceptance)
            }
            state = .closed
            closedOn = day
        case .reject:
            try allowed(.closureRequested)
            guard !rectifiers.contains(user) else {
                throw refuse("action", "整改人不能验收本人的整改，请由其他人员验收", ListRule.independentAcceptance)
            }
            guard !text.isEmpty else { throw refuse("text", "退回整改须写明原因", ListRule.evidence) }
            state = .rectifying
        case .reopen:
            try allowed(.closed)
            guard !text.isEmpty else { throw refuse("text", "回头看重新整改须写明原因", ListRule.lookBack) }
            state = .rectifying
            closedOn = nil
            reopenings += 1
            rectifiers = []
        }
    }
}

/// A task assigned to one organisation (任务清单 line) and its ledger: claim/refine, progress, done.
public struct TaskAssignmentLifecycle: Sendable, Equatable {
    public private(set) var state: TaskState = .assigned
    public private(set) var ledgerEntries = 0
    public private(set) var doneOn: CivilDate?
    public let deadline: CivilDate

    public init(deadline: CivilDate) { self.deadline = deadline }

    /// Restores a stored assignment.
    public init(deadline: CivilDate, state: TaskState, ledgerEntries: Int, doneOn: CivilDate?) {
        self.deadline = deadline
        self.state = state
        self.ledgerEntries = ledgerEntries
        self.doneOn = doneOn
    }

    public func status(today: CivilDate, dueSoonDays: Int) -> DeadlineStatus {
        DeadlineStatus.of(deadline: deadline, finishedOn: doneOn, today: today, dueSoonDays: dueSoonDays)
    }

    /// 认领细化: the organisation takes the task on with its own breakdown.
    public mutating func claim(refinement: String) throws {
        guard state == .assigned else { throw ValidationFailure(field: "action", message: "任务已认领", ruleID: ListRule.order) }
        guard !refinement.trimmed.isEmpty else {
            throw ValidationFailure(field: "refinement", message: "认领时请填写细化措施（认领细化）", ruleID: ListRule.order)
        }
        state = .claimed
    }

    /// A ledger entry (台账): progress with date and text.
    public mutating func record(progress: String) throws {
        guard state != .done else { throw ValidationFailure(field: "action", message: "任务已完成，不能再记录进展", ruleID: ListRule.order) }
        guard !progress.trimmed.isEmpty else {
            throw ValidationFailure(field: "text", message: "请填写工作进展", ruleID: ListRule.ledgerBacked)
        }
        ledgerEntries += 1
        state = .inProgress
    }

    /// 完成: only with a ledger entry behind it (LIST-05).
    public mutating func complete(on day: CivilDate) throws {
        guard state != .done else { throw ValidationFailure(field: "action", message: "任务已完成", ruleID: ListRule.order) }
        guard ledgerEntries > 0 else {
            throw ValidationFailure(field: "action", message: "请先在台账中记录工作进展和佐证，再报完成", ruleID: ListRule.ledgerBacked)
        }
        state = .done
        doneOn = day
    }
}
