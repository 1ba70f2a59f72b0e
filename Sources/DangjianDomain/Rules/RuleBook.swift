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

extension RuleBook {
    enum CodingKeys: String, CodingKey {
        case version, effectiveFrom, minimumAge, probationYears, maximumProbationExtensionMonths, medalYears,
            politicalBirthdayAnchor, lostContactMonths, branchMinimumFullMembers, branchMaximumMembers,
            committeeThresholdFullMembers, committeeMinimumSize, committeeMaximumSize, committeeHalfRuleWarns,
            jointBranchMaximumUnits, assessmentCategories, floatingTransferMonths, lifeRequirements, lifeWarningDaysMonth,
            lifeWarningDaysQuarter, lifeWarningDaysYear, lapseMonths, lapseWarningMonths,
            excellentShareNumerator, excellentShareDenominator, gradeProbationaryMembers,
            activistMinimumMonths, approvalMaximumMonths, listDueSoonDays, publicityWorkingDays, developmentGapYears, oathWithinMonths,
            politicalReviewNegativeList, temporaryBranchRegularMonths, transferLetterMaxDays, transferLetterMaxDaysCrossProvince,
            leadershipLifeAttendanceNumerator, leadershipLifeAttendanceDenominator, leadingCadrePosts,
            duesFarmerMonthlyFen, duesBackPaymentMonths, duesPrepaymentMonths, duesAlertMonths, duesLapseMonths,
            duesReductionValidityMonths, duesBranchRemitPercent, duesBranchRemitPeriod, duesCommitteeRemitPercent,
            duesCommitteeRemitPeriod, duesBaseExclusions, duesMidyearChanges, duesRounding, duesRoundingUnitFen, pointsBaseTenths,
            pointsThemeDayTenths,
            pointsMeetingsTenths, pointsDuesTenths, pointsReportTenths, pointsAbsenceDeductionTenths, pointsThemeDayCapTenths,
            pointsMeetingsCapTenths, pointsDuesCapTenths, pointsCommunityCapTenths, pointsReportCapTenths, pointsFiveStarTenths, pointsFourStarTenths,
            pointsThreeStarTenths, pointsTwoStarTenths, pointsExemptAge
    }

    /// Decodes a stored rule book over the national defaults: a parameter added in a later release (absent from an
    /// older saved version) takes its documented default instead of failing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var book = RuleBook.national2014
        func take<T: Decodable>(_ key: CodingKeys, _ path: WritableKeyPath<RuleBook, T>) throws {
            if let value = try c.decodeIfPresent(T.self, forKey: key) { book[keyPath: path] = value }
        }
        try take(.version, \.version)
        if let text = try c.decodeIfPresent(String.self, forKey: .effectiveFrom), let date = CivilDate(iso: text) { book.effectiveFrom = date }
        try take(.minimumAge, \.minimumAge)
        try take(.probationYears, \.probationYears)
        try take(.maximumProbationExtensionMonths, \.maximumProbationExtensionMonths)
        try take(.medalYears, \.medalYears)
        try take(.politicalBirthdayAnchor, \.politicalBirthdayAnchor)
        try take(.lostContactMonths, \.lostContactMonths)
        try take(.branchMinimumFullMembers, \.branchMinimumFullMembers)
        try take(.branchMaximumMembers, \.branchMaximumMembers)
        try take(.committeeThresholdFullMembers, \.committeeThresholdFullMembers)
        try take(.committeeMinimumSize, \.committeeMinimumSize)
        try take(.committeeMaximumSize, \.committeeMaximumSize)
        try take(.committeeHalfRuleWarns, \.committeeHalfRuleWarns)
        try take(.jointBranchMaximumUnits, \.jointBranchMaximumUnits)
        try take(.assessmentCategories, \.assessmentCategories)
        try take(.floatingTransferMonths, \.floatingTransferMonths)
        try take(.lifeRequirements, \.lifeRequirements)
        try take(.lifeWarningDaysMonth, \.lifeWarningDaysMonth)
        try take(.lifeWarningDaysQuarter, \.lifeWarningDaysQuarter)
        try take(.lifeWarningDaysYear, \.lifeWarningDaysYear)
        try take(.lapseMonths, \.lapseMonths)
        try take(.lapseWarningMonths, \.lapseWarningMonths)
        try take(.excellentShareNumerator, \.excellentShareNumerator)
        try take(.excellentShareDenominator, \.excellentShareDenominator)
        try take(.gradeProbationaryMembers, \.gradeProbationaryMembers)
        try take(.activistMinimumMonths, \.activistMinimumMonths)
        try take(.approvalMaximumMonths, \.approvalMaximumMonths)
        try take(.listDueSoonDays, \.listDueSoonDays)
        try take(.publicityWorkingDays, \.publicityWorkingDays)
        try take(.developmentGapYears, \.developmentGapYears)
        try take(.oathWithinMonths, \.oathWithinMonths)
        try take(.politicalReviewNegativeList, \.politicalReviewNegativeList)
        try take(.temporaryBranchRegularMonths, \.temporaryBranchRegularMonths)
        try take(.transferLetterMaxDays, \.transferLetterMaxDays)
        try take(.transferLetterMaxDaysCrossProvince, \.transferLetterMaxDaysCrossProvince)
        try take(.leadershipLifeAttendanceNumerator, \.leadershipLifeAttendanceNumerator)
        try take(.leadershipLifeAttendanceDenominator, \.leadershipLifeAttendanceDenominator)
        try take(.leadingCadrePosts, \.leadingCadrePosts)
        try take(.duesFarmerMonthlyFen, \.duesFarmerMonthlyFen)
        try take(.duesBackPaymentMonths, \.duesBackPaymentMonths)
        try take(.duesPrepaymentMonths, \.duesPrepaymentMonths)
        try take(.duesAlertMonths, \.duesAlertMonths)
        try take(.duesLapseMonths, \.duesLapseMonths)
        try take(.duesReductionValidityMonths, \.duesReductionValidityMonths)
        try take(.duesBranchRemitPercent, \.duesBranchRemitPercent)
        try take(.duesBranchRemitPeriod, \.duesBranchRemitPeriod)
        try take(.duesCommitteeRemitPercent, \.duesCommitteeRemitPercent)
        try take(.duesCommitteeRemitPeriod, \.duesCommitteeRemitPeriod)
        try take(.duesBaseExclusions, \.duesBaseExclusions)
        try take(.duesMidyearChanges, \.duesMidyearChanges)
        try take(.duesRounding, \.duesRounding)
        try take(.duesRoundingUnitFen, \.duesRoundingUnitFen)
        try take(.pointsBaseTenths, \.pointsBaseTenths)
        try take(.pointsThemeDayTenths, \.pointsThemeDayTenths)
        try take(.pointsMeetingsTenths, \.pointsMeetingsTenths)
        try take(.pointsDuesTenths, \.pointsDuesTenths)
        try take(.pointsReportTenths, \.pointsReportTenths)
        try take(.pointsAbsenceDeductionTenths, \.pointsAbsenceDeductionTenths)
        try take(.pointsThemeDayCapTenths, \.pointsThemeDayCapTenths)
        try take(.pointsMeetingsCapTenths, \.pointsMeetingsCapTenths)
        try take(.pointsDuesCapTenths, \.pointsDuesCapTenths)
        try take(.pointsCommunityCapTenths, \.pointsCommunityCapTenths)
        try take(.pointsReportCapTenths, \.pointsReportCapTenths)
        try take(.pointsFiveStarTenths, \.pointsFiveStarTenths)
        try take(.pointsFourStarTenths, \.pointsFourStarTenths)
        try take(.pointsThreeStarTenths, \.pointsThreeStarTenths)
        try take(.pointsTwoStarTenths, \.pointsTwoStarTenths)
        try take(.pointsExemptAge, \.pointsExemptAge)
        self = book
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(effectiveFrom.description, forKey: .effectiveFrom)
        try c.encode(minimumAge, forKey: .minimumAge)
        try c.encode(probationYears, forKey: .probationYears)
        try c.encode(maximumProbationExtensionMonths, forKey: .maximumProbationExtensionMonths)
        try c.encode(medalYears, forKey: .medalYears)
        try c.encode(politicalBirthdayAnchor, forKey: .politicalBirthdayAnchor)
        try c.encode(lostContactMonths, forKey: .lostContactMonths)
        try c.encode(branchMinimumFullMembers, forKey: .branchMinimumFullMembers)
        try c.encode(branchMaximumMembers, forKey: .branchMaximumMembers)
        try c.encode(committeeThresholdFullMembers, forKey: .committeeThresholdFullMembers)
        try c.encode(committeeMinimumSize, forKey: .committeeMinimumSize)
        try c.encode(committeeMaximumSize, forKey: .committeeMaximumSize)
        try c.encode(committeeHalfRuleWarns, forKey: .committeeHalfRuleWarns)
        try c.encode(jointBranchMaximumUnits, forKey: .jointBranchMaximumUnits)
        try c.encode(assessmentCategories, forKey: .assessmentCategories)
        try c.encode(floatingTransferMonths, forKey: .floatingTransferMonths)
        try c.encode(lifeRequirements, forKey: .lifeRequirements)
        try c.encode(lifeWarningDaysMonth, forKey: .lifeWarningDaysMonth)
        try c.encode(lifeWarningDaysQuarter, forKey: .lifeWarningDaysQuarter)
        try c.encode(lifeWarningDaysYear, forKey: .lifeWarningDaysYear)
        try c.encode(lapseMonths, forKey: .lapseMonths)
        try c.encode(lapseWarningMonths, forKey: .lapseWarningMonths)
        try c.encode(excellentShareNumerator, forKey: .excellentShareNumerator)
        try c.encode(excellentShareDenominator, forKey: .excellentShareDenominator)
        try c.encode(gradeProbationaryMembers, forKey: .gradeProbationaryMembers)
        try c.encode(activistMinimumMonths, forKey: .activistMinimumMonths)
        try c.encode(approvalMaximumMonths, forKey: .approvalMaximumMonths)
        try c.encode(listDueSoonDays, forKey: .listDueSoonDays)
        try c.encode(publicityWorkingDays, forKey: .publicityWorkingDays)
        try c.encode(developmentGapYears, forKey: .developmentGapYears)
        try c.encode(oathWithinMonths, forKey: .oathWithinMonths)
        try c.encode(politicalReviewNegativeList, forKey: .politicalReviewNegativeList)
        try c.encode(temporaryBranchRegularMonths, forKey: .temporaryBranchRegularMonths)
        try c.encode(transferLetterMaxDays, forKey: .transferLetterMaxDays)
        try c.encode(transferLetterMaxDaysCrossProvince, forKey: .transferLetterMaxDaysCrossProvince)
        try c.encode(leadershipLifeAttendanceNumerator, forKey: .leadershipLifeAttendanceNumerator)
        try c.encode(leadershipLifeAttendanceDenominator, forKey: .leadershipLifeAttendanceDenominator)
        try c.encode(leadingCadrePosts, forKey: .leadingCadrePosts)
        try c.encode(duesFarmerMonthlyFen, forKey: .duesFarmerMonthlyFen)
        try c.encode(duesBackPaymentMonths, forKey: .duesBackPaymentMonths)
        try c.encode(duesPrepaymentMonths, forKey: .duesPrepaymentMonths)
        try c.encode(duesAlertMonths, forKey: .duesAlertMonths)
        try c.encode(duesLapseMonths, forKey: .duesLapseMonths)
        try c.encode(duesReductionValidityMonths, forKey: .duesReductionValidityMonths)
        try c.encode(duesBranchRemitPercent, forKey: .duesBranchRemitPercent)
        try c.encode(duesBranchRemitPeriod, forKey: .duesBranchRemitPeriod)
        try c.encode(duesCommitteeRemitPercent, forKey: .duesCommitteeRemitPercent)
        try c.encode(duesCommitteeRemitPeriod, forKey: .duesCommitteeRemitPeriod)
        try c.encode(duesBaseExclusions, forKey: .duesBaseExclusions)
        try c.encode(duesMidyearChanges, forKey: .duesMidyearChanges)
        try c.encode(duesRounding, forKey: .duesRounding)
        try c.encode(duesRoundingUnitFen, forKey: .duesRoundingUnitFen)
        try c.encode(pointsBaseTenths, forKey: .pointsBaseTenths)
        try c.encode(pointsThemeDayTenths, forKey: .pointsThemeDayTenths)
        try c.encode(pointsMeetingsTenths, forKey: .pointsMeetingsTenths)
        try c.encode(pointsDuesTenths, forKey: .pointsDuesTenths)
        try c.encode(pointsReportTenths, forKey: .pointsReportTenths)
        try c.encode(pointsAbsenceDeductionTenths, forKey: .pointsAbsenceDeductionTenths)
        try c.encode(pointsThemeDayCapTenths, forKey: .pointsThemeDayCapTenths)
        try c.encode(pointsMeetingsCapTenths, forKey: .pointsMeetingsCapTenths)
        try c.encode(pointsDuesCapTenths, forKey: .pointsDuesCapTenths)
        try c.encode(pointsCommunityCapTenths, forKey: .pointsCommunityCapTenths)
        try c.encode(pointsReportCapTenths, forKey: .pointsReportCapTenths)
        try c.encode(pointsFiveStarTenths, forKey: .pointsFiveStarTenths)
        try c.encode(pointsFourStarTenths, forKey: .pointsFourStarTenths)
        try c.encode(pointsThreeStarTenths, forKey: .pointsThreeStarTenths)
        try c.encode(pointsTwoStarTenths, forKey: .pointsTwoStarTenths)
        try c.encode(pointsExemptAge, forKey: .pointsExemptAge)
    }

    /// Checks a rule book before it is saved; returns every problem, each naming the parameter and its rule.
    public func problems() -> [ValidationFailure] {
        var p: [ValidationFailure] = []
        func check(_ ok: Bool, _ field: String, _ message: String, _ rule: String) {
            if !ok { p.append(ValidationFailure(field: field, message: message, ruleID: rule)) }
        }
        check(!version.trimmed.isEmpty && version.count <= 40, "version", "请填写版本名称（不超过 40 个字）", "RULES")
        check((14...30).contains(minimumAge), "minimum_age", "入党最低年龄应在 14–30 岁之间", RuleID.dev01.code)
        check((1...3).contains(probationYears), "probation_years", "预备期应为 1–3 年", RuleID.dev27.code)
        check((0...12).contains(maximumProbationExtensionMonths), "maximum_probation_extension_months", "延长预备期不超过 12 个月", RuleID.dev28.code)
        check((10...80).contains(medalYears), "medal_years", "纪念章党龄应在 10–80 年之间", RuleID.care01.code)
        check((1...36).contains(lostContactMonths), "lost_contact_months", "失联认定月数应在 1–36 之间", RuleID.mem07.code)
        check((1...10).contains(branchMinimumFullMembers), "branch_minimum_full_members", "设立党支部的正式党员人数应在 1–10 之间", RuleID.org01.code)
        check((10...500).contains(branchMaximumMembers), "branch_maximum_members", "党支部人数上限应在 10–500 之间", RuleID.org03.code)
        check((3...20).contains(committeeThresholdFullMembers), "committee_threshold_full_members", "设立支委会的正式党员人数应在 3–20 之间", RuleID.org06.code)
        check(
            committeeMinimumSize >= 1 && committeeMinimumSize <= committeeMaximumSize && committeeMaximumSize <= 15,
            "committee_maximum_size", "支委会人数下限不能大于上限，上限不超过 15", RuleID.org06.code)
        check((1...20).contains(jointBranchMaximumUnits), "joint_branch_maximum_units", "联合党支部覆盖单位数应在 1–20 之间", RuleID.org02.code)
        check((1...24).contains(floatingTransferMonths), "floating_transfer_months", "转移正式组织关系的外出月数应在 1–24 之间", RuleID.mem02.code)
        check((0...28).contains(lifeWarningDaysMonth), "life_warning_days_month", "月度临期提醒天数应在 0–28 之间", "RULES")
        check((0...90).contains(lifeWarningDaysQuarter), "life_warning_days_quarter", "季度临期提醒天数应在 0–90 之间", "RULES")
        check((0...180).contains(lifeWarningDaysYear), "life_warning_days_year", "年度临期提醒天数应在 0–180 之间", "RULES")
        check((1...24).contains(lapseMonths), "lapse_months", "连续不参加组织生活的月数应在 1–24 之间", RuleID.dues13.code)
        check(lapseWarningMonths >= 1 && lapseWarningMonths <= lapseMonths, "lapse_warning_months", "提醒月数应在 1 到认定月数之间", RuleID.dues13.code)
        check(
            excellentShareNumerator >= 1 && excellentShareDenominator >= 2 && excellentShareNumerator < excellentShareDenominator
                && excellentShareDenominator <= 20,
            "excellent_share_denominator", "优秀比例应为小于 1 的分数，如 1/3", RuleID.life08.code)
        check((0...24).contains(activistMinimumMonths), "activist_minimum_months", "确定积极分子前的申请月数应在 0–24 之间", RuleID.dev05.code)
        check((3...6).contains(approvalMaximumMonths), "approval_maximum_months", "审批最长期限应在 3–6 个月之间", RuleID.dev24.code)
        check((0...15).contains(publicityWorkingDays), "publicity_working_days", "公示工作日数应在 0–15 之间", RuleID.dev17.code)
        check((0...10).contains(developmentGapYears), "development_gap_years", "未发展党员预警年数应在 0–10 之间", RuleID.devplan02.code)
        check(
            politicalReviewNegativeList.count <= 30 && politicalReviewNegativeList.allSatisfy { !$0.trimmed.isEmpty && $0.count <= 100 }
                && Set(politicalReviewNegativeList).count == politicalReviewNegativeList.count,
            "political_review_negative_list", "政治审查负面清单最多 30 项，每项 1–100 字且不重复", RuleID.dev12.code)
        check((0...6).contains(oathWithinMonths), "oath_within_months", "入党宣誓期限应在 0–6 个月之间（0 = 不设期限）", RuleID.dev26.code)
        check((0...60).contains(listDueSoonDays), "list_due_soon_days", "任务和问题临期提醒天数应在 0–60 之间", RuleID.list01.code)
        check((1...24).contains(temporaryBranchRegularMonths), "temporary_branch_regular_months", "临时党支部转为正式党支部的月数应在 1–24 之间", RuleID.life13.code)
        check(
            (1...180).contains(transferLetterMaxDays) && transferLetterMaxDays <= transferLetterMaxDaysCrossProvince
                && transferLetterMaxDaysCrossProvince <= 365,
            "transfer_letter_max_days_cross_province", "介绍信有效期：省内 1–180 天，跨省不少于省内且不超过 365 天", RuleID.mem05.code)
        check(
            leadershipLifeAttendanceNumerator == 0
                || (leadershipLifeAttendanceNumerator >= 1 && leadershipLifeAttendanceNumerator <= leadershipLifeAttendanceDenominator
                    && leadershipLifeAttendanceDenominator <= 10),
            "leadership_life_attendance_denominator", "民主生活会到会比例应为不大于 1 的分数，如 2/3（分子为 0 表示不检查）", RuleID.life11.code)
        check(
            leadingCadrePosts.count <= 50 && leadingCadrePosts.allSatisfy { !$0.trimmed.isEmpty && $0.count <= 20 }
                && Set(leadingCadrePosts).count == leadingCadrePosts.count,
            "leading_cadre_posts", "领导职务关键词最多 50 个，每个 1–20 字且不重复", RuleID.life10.code)
        check((20...100).contains(duesFarmerMonthlyFen), "dues_farmer_monthly_fen", "农民党员每月党费应在 20–100 分（0.20–1.00 元）之间", RuleID.dues06.code)
        check((1...12).contains(duesBackPaymentMonths), "dues_back_payment_months", "补交月数应在 1–12 之间", RuleID.dues11.code)
        check((1...12).contains(duesPrepaymentMonths), "dues_prepayment_months", "预交月数应在 1–12 之间", RuleID.dues11.code)
        check((1...24).contains(duesLapseMonths), "dues_lapse_months", "连续未交纳党费提请审查的月数应在 1–24 之间", RuleID.dues19.code)
        check(duesAlertMonths >= 1 && duesAlertMonths <= duesLapseMonths, "dues_alert_months", "欠缴提醒月数应在 1 到提请审查月数之间", RuleID.dues13.code)
        check((1...24).contains(duesReductionValidityMonths), "dues_reduction_validity_months", "减免有效期应在 1–24 个月之间", RuleID.dues18.code)
        check((0...100).contains(duesBranchRemitPercent), "dues_branch_remit_percent", "党支部上缴比例应在 0–100% 之间", RuleID.dues20.code)
        check((0...100).contains(duesCommitteeRemitPercent), "dues_committee_remit_percent", "党委上缴比例应在 0–100% 之间", RuleID.dues20.code)
        check(
            duesBaseExclusions.count <= 60 && duesBaseExclusions.allSatisfy { !$0.trimmed.isEmpty && $0.count <= 20 }
                && Set(duesBaseExclusions).count == duesBaseExclusions.count,
            "dues_base_exclusions", "不计入党费基数的工资项目最多 60 项，每项 1–20 字且不重复", RuleID.dues15.code)
        check([1, 10, 100].contains(duesRoundingUnitFen), "dues_rounding_unit_fen", "党费取整单位应为 1（分）、10（角）或 100（元）", RuleID.dues16.code)
        check((0...1_000).contains(pointsBaseTenths), "points_base_tenths", "积分基础分应在 0–100 分之间", RuleID.point01.code)
        for (value, field) in [
            (pointsThemeDayTenths, "points_theme_day_tenths"), (pointsMeetingsTenths, "points_meetings_tenths"),
            (pointsDuesTenths, "points_dues_tenths"),
            (pointsReportTenths, "points_report_tenths"), (pointsAbsenceDeductionTenths, "points_absence_deduction_tenths"),
        ] {
            check((0...100).contains(value), field, "每次计分应在 0–10 分之间", RuleID.point03.code)
        }
        for (value, field) in [
            (pointsThemeDayCapTenths, "points_theme_day_cap_tenths"), (pointsMeetingsCapTenths, "points_meetings_cap_tenths"),
            (pointsDuesCapTenths, "points_dues_cap_tenths"), (pointsCommunityCapTenths, "points_community_cap_tenths"),
            (pointsReportCapTenths, "points_report_cap_tenths"),
        ] {
            check((0...1_000).contains(value), field, "每项年度上限应在 0–100 分之间", RuleID.point03.code)
        }
        check(
            pointsFiveStarTenths > pointsFourStarTenths && pointsFourStarTenths > pointsThreeStarTenths && pointsThreeStarTenths > pointsTwoStarTenths
                && pointsTwoStarTenths > 0 && pointsFiveStarTenths <= 2_000,
            "points_two_star_tenths", "星级分数线应从五星到二星依次降低，且在 0–200 分之间", RuleID.point07.code)
        check(pointsExemptAge == 0 || (60...100).contains(pointsExemptAge), "points_exempt_age", "免评年龄应为 0（不设）或 60–100 岁", RuleID.point06.code)
        for r in lifeRequirements where !(1...31).contains(r.minimum) {
            p.append(ValidationFailure(field: "life_\(r.kind.rawValue)", message: "\(r.kind.displayName)每期次数应在 1–31 之间", ruleID: r.ruleID))
        }
        let categories = assessmentCategories.map { $0.trimmed }
        check(
            !categories.isEmpty && categories.allSatisfy { !$0.isEmpty && $0.count <= 20 } && Set(categories).count == categories.count,
            "assessment_categories", "考核类别至少一个、每个不超过 20 个字且不重复", "RULES")
        return p
    }
}

extension RuleBook {
    /// The dues amounts' parameters under this book (DUES-02…06; the farmers' amount is the province's).
    public var duesParameters: DuesParameters {
        var p = DuesParameters.national
        p.farmerMonthly = Fen(Int64(duesFarmerMonthlyFen)) ?? p.farmerMonthly
        p.rounding = duesRounding
        p.roundingUnitFen = duesRoundingUnitFen
        if version != RuleBook.national2014.version { p.version = "\(p.version)+\(version)" }
        return p
    }

    /// The collection parameters under this book (DUES-08/11/13/17/19).
    public var duesCollection: DuesCollectionRules {
        var r = DuesCollectionRules.national
        r.backPaymentMonths = duesBackPaymentMonths
        r.prepaymentMonths = duesPrepaymentMonths
        r.alertMonths = duesAlertMonths
        r.lapseMonths = duesLapseMonths
        return r
    }

    /// The 少交/免交 parameters under this book (DUES-18).
    public var duesReduction: DuesReductionRules {
        var r = DuesReductionRules.national
        r.validityMonths = duesReductionValidityMonths
        return r
    }

    /// The remittance parameters under this book (DUES-20).
    public var duesRemittance: DuesRemittanceRules {
        var r = DuesRemittanceRules.national
        r.branchShareBasisPoints = duesBranchRemitPercent * 100
        r.branchPeriod = duesBranchRemitPeriod
        r.committeeShareBasisPoints = duesCommitteeRemitPercent * 100
        r.committeePeriod = duesCommitteeRemitPeriod
        return r
    }

    /// The base exclusions under this book (DUES-15).
    public var duesBase: DuesBaseRules { DuesBaseRules(excludedComponents: duesBaseExclusions) }

    /// The points parameters under this book (POINT-01/03/07).
    public var pointRules: PointRules {
        var r = PointRules.national
        r.base = Points(tenths: pointsBaseTenths)
        r.perTime = [
            .themeDay: Points(tenths: pointsThemeDayTenths), .meetings: Points(tenths: pointsMeetingsTenths), .dues: Points(tenths: pointsDuesTenths),
            .absence: Points(tenths: -pointsAbsenceDeductionTenths), .report: Points(tenths: pointsReportTenths),
        ]
        r.yearlyCap = [
            .themeDay: Points(tenths: pointsThemeDayCapTenths), .meetings: Points(tenths: pointsMeetingsCapTenths),
            .dues: Points(tenths: pointsDuesCapTenths), .community: Points(tenths: pointsCommunityCapTenths),
            .report: Points(tenths: pointsReportCapTenths),
        ]
        r.starThresholds = [pointsFiveStarTenths, pointsFourStarTenths, pointsThreeStarTenths, pointsTwoStarTenths].map { Points(tenths: $0) }
        r.exemptAge = pointsExemptAge
        return r
    }
}
