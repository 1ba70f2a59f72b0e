/// Organisational life (组织生活, rules.md §2): the kinds of activity, how often each is required, and the check of
/// what was held against what is required in a period (the compliance engine's pure core).

/// A kind of activity recorded in the 组织生活 ledger.
public enum MeetingKind: String, CaseIterable, Sendable, Codable {
    case generalMeeting = "general_meeting"  // 支部党员大会 (LIFE-01)
    case committeeMeeting = "committee_meeting"  // 支委会 (LIFE-03)
    case groupMeeting = "group_meeting"  // 党小组会 (LIFE-04)
    case partyLecture = "party_lecture"  // 党课 (LIFE-05)
    case themeDay = "theme_day"  // 主题党日 (LIFE-06)
    case lifeMeeting = "life_meeting"  // 组织生活会 (LIFE-07)
    case democraticEvaluation = "democratic_evaluation"  // 民主评议党员 (LIFE-08)
    case heartTalk = "heart_talk"  // 谈心谈话 (LIFE-09)
    case leadershipLifeMeeting = "leadership_life"  // 民主生活会 (LIFE-11)
    case studyGroup = "study_group"  // 理论学习中心组学习
    case firstTopic = "first_topic"  // “第一议题”学习

    public var displayName: String {
        switch self {
        case .generalMeeting: "支部党员大会"
        case .committeeMeeting: "支委会"
        case .groupMeeting: "党小组会"
        case .partyLecture: "党课"
        case .themeDay: "主题党日"
        case .lifeMeeting: "组织生活会"
        case .democraticEvaluation: "民主评议党员"
        case .heartTalk: "谈心谈话"
        case .leadershipLifeMeeting: "民主生活会"
        case .studyGroup: "理论学习中心组学习"
        case .firstTopic: "“第一议题”学习"
        }
    }

    /// Whether the kind takes resolutions voted on by the members with voting rights (LIFE-02).
    public var takesVotes: Bool { self == .generalMeeting || self == .committeeMeeting }

    public init?(text: String) {
        let t = text.trimmed
        if let k = MeetingKind(rawValue: t) ?? MeetingKind.allCases.first(where: { $0.displayName == t }) { self = k } else { return nil }
    }
}

/// A member's attendance at one activity (出席 / 请假 / 缺席).
public enum AttendanceStatus: String, CaseIterable, Sendable {
    case present, leave, absent

    public var displayName: String {
        switch self {
        case .present: "出席"
        case .leave: "请假"
        case .absent: "缺席"
        }
    }
}

/// The length of a compliance period.
public enum PeriodLength: String, CaseIterable, Sendable, Codable {
    case month, quarter, year

    public var displayName: String {
        switch self {
        case .month: "每月"
        case .quarter: "每季度"
        case .year: "每年"
        }
    }
}

/// One month, quarter or year (考核周期).
public struct CompliancePeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let length: PeriodLength
    public let start: CivilDate
    public let end: CivilDate

    /// The period of `length` containing `day`.
    public init(_ length: PeriodLength, containing day: CivilDate) {
        self.length = length
        switch length {
        case .month:
            start = CivilDate(checkedYear: day.year, month: day.month, day: 1)
        case .quarter:
            start = CivilDate(checkedYear: day.year, month: (day.month - 1) / 3 * 3 + 1, day: 1)
        case .year:
            start = CivilDate(checkedYear: day.year, month: 1, day: 1)
        }
        let months = length == .month ? 1 : length == .quarter ? 3 : 12
        end = start.adding(months: months).adding(days: -1)
    }

    /// The period just before this one.
    public var previous: CompliancePeriod { CompliancePeriod(length, containing: start.adding(days: -1)) }

    public func contains(_ day: CivilDate) -> Bool { day >= start && day <= end }

    public var description: String {
        switch length {
        case .month: "\(start.year)年\(start.month)月"
        case .quarter: "\(start.year)年第\((start.month - 1) / 3 + 1)季度"
        case .year: "\(start.year)年"
        }
    }

    public static func < (a: CompliancePeriod, b: CompliancePeriod) -> Bool { (a.start, a.end) < (b.start, b.end) }
}

/// A requirement of the rule book: organisations of these types hold at least `minimum` activities of `kind` in
/// every period of `length`.
public struct LifeRequirement: Sendable, Equatable, Codable {
    public var ruleID: String
    public var kind: MeetingKind
    public var length: PeriodLength
    public var minimum: Int
    /// Which organisation types the requirement applies to.
    public var appliesTo: [OrganisationType]
    /// Applies only where a committee is required (ORG-06: 7 or more full members), e.g. 支委会.
    public var onlyWithCommittee: Bool

    public init(
        ruleID: String, kind: MeetingKind, length: PeriodLength, minimum: Int = 1, appliesTo: [OrganisationType], onlyWithCommittee: Bool = false
    ) {
        self.ruleID = ruleID
        self.kind = kind
        self.length = length
        self.minimum = minimum
        self.appliesTo = appliesTo
        self.onlyWithCommittee = onlyWithCommittee
    }

    /// "支部党员大会每季度至少 1 次（LIFE-01）".
    public var summary: String { "\(kind.displayName)\(length.displayName)至少 \(minimum) 次（\(ruleID)）" }

    static let branches: [OrganisationType] = [.branch, .jointBranch, .temporaryBranch]

    /// The national defaults (支部工作条例 2018, Ch. 4–5). 党课 quarterly is local practice (LIFE-05 UNCONFIRMED)
    /// kept as the default because it is near universal; a deployment changes it in a new rule version.
    public static let nationalDefaults: [LifeRequirement] = [
        LifeRequirement(ruleID: RuleID.life01.code, kind: .generalMeeting, length: .quarter, appliesTo: branches),
        LifeRequirement(ruleID: RuleID.life03.code, kind: .committeeMeeting, length: .month, appliesTo: branches, onlyWithCommittee: true),
        LifeRequirement(ruleID: RuleID.life04.code, kind: .groupMeeting, length: .month, appliesTo: [.partyGroup]),
        LifeRequirement(ruleID: RuleID.life05.code, kind: .partyLecture, length: .quarter, appliesTo: branches),
        LifeRequirement(ruleID: RuleID.life06.code, kind: .themeDay, length: .month, appliesTo: branches),
        LifeRequirement(ruleID: RuleID.life07.code, kind: .lifeMeeting, length: .year, appliesTo: branches),
        LifeRequirement(ruleID: RuleID.life08.code, kind: .democraticEvaluation, length: .year, appliesTo: branches),
        LifeRequirement(ruleID: RuleID.life09.code, kind: .heartTalk, length: .year, appliesTo: branches),
        // LIFE-11: the leading body (领导班子) of a Party committee holds its 民主生活会 generally once a year.
        LifeRequirement(ruleID: RuleID.life11.code, kind: .leadershipLifeMeeting, length: .year, appliesTo: [.partyCommittee]),
    ]
}

/// The state of one requirement in one period (达标 / 临期 / 逾期), with the rule it comes from.
public enum ComplianceState: Int, Sendable, Comparable, CaseIterable {
    /// Held as required.
    case met = 0
    /// Not held yet, and the period has more than the warning days left.
    case pending = 1
    /// 临期 (yellow): not held and the period ends within the warning days.
    case dueSoon = 2
    /// 逾期 (red): the period ended without it.
    case overdue = 3

    public var displayName: String {
        switch self {
        case .met: "达标"
        case .pending: "进行中"
        case .dueSoon: "临期"
        case .overdue: "逾期"
        }
    }

    /// How serious the state is on the board (green / grey / yellow / red).
    public var warningLevel: WarningLevel {
        switch self {
        case .met: .good
        case .pending: .neutral
        case .dueSoon: .caution
        case .overdue: .alarm
        }
    }

    public static func < (a: ComplianceState, b: ComplianceState) -> Bool { a.rawValue < b.rawValue }
}

/// One requirement judged in one period.
public struct ComplianceFinding: Sendable, Equatable {
    public var requirement: LifeRequirement
    public var period: CompliancePeriod
    public var held: Int
    public var state: ComplianceState

    public var message: String {
        switch state {
        case .met: "\(period)\(requirement.kind.displayName)已开展 \(held) 次（\(requirement.ruleID)）"
        case .pending: "\(period)\(requirement.kind.displayName)尚未开展，截止 \(period.end)（\(requirement.ruleID)）"
        case .dueSoon: "\(period)\(requirement.kind.displayName)尚未开展，\(period.end) 截止，请抓紧安排（\(requirement.ruleID)）"
        case .overdue: "\(period)\(requirement.kind.displayName)未按规定开展（应至少 \(requirement.minimum) 次，实际 \(held) 次）（\(requirement.ruleID)）"
        }
    }
}

/// The compliance check (组织生活达标检查).
public enum LifeCompliance {
    /// Days before a period's end from which a missing activity is 临期 (yellow).
    public static func warningDays(_ length: PeriodLength, rules: RuleBook) -> Int {
        switch length {
        case .month: rules.lifeWarningDaysMonth
        case .quarter: rules.lifeWarningDaysQuarter
        case .year: rules.lifeWarningDaysYear
        }
    }

    /// The requirements that apply to an organisation.
    public static func requirements(for type: OrganisationType, fullMembers: Int, rules: RuleBook) -> [LifeRequirement] {
        rules.lifeRequirements.filter { r in
            r.appliesTo.contains(type) && (!r.onlyWithCommittee || fullMembers >= rules.committeeThresholdFullMembers)
        }
    }

    /// Judges one requirement in one period, from the dates activities of its kind were held, on `today`.
    /// Periods that have not started are not judged (nil); neither are periods that started before `since` (the
    /// organisation's establishment): a new organisation is judged from its first full month, quarter or year.
    public static func evaluate(
        _ requirement: LifeRequirement, period: CompliancePeriod, heldOn dates: [CivilDate], today: CivilDate,
        since: CivilDate? = nil, rules: RuleBook
    ) -> ComplianceFinding? {
        guard period.start <= today else { return nil }
        if let since, period.start < since { return nil }
        let held = dates.filter { period.contains($0) && $0 <= today }.count
        let state = Standing.state(
            done: held, minimum: requirement.minimum, period: period, today: today, warningDays: warningDays(requirement.length, rules: rules))
        return ComplianceFinding(requirement: requirement, period: period, held: held, state: state)
    }

    /// The state now of an organisation on `today` (`Standing.countsNow`): each requirement in its current period and
    /// in the period just ended when that ended last month (a miss stays red through the following month), worst first.
    public static func current(
        requirements: [LifeRequirement], heldOn: [MeetingKind: [CivilDate]], today: CivilDate,
        since: CivilDate? = nil, rules: RuleBook
    ) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        for r in requirements {
            let now = CompliancePeriod(r.length, containing: today)
            let dates = heldOn[r.kind] ?? []
            if Standing.countsNow(now.previous, today: today),
                let f = evaluate(r, period: now.previous, heldOn: dates, today: today, since: since, rules: rules)
            {
                findings.append(f)
            }
            if let f = evaluate(r, period: now, heldOn: dates, today: today, since: since, rules: rules) { findings.append(f) }
        }
        return findings.sorted { ($0.state, $0.period) > ($1.state, $1.period) }
    }
}

extension LifeCompliance {
    /// LIFE-11 (民主生活会): at least the rule book's share (2/3, UNCONFIRMED, configurable; numerator 0 = no check) of
    /// those who should attend are present. Nil when met, when nobody is listed, or while members sign in by QR.
    public static func leadershipLifeAttendance(
        kind: MeetingKind, listed: Int, present: Int, awaitingCheckin: Bool, rules: RuleBook
    ) -> ValidationFailure? {
        let (n, d) = (rules.leadershipLifeAttendanceNumerator, rules.leadershipLifeAttendanceDenominator)
        guard kind == .leadershipLifeMeeting, n > 0, d > 0, listed > 0, !awaitingCheckin else { return nil }
        // present / listed ≥ n / d, in whole numbers (counts are bounded by a roster).
        guard present * d < listed * n else { return nil }
        let needed = (listed * n + d - 1) / d
        return ValidationFailure(
            field: "attendance", message: "民主生活会应到 \(listed) 人，实到 \(present) 人，到会人数应不少于应到人数的 \(n)/\(d)（至少 \(needed) 人）",
            ruleID: RuleID.life11.code)
    }
}

/// A vote on a resolution at a general meeting (LIFE-02, the "two halves" rule).
public struct ResolutionVote: Sendable, Equatable {
    /// 应到会有表决权的党员 (full members, minus approved exclusions).
    public var entitled: Int
    /// 实到会有表决权的党员.
    public var present: Int
    public var inFavour: Int
    public var against: Int
    public var abstaining: Int
    /// Written opinions (书面意见) of absent voting members, counted as votes (DEV-19).
    public var writtenInFavour: Int
    public var writtenAgainst: Int

    public init(entitled: Int, present: Int, inFavour: Int, against: Int, abstaining: Int, writtenInFavour: Int = 0, writtenAgainst: Int = 0) {
        self.entitled = entitled
        self.present = present
        self.inFavour = inFavour
        self.against = against
        self.abstaining = abstaining
        self.writtenInFavour = writtenInFavour
        self.writtenAgainst = writtenAgainst
    }

    public struct Outcome: Sendable, Equatable {
        public var valid: Bool
        public var passed: Bool
        /// Why, in words a secretary understands, with the rule.
        public var explanation: String
        public var problems: [ValidationFailure]
    }

    /// 实到有表决权的党员 on a meeting form is the full members the same form marks present (issue 17 item 4,
    /// LIFE-02). `typed` is what the user wrote (nil when left empty, which takes the count); a figure that differs
    /// from the attendance is refused with both, so the record cannot say 15 present where 14 were ticked.
    /// With sign-in by QR the attendance is not known yet: the figure may not exceed those not on leave.
    public static func presentFigure(
        typed: Int?, presentFullMembers: Int, fullMembersNotOnLeave: Int, awaitingCheckin: Bool
    )
        -> Result<Int, ValidationFailure>
    {
        if awaitingCheckin {
            guard let typed else { return .success(fullMembersNotOnLeave) }
            guard typed <= fullMembersNotOnLeave else {
                return .failure(
                    ValidationFailure(
                        field: "present", message: "实到有表决权的党员填为 \(typed) 人，多于未请假的正式党员 \(fullMembersNotOnLeave) 人",
                        ruleID: RuleID.life02.code))
            }
            return .success(typed)
        }
        guard let typed, typed != presentFullMembers else { return .success(presentFullMembers) }
        return .failure(
            ValidationFailure(
                field: "present",
                message: "实到有表决权的党员填为 \(typed) 人，但本表出席情况中到会的正式党员为 \(presentFullMembers) 人：请核对出席情况或表决人数",
                ruleID: RuleID.life02.code))
    }

    /// Checks the figures and applies LIFE-02: more than half of the entitled present; votes in favour (with written
    /// ones) more than half of the entitled.
    public func outcome() -> Outcome {
        var problems: [ValidationFailure] = []
        if entitled < 1 { problems.append(ValidationFailure(field: "entitled", message: "应到有表决权的党员人数至少为 1")) }
        if present < 0 || present > entitled { problems.append(ValidationFailure(field: "present", message: "实到人数应在 0 到应到人数（\(entitled)）之间")) }
        // Every voting member present casts one of the three (LIFE-02): the ballots add up to those present.
        if inFavour < 0 || against < 0 || abstaining < 0 || inFavour + against + abstaining != present {
            problems.append(
                ValidationFailure(
                    field: "votes", message: "赞成、反对、弃权合计 \(inFavour + against + abstaining) 票，应等于实到有表决权的党员 \(present) 人",
                    ruleID: RuleID.life02.code))
        }
        if writtenInFavour < 0 || writtenAgainst < 0 || writtenInFavour + writtenAgainst > entitled - present {
            problems.append(
                ValidationFailure(field: "written", message: "书面意见不能超过未到会的有表决权党员人数（\(max(0, entitled - present))）", ruleID: RuleID.dev19.code))
        }
        guard problems.isEmpty else {
            return Outcome(valid: false, passed: false, explanation: problems.map(\.fullMessage).joined(separator: "；"), problems: problems)
        }
        guard present * 2 > entitled else {
            return Outcome(
                valid: false, passed: false,
                explanation: "实到有表决权的党员 \(present) 人，未超过应到 \(entitled) 人的半数，会议不能表决（\(RuleID.life02)）", problems: [])
        }
        let favour = inFavour + writtenInFavour
        let needed = entitled / 2 + 1
        if favour * 2 > entitled {
            return Outcome(
                valid: true, passed: true,
                explanation:
                    "赞成 \(favour) 票\(writtenInFavour > 0 ? "（含书面意见 \(writtenInFavour)）" : "")，超过应到有表决权党员 \(entitled) 人的半数，通过（\(RuleID.life02)）",
                problems: [])
        }
        return Outcome(
            valid: true, passed: false,
            explanation:
                "赞成 \(favour) 票\(writtenInFavour > 0 ? "（含书面意见 \(writtenInFavour)）" : "")，未超过应到有表决权党员 \(entitled) 人的半数（至少需 \(needed) 票），未通过（\(RuleID.life02)）",
            problems: [])
    }
}
