/// The checks a rule book passes before it is saved (each problem names its parameter and rule).
extension RuleBook {
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
        p += evaluation.problems()
        let categories = assessmentCategories.map { $0.trimmed }
        check(
            !categories.isEmpty && categories.allSatisfy { !$0.isEmpty && $0.count <= 20 } && Set(categories).count == categories.count,
            "assessment_categories", "考核类别至少一个、每个不超过 20 个字且不重复", "RULES")
        return p
    }
}
