/// 待办 (`home/todo`): what to do now, grouped by capability, and the reminders the job stored.
struct TodoPage {
    var groups: [TodoController.Group]
    var hasItems: Bool
    var total: Int
    var urgent: Int
    var warning: Int
    var reminders: [TodoController.ReminderRow]
    var hasReminders: Bool
    var unread: Int
    var hasUnread: Bool
}
