/// 节假日安排 (`admin/holidays`): a year's 法定节假日 and 调休 workdays, as text (working days for DEV-17).
struct HolidaysPage {
    var year: Int
    var previous: Int
    var next: Int
    var text: String
    var known: Bool
    var holidays: Int
    var workdays: Int
    var saved: Bool
    var error: String?
}

/// 规则参数 (`admin/rules`): the rule book in force, its versions and the form for a new dated version (decision 0012).
struct RuleBookPage {
    var inForce: String
    var parameters: [RuleBookController.Parameter]
    var versions: [RuleBookController.VersionRow]
    var errors: [String]
    var hasErrors: Bool
    var saved: Bool
    var version: String
    var effectiveFrom: String
    var halfRule: Bool
    var gradeProbationary: Bool
    var anchorAdmission: Bool
    var assessmentCategories: String
    var negativeList: String
    /// LIFE-10: the 职务 words marking leading cadres, one per line.
    var leadingCadrePosts: String = ""
    /// DUES-20: how often branches and committees remit.
    var branchRemitPeriods: [SelectOption] = []
    var committeeRemitPeriods: [SelectOption] = []
    /// DUES-15: the pay components left out of the base, one per line.
    var duesBaseExclusions: String = ""
    /// DUES-16: the rounding modes.
    var roundings: [SelectOption] = []
    /// POINT-01/03/07: in points with one decimal.
    var pointParameters: [RuleBookController.Parameter] = []
    /// DUES-09 `midyear_changes`.
    var midyearChanges: Bool = false
    /// EVAL / ASSESS / REVIEW parameters (evaluation.md §1, §2, §5).
    var evaluationParameters: [RuleBookController.Parameter] = []
    /// EVAL-07 optional voiding of uniform sheets.
    var voidUniformSheets: Bool = false
}

/// 用户与角色: every account with its roles (`admin/users`).
struct UserListPage {
    var users: [UserAdminController.UserRow]
    var canCreate: Bool
    var count: Int
}
