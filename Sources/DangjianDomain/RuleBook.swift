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
        version: "national-2014", effectiveFrom: CivilDate(year: 2014, month: 5, day: 28)!, minimumAge: 18,
        probationYears: 1, maximumProbationExtensionMonths: 12, medalYears: 50, politicalBirthdayAnchor: .admission,
        lostContactMonths: 6, branchMinimumFullMembers: 3, branchMaximumMembers: 50, committeeThresholdFullMembers: 7)
}
