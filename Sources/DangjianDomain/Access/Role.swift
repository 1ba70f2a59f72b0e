/// A role a user can hold (角色). Roles are granted for an organisation scope, see `RoleAssignment`.
///
/// The three administrator roles follow 等保 三员分立 (GB/T 22239-2019 8.1.5): none of them can do another's job,
/// and none of them reads members' personal data.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// 系统管理员 — accounts and settings; no member personal data, no audit.
    case systemAdmin = "system_admin"
    /// 安全管理员 — security policy and role grants.
    case securityAdmin = "security_admin"
    /// 审计管理员 — reads and exports the audit trail only.
    case auditAdmin = "audit_admin"
    /// 组织管理员 — everything inside one subtree of the organisation tree.
    case orgAdmin = "org_admin"
    /// 党务工作者 — keeps the records of one organisation.
    case partyWorker = "party_worker"
    /// 党员 — sees their own record only.
    case member = "member"

    /// The Chinese name shown in the UI.
    public var displayName: String {
        switch self {
        case .systemAdmin: "系统管理员"
        case .securityAdmin: "安全管理员"
        case .auditAdmin: "审计管理员"
        case .orgAdmin: "组织管理员"
        case .partyWorker: "党务工作者"
        case .member: "党员"
        }
    }

    /// Whether the role is bound to an organisation. The three administrator roles are system-wide.
    public var isOrganisational: Bool {
        switch self {
        case .systemAdmin, .securityAdmin, .auditAdmin: false
        case .orgAdmin, .partyWorker, .member: true
        }
    }

    /// The scope a new grant of this role covers by default.
    public var defaultScope: OrganisationScope {
        switch self {
        case .orgAdmin: .subtree
        default: .own
        }
    }

    /// One of the three separated administrators (三员: 系统, 安全, 审计管理员).
    public var isSeparatedAdministrator: Bool { !isOrganisational }

    /// 三员分立 (issue 15, M1): why a person holding `held` may not also be given `self`, or nil when they may. One of
    /// the three administrator roles excludes every other role; a data role excludes the three.
    public func conflict(with held: [Role]) -> String? {
        guard let other = held.first(where: { $0 != self && ($0.isSeparatedAdministrator || isSeparatedAdministrator) }) else { return nil }
        return "三员分立：该用户已担任\(other.displayName)，不能再担任\(displayName)（系统、安全、审计管理员各由一人专任，不兼任其他角色；等保 8.1.5）"
    }

    /// Holders sign in with a second factor, whatever the policy (issue 15, H6: 三员 and 组织管理员).
    public var requiresSecondFactor: Bool { isAdministrator }

    /// Administrator roles get the shorter idle timeout (security.md §3, 15 minutes).
    public var isAdministrator: Bool { !isOrganisational || self == .orgAdmin }

    /// What holding this role allows.
    public var permissions: Set<Permission> {
        switch self {
        case .systemAdmin:
            [.usersManage, .usersRead, .settingsManage, .organisationsRead, .backupRun]
        case .securityAdmin:
            [.rolesGrant, .policyManage, .usersRead, .organisationsRead]
        case .auditAdmin:
            [.auditRead, .auditExport]
        case .orgAdmin:
            [.organisationsRead, .organisationsWrite, .membersRead, .membersWrite, .personalDataReveal, .exportUnmasked, .ledgerManage, .ledgerWrite]
        case .partyWorker:
            [.organisationsRead, .membersRead, .membersWrite, .personalDataReveal, .ledgerWrite]
        case .member:
            [.ownRecordRead]
        }
    }
}

/// A single capability checked by routes and repositories.
public enum Permission: String, CaseIterable, Sendable, Codable {
    case usersManage = "users.manage"
    case usersRead = "users.read"
    case settingsManage = "settings.manage"
    case rolesGrant = "roles.grant"
    case policyManage = "policy.manage"
    case auditRead = "audit.read"
    case auditExport = "audit.export"
    case organisationsRead = "organisations.read"
    case organisationsWrite = "organisations.write"
    case membersRead = "members.read"
    case membersWrite = "members.write"
    case ownRecordRead = "own.read"
    case backupRun = "backup.run"
    case personalDataReveal = "pi.reveal"
    case exportUnmasked = "export.unmasked"
    /// 三单一账: 下达任务、组织督导、验收销号、下发提醒函 (the supervising office).
    case ledgerManage = "ledger.manage"
    /// 三单一账: 认领任务、记台账、整改问题、签收提醒函 (the organisation being supervised).
    case ledgerWrite = "ledger.write"

    /// The Chinese description used in 403 pages and the role page.
    public var displayName: String {
        switch self {
        case .usersManage: "管理用户账户"
        case .usersRead: "查看用户账户"
        case .settingsManage: "管理系统设置"
        case .rolesGrant: "授予和撤销角色"
        case .policyManage: "管理安全策略"
        case .auditRead: "查询审计记录"
        case .auditExport: "导出审计记录"
        case .organisationsRead: "查看党组织"
        case .organisationsWrite: "维护党组织"
        case .membersRead: "查看党员信息"
        case .membersWrite: "维护党员信息"
        case .ownRecordRead: "查看本人信息"
        case .backupRun: "执行备份"
        case .personalDataReveal: "查看完整身份证号、手机号、住址"
        case .exportUnmasked: "导出未脱敏名册"
        case .ledgerManage: "下达任务、督导检查、验收销号"
        case .ledgerWrite: "填报台账、整改问题"
        }
    }
}
