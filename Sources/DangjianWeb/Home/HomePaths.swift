/// 首页 and 待办 (slug `home`): the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum HomePaths {
    static let home = "/"
    static let accountNoticesDismiss = "/account/notices/dismiss"
    static let todo = "/todo"
    static let todoRead = "/todo/read"

}
