/// 自行脱党审查 (issue 18, item 4; DUES-13/19, EduRegs2019 Art. 29–31): when a member has for six months paid no dues
/// (or taken no part in organisational life) the branch opens a case — never the system on its own. The case records
/// the 批评教育 and the 限期改正 that must come first, then a person's decision: a good reason was found, the member has
/// put it right, or the branch general meeting is asked to remove the member (除名, approved above). Nothing about
/// the member's standing changes automatically.

/// Where a case stands.
public enum LapseCaseState: String, CaseIterable, Sendable, Codable {
    /// 已立案: opened, nothing done yet.
    case opened
    /// 已批评教育.
    case educated
    /// 限期改正中: a deadline has been set.
    case deadlineSet = "deadline_set"
    /// 已决定.
    case decided

    public var displayName: String {
        switch self {
        case .opened: "已立案"
        case .educated: "已批评教育"
        case .deadlineSet: "限期改正中"
        case .decided: "已作出决定"
        }
    }
}

/// A person's decision on a case.
public enum LapseCaseOutcome: String, CaseIterable, Sendable, Codable {
    /// 有正当理由: not treated as 自行脱党 (DUES-13 "without good reason").
    case goodReason = "good_reason"
    /// 已改正: the member paid (or took part) again.
    case corrected
    /// 提请支部党员大会讨论除名, subject to the higher committee's approval (DUES-13).
    case removal

    public var displayName: String {
        switch self {
        case .goodReason: "有正当理由，不作自行脱党处理"
        case .corrected: "已改正（恢复交纳党费、参加组织生活）"
        case .removal: "期满仍未改正，提请支部党员大会讨论除名，报上级党委批准"
        }
    }
}

/// The steps a case takes.
public enum LapseCaseStep: String, CaseIterable, Sendable, Codable {
    /// 批评教育 (EduRegs2019 Art. 29).
    case education
    /// 限期改正: a deadline of at most a year (EduRegs2019 Art. 30).
    case deadline
    /// The decision.
    case decision

    public var displayName: String {
        switch self {
        case .education: "批评教育"
        case .deadline: "限期改正"
        case .decision: "作出决定"
        }
    }
}

/// One case as stored.
public struct LapseCase: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var organisationID: Int64
    public var openedOn: CivilDate
    /// The grounds when it was opened: consecutive months without dues (DUES-19) and without organisational life
    /// (DUES-13).
    public var duesMonths: Int
    public var lifeMonths: Int
    public var state: LapseCaseState
    public var educatedOn: CivilDate?
    public var deadline: CivilDate?
    public var outcome: LapseCaseOutcome?
    public var decidedOn: CivilDate?
    /// Each step with its day, words and who recorded it.
    public var history: [String]
    public var version: Int64

    public init(
        id: Int64, memberID: Int64, organisationID: Int64, openedOn: CivilDate, duesMonths: Int, lifeMonths: Int, state: LapseCaseState,
        educatedOn: CivilDate?, deadline: CivilDate?, outcome: LapseCaseOutcome?, decidedOn: CivilDate?, history: [String], version: Int64
    ) {
        self.id = id
        self.memberID = memberID
        self.organisationID = organisationID
        self.openedOn = openedOn
        self.duesMonths = duesMonths
        self.lifeMonths = lifeMonths
        self.state = state
        self.educatedOn = educatedOn
        self.deadline = deadline
        self.outcome = outcome
        self.decidedOn = decidedOn
        self.history = history
        self.version = version
    }

    /// "连续 7 个月未交纳党费；连续 6 个月未参加组织生活".
    public var grounds: String {
        [duesMonths > 0 ? "连续 \(duesMonths) 个月未交纳党费" : nil, lifeMonths > 0 ? "连续 \(lifeMonths) 个月未参加组织生活" : nil]
            .compactMap { $0 }.joined(separator: "；")
    }

    /// The steps that may be taken next.
    public var nextSteps: [LapseCaseStep] {
        switch state {
        case .opened: [.education, .decision]
        case .educated: [.deadline, .decision]
        case .deadlineSet: [.decision]
        case .decided: []
        }
    }
}

/// A step as recorded.
public struct LapseCaseStepDraft: Sendable, Equatable {
    public var step: LapseCaseStep
    public var on: CivilDate
    public var deadline: CivilDate?
    public var outcome: LapseCaseOutcome?
    public var note: String

    public init(step: LapseCaseStep, on: CivilDate, deadline: CivilDate? = nil, outcome: LapseCaseOutcome? = nil, note: String) {
        self.step = step
        self.on = on
        self.deadline = deadline
        self.outcome = outcome
        self.note = note
    }
}

public enum LapseCases {
    /// 限期改正 lasts at most this many months (EduRegs2019 Art. 30: ≤ 1 year).
    public static let longestDeadlineMonths = 12

    /// Whether a case may be opened: `duesMonths` consecutive unpaid months or `lifeMonths` without organisational
    /// life reach their thresholds (DUES-19's and DUES-13's parameters).
    public static func mayOpen(duesMonths: Int, lifeMonths: Int, duesThreshold: Int, lifeThreshold: Int) -> Bool {
        duesMonths >= duesThreshold || lifeMonths >= lifeThreshold
    }

    /// Checks a step on `current` on `today`: every problem, each naming its field and rule.
    public static func check(_ draft: LapseCaseStepDraft, on current: LapseCase, today: CivilDate) -> [ValidationFailure] {
        var problems: [ValidationFailure] = []
        func refuse(_ field: String, _ message: String, _ rule: RuleID) {
            problems.append(ValidationFailure(field: field, message: message, ruleID: rule.code))
        }
        let note = draft.note.trimmed
        if !current.nextSteps.contains(draft.step) {
            refuse("step", "案件目前“\(current.state.displayName)”，不能“\(draft.step.displayName)”", draft.step == .deadline ? .dues19 : .dues13)
            return problems
        }
        if draft.on > today { refuse("on", "日期 \(draft.on) 晚于今天", .dues19) }
        if draft.on < current.openedOn { refuse("on", "日期 \(draft.on) 早于立案日期 \(current.openedOn)", .dues19) }
        if note.isEmpty || note.count > 500 { refuse("note", "请写明\(draft.step.displayName)的情况（不超过 500 个字）", .dues19) }
        switch draft.step {
        case .education:
            break
        case .deadline:
            if let deadline = draft.deadline {
                if deadline <= draft.on { refuse("deadline", "改正期限应晚于 \(draft.on)", .dues19) }
                if deadline > draft.on.adding(years: 1) {
                    refuse("deadline", "限期改正不超过 \(longestDeadlineMonths) 个月（至 \(draft.on.adding(years: 1))）", .dues19)
                }
            } else {
                refuse("deadline", "请填写改正期限", .dues19)
            }
        case .decision:
            switch draft.outcome {
            case nil:
                refuse("outcome", "请选择决定", .dues13)
            case .removal:
                if current.educatedOn == nil || current.deadline == nil {
                    refuse("outcome", "提请除名前须先批评教育、限期改正（\(RuleID.dues19)）", .dues13)
                } else if let deadline = current.deadline, draft.on <= deadline {
                    refuse("outcome", "改正期限 \(deadline) 尚未届满，不能提请除名", .dues19)
                }
            case .goodReason, .corrected:
                break
            }
        }
        return problems
    }
}
