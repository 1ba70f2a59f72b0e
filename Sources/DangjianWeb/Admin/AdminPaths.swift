/// 系统管理 (slug `admin`): users, roles, policy, rule book, holidays, audit: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum AdminPaths {
    static let holidays = "/admin/holidays"
    static let policy = "/admin/policy"
    static let rules = "/admin/rules"
    static let users = "/admin/users"
    static let usersNew = "/admin/users/new"
    static let usersPattern = "/admin/users/{id}"
    static let usersDisablePattern = "/admin/users/{id}/disable"
    static let usersEnablePattern = "/admin/users/{id}/enable"
    static let usersResetPasswordPattern = "/admin/users/{id}/reset-password"
    static let usersRolesPattern = "/admin/users/{id}/roles"
    static let usersRolesRevokePattern = "/admin/users/{id}/roles/{grant}/revoke"
    static let usersUnlockPattern = "/admin/users/{id}/unlock"
    static let audit = "/audit"
    static let auditExportCsv = "/audit/export.csv"

    static func users(_ id: Int64) -> String { "/admin/users/\(id)" }
}
