import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// Account management (系统管理员) and role grants (安全管理员). Separation of duties: the system administrator
/// creates accounts and resets passwords but cannot grant roles; the security administrator grants roles but
/// cannot create accounts; nobody changes their own roles.
struct UserAdminController {
    let services: AppServices

    struct UserRow {
        var id: Int64
        var username: String
        var displayName: String
        var status: String
        var roles: String
        var lastLogin: String
    }

    struct GrantRow {
        var id: Int64
        var role: String
        var organisation: String
        var scope: String
        var revocable: Bool
    }

    struct DetailModel {
        var user: UserRow
        var grants: [GrantRow]
        var hasGrants: Bool
        var locked: Bool
        var disabled: Bool
        var isSelf: Bool
        var canManage: Bool
        var canGrant: Bool
        var roles: [SelectOption]
        var organisations: [SelectOption]
        var scopes: [SelectOption]
        var oneTimePassword: String?
        var error: String?
        /// 动态口令: "已启用（剩余恢复码 n 个）" or "未启用".
        var secondFactor: String = ""
        var secondFactorEnrolled: Bool = false
        var canResetSecondFactor: Bool = false
        var secondFactorReset: Bool = false
    }

    struct NewModel {
        var username: String
        var displayName: String
        var organisations: [SelectOption]
        var error: String?
        var errorField: String?
    }

    func addRoutes(to site: Site) {
        site.add(.get, AdminPaths.users, access: .permission(.usersRead)) { request, context in
            let users = try await services.accounts.all()
            var rows: [UserRow] = []
            for user in users { rows.append(try await row(user)) }
            let canCreate = context.identity?.principal.has(.usersManage) ?? false
            return services.renderer.page(
                "admin/users", title: "用户与角色", model: UserListPage(users: rows, canCreate: canCreate, count: rows.count),
                context: context, request: request)
        }
        site.add(.get, AdminPaths.usersNew, access: .permission(.usersManage)) { request, context in
            try await newPage(request, context, username: "", displayName: "", organisationID: nil, error: nil, status: .ok)
        }
        site.add(.post, AdminPaths.users, access: .permission(.usersManage)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let new = NewUserForm(form)
            do {
                let created = try await services.accounts.create(
                    username: new.username, displayName: new.displayName, organisationID: new.organisationID,
                    policy: try await services.passwordPolicy(), actor: context.actor)
                return try await detailPage(request, context, id: created.user.id, oneTime: created.oneTimePassword, error: nil, status: .created)
            } catch let failure as ValidationFailure {
                return try await newPage(
                    request, context, username: new.username, displayName: new.displayName, organisationID: new.organisationID, error: failure,
                    status: .badRequest)
            }
        }
        site.add(.get, AdminPaths.usersPattern, access: .permission(.usersRead)) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let response = try await detailPage(request, context, id: id, oneTime: nil, error: nil, status: .ok)
            // Every view of a person's detail page is recorded.
            try await services.audit.record(
                AuditEvent(
                    action: .personViewed, objectType: "user", objectID: String(id), summary: "查看用户详情"),
                by: context.actor, database: services.database)
            return response
        }
        site.add(.post, AdminPaths.usersResetPasswordPattern, access: .permission(.usersManage)) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try refuseSelf(id, context)
            try StepUp.require(request, context, services: services, returnTo: AdminPaths.users(id))  // H6
            let oneTime = try await services.accounts.resetPassword(userID: id, policy: try await services.passwordPolicy(), actor: context.actor)
            return try await detailPage(request, context, id: id, oneTime: oneTime, error: nil, status: .ok)
        }
        site.add(.post, AdminPaths.usersUnlockPattern, access: .permission(.usersManage)) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try await services.accounts.unlock(userID: id, actor: context.actor)
            return PageRenderer.redirect(AdminPaths.users(id))
        }
        site.add(.post, AdminPaths.usersDisablePattern, access: .permission(.usersManage)) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try await services.accounts.setDisabled(userID: id, disabled: true, actor: context.actor)
            return PageRenderer.redirect(AdminPaths.users(id))
        }
        site.add(.post, AdminPaths.usersEnablePattern, access: .permission(.usersManage)) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try await services.accounts.setDisabled(userID: id, disabled: false, actor: context.actor)
            return PageRenderer.redirect(AdminPaths.users(id))
        }
        site.add(.post, AdminPaths.usersRolesPattern, access: .permission(.rolesGrant)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            try StepUp.require(request, context, services: services, returnTo: AdminPaths.users(id))  // H6
            do {
                let grant = try RoleGrantForm(form)
                _ = try await services.accounts.grant(
                    role: grant.role, to: id, organisationID: grant.organisationID, scope: grant.scope, actor: context.actor)
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, id: id, oneTime: nil, error: failure.fullMessage, status: .badRequest)
            }
            return PageRenderer.redirect(AdminPaths.users(id))
        }
        site.add(.post, AdminPaths.usersRolesRevokePattern, access: .permission(.rolesGrant)) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try StepUp.require(request, context, services: services, returnTo: AdminPaths.users(id))  // H6
            let grantID = try context.parameters.require("grant", as: Int64.self)
            let grants = try await services.accounts.assignments(of: id)
            guard grants.contains(where: { $0.id == grantID }) else {
                throw RecordNotFound(objectType: "role_assignment", objectID: String(grantID))
            }
            try await services.accounts.revoke(assignmentID: grantID, actor: context.actor)
            return PageRenderer.redirect(AdminPaths.users(id))
        }
    }

    private func refuseSelf(_ id: Int64, _ context: AppRequestContext) throws {
        if context.identity?.user.id == id {
            throw AccessDenied(permission: .usersManage, reason: "不能在此重置自己的密码，请使用“修改密码”")
        }
    }

    private func row(_ user: User) async throws -> UserRow {
        let grants = try await services.accounts.assignments(of: user.id)
        var status = "正常"
        if user.disabledAt != nil {
            status = "已停用"
        } else if user.isLocked(at: services.clock.now()) {
            status = "已锁定"
        } else if user.mustChangePassword {
            status = "待修改初始密码"
        }
        return UserRow(
            id: user.id, username: user.username, displayName: user.displayName, status: status,
            roles: grants.map(\.role.displayName).joined(separator: "、"),
            lastLogin: user.lastLoginAt.map(Format.dateTime) ?? "从未登录")
    }

    private func organisationOptions(selected: Int64?) async throws -> [SelectOption] {
        try await services.organisations.visible(access: .maintenance).map {
            SelectOption(value: String($0.id), label: String(repeating: "　", count: $0.depth - 1) + $0.name, selected: $0.id == selected)
        }
    }

    private func detailPage(
        _ request: Request, _ context: AppRequestContext, id: Int64, oneTime: String?, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let user = try await services.accounts.find(id) else { throw RecordNotFound(objectType: "user", objectID: String(id)) }
        let identity = context.identity
        let isSelf = identity?.user.id == id
        var grants: [GrantRow] = []
        for grant in try await services.accounts.assignments(of: id) {
            var organisation = "全系统"
            if let orgID = grant.organisationID, let org = try await services.organisations.find(orgID, access: .maintenance) {
                organisation = org.name
            }
            grants.append(
                GrantRow(
                    id: grant.id, role: grant.role.displayName, organisation: organisation,
                    scope: grant.role.isOrganisational ? grant.scope.displayName : "—",
                    revocable: !isSelf && (identity?.principal.has(.rolesGrant) ?? false)))
        }
        let canGrant = !isSelf && (identity?.principal.has(.rolesGrant) ?? false)
        var model = DetailModel(
            user: try await row(user), grants: grants, hasGrants: !grants.isEmpty,
            locked: user.isLocked(at: services.clock.now()), disabled: user.disabledAt != nil, isSelf: isSelf,
            canManage: !isSelf && (identity?.principal.has(.usersManage) ?? false), canGrant: canGrant,
            roles: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) },
            organisations: canGrant ? try await organisationOptions(selected: user.organisationID) : [],
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) },
            oneTimePassword: oneTime, error: error)
        let factor = try await services.secondFactors.status(userID: id)
        model.secondFactorEnrolled = factor.enrolled
        model.secondFactor = factor.enrolled ? "已启用（剩余恢复码 \(factor.recoveryCodesLeft) 个）" : "未启用"
        model.canResetSecondFactor = factor.enrolled && !isSelf && (identity?.principal.has(.rolesGrant) ?? false)
        model.secondFactorReset = FormData.query(request)["second_factor_reset"] != nil
        return services.renderer.page(
            "admin/user_detail", title: "用户 \(user.username)", model: model, context: context, request: request, status: status)
    }

    private func newPage(
        _ request: Request, _ context: AppRequestContext, username: String, displayName: String,
        organisationID: Int64?, error: ValidationFailure?, status: HTTPResponse.Status
    ) async throws -> Response {
        let model = NewModel(
            username: username, displayName: displayName,
            organisations: try await organisationOptions(selected: organisationID),
            error: error?.fullMessage, errorField: error?.field)
        return services.renderer.page("admin/user_new", title: "新建用户", model: model, context: context, request: request, status: status)
    }
}

/// The password and sign-in policy page (安全管理员).
struct PolicyController {
    let services: AppServices

    struct Model {
        var policy: PasswordPolicy
        var maxAgeDays: String
        var lockoutMinutes: String
        var everyoneSecondFactor: Bool = false
        var error: String?
        var saved: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.get, AdminPaths.policy, access: .permission(.policyManage)) { request, context in
            let model = Model(
                policy: try await services.passwordPolicy(), maxAgeDays: "", lockoutMinutes: "", error: nil,
                saved: FormData.query(request)["saved"] != nil)
            return services.renderer.page("admin/policy", title: "安全策略", model: fill(model), context: context, request: request)
        }
        site.add(.post, AdminPaths.policy, access: .permission(.policyManage)) { request, context in try await savePolicy(request, context) }
    }

    /// POST /admin/policy: the password and lockout policy.
    func savePolicy(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let previous = try await services.passwordPolicy()
        var policy = previous
        do {
            policy = try PasswordPolicyForm(form, previous: previous).policy
            try await services.settings.savePasswordPolicy(policy, previous: previous, actor: context.actor)
        } catch let failure as ValidationFailure {
            let model = Model(
                policy: policy, maxAgeDays: "", lockoutMinutes: "",
                error: failure.fullMessage, saved: false)
            return services.renderer.page(
                "admin/policy", title: "安全策略", model: fill(model), context: context, request: request, status: .badRequest)
        }
        return PageRenderer.redirect(AdminPaths.policy + "?saved=1")
    }

    private func fill(_ model: Model) -> Model {
        var model = model
        model.maxAgeDays = model.policy.maxAgeDays.map(String.init) ?? ""
        model.lockoutMinutes = model.policy.lockoutMinutes.map(String.init) ?? ""
        model.everyoneSecondFactor = model.policy.secondFactorForEveryone == true
        return model
    }
}
