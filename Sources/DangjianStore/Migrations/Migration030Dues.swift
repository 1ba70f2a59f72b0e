/// 030 (issue 18, slug `dues`): each member's 党费 base for a year (DUES-09: fixed from the yearly base-setting): the
/// category, the monthly base in fen (none for the flat-amount categories), the monthly amount in fen computed by
/// DUES-02…06/16, the parameters' version it was computed under and the optimistic-lock version. One row per
/// member and year; the organisation is the one holding the member's relations when it was set (DUES-10).
enum Migration030Dues {
    static let migration = Migration(version: 30, name: "dues_bases") { ddl in
        [
            """
            CREATE TABLE dues_bases (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                category TEXT NOT NULL,
                base_fen BIGINT,
                monthly_fen BIGINT NOT NULL,
                parameters_version TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX dues_bases_member_year ON dues_bases(member_id, year)",
            "CREATE INDEX dues_bases_organisation_year ON dues_bases(organisation_id, year)",
        ]
    }
}
