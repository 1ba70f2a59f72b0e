import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// The start page after sign-in: what the user can do, by role.
struct HomeController {
    let services: AppServices

    struct GrantView {
        var role: String
        var organisation: String
        var scope: String
    }

    struct HomeModel {
        var name: String
        var grants: [GrantView]
        var hasGrants: Bool
        var lastLogin: String
        var canOrgs: Bool
        var canUsers: Bool
        var canAudit: Bool
        var canPolicy: Bool
        var unreadReminders: Int
        var hasUnread: Bool
        /// For the 安全管理员: out-of-scope alerts of the last 7 days (issue 15, M4), newest first.
        var alerts: [String]
        var hasAlerts: Bool
        /// M1: what administrators did to this account since the previous sign-in.
        var notices: [String] = []
        var hasNotices: Bool = false
        /// What is due, with its button (issue 17, item 17).
        var due: [DueRow] = []
        var hasDue: Bool = false
        var dueTotal: Int = 0
        var moreDue: Bool = false
        /// An office's subtrees with their red and yellow counts.
        var offices: [OfficeRow] = []
        var hasOffices: Bool = false
        /// A member's own organisational life, sign-ins, 民主评议 and dues.
        var member: MemberSection? = nil
    }

    func addRoutes(to site: Site) {
        site.add(.get, HomePaths.home, access: .signedIn) { request, context in try await home(request, context) }
        site.add(.post, HomePaths.accountNoticesDismiss, access: .signedIn) { _, context in
            if let token = context.identity?.sessionToken { try await services.sessions.dismissNotices(token: token) }
            return PageRenderer.redirect(HomePaths.home)
        }
    }

    /// GET /: the signed-in user's start page.
    func home(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        var grants: [GrantView] = []
        for grant in identity.principal.assignments {
            var organisation = "全系统"
            if let id = grant.organisationID, let org = try await services.organisations.find(id, access: .maintenance) {
                organisation = org.name
            }
            grants.append(
                GrantView(
                    role: grant.role.displayName, organisation: organisation,
                    scope: grant.role.isOrganisational ? grant.scope.displayName : "—"))
        }
        let p = identity.principal
        let unread = try await services.reminders.unreadCount(userID: identity.user.id)
        var alerts: [String] = []
        if p.has(.policyManage) {
            let since = services.clock.now().addingTimeInterval(-7 * 86_400)
            alerts = try await services.audit.search(
                AuditQuery(from: since, action: AuditAction.outOfScopeAlert.rawValue, limit: 20),
                database: services.database
            ).records.map { "\(Format.dateTime($0.at))　\($0.summary)（来源 \($0.ip)）" }
        }
        var notices: [String] = []
        if let since = identity.noticesSince {
            let shown: Set<String> = Set(
                [
                    AuditAction.passwordReset, .roleGranted, .roleRevoked, .secondFactorReset, .accountUnlocked,
                    .userEnabled,
                ].map(\.rawValue))
            let records = try await services.audit.search(
                AuditQuery(from: since, objectType: "user", objectID: String(identity.user.id), limit: 200),
                database: services.database
            ).records
            notices = records.filter { shown.contains($0.action) && $0.actorID != identity.user.id }
                .map { "\(Format.dateTime($0.at))　\($0.actorName)：\($0.summary)" }
            let failures = records.filter { $0.action == AuditAction.loginFailed.rawValue }.count
            if failures > 0 { notices.append("登录失败 \(failures) 次（密码或动态口令错误），请确认是否本人操作") }
        }
        var model = HomeModel(
            name: identity.user.displayName, grants: grants, hasGrants: !grants.isEmpty,
            lastLogin: Self.previousSignIn(identity.user),
            canOrgs: p.has(.organisationsRead), canUsers: p.has(.usersManage) || p.has(.rolesGrant) || p.has(.usersRead),
            canAudit: p.has(.auditRead), canPolicy: p.has(.policyManage),
            unreadReminders: unread, hasUnread: unread > 0, alerts: alerts, hasAlerts: !alerts.isEmpty)
        model.notices = notices
        model.hasNotices = !notices.isEmpty
        let due = try await dueRows(p)
        model.due = due.rows
        model.hasDue = !due.rows.isEmpty
        model.dueTotal = due.total
        model.moreDue = due.total > due.rows.count
        model.offices = try await officeRows(context)
        model.hasOffices = !model.offices.isEmpty
        model.member = try await memberSection(identity)
        return services.renderer.page("home/home", title: "首页", model: model, context: context, request: request)
    }
}

/// Display formatting in Beijing time (the users' clock), independent of the server's time zone.
enum Format {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Parses `YYYY-MM-DD` as the start of that day in Beijing time.
    static func day(_ text: String) -> Date? {
        // Only real dates (CivilDate checks the calendar), so Calendar never sees a nonsense component.
        guard let date = CivilDate(iso: text.trimmed) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
    }
}

extension HomeController {
    /// "上次登录": the sign-in before this one and its address (issue 17, item 13), so a user can spot a use that
    /// was not theirs; the first sign-in says so.
    static func previousSignIn(_ user: User) -> String {
        guard let at = user.previousLoginAt else { return "这是您的首次登录" }
        return Format.dateTime(at) + (user.previousLoginIP.map { $0.isEmpty ? "" : "，来自 \($0)" } ?? "")
    }
}
