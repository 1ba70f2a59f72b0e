import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 待办与提醒: each user's own to-do list, computed from everything the system checks, and the reminders the
/// scheduled job stored for them.
struct TodoController {
    let services: AppServices

    struct ItemRow {
        var colour: String
        var severity: String
        var organisation: String
        var message: String
        var link: String
        var dueOn: String
    }

    struct Group {
        var title: String
        var count: Int
        var items: [ItemRow]
    }

    struct ReminderRow {
        var colour: String
        var message: String
        var link: String
        var at: String
        var unread: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.get, HomePaths.todo, access: .signedIn) { request, context in
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            let items = try await services.todo.items(for: identity.principal)
            let groups = TodoItem.Category.allCases.compactMap { category -> Group? in
                let rows = items.filter { $0.category == category }.map { item in
                    ItemRow(
                        colour: item.severity.warningLevel.cssClass,
                        severity: item.severity.displayName,
                        organisation: item.organisationName, message: item.message, link: item.link, dueOn: item.dueOn.map { "截止 \($0)" } ?? "")
                }
                return rows.isEmpty ? nil : Group(title: category.displayName, count: rows.count, items: rows)
            }
            let reminders = try await services.reminders.recent(userID: identity.user.id, limit: 50)
            let model = TodoPage(
                groups: groups, hasItems: !groups.isEmpty, total: items.count,
                urgent: items.filter { $0.severity == .urgent }.count, warning: items.filter { $0.severity == .warning }.count,
                reminders: reminders.map {
                    ReminderRow(
                        colour: $0.severity.warningLevel.cssClass, message: $0.message, link: $0.link, at: Format.dateTime($0.createdAt),
                        unread: $0.readAt == nil)
                },
                hasReminders: !reminders.isEmpty, unread: reminders.filter { $0.readAt == nil }.count,
                hasUnread: reminders.contains { $0.readAt == nil })
            return services.renderer.page("home/todo", title: "待办", model: model, context: context, request: request)
        }
        site.add(.post, HomePaths.todoRead, access: .signedIn) { _, context in
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            try await services.reminders.markAllRead(userID: identity.user.id)
            return PageRenderer.redirect(HomePaths.todo)
        }
    }
}
