/// 单位 (`organisations/units`): the work units in reach by category, with filters and the .csv export.
struct UnitsPage {
    var rows: [UnitController.Row]
    var count: Int
    var org: Int64
    var scope: String
    var summary: String
    var categories: [SelectOption]
    var assessments: [SelectOption]
    var scopes: [SelectOption]
    var csvQuery: String
}

/// 导入组织机构 (`organisations/import`): the preview of every row with its problem, then the commit (decision 0013).
struct OrganisationImportPage {
    var organisationID: Int64
    var organisationName: String
    var error: String?
    var hasReport: Bool
    var committed: Bool
    var alreadyCommitted: Bool
    var jobID: Int64
    var fileName: String
    var headerRow: Int
    var fileProblems: [String]
    var creates: Int
    var unitsAdded: Int
    var unchanged: Int
    var problemCount: Int
    var problems: [OrganisationImportController.ProblemRow]
    var planned: [OrganisationImportController.PlanRow]
    var canCommit: Bool
}

/// 换届提醒 (`organisations/terms`, ORG-T1…T4): terms ending within the months chosen, ended or never recorded.
struct TermsPage {
    var rows: [TermController.LedgerRow]
    var count: Int
    var months: Int
    var org: Int64
    var scope: String
}

/// 组织机构: the visible tree, today's or as it stood on `asOf` (组织沿革) (`organisations/tree`).
struct OrganisationTreePage {
    var roots: [OrganisationController.TreeNode]
    var empty: Bool
    var count: Int
    var asOf: String?
    var asOfValue: String
}
