/// 033 (issue 18, slug `dues`): 少交/免交 applications (DUES-07/18): the member, their organisation, 免交 or the reduced
/// monthly amount in fen, the months covered, the reason, the state of the application → branch → higher committee
/// lifecycle with each step's words, and the optimistic-lock version.
enum Migration033DuesReductions {
    static let migration = Migration(version: 33, name: "dues_reductions") { ddl in
        [
            """
            CREATE TABLE dues_reductions (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                exempt BIGINT NOT NULL,
                monthly_fen BIGINT NOT NULL,
                from_month TEXT NOT NULL,
                until_month TEXT NOT NULL,
                reason TEXT NOT NULL,
                state TEXT NOT NULL,
                history TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX dues_reductions_member ON dues_reductions(member_id, id)",
            "CREATE INDEX dues_reductions_organisation ON dues_reductions(organisation_id, state)",
        ]
    }
}
