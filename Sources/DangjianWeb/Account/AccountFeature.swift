/// 账户: sign-in and sign-out, the second factor, sessions, access tokens and the password.
struct AccountFeature: Feature {
    static let paths = [
        "twoFactorReset": AccountPaths.twoFactorReset, "accountTokens": AccountPaths.tokens, "accountPassword": AccountPaths.changeCredentials,
        "accountTwoFactor": AccountPaths.twoFactor,
    ]
    let services: AppServices

    func addRoutes(to site: Site) {
        let auth = AuthController(services: services)
        auth.addRoutes(to: site)
        auth.addSessionRoutes(to: site)
        SecondFactorController(services: services).addRoutes(to: site)
        TokenController(services: services).addRoutes(to: site)
        site.add(.get, AccountPaths.settings, access: .signedIn) { request, context in
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            let model = AccountSettingsPage(
                name: identity.user.displayName, username: identity.user.username, lastLogin: HomeController.previousSignIn(identity.user),
                ownRecord: identity.principal.has(.ownRecordRead))
            return services.renderer.page("account/settings", title: "账户设置", model: model, context: context, request: request)
        }
    }

    /// One entry for the account's settings (password, second factor, devices, access tokens), last in the bar; a
    /// member's menu starts with their own work, not with API tokens (issue 17, item 17).
    static let navigation: [NavEntry] = [
        NavEntry(position: 910, title: "账户设置", href: AccountPaths.settings, requirement: .signedIn)
    ]
}

/// 账户设置 (`account/settings`): the account's own pages in one place.
struct AccountSettingsPage {
    var name: String
    var username: String
    var lastLogin: String
    /// Linked to a member: 我的信息 is offered.
    var ownRecord: Bool
}
