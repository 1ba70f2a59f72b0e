/// 026 (issue 15, M1): from when a session shows its user what administrators did to their account (password
/// reset, roles granted or revoked, second factor reset, unlock): the user's previous sign-in. NULL once read.
enum Migration026AccountNotices {
    static let migration = Migration(version: 26, name: "account_notices") { _ in
        ["ALTER TABLE sessions ADD COLUMN notices_since BIGINT"]
    }
}
