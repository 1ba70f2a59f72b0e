/// 022 (issue 15): when an account last failed a sign-in, so its failure count decays (L3): a failure long after
/// the previous one starts the count again instead of re-locking the account for ever; and what a personal access
/// token may do (M3): `read` (GET only) or `write`. Tokens made before keep `write`.
enum Migration022SignInAttempts {
    static let migration = Migration(version: 22, name: "sign_in_attempts_token_scope") { _ in
        [
            "ALTER TABLE users ADD COLUMN last_failed_at BIGINT",
            "ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write'",
            // Tokens made "for ever" now end a year after they were made, the longest a new token may live.
            "UPDATE api_tokens SET expires_at = created_at + 31536000 WHERE expires_at IS NULL",
        ]
    }
}
