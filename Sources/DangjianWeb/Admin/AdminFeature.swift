/// 系统管理: users and roles, the security policy, the rule book, holidays and the audit log.
struct AdminFeature: Feature {
    let services: AppServices

    func addRoutes(to site: Site) {
        RuleBookController(services: services).addRoutes(to: site)
        UserAdminController(services: services).addRoutes(to: site)
        PolicyController(services: services).addRoutes(to: site)
        AuditController(services: services).addRoutes(to: site)
    }

    static let navigation: [NavEntry] = [
        NavEntry(position: 170, title: "用户与角色", href: "/admin/users", requirement: .anyOf([.usersManage, .usersRead, .rolesGrant])),
        NavEntry(position: 180, title: "安全策略", href: "/admin/policy", requirement: .permission(.policyManage)),
        NavEntry(position: 190, title: "规则参数", href: "/admin/rules", requirement: .permission(.settingsManage)),
        NavEntry(position: 200, title: "节假日", href: "/admin/holidays", requirement: .permission(.settingsManage)),
        NavEntry(position: 210, title: "审计日志", href: "/audit", requirement: .permission(.auditRead)),
    ]
}
