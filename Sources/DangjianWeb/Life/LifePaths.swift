/// 组织生活 (slug `life`): meetings, sign-in, 民主评议, the board, roll-up and report: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum LifePaths {
    static let board = "/board"
    static let checkinPattern = "/checkin/{token}"
    static let compliance = "/compliance"
    static let complianceReport = "/compliance/report"
    static let meetings = "/meetings"
    static let meetingsPattern = "/meetings/{id}"
    static let meetingsCheckinPattern = "/meetings/{id}/checkin"
    static let meetingsCheckinPngPattern = "/meetings/{id}/checkin.png"
    static let meetingsCheckinClosePattern = "/meetings/{id}/checkin/close"
    static let meetingsCorrectPattern = "/meetings/{id}/correct"
    static let meetingsDeletePattern = "/meetings/{id}/delete"
    static let meetingsEvaluationPattern = "/meetings/{id}/evaluation"
    static let meetingsEvaluationXlsxPattern = "/meetings/{id}/evaluation.xlsx"
    static let orgsMeetingsPattern = "/orgs/{id}/meetings"
    static let orgsMeetingsNewPattern = "/orgs/{id}/meetings/new"
    static let participation = "/participation"

    static func meetings(_ id: Int64) -> String { "/meetings/\(id)" }
    static func meetingsCheckin(_ id: Int64) -> String { "/meetings/\(id)/checkin" }
    static func meetingsCorrect(_ id: Int64) -> String { "/meetings/\(id)/correct" }
    static func meetingsDelete(_ id: Int64) -> String { "/meetings/\(id)/delete" }
    static func meetingsEvaluation(_ id: Int64) -> String { "/meetings/\(id)/evaluation" }
    static func orgsMeetings(_ id: Int64) -> String { "/orgs/\(id)/meetings" }
}
