/// 020: a case file's applicant on the roster (the probationary member created when the committee approves the
/// admission, DEV-25/27, and made a full member on conversion, DEV-32), and the annual development targets
/// (年度发展计划) a committee sets for the organisations under it.
enum Migration020DevelopmentRoster {
    static let migration = Migration(version: 20, name: "development_roster") { ddl in
        [
            "ALTER TABLE development_cases ADD COLUMN member_id BIGINT REFERENCES members(id)",
            "CREATE INDEX development_cases_member ON development_cases(member_id)",
            """
            CREATE TABLE development_targets (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                target BIGINT NOT NULL,
                note TEXT,
                set_by BIGINT REFERENCES users(id),
                set_at BIGINT NOT NULL,
                UNIQUE (organisation_id, year)
            )
            """,
        ]
    }
}
