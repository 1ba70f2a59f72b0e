/// 账户: sign-in and sign-out, the second factor, sessions, access tokens and the password.
struct AccountFeature: Feature {
    static let paths = ["twoFactorReset": AccountPaths.twoFactorReset]
    let services: AppServices

    func addRoutes(to site: Site) {
        let auth = AuthController(services: services)
        auth.addRoutes(to: site)
        auth.addSessionRoutes(to: site)
        SecondFactorController(services: services).addRoutes(to: site)
        TokenController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 910, title: "访问令牌", href: AccountPaths.tokens, requirement: .signedIn),
        NavEntry(position: 920, title: "动态口令", href: AccountPaths.twoFactor, requirement: .signedIn),
        NavEntry(position: 930, title: "登录设备", href: AccountPaths.sessions, requirement: .signedIn),
        NavEntry(position: 940, title: "修改密码", href: AccountPaths.changeCredentials, requirement: .signedIn),
    ]
}
