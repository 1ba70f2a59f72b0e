/// 发展党员 (rules.md §1): the five stages and twenty-five steps as a case file (一人一档), and the checks of §1.2 made
/// when a step is recorded. A refused step names its rule and, where a date decides, the earliest valid date.

/// The check of a step against the case so far (§1.2). Warnings are facts recorded late by the organisation (a
/// missed deadline is a record, not something to refuse); refusals stop an invalid step.
public struct DevelopmentCheck: Sendable, Equatable {
    public var refusals: [DevelopmentRefusal]
    public var warnings: [DevelopmentRefusal]
    public var accepted: Bool { refusals.isEmpty }
    /// The first refusal carrying the others (`DevelopmentRefusal.further`), to throw.
    public var firstRefusal: DevelopmentRefusal? {
        guard var first = refusals.first else { return nil }
        first.further = Array(refusals.dropFirst())
        return first
    }
}

/// A case file (一人一档): the applicant's birth date, the rule book it started under, and the steps so far.
public struct DevelopmentCase: Sendable, Equatable {
    public var birthDate: CivilDate
    /// The rule book the case started under (cases keep it when a newer one takes effect).
    public var rules: RuleBook
    public private(set) var steps: [StepRecord] = []

    public init(birthDate: CivilDate, rules: RuleBook) {
        self.birthDate = birthDate
        self.rules = rules
    }

    public func record(of step: DevelopmentStep) -> StepRecord? { steps.last { $0.step == step } }
    public func date(of step: DevelopmentStep) -> CivilDate? { record(of: step)?.date }

    /// The next step to record, or nil when the case is complete.
    public var nextStep: DevelopmentStep? {
        let last = steps.map(\.step).max()?.rawValue ?? 0
        return DevelopmentStep(rawValue: last + 1)
    }

    public var stage: DevelopmentStage { (steps.map(\.step).max() ?? .application).stage }

    /// DEV-27/28: the end of probation — a year from the admission meeting, plus any extension.
    public var probationEnd: CivilDate? {
        guard let admitted = date(of: .admissionMeeting) else { return nil }
        let base = admitted.adding(years: rules.probationYears)
        return base.adding(months: extensionMonths)
    }

    /// Months probation was extended (DEV-28: at most once).
    public var extensionMonths: Int { steps.compactMap { $0.step == .conversionMeeting ? $0.facts.extensionMonths : nil }.reduce(0, +) }

    /// DEV-32: 党龄 counts from the end of probation once conversion is approved (never when status was cancelled).
    public var fullMemberDate: CivilDate? { date(of: .conversionApproval) == nil || probationCancelled ? nil : probationEnd }

    /// DEV-28 (c): the conversion meeting cancelled probationary status and the committee approved it.
    public var probationCancelled: Bool {
        date(of: .conversionApproval) != nil && record(of: .conversionMeeting)?.facts.cancelProbation == true
    }

    /// The next step and the earliest day the rules allow it (planning: "who becomes eligible next month"): a
    /// development target a year after activist designation (DEV-08), the conversion meeting at the end of probation
    /// (DEV-28), the adult age for an application (DEV-01), otherwise the previous step's date.
    public var nextEarliest: (step: DevelopmentStep, earliest: CivilDate)? {
        guard let next = nextStep else { return nil }
        let previous = steps.last?.date ?? birthDate
        switch next {
        case .application: return (next, birthDate.adding(years: rules.minimumAge))
        case .activistDesignation:
            return (next, max(previous, date(of: .application).map { $0.adding(months: rules.activistMinimumMonths) } ?? previous))
        case .targetDesignation: return (next, max(previous, date(of: .activistDesignation)?.adding(years: 1) ?? previous))
        case .conversionApproval where extensionMonths > 0 && steps.last?.step == .conversionMeeting && steps.last?.facts.extensionMonths != nil:
            return (.conversionMeeting, max(previous, probationEnd ?? previous))
        case .conversionMeeting: return (next, max(previous, probationEnd ?? previous))
        default: return (next, previous)
        }
    }

    /// Checks `proposed` on `today`; periods in working days (DEV-17) are counted with `calendar`.
    public func check(_ proposed: StepRecord, today: CivilDate, calendar: WorkingDayCalendar = .weekdaysOnly) -> DevelopmentCheck {
        var refusals: [DevelopmentRefusal] = []
        var warnings: [DevelopmentRefusal] = []
        func refuse(_ rule: String, _ message: String, earliest: CivilDate? = nil) {
            refusals.append(DevelopmentRefusal(ruleID: rule, message: message, earliestValidDate: earliest))
        }
        func warn(_ rule: String, _ message: String) { warnings.append(DevelopmentRefusal(ruleID: rule, message: message, earliestValidDate: nil)) }
        let step = proposed.step
        let day = proposed.date
        let facts = proposed.facts
        // Order: one step after another, no stage skipped; the conversion meeting may be repeated once after an
        // extension (DEV-28).
        let repeatAfterExtension =
            step == .conversionMeeting && nextStep == .conversionApproval && extensionMonths > 0
            && steps.filter { $0.step == .conversionMeeting }.count == 1
        if step != nextStep && !repeatAfterExtension {
            if let next = nextStep {
                refuse(RuleID.devstep01.code, "应先办理第 \(next.rawValue) 步“\(next.displayName)”，再办理第 \(step.rawValue) 步“\(step.displayName)”")
            } else {
                refuse(RuleID.devstep01.code, "发展程序已全部完成")
            }
            return DevelopmentCheck(refusals: refusals, warnings: warnings)
        }
        if day > today { refuse(RuleID.devstep02.code, "日期 \(day) 晚于今天，请在办理后记录") }
        if let previous = steps.last, day < previous.date {
            refuse(RuleID.devstep02.code, "日期不能早于上一步“\(previous.step.displayName)”（\(previous.date)）", earliest: previous.date)
        }
        switch step {
        case .application:
            let adult = birthDate.adding(years: rules.minimumAge)
            if day < adult { refuse(RuleID.dev01.code, "申请入党时须年满 \(rules.minimumAge) 周岁", earliest: adult) }
        case .applicationTalk:
            if let applied = date(of: .application), day > applied.adding(months: 1) {
                warn(RuleID.dev03.code, "应在收到入党申请书后一个月内（\(applied.adding(months: 1)) 前）派人谈话，本次谈话已超期")
            }
        case .activistDesignation:
            if facts.recommendations.isEmpty {
                refuse(RuleID.dev04.code, "入党积极分子应在党员推荐、群团组织推优的基础上由支部委员会研究确定，请选择推荐方式")
            }
            if let applied = date(of: .application), rules.activistMinimumMonths > 0, day < applied.adding(months: rules.activistMinimumMonths) {
                refuse(
                    RuleID.dev05.code, "递交申请书满 \(rules.activistMinimumMonths) 个月后方可确定为入党积极分子（本地规定）",
                    earliest: applied.adding(months: rules.activistMinimumMonths))
            }
        case .contactsAssigned:
            if !(1...2).contains(facts.people.count) || facts.people.contains(where: { !$0.full }) {
                refuse(RuleID.dev06.code, "培养联系人应为 1–2 名正式党员")
            }
        case .targetDesignation:
            if let activist = date(of: .activistDesignation), day < activist.adding(years: 1) {
                refuse(RuleID.dev08.code, "入党积极分子须经过一年以上培养教育和考察（\(activist) 确定为积极分子）", earliest: activist.adding(years: 1))
            }
            if rules.publicityWorkingDays > 0 {
                if let start = facts.publicityStart {
                    let end = calendar.workingDay(rules.publicityWorkingDays, from: start)
                    if let previous = steps.last, start < previous.date {
                        refuse(RuleID.dev17.code, "公示开始日期不能早于上一步“\(previous.step.displayName)”（\(previous.date)）")
                    } else if day <= end {
                        refuse(
                            RuleID.dev17.code, "确定发展对象前应公示不少于 \(rules.publicityWorkingDays) 个工作日（\(start) 起，至 \(end) 期满）",
                            earliest: end.adding(days: 1))
                    }
                    if !calendar.knows(year: start.year) {
                        warn(RuleID.dev17.code, "\(start.year) 年节假日安排尚未维护，公示期按周一至周五计算")
                    }
                } else {
                    refuse(RuleID.dev17.code, "确定发展对象前应公示不少于 \(rules.publicityWorkingDays) 个工作日，请填写公示开始日期")
                }
            }
        case .sponsors:
            if facts.people.count != 2 || facts.people.contains(where: { !$0.full }) {
                refuse(RuleID.dev09.code, "入党介绍人应为 2 名正式党员（预备党员不能作入党介绍人）")
            }
        case .politicalReview:
            if !facts.negativeFindings.isEmpty {
                refuse(RuleID.dev12.code, "政治审查发现负面清单所列情形（\(facts.negativeFindings.joined(separator: "；"))），审查结论为不合格，不能发展入党")
            } else if facts.reviewPassed != true {
                refuse(RuleID.dev10.code, "政治审查不合格或未作结论的，不能发展入党")
            }
        case .training:
            if facts.trainingDays < 3 && facts.trainingHours < 24 {
                refuse(RuleID.dev13.code, "集中培训一般不少于 3 天或 24 个学时（本次 \(facts.trainingDays) 天、\(facts.trainingHours) 学时）")
            }
        case .applicationForm:
            if (facts.formNumber ?? "").trimmed.isEmpty {
                refuse(RuleID.dev34.code, "请填写入党志愿书编号（一人一号，编号由发放台账登记）")
            }
        case .preReview, .admissionMeeting:
            if let leaving = facts.leavingOn, leaving < day.adding(months: 3) {
                refuse(RuleID.dev15.code, "发展对象将于 \(leaving) 离开工作、学习单位（不足 3 个月），一般不办理接收手续")
            }
            if step == .admissionMeeting { checkAdmissionMeeting(day, facts, refuse: refuse, warn: warn) }
        case .approval:
            if let type = facts.approverType, ![.partyCommittee, .workingCommittee, .organCommittee].contains(type) {
                refuse(RuleID.dev23.code, "只有具有审批权限的基层党委才能审批，\(type.displayName)不能审批")
            }
            if let meeting = date(of: .admissionMeeting) {
                if day > meeting.adding(months: rules.approvalMaximumMonths) {
                    refuse(RuleID.dev24.code, "上级党委审批最长不超过 \(rules.approvalMaximumMonths) 个月（支部大会 \(meeting)），已超期：应重新履行程序")
                } else if day > meeting.adding(months: 3) {
                    warn(RuleID.dev24.code, "上级党委应在 3 个月内审批（支部大会 \(meeting)），本次属特殊情况延长")
                }
            }
        case .approvalTalk:
            if facts.people.first.map({ $0.name.trimmed.isEmpty }) ?? true || facts.talkerRole == nil {
                refuse(RuleID.dev22.code, "审批前应由上级党委派党委委员或组织员同发展对象谈话，请填写谈话人姓名及身份")
            }
        case .oath:
            if rules.oathWithinMonths > 0, let approved = date(of: .approval), day > approved.adding(months: rules.oathWithinMonths) {
                warn(RuleID.dev26.code, "批准后一般在 \(rules.oathWithinMonths) 个月内组织入党宣誓（\(approved) 批准），本次已超期（待核实的规定）")
            }
        case .conversionMeeting:
            if facts.cancelProbation {
                // DEV-28 (c): a serious breach may cancel probationary status before it ends.
                if facts.extensionMonths != nil { refuse(RuleID.dev28.code, "取消预备党员资格和延长预备期只能选择一项") }
            } else if let end = probationEnd, day < end {
                refuse(RuleID.dev28.code, "预备期至 \(end) 期满，期满后方可讨论转正", earliest: end)
            }
            checkExclusions(facts, refuse: refuse)
            if let months = facts.extensionMonths {
                if extensionMonths > 0 { refuse(RuleID.dev28.code, "预备期只能延长一次") }
                if months < 6 || months > rules.maximumProbationExtensionMonths {
                    refuse(RuleID.dev28.code, "延长预备期不能少于 6 个月、最长不超过 \(rules.maximumProbationExtensionMonths) 个月")
                }
            }
            checkVote(facts, refuse: refuse)
            if (facts.branchFullMembers ?? 3) < 3 { refuse(RuleID.dev21.code, "正式党员不足 3 人的党支部不能召开接收或转正的支部大会") }
        case .conversionApproval:
            if steps.last(where: { $0.step == .conversionMeeting })?.facts.extensionMonths != nil {
                refuse(RuleID.dev28.code, "支部大会决定延长预备期，期满后再次讨论通过转正，才能审批转正")
            }
            if let meeting = date(of: .conversionMeeting), day > meeting.adding(months: 3) {
                warn(RuleID.dev30.code, "上级党委应在 3 个月内审批转正（支部大会 \(meeting)）")
            }
        default:
            break
        }
        return DevelopmentCheck(refusals: refusals, warnings: warnings)
    }

    func checkAdmissionMeeting(_ day: CivilDate, _ facts: StepFacts, refuse: (String, String, CivilDate?) -> Void, warn: (String, String) -> Void) {
        if let review = date(of: .politicalReview), day > review.adding(years: 1) {
            refuse(RuleID.dev11.code, "政治审查结论已超过一年（\(review)），应重新审查", nil)
        }
        if let preReview = date(of: .preReview), day > preReview.adding(months: 1) {
            warn(RuleID.dev16.code, "预审通过后一般在 1 个月内提交支部大会讨论（\(preReview) 预审），本地做法")
        }
        if (facts.branchFullMembers ?? 3) < 3 { refuse(RuleID.dev21.code, "正式党员不足 3 人的党支部不能召开接收预备党员的支部大会", nil) }
        checkExclusions(facts) { refuse($0, $1, nil) }
        checkVote(facts) { refuse($0, $1, nil) }
    }

    /// DEV-20: those who should attend are the branch's full members less the approved exclusions.
    func checkExclusions(_ facts: StepFacts, refuse: (String, String) -> Void) {
        if !facts.excluded.isEmpty && !facts.exclusionsApproved {
            refuse(RuleID.dev20.code, "不计入应到会人数的 \(facts.excluded.count) 名党员须经上级党组织同意并经支部大会通过")
        }
        if let full = facts.branchFullMembers, let vote = facts.vote, vote.entitled != full - facts.excluded.count {
            let expected = full - facts.excluded.count
            let detail = facts.excluded.isEmpty ? "" : "减去经批准不计入的 \(facts.excluded.count) 名"
            refuse(RuleID.dev20.code, "应到会有表决权的正式党员应为支部正式党员 \(full) 名\(detail)，即 \(expected) 名（填写的是 \(vote.entitled) 名）")
        }
    }

    func checkExclusions(_ facts: StepFacts, refuse: (String, String, CivilDate?) -> Void) { checkExclusions(facts) { refuse($0, $1, nil) } }

    func checkVote(_ facts: StepFacts, refuse: (String, String) -> Void) {
        guard let vote = facts.vote else { refuse(RuleID.dev19.code, "请填写支部大会的表决情况"); return }
        let outcome = vote.outcome()
        if !outcome.valid || !outcome.passed {
            refuse(
                outcome.valid ? RuleID.dev19.code : RuleID.dev18.code, outcome.explanation.replacingOccurrences(of: "（\(RuleID.life02)）", with: ""))
        }
    }

    func checkVote(_ facts: StepFacts, refuse: (String, String, CivilDate?) -> Void) { checkVote(facts) { refuse($0, $1, nil) } }

    /// Records the step when every check passes; returns the warnings.
    @discardableResult
    public mutating func record(_ proposed: StepRecord, today: CivilDate) throws -> [DevelopmentRefusal] {
        let result = check(proposed, today: today)
        if let first = result.firstRefusal { throw first }
        steps.append(proposed)
        return result.warnings
    }

    /// Rebuilds the case from stored entries, which were checked under the case's rules when they were recorded.
    public mutating func replay(_ records: [StepRecord]) { steps = records }

    /// The date-order invariants of §1.2 (end): application ≤ talk ≤ activist ≤ target ≤ pre-review ≤ admission
    /// meeting ≤ approval; conversion meeting ≥ probation end; conversion approval ≥ conversion meeting; and the
    /// recorded steps form a prefix of the 25 (no stage skipped). Empty when the case is consistent.
    public var invariantViolations: [String] {
        var problems: [String] = []
        let chain: [DevelopmentStep] = [
            .application, .applicationTalk, .activistDesignation, .targetDesignation, .preReview, .admissionMeeting, .approval,
        ]
        let dated = chain.compactMap { s in date(of: s).map { (s, $0) } }
        for (a, b) in zip(dated, dated.dropFirst()) where b.1 < a.1 { problems.append("\(b.0.displayName) 早于 \(a.0.displayName)") }
        if let meeting = steps.first(where: { $0.step == .conversionMeeting && !$0.facts.cancelProbation })?.date,
            let admitted = date(of: .admissionMeeting),
            meeting < admitted.adding(years: rules.probationYears)
        {
            problems.append("转正讨论早于预备期满")
        }
        if let approval = date(of: .conversionApproval), let meeting = date(of: .conversionMeeting), approval < meeting {
            problems.append("转正审批早于支部大会")
        }
        let recorded = Set(steps.map(\.step.rawValue))
        if let top = recorded.max(), recorded != Set(1...top) { problems.append("有跳过的步骤") }
        return problems
    }
}
