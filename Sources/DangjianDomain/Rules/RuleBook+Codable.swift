/// The rule book as stored: every parameter by name, and a stored version read over the national defaults so a
/// parameter added later takes its documented default.
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
            pointsThreeStarTenths, pointsTwoStarTenths, pointsExemptAge, evaluation
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
        try take(.evaluation, \.evaluation)
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
        try c.encode(evaluation, forKey: .evaluation)
    }
}
