/// 040 (issue 19): 公示 and 复核 of an approved assessment round (EVAL-11/12) and the 复验 of lagging units
/// (ASSESS-08) — the last day of publicity on the round, the units' written requests with the committee's answer
/// (both scores kept), every publication (the first with every line, each correction with only the changed lines)
/// and every recheck with the indicators' old and new values.
enum Migration040AssessmentPublicity {
    static let migration = Migration(version: 40, name: "assessment_publicity") { ddl in
        [
            "ALTER TABLE assessment_rounds ADD COLUMN publicity_ends TEXT",
            """
            CREATE TABLE assessment_appeals (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                reason TEXT NOT NULL,
                filed_on TEXT NOT NULL,
                reply_due TEXT NOT NULL,
                filed_by BIGINT REFERENCES users(id),
                outcome TEXT,
                reply TEXT,
                old_micro BIGINT,
                new_micro BIGINT,
                replied_by BIGINT REFERENCES users(id),
                replied_on TEXT,
                open_marker BIGINT
            )
            """,
            "CREATE UNIQUE INDEX assessment_appeals_open ON assessment_appeals(round_id, organisation_id, open_marker)",
            """
            CREATE TABLE assessment_publications (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                kind TEXT NOT NULL,
                lines TEXT NOT NULL,
                published_by BIGINT REFERENCES users(id),
                published_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_publications_round ON assessment_publications(round_id)",
            """
            CREATE TABLE assessment_rechecks (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                scores TEXT NOT NULL,
                total_micro BIGINT NOT NULL,
                passed BIGINT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_rechecks_unit ON assessment_rechecks(round_id, organisation_id)",
        ]
    }
}
