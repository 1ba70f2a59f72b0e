/// 036 (issue 18, slug `dues`): 自行脱党审查 cases (DUES-13/19) — opened by a person when a member has six months
/// without dues or organisational life, with the 批评教育 and 限期改正 steps and the decision kept in the history.
/// `open_marker` is 1 while the case is undecided and NULL after, so a member has at most one open case (NULLs are
/// distinct in a unique index on both databases).
enum Migration036LapseCases {
    static let migration = Migration(version: 36, name: "lapse_cases") { ddl in
        [
            """
            CREATE TABLE lapse_cases (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                opened_on TEXT NOT NULL,
                dues_months BIGINT NOT NULL,
                life_months BIGINT NOT NULL,
                state TEXT NOT NULL,
                educated_on TEXT,
                deadline TEXT,
                outcome TEXT,
                decided_on TEXT,
                history TEXT NOT NULL,
                open_marker BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX lapse_cases_open ON lapse_cases(member_id, open_marker)",
            "CREATE INDEX lapse_cases_organisation ON lapse_cases(organisation_id, open_marker)",
        ]
    }
}
