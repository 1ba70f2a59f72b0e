/// Rule parameters as versioned configuration (rules.md). Each parameter names its rule ID; messages users see cite
/// the same ID. A deployment may override local-practice items (marked UNCONFIRMED or "local practice" in
/// rules.md); the defaults below are the national ones.
public struct RuleBook: Sendable, Equatable, Codable {
    /// Identifies the rule set, e.g. `national-2014`.
    public var version: String
    /// From when the set applies.
    public var effectiveFrom: CivilDate

    /// DEV-01: minimum age at application (and therefore at admission).
    public var minimumAge: Int
    /// DEV-27: probation length in years from the admission meeting.
    public var probationYears: Int
    /// DEV-28: the longest single extension of probation, in months.
    public var maximumProbationExtensionMonths: Int
    /// CARE-01: Party standing (from DEV-32's full-member date) for the 光荣在党50年 medal.
    public var medalYears: Int
    /// CARE-04 (UNCONFIRMED, local practice): which date a political birthday falls on.
    public var politicalBirthdayAnchor: PoliticalBirthdayAnchor
    /// MEM-07: months out of contact before a member counts as lost-contact.
    public var lostContactMonths: Int
    /// ORG-01: full members needed to set up a branch.
    public var branchMinimumFullMembers: Int
    /// ORG-03: usual upper limit of a branch's membership.
    public var branchMaximumMembers: Int
    /// ORG-06: full members from which a branch committee must be set up.
    public var committeeThresholdFullMembers: Int

    /// ORG-06: a branch committee has at least this many members …
    public var committeeMinimumSize: Int = 3
    /// ORG-06: … and generally no more than this many.
    public var committeeMaximumSize: Int = 7
    /// ORG-09 (UNCONFIRMED, handbook Q&A): warn when a committee has half or more of the branch's full members.
    public var committeeHalfRuleWarns: Bool = true
    /// ORG-02: the usual number of units one joint branch covers at most.
    public var jointBranchMaximumUnits: Int = 5
    /// MEM-02: absences of this many months or more at a fixed place call for a formal transfer, not a certificate.
    public var floatingTransferMonths: Int = 6
    /// LIFE-01…09: what organisational life each organisation type must hold, and how often (党课 quarterly is local
    /// practice, LIFE-05).
    public var lifeRequirements: [LifeRequirement] = LifeRequirement.nationalDefaults
    /// Local practice (双色预警): days before the end of a month / quarter / year from which a missing activity is
    /// shown yellow (临期).
    public var lifeWarningDaysMonth: Int = 7
    public var lifeWarningDaysQuarter: Int = 15
    public var lifeWarningDaysYear: Int = 30
    /// DUES-13: consecutive months without taking part in organisational life (without good reason) that are treated
    /// as lapse (自行脱党) — the system only flags the member for a human to review, it never acts.
    public var lapseMonths: Int = 6
    /// DUES-13 (local practice, the rules.md default): consecutive months from which the member is shown as a warning.
    public var lapseWarningMonths: Int = 3
    /// LIFE-08 (§7.4): the share of members graded 优秀 is generally at most numerator/denominator (1/3).
    public var excellentShareNumerator: Int = 1
    public var excellentShareDenominator: Int = 3
    /// LIFE-08 (§7.4 step 6, local rule, UNCONFIRMED nationally): probationary members take part without a grade.
    public var gradeProbationaryMembers: Bool = false
    /// DEV-05 (local practice, UNCONFIRMED nationally): months from application before activist designation; 0 = none.
    public var activistMinimumMonths: Int = 0
    /// DEV-24: the longest a committee may take to approve an admission, in months (3 is the rule, 6 the cap).
    public var approvalMaximumMonths: Int = 6
    /// DEV-17 (UNCONFIRMED, common practice and reportedly the 2026 rules): working days a development target is
    /// publicised (公示) before designation; 0 = no publicity required.
    public var publicityWorkingDays: Int = 5
    /// LIST-01 (local practice, 双色预警): days before a task's or problem's deadline from which it shows 临期 (yellow).
    public var listDueSoonDays: Int = 7
    /// DEVPLAN-02 (local practice): years without any admission after which a branch is warned (连续 N 年未发展党员);
    /// 0 = no warning.
    public var developmentGapYears: Int = 3
    /// DEV-26 (UNCONFIRMED, from the 2026 engine): the oath within this many months of approval; a later oath is
    /// recorded with a warning. 0 = no deadline.
    public var oathWithinMonths: Int = 1
    /// DEV-12 (UNCONFIRMED: no national 政治审查负面清单 was found): the findings a deployment lists as disqualifying;
    /// any one of them found in the political review makes the conclusion 不合格. Empty by default.
    public var politicalReviewNegativeList: [String] = []
    /// LIFE-13: a 临时党支部 (LIFE-12) of a project or work lasting this many months or more should become a regular
    /// branch where the conditions are met.
    public var temporaryBranchRegularMonths: Int = 6
    /// MEM-05 (UNCONFIRMED, handbook Q&A): the longest validity of a transfer letter in days, generally 3 months …
    public var transferLetterMaxDays: Int = 90
    /// … and across provinces 6 months.
    public var transferLetterMaxDaysCrossProvince: Int = 180
    /// LIFE-11 (UNCONFIRMED: the source snippet was truncated): the share of those who should attend a 民主生活会 who
    /// must be present, as a fraction; numerator 0 = no check. Default 2/3.
    public var leadershipLifeAttendanceNumerator: Int = 2
    public var leadershipLifeAttendanceDenominator: Int = 3
    /// LIFE-10 (local practice: who counts as a 领导干部 is not defined nationally): words in a member's 职务 that mark a
    /// leading cadre, who must also take part in the organisational life of their own branch (双重组织生活).
    public var leadingCadrePosts: [String] = ["县长", "局长", "主任", "部长", "镇长", "乡长", "党组书记", "党组成员", "党委书记", "县委常委"]
    /// Local practice: the assessment categories (考核类别) units are grouped under for assessments and rankings.
    public var assessmentCategories: [String] = ["党群政务", "执法监督", "经济发展", "社会服务"]
    /// DUES-06: the farmers' monthly amount in fen, set by the province between 20 and 100 (0.20–1.00 yuan).
    public var duesFarmerMonthlyFen: Int = 20
    /// DUES-11/17: 补交 at most this many months back.
    public var duesBackPaymentMonths: Int = 6
    /// DUES-11 (12 is UNCONFIRMED): 预交 at most this many months ahead.
    public var duesPrepaymentMonths: Int = 6
    /// DUES-13 (local practice): consecutive unpaid months from which the branch is reminded.
    public var duesAlertMonths: Int = 3
    /// DUES-19: consecutive months with neither payment nor exemption that open a lapse review.
    public var duesLapseMonths: Int = 6
    /// DUES-18 (UNCONFIRMED): months an approved 少交/免交 is valid before re-review.
    public var duesReductionValidityMonths: Int = 12
    /// DUES-20 (local practice): the share in percent branches and general branches pass to their committee …
    public var duesBranchRemitPercent: Int = 100
    /// … and how often (`branch_remit_period`).
    public var duesBranchRemitPeriod: DuesRemitPeriod = .quarterly
    /// DUES-20 (set by the province; default the central organs' 20 %, UNCONFIRMED elsewhere): the share in percent
    /// committees pass upward …
    public var duesCommitteeRemitPercent: Int = 20
    /// … and how often.
    public var duesCommitteeRemitPeriod: DuesRemitPeriod = .yearly
    /// DUES-16 (UNCONFIRMED: no national rule): how the rate's product is rounded — half up (default), down or up …
    public var duesRounding: DuesRounding = .halfUp
    /// … to this many fen (1 = 分, 10 = 角, 100 = 元).
    public var duesRoundingUnitFen: Int = 1
    /// POINT-01…07 (item values UNCONFIRMED, local practice), in tenths of a point: the year's base …
    public var pointsBaseTenths: Int = 600
    /// … per 主题党日 attended, per other 三会一课 attended, per month's dues paid in the month, per 汇报情况 of a floating
    /// member, and the deduction per unexcused absence …
    public var pointsThemeDayTenths: Int = 10
    public var pointsMeetingsTenths: Int = 0
    public var pointsDuesTenths: Int = 5
    public var pointsReportTenths: Int = 20
    public var pointsAbsenceDeductionTenths: Int = 10
    /// … the yearly caps of 主题党日, 三会一课, dues, 社区报到 and 汇报情况 …
    public var pointsThemeDayCapTenths: Int = 120
    public var pointsMeetingsCapTenths: Int = 120
    public var pointsDuesCapTenths: Int = 60
    public var pointsCommunityCapTenths: Int = 80
    public var pointsReportCapTenths: Int = 80
    /// … and the totals for 5, 4, 3 and 2 stars (POINT-07).
    public var pointsFiveStarTenths: Int = 900
    public var pointsFourStarTenths: Int = 800
    public var pointsThreeStarTenths: Int = 700
    public var pointsTwoStarTenths: Int = 600
    /// POINT-06 (local practice): members of this age or older are not scored (免评); 0 = no such exemption.
    public var pointsExemptAge: Int = 70
    /// DUES-09 (`midyear_changes`, default off): whether a wage change during the year changes the amount from the month
    /// it is first received (and months paid at the old amount owe the difference); off, January's amount holds.
    public var duesMidyearChanges: Bool = false
    /// DUES-15: the pay components left out of the base when a payroll sheet gives the gross (words in a column's
    /// header).
    public var duesBaseExclusions: [String] = DuesBaseRules.national.excludedComponents
    /// EVAL / ASSESS / REVIEW (evaluation.md §1, §2, §5): the scoring engine's local and UNCONFIRMED parameters.
    public var evaluation = EvaluationParameters()

    public enum PoliticalBirthdayAnchor: String, Sendable, Codable, CaseIterable {
        /// 入党日期 (the admission meeting), the common practice.
        case admission
        /// 转正日期.
        case conversion
    }

    public init(
        version: String, effectiveFrom: CivilDate, minimumAge: Int, probationYears: Int,
        maximumProbationExtensionMonths: Int, medalYears: Int, politicalBirthdayAnchor: PoliticalBirthdayAnchor,
        lostContactMonths: Int, branchMinimumFullMembers: Int, branchMaximumMembers: Int, committeeThresholdFullMembers: Int
    ) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.minimumAge = minimumAge
        self.probationYears = probationYears
        self.maximumProbationExtensionMonths = maximumProbationExtensionMonths
        self.medalYears = medalYears
        self.politicalBirthdayAnchor = politicalBirthdayAnchor
        self.lostContactMonths = lostContactMonths
        self.branchMinimumFullMembers = branchMinimumFullMembers
        self.branchMaximumMembers = branchMaximumMembers
        self.committeeThresholdFullMembers = committeeThresholdFullMembers
    }

    /// The national defaults (发展党员工作细则 2014, 支部工作条例 2018, 章程).
    public static let national2014 = RuleBook(
        version: "national-2014", effectiveFrom: CivilDate(checkedYear: 2014, month: 5, day: 28), minimumAge: 18,
        probationYears: 1, maximumProbationExtensionMonths: 12, medalYears: 50, politicalBirthdayAnchor: .admission,
        lostContactMonths: 6, branchMinimumFullMembers: 3, branchMaximumMembers: 50, committeeThresholdFullMembers: 7)
}
