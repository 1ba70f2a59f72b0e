/// 010: reminders (站内提醒) written by the scheduled reminder job: one row per user and matter, never twice for the
/// same matter in the same period (the dedupe key names the rule, the organisation and the period).
enum Migration010Reminders {
    static let migration = Migration(version: 10, name: "reminders") { ddl in
        [
            """
            CREATE TABLE reminders (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                dedupe_key TEXT NOT NULL,
                category TEXT NOT NULL,
                severity TEXT NOT NULL,
                organisation_id BIGINT REFERENCES organisations(id),
                rule_id TEXT,
                message TEXT NOT NULL,
                link TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                read_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX reminders_user_key ON reminders(user_id, dedupe_key)",
            "CREATE INDEX reminders_user_unread ON reminders(user_id, read_at, created_at)",
        ]
    }
}
