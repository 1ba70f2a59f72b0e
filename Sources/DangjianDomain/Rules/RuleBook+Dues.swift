/// The dues and points parameters as the engines take them (DUES-06…20, POINT-01…07).
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
