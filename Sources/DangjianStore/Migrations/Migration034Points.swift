/// 034 (issue 18, slug `points`): 党员积分 — entries per member and year (POINT-01): the item, the day, the points in
/// tenths, what for, where it came from (`source`: "meeting:<id>" and "dues:<month>" for the automatic entries, which
/// a recomputation replaces as a set; "manual:<n>" for a person's entry, which waits for the branch's approval,
/// POINT-04), and the year's veto or exemption per member (POINT-05/06). One source per member: the same record never
/// posts twice.
enum Migration034Points {
    static let migration = Migration(version: 34, name: "points") { ddl in
        [
            """
            CREATE TABLE point_entries (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                item TEXT NOT NULL,
                on_date TEXT NOT NULL,
                tenths BIGINT NOT NULL,
                note TEXT NOT NULL,
                source TEXT NOT NULL,
                automatic BIGINT NOT NULL,
                state TEXT NOT NULL,
                evidence TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL,
                decided_by BIGINT REFERENCES users(id)
            )
            """,
            "CREATE UNIQUE INDEX point_entries_source ON point_entries(member_id, source)",
            "CREATE INDEX point_entries_year ON point_entries(year, automatic)",
            "CREATE INDEX point_entries_organisation ON point_entries(organisation_id, year)",
            """
            CREATE TABLE point_standings (
                member_id BIGINT NOT NULL REFERENCES members(id),
                year BIGINT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                decided_by BIGINT REFERENCES users(id),
                decided_at BIGINT NOT NULL,
                PRIMARY KEY (member_id, year)
            )
            """,
        ]
    }
}
