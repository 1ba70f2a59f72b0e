/// 037 (issue 18, slug `dues`): mid-year changes of a member's base (DUES-09, only when the rule book's
/// `midyear_changes` is on): from which month of the year a new base and amount apply, and why. One per member and
/// month; the yearly base (January) stays in `dues_bases`.
enum Migration037DuesBaseChanges {
    static let migration = Migration(version: 37, name: "dues_base_changes") { ddl in
        [
            """
            CREATE TABLE dues_base_changes (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                from_month TEXT NOT NULL,
                category TEXT NOT NULL,
                base_fen BIGINT,
                monthly_fen BIGINT NOT NULL,
                parameters_version TEXT NOT NULL,
                reason TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX dues_base_changes_member_month ON dues_base_changes(member_id, from_month)",
        ]
    }
}
