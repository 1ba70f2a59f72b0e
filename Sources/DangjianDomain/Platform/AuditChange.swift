/// One changed field of an audited write: name, old value, new value (already masked when sensitive).
public struct FieldChange: Sendable, Equatable, Codable {
    public var field: String
    public var old: String?
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// A change of a sensitive field: both values masked with `mask` before they are stored.
    public static func sensitive(field: String, old: String?, new: String?, mask: (String) -> String) -> FieldChange {
        FieldChange(field: field, old: old.map(mask), new: new.map(mask))
    }

    /// Records about people (党员, 发展对象, accounts, attendance …): the 审计管理员 sees which field changed, by whom
    /// and when, never the values (issue 15, M2), except the fields that say nothing about the person.
    public static let personalObjectTypes: Set<String> = [
        "member", "development_case", "development_entry", "member_transfer", "floating_certificate", "evaluation",
        "meeting", "meeting_checkin", "user", "application_form",
    ]
    /// Fields of personal records whose values are bookkeeping, shown as they are.
    public static let bookkeepingFields: Set<String> = ["version", "failed_count", "organisation_id", "password", "status"]
    /// What replaces a personal value for the auditor.
    public static let hiddenValue = "（已隐藏）"

    /// This change as the audit pages and exports show it: values of personal records hidden.
    public func forAuditor(objectType: String) -> FieldChange {
        guard Self.personalObjectTypes.contains(objectType), !Self.bookkeepingFields.contains(field) else { return self }
        return FieldChange(field: field, old: old.map { _ in Self.hiddenValue }, new: new.map { _ in Self.hiddenValue })
    }
}

/// The kinds of audit events (审计事件类型). Stable identifiers are stored; Chinese names are shown.
public enum AuditAction: String, CaseIterable, Sendable, Codable {
    case loginSucceeded = "login.success"
    case loginFailed = "login.failure"
    case accountLocked = "login.locked"
    case loginThrottled = "login.throttled"
    case logout = "logout"
    case sessionExpired = "session.expired"
    case passwordChanged = "password.change"
    case passwordReset = "password.reset"
    case accountUnlocked = "account.unlock"
    case accessDenied = "access.denied"
    /// Requests for records outside the caller's scope (404), one record per user and minute (issue 15, M4).
    case outOfScope = "access.out_of_scope"
    /// A user passed the out-of-scope alert threshold within a minute (an alert for the 安全管理员).
    case outOfScopeAlert = "access.out_of_scope_alert"
    case csrfRejected = "csrf.rejected"
    case create = "create"
    case update = "update"
    case move = "move"
    case dissolve = "dissolve"
    /// A record entered by mistake, deleted with a reason (kept, marked, left out of every count).
    case delete = "delete"
    case roleGranted = "role.grant"
    case roleRevoked = "role.revoke"
    case tokenCreated = "token.create"
    case tokenRevoked = "token.revoke"
    case personViewed = "person.view"
    case personalDataRevealed = "pi.reveal"
    case export = "export"
    case importCommitted = "import"
    case auditSearched = "audit.search"
    case backup = "backup"
    case restore = "restore"
    case settingsChanged = "settings.change"
    case userDisabled = "user.disable"
    case userEnabled = "user.enable"
    /// 双因素认证 (issue 15, H6): a second factor enrolled, checked, failed, reset, recovery codes issued or used.
    case secondFactorEnrolled = "2fa.enrol"
    case secondFactorVerified = "2fa.verify"
    case secondFactorFailed = "2fa.failure"
    case secondFactorReset = "2fa.reset"
    case recoveryCodesIssued = "2fa.recovery_issue"
    case recoveryCodeUsed = "2fa.recovery_use"
    /// Identity checked again before a sensitive action (二次验证 step-up).
    case stepUp = "2fa.step_up"

    public var displayName: String {
        switch self {
        case .loginSucceeded: "登录成功"
        case .loginFailed: "登录失败"
        case .accountLocked: "账户锁定"
        case .loginThrottled: "登录限流"
        case .logout: "退出登录"
        case .sessionExpired: "会话超时"
        case .passwordChanged: "修改密码"
        case .passwordReset: "重置密码"
        case .accountUnlocked: "解除锁定"
        case .secondFactorEnrolled: "启用动态口令"
        case .secondFactorVerified: "动态口令验证"
        case .secondFactorFailed: "动态口令错误"
        case .secondFactorReset: "重置动态口令"
        case .recoveryCodesIssued: "生成恢复码"
        case .recoveryCodeUsed: "使用恢复码"
        case .stepUp: "二次验证"
        case .accessDenied: "越权拒绝"
        case .outOfScope: "范围外访问"
        case .outOfScopeAlert: "范围外访问告警"
        case .csrfRejected: "CSRF 拒绝"
        case .create: "新增"
        case .update: "修改"
        case .move: "划转"
        case .dissolve: "撤销"
        case .delete: "删除"
        case .roleGranted: "授予角色"
        case .roleRevoked: "撤销角色"
        case .tokenCreated: "创建访问令牌"
        case .tokenRevoked: "吊销访问令牌"
        case .personViewed: "查看个人详情"
        case .personalDataRevealed: "查看敏感信息"
        case .export: "导出"
        case .importCommitted: "导入"
        case .auditSearched: "查询审计"
        case .backup: "备份"
        case .restore: "恢复"
        case .settingsChanged: "修改设置"
        case .userDisabled: "停用账户"
        case .userEnabled: "启用账户"
        }
    }
}
