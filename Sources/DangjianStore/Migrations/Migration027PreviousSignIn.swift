/// 027 (issue 17, item 13): the sign-in before the current one, and from where, so that "上次登录" tells the user
/// about the previous use of the account (and they can spot someone else's), not the sign-in that just happened.
enum Migration027PreviousSignIn {
    static let migration = Migration(version: 27, name: "previous_sign_in") { _ in
        [
            "ALTER TABLE users ADD COLUMN last_login_ip TEXT",
            "ALTER TABLE users ADD COLUMN previous_login_at BIGINT",
            "ALTER TABLE users ADD COLUMN previous_login_ip TEXT",
        ]
    }
}
