import DangjianDomain
import DangjianStore

// The forms of signing in and of one's own account, parsed by `FormReader`. Passwords are read exactly as typed
// (never trimmed); the checks are the Store's (lockout, policy, history).

/// POST /login.
struct SignInForm {
    var username: String
    var password: String
    /// Where to go afterwards: only a path on this site (`AuthController.safeNext`).
    var next: String

    init(_ form: FormData) {
        let reader = FormReader(form)
        username = reader.text("username")
        password = reader.raw("password")
        next = AuthController.safeNext(reader.text("next"))
    }
}

/// POST /account/password: the current password and the new one twice.
struct PasswordChangeForm {
    var current: String
    var new: String

    init(_ form: FormData) throws(ValidationFailure) {
        let reader = FormReader(form)
        guard reader.raw("new_password") == reader.raw("confirm_password") else {
            throw ValidationFailure(field: "confirm_password", message: "两次输入的新密码不一致")
        }
        current = reader.raw("current_password")
        new = reader.raw("new_password")
    }
}

/// POST /login/verify, /account/two-factor and /account/step-up: a one-time code (or, for a step-up without a second
/// factor, the password) and where to go next.
struct ProofForm {
    var code: String
    var password: String
    var next: String

    init(_ form: FormData) {
        let reader = FormReader(form)
        code = reader.text("code")
        password = reader.raw("password")
        next = AuthController.safeNext(reader.text("next"))
    }
}

/// POST /account/tokens: a personal access token for the API.
struct AccessTokenForm {
    var name: String
    /// Nil: the longest validity the policy allows.
    var validDays: Int?
    var scope: APITokenScope

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        name = reader.text("name")
        let empty = reader.text("valid_days").isEmpty
        let days = reader.number("valid_days", DayCount.self)?.value
        validDays = empty ? nil : days ?? 0
        scope = reader.choice("scope", APITokenScope.self) ?? .read
        try reader.finish()
    }
}

/// POST /admin/users/{id}/two-factor/reset: the reason a security administrator resets someone's second factor.
struct SecondFactorResetForm {
    var reason: String

    init(_ form: FormData) {
        let text = FormReader(form).text("reason")
        reason = text.isEmpty ? "手机丢失或更换" : String(text.prefix(200))
    }
}
