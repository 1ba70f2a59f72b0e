/// 系统管理: users and roles, the security policy, the rule book, holidays and the audit log.
struct AdminFeature: Feature {
    static let paths = ["adminUsers": AdminPaths.users, "adminRules": AdminPaths.rules, "adminPolicy": AdminPaths.policy]
    let services: AppServices

    func addRoutes(to site: Site) {
        RuleBookController(services: services).addRoutes(to: site)
        UserAdminController(services: services).addRoutes(to: site)
        PolicyController(services: services).addRoutes(to: site)
        AuditController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 170, title: "用户与角色", href: AdminPaths.users, requirement: .anyOf([.usersManage, .usersRead, .rolesGrant])),
        NavEntry(position: 180, title: "安全策略", href: AdminPaths.policy, requirement: .permission(.policyManage)),
        NavEntry(position: 190, title: "规则参数", href: AdminPaths.rules, requirement: .permission(.settingsManage)),
        NavEntry(position: 200, title: "节假日", href: AdminPaths.holidays, requirement: .permission(.settingsManage)),
        NavEntry(position: 210, title: "审计日志", href: AdminPaths.audit, requirement: .permission(.auditRead)),
    ]
}
