/// 考评验收 (slug `assessment`): the URL of every route it registers, written once.
enum AssessmentPaths {
    static let overview = "/assessment"
    static let schemes = "/assessment/schemes"
    static let schemePattern = "/assessment/schemes/{id}"
    static let rounds = "/assessment/rounds"
    static let roundPattern = "/assessment/rounds/{id}"
    static let panelPattern = "/assessment/rounds/{id}/panel"
    static let assignPattern = "/assessment/rounds/{id}/assign"
    static let autoPattern = "/assessment/rounds/{id}/auto"
    static let timetablePattern = "/assessment/rounds/{id}/timetable"
    static let adjustmentsPattern = "/assessment/rounds/{id}/adjustments"
    static let resultsPattern = "/assessment/rounds/{id}/results"
    static let approvePattern = "/assessment/rounds/{id}/approve"
    static let sheetPattern = "/assessment/units/{id}/sheet"
    static let selfPattern = "/assessment/units/{id}/self"
    static let evidencePattern = "/assessment/units/{id}/evidence"
    static let declarePattern = "/assessment/units/{id}/declare"
    static let reopenPattern = "/assessment/units/{id}/reopen"
    static let evidenceFilePattern = "/assessment/evidence/{id}"
    static let template = "/assessment/template.xlsx"
    static let publicityPattern = "/assessment/rounds/{id}/publicity"
    static let appealsPattern = "/assessment/rounds/{id}/appeals"
    static let recheckPattern = "/assessment/rounds/{id}/recheck"
    static let unitResultPattern = "/assessment/units/{id}/result"
    static let appealPattern = "/assessment/units/{id}/appeal"

    static func scheme(_ versionID: Int64) -> String { "/assessment/schemes/\(versionID)" }
    static func round(_ id: Int64) -> String { "/assessment/rounds/\(id)" }
    static func results(_ id: Int64) -> String { "/assessment/rounds/\(id)/results" }
    static func sheet(_ unitID: Int64) -> String { "/assessment/units/\(unitID)/sheet" }
    static func selfAssessment(_ unitID: Int64) -> String { "/assessment/units/\(unitID)/self" }
    static func publicity(_ id: Int64) -> String { "/assessment/rounds/\(id)/publicity" }
    static func unitResult(_ unitID: Int64) -> String { "/assessment/units/\(unitID)/result" }
}
