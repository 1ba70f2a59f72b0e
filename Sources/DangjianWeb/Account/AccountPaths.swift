/// 账户 (slug `account`): sign-in, second factor, sessions, tokens: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum AccountPaths {
    /// 账户设置: one page for the account's own settings (issue 17, item 17).
    static let settings = "/account"
    /// 修改密码.
    static let changeCredentials = "/account/password"
    static let sessions = "/account/sessions"
    static let sessionLeft = "/account/session-left"
    static let sessionsEndOthers = "/account/sessions/end-others"
    static let sessionsEndPattern = "/account/sessions/{id}/end"
    static let stepUp = "/account/step-up"
    static let tokens = "/account/tokens"
    static let tokensRevokePattern = "/account/tokens/{id}/revoke"
    static let twoFactor = "/account/two-factor"
    static let twoFactorRecoveryCodes = "/account/two-factor/recovery-codes"
    static let twoFactorReset = "/account/two-factor/reset"
    static let adminUsersSecondFactorResetPattern = "/admin/users/{id}/second-factor/reset"
    static let login = "/login"
    static let loginVerify = "/login/verify"
    static let logout = "/logout"

}
