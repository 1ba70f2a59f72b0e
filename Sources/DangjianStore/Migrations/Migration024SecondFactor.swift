/// 024 (issue 15, H6): a second factor per account — a TOTP secret (RFC 6238, sealed by the keyring; `confirmed_at`
/// NULL while enrolment is unfinished; `last_step`, the newest time step accepted, so a code is never accepted
/// twice) and single-use recovery codes (SHA-256 only). A session records when it passed the second factor and
/// when its user last proved who they are again before a sensitive action (step-up).
enum Migration024SecondFactor {
    static let migration = Migration(version: 24, name: "second_factor") { ddl in
        [
            """
            CREATE TABLE second_factors (
                user_id BIGINT PRIMARY KEY REFERENCES users(id),
                secret_enc TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                confirmed_at BIGINT,
                last_step BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE recovery_codes (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                code_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
            "CREATE INDEX recovery_codes_user ON recovery_codes(user_id, used_at)",
            "ALTER TABLE sessions ADD COLUMN second_factor_at BIGINT",
            "ALTER TABLE sessions ADD COLUMN step_up_at BIGINT",
        ]
    }
}
