import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// The rule parameters page (规则参数, 系统管理员): the version in force, the saved versions, and a form that saves a
/// new version with its effective date. Every parameter names its rule ID.
struct RuleBookController {
    let services: AppServices

    struct Parameter {
        var field: String
        var label: String
        var rule: String
        var value: String
        var hint: String
    }

    struct VersionRow {
        var version: String
        var effectiveFrom: String
        var savedAt: String
        var inForce: Bool
    }

    func addRoutes(to site: Site) {
        // 节假日安排: the holiday calendar for working-day periods (DEV-17), one year at a time.
        site.add(.get, AdminPaths.holidays, access: .permission(.settingsManage)) { request, context in
            let year = try FormData.query(request).number("year", CalendarYear.self)?.value ?? CivilDate(date: services.clock.now()).year
            return try await holidayPage(request, context, year: year, text: nil, error: nil, status: .ok)
        }
        site.add(.post, AdminPaths.holidays, access: .permission(.settingsManage)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let calendar = try HolidayCalendarForm(form)
            let year = calendar.year ?? CivilDate(date: services.clock.now()).year
            do {
                try await services.store.holidays.replace(year: year, text: calendar.text, actor: context.actor)
                return PageRenderer.redirect(AdminPaths.holidays + "?year=\(year)&saved=1")
            } catch let e as ValidationProblems {
                return try await holidayPage(
                    request, context, year: year, text: calendar.text, error: e.problems.map(\.fullMessage).joined(separator: "；"),
                    status: .badRequest)
            } catch let f as ValidationFailure {
                return try await holidayPage(request, context, year: year, text: calendar.text, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, AdminPaths.rules, access: .permission(.settingsManage)) { request, context in
            try await page(request, context, draft: nil, problems: [], status: .ok)
        }
        site.add(.post, AdminPaths.rules, access: .permission(.settingsManage)) { request, context in try await saveRuleBook(request, context) }
    }

    /// POST /admin/rules: a new dated version of the rule book.
    func saveRuleBook(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let current = try await services.rules.inForce()
        let posted = RuleBookForm(form, current: current)
        let book = posted.book
        var problems = posted.problems
        if problems.isEmpty {
            do {
                try await services.rules.save(book, previous: current, actor: context.actor)
                return PageRenderer.redirect(AdminPaths.rules + "?saved=1")
            } catch let e as ValidationProblems { problems = e.problems } catch let e as ValidationFailure { problems = [e] }
        }
        return try await page(request, context, draft: book, problems: problems, status: .badRequest)
    }

    /// The whole-number parameters on the page: form field, label, rule, and where it lives in the rule book.
    /// (Immutable; key paths are not marked Sendable.)
    nonisolated(unsafe) static let integerParameters: [(field: String, label: String, rule: String, path: WritableKeyPath<RuleBook, Int>)] = [
        ("minimum_age", "入党最低年龄", RuleID.dev01.code, \.minimumAge),
        ("probation_years", "预备期（年）", RuleID.dev27.code, \.probationYears),
        ("maximum_probation_extension_months", "延长预备期最长（月）", RuleID.dev28.code, \.maximumProbationExtensionMonths),
        ("medal_years", "“光荣在党50年”纪念章党龄（年）", RuleID.care01.code, \.medalYears),
        ("lost_contact_months", "失去联系多少个月认定为失联党员", RuleID.mem07.code, \.lostContactMonths),
        ("branch_minimum_full_members", "设立党支部的最少正式党员数", RuleID.org01.code, \.branchMinimumFullMembers),
        ("branch_maximum_members", "党支部党员人数一般上限", RuleID.org03.code, \.branchMaximumMembers),
        ("committee_threshold_full_members", "正式党员达到多少人设支委会", RuleID.org06.code, \.committeeThresholdFullMembers),
        ("committee_minimum_size", "支委会最少人数", RuleID.org06.code, \.committeeMinimumSize),
        ("committee_maximum_size", "支委会一般最多人数", RuleID.org06.code, \.committeeMaximumSize),
        ("joint_branch_maximum_units", "联合党支部一般最多覆盖单位数", RuleID.org02.code, \.jointBranchMaximumUnits),
        ("floating_transfer_months", "外出多少个月以上应转移正式组织关系", RuleID.mem02.code, \.floatingTransferMonths),
        ("life_warning_days_month", "月度组织生活临期提醒天数（双色预警）", RuleID.citing(.life03, .life04, .life06), \.lifeWarningDaysMonth),
        ("life_warning_days_quarter", "季度组织生活临期提醒天数", RuleID.citing(.life01, .life05), \.lifeWarningDaysQuarter),
        ("life_warning_days_year", "年度组织生活临期提醒天数", RuleID.citing(.life07, .life08, .life09), \.lifeWarningDaysYear),
        ("lapse_months", "连续多少个月不参加组织生活提请核实（自行脱党情形）", RuleID.dues13.code, \.lapseMonths),
        ("lapse_warning_months", "连续多少个月不参加组织生活开始提醒", RuleID.dues13.code, \.lapseWarningMonths),
        ("excellent_share_numerator", "民主评议优秀比例上限：分子", RuleID.life08.code, \.excellentShareNumerator),
        ("excellent_share_denominator", "民主评议优秀比例上限：分母", RuleID.life08.code, \.excellentShareDenominator),
        ("activist_minimum_months", "递交申请后至少多少个月方可确定为入党积极分子（0 = 无要求）", RuleID.dev05.code, \.activistMinimumMonths),
        ("approval_maximum_months", "上级党委审批接收预备党员最长期限（月）", RuleID.dev24.code, \.approvalMaximumMonths),
        ("publicity_working_days", "确定发展对象前公示的工作日数（0 = 不要求）", RuleID.dev17.code, \.publicityWorkingDays),
        ("development_gap_years", "连续多少年未发展党员时预警（0 = 不预警）", RuleID.devplan02.code, \.developmentGapYears),
        ("oath_within_months", "批准后几个月内组织入党宣誓（0 = 不设期限；待核实）", RuleID.dev26.code, \.oathWithinMonths),
        ("list_due_soon_days", "任务、问题整改截止前多少天显示临期（双色预警）", RuleID.list01.code, \.listDueSoonDays),
        ("temporary_branch_regular_months", "临时党支部存续多少个月以上应成立正式党支部", RuleID.life13.code, \.temporaryBranchRegularMonths),
        ("transfer_letter_max_days", "组织关系介绍信有效期上限（天，省内；待核实）", RuleID.mem05.code, \.transferLetterMaxDays),
        ("transfer_letter_max_days_cross_province", "组织关系介绍信有效期上限（天，跨省；待核实）", RuleID.mem05.code, \.transferLetterMaxDaysCrossProvince),
        ("leadership_life_attendance_numerator", "民主生活会到会比例：分子（0 = 不检查；待核实）", RuleID.life11.code, \.leadershipLifeAttendanceNumerator),
        ("leadership_life_attendance_denominator", "民主生活会到会比例：分母", RuleID.life11.code, \.leadershipLifeAttendanceDenominator),
        ("dues_farmer_monthly_fen", "农民党员每月党费（分，省级党委规定 20–100）", RuleID.dues06.code, \.duesFarmerMonthlyFen),
        ("dues_back_payment_months", "党费最多补交几个月", RuleID.dues11.code, \.duesBackPaymentMonths),
        ("dues_prepayment_months", "党费最多预交几个月（待核实）", RuleID.dues11.code, \.duesPrepaymentMonths),
        ("dues_alert_months", "连续多少个月未交党费提醒", RuleID.dues13.code, \.duesAlertMonths),
        ("dues_lapse_months", "连续多少个月未交党费提请支部审查（自行脱党情形）", RuleID.dues19.code, \.duesLapseMonths),
        ("dues_reduction_validity_months", "党费减免批准后有效几个月，期满重新审核（待核实）", RuleID.dues18.code, \.duesReductionValidityMonths),
        ("dues_branch_remit_percent", "党支部、党总支向上级党委上缴党费的比例（%）", RuleID.dues20.code, \.duesBranchRemitPercent),
        ("dues_committee_remit_percent", "党委向上级上缴党费的比例（%，由省级党委规定）", RuleID.dues20.code, \.duesCommitteeRemitPercent),
        ("dues_rounding_unit_fen", "党费取整到几分（1 = 分，10 = 角，100 = 元；待核实）", RuleID.dues16.code, \.duesRoundingUnitFen),
        ("points_exempt_age", "党员积分：年满多少周岁免评（0 = 不设）", RuleID.point06.code, \.pointsExemptAge),
    ]

    /// The points parameters (POINT-01/03/07), kept in tenths and shown as points with one decimal.
    nonisolated(unsafe) static let pointParameters: [(field: String, label: String, rule: String, path: WritableKeyPath<RuleBook, Int>)] = [
        ("points_base_tenths", "党员积分基础分", RuleID.point01.code, \.pointsBaseTenths),
        ("points_theme_day_tenths", "每参加一次主题党日加分", RuleID.point03.code, \.pointsThemeDayTenths),
        ("points_meetings_tenths", "每参加一次其他“三会一课”加分（0 = 不计）", RuleID.point03.code, \.pointsMeetingsTenths),
        ("points_dues_tenths", "每月按时交纳党费加分", RuleID.point03.code, \.pointsDuesTenths),
        ("points_report_tenths", "流动党员每次汇报情况加分", RuleID.point03.code, \.pointsReportTenths),
        ("points_absence_deduction_tenths", "每次无故缺席组织生活扣分", RuleID.point03.code, \.pointsAbsenceDeductionTenths),
        ("points_theme_day_cap_tenths", "主题党日全年加分上限", RuleID.point03.code, \.pointsThemeDayCapTenths),
        ("points_meetings_cap_tenths", "其他“三会一课”全年加分上限", RuleID.point03.code, \.pointsMeetingsCapTenths),
        ("points_dues_cap_tenths", "交纳党费全年加分上限", RuleID.point03.code, \.pointsDuesCapTenths),
        ("points_community_cap_tenths", "社区报到、志愿服务全年加分上限", RuleID.point03.code, \.pointsCommunityCapTenths),
        ("points_report_cap_tenths", "汇报情况全年加分上限", RuleID.point03.code, \.pointsReportCapTenths),
        ("points_five_star_tenths", "五星分数线", RuleID.point07.code, \.pointsFiveStarTenths),
        ("points_four_star_tenths", "四星分数线", RuleID.point07.code, \.pointsFourStarTenths),
        ("points_three_star_tenths", "三星分数线", RuleID.point07.code, \.pointsThreeStarTenths),
        ("points_two_star_tenths", "二星分数线", RuleID.point07.code, \.pointsTwoStarTenths),
    ]

    static func periodOptions(_ chosen: DuesRemitPeriod) -> [SelectOption] {
        DuesRemitPeriod.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == chosen) }
    }

    func holidayPage(
        _ request: Request, _ context: AppRequestContext, year: Int, text: String?, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let calendar = try await services.store.holidays.calendar()
        let ofYear = WorkingDayCalendar(
            holidays: calendar.holidays.filter { $0.key.year == year }, workdays: calendar.workdays.filter { $0.key.year == year })
        let model = HolidaysPage(
            year: year, previous: year - 1, next: year + 1, text: text ?? ofYear.lines, known: ofYear.knows(year: year),
            holidays: ofYear.holidays.count, workdays: ofYear.workdays.count, saved: FormData.query(request).text("saved") == "1",
            error: error)
        return services.renderer.page("admin/holidays", title: "节假日安排", model: model, context: context, request: request, status: status)
    }

    func page(
        _ request: Request, _ context: AppRequestContext, draft: RuleBook?, problems: [ValidationFailure], status: HTTPResponse.Status
    ) async throws -> Response {
        let inForce = try await services.rules.inForce()
        let book = draft ?? inForce
        let parameters = Self.integerParameters.map { p in
            Parameter(
                field: p.field, label: p.label, rule: p.rule, value: String(book[keyPath: p.path]),
                hint: "全国默认 \(RuleBook.national2014[keyPath: p.path])")
        }
        let pointParameters = Self.pointParameters.map { p in
            Parameter(
                field: p.field, label: p.label, rule: p.rule, value: Points(tenths: book[keyPath: p.path]).description,
                hint: "全国默认 \(Points(tenths: RuleBook.national2014[keyPath: p.path])) 分（地方做法，待核实）")
        }
        let evaluationParameters = EvaluationParameters.fields.map { p in
            let value = book.evaluation[keyPath: p.path]
            let national = RuleBook.national2014.evaluation[keyPath: p.path]
            let shown = { (v: Int) in p.unit == .points ? Score(hundredths: Int64(v)).plain : String(v) }
            return Parameter(
                field: p.field, label: p.label, rule: p.rule.code, value: shown(value), hint: "默认 \(shown(national))\(p.unit == .points ? " 分" : "")")
        }
        let versions = try await services.rules.versions()
        let rows = versions.map { v in
            VersionRow(
                version: v.book.version, effectiveFrom: v.book.effectiveFrom.description,
                savedAt: v.savedAt.map(Format.dateTime) ?? "内置", inForce: v.book.version == inForce.version)
        }
        let today = CivilDate(date: services.clock.now())
        let model = RuleBookPage(
            inForce: inForce.version, parameters: parameters, versions: rows,
            errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            saved: FormData.query(request).text("saved") == "1",
            version: draft?.version ?? "", effectiveFrom: draft?.effectiveFrom.description ?? today.description,
            halfRule: book.committeeHalfRuleWarns, gradeProbationary: book.gradeProbationaryMembers,
            anchorAdmission: book.politicalBirthdayAnchor == .admission,
            assessmentCategories: book.assessmentCategories.joined(separator: "、"),
            negativeList: book.politicalReviewNegativeList.joined(separator: "\n"), leadingCadrePosts: book.leadingCadrePosts.joined(separator: "\n"),
            branchRemitPeriods: Self.periodOptions(book.duesBranchRemitPeriod),
            committeeRemitPeriods: Self.periodOptions(book.duesCommitteeRemitPeriod),
            duesBaseExclusions: book.duesBaseExclusions.joined(separator: "\n"),
            roundings: DuesRounding.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == book.duesRounding) },
            pointParameters: pointParameters, midyearChanges: book.duesMidyearChanges, evaluationParameters: evaluationParameters,
            voidUniformSheets: book.evaluation.voidUniformSheets)
        return services.renderer.page("admin/rules", title: "规则参数", model: model, context: context, request: request, status: status)
    }
}
