/// 三单一账 (slug `lists`): campaigns, tasks, duties, problems, supervision, letters, the ledger report: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum ListsPaths {
    static let attachments = "/attachments"
    static let attachmentsPattern = "/attachments/{id}"
    static let campaigns = "/campaigns"
    static let campaignsPattern = "/campaigns/{id}"
    static let campaignsBoardXlsxPattern = "/campaigns/{id}/board.xlsx"
    static let campaignsClosePattern = "/campaigns/{id}/close"
    static let campaignsTasksPattern = "/campaigns/{id}/tasks"
    static let duties = "/duties"
    static let dutiesLetters = "/duties/letters"
    static let dutiesTemplates = "/duties/templates"
    static let dutiesTemplatesListsPattern = "/duties/templates/{id}/lists"
    static let dutiesPattern = "/duties/{id}"
    static let dutiesRecordsPattern = "/duties/{id}/records"
    static let ledgerReport = "/ledger/report"
    static let letters = "/letters"
    static let lettersNew = "/letters/new"
    static let lettersAcknowledgePattern = "/letters/{id}/acknowledge"
    static let lettersLetterDocxPattern = "/letters/{id}/letter.docx"
    static let lettersSentPattern = "/letters/{id}/sent"
    static let problems = "/problems"
    static let problemsExportXlsx = "/problems/export.xlsx"
    static let problemsPattern = "/problems/{id}"
    static let supervision = "/supervision"
    static let supervisionGroups = "/supervision/groups"
    static let supervisionRounds = "/supervision/rounds"
    static let supervisionRoundsPattern = "/supervision/rounds/{id}"
    static let supervisionRoundsVisitsPattern = "/supervision/rounds/{id}/visits"
    static let tasks = "/tasks"
    static let tasksPattern = "/tasks/{id}"

    static func campaigns(_ id: Int64) -> String { "/campaigns/\(id)" }
    static func duties(_ id: Int64) -> String { "/duties/\(id)" }
    static func problems(_ id: Int64) -> String { "/problems/\(id)" }
    static func supervisionRounds(_ id: Int64) -> String { "/supervision/rounds/\(id)" }
    static func tasks(_ id: Int64) -> String { "/tasks/\(id)" }
}
