/// 党员名册 (slug `members`): the roster, its import and export, transfers, floating members: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum MembersPaths {
    static let accountMe = "/account/me"
    static let exports = "/exports"
    static let exportsPattern = "/exports/{id}"
    static let exportsDownloadPattern = "/exports/{id}/download"
    static let floating = "/floating"
    static let floatingReturnPattern = "/floating/{id}/return"
    static let members = "/members"
    static let membersExportCsv = "/members/export.csv"
    static let membersExportXlsx = "/members/export.xlsx"
    static let membersExportUnmasked = "/members/export/unmasked"
    static let membersImport = "/members/import"
    static let membersImportTemplateXlsx = "/members/import/template.xlsx"
    static let membersImportCommitPattern = "/members/import/{job}/commit"
    static let membersImportProblemsXlsxPattern = "/members/import/{job}/problems.xlsx"
    static let membersAccounts = "/members/accounts"
    static let membersLinkAccounts = "/members/link-accounts"
    static let membersLookup = "/members/lookup"
    static let membersNew = "/members/new"
    static let membersStatistics = "/members/statistics"
    static let membersPattern = "/members/{id}"
    static let membersAccountPattern = "/members/{id}/account"
    static let membersEditPattern = "/members/{id}/edit"
    static let membersFloatingPattern = "/members/{id}/floating"
    static let membersRevealPattern = "/members/{id}/reveal"
    static let membersTransferPattern = "/members/{id}/transfer"
    static let transfers = "/transfers"
    static let transfersCancelPattern = "/transfers/{id}/cancel"
    static let transfersConfirmPattern = "/transfers/{id}/confirm"
    static let transfersLetterDocxPattern = "/transfers/{id}/letter.docx"
    static let transfersReceivePattern = "/transfers/{id}/receive"

    static func exports(_ id: Int64) -> String { "/exports/\(id)" }
    static func members(_ id: Int64) -> String { "/members/\(id)" }

}
