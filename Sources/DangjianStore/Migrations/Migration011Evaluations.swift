/// 011: 民主评议党员 (LIFE-08): one evaluation per evaluation meeting, one line per member listed at it (self-evaluation
/// summary, peer-ballot tallies, grade, follow-up, feedback date). Grades are fixed once (status `final`).
enum Migration011Evaluations {
    static let migration = Migration(version: 11, name: "evaluations") { ddl in
        [
            """
            CREATE TABLE evaluations (
                id \(ddl.primaryKey),
                meeting_id BIGINT NOT NULL REFERENCES meetings(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                status TEXT NOT NULL,
                ballots BIGINT NOT NULL,
                finalised_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX evaluations_meeting ON evaluations(meeting_id)",
            "CREATE INDEX evaluations_organisation ON evaluations(organisation_id, year)",
            """
            CREATE TABLE evaluation_entries (
                evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
                member_id BIGINT NOT NULL REFERENCES members(id),
                full_member BIGINT NOT NULL,
                self_evaluation TEXT,
                peer_excellent BIGINT NOT NULL DEFAULT 0,
                peer_qualified BIGINT NOT NULL DEFAULT 0,
                peer_basic BIGINT NOT NULL DEFAULT 0,
                peer_unqualified BIGINT NOT NULL DEFAULT 0,
                grade TEXT,
                follow_up TEXT,
                feedback_on TEXT,
                PRIMARY KEY (evaluation_id, member_id)
            )
            """,
            "CREATE INDEX evaluation_entries_member ON evaluation_entries(member_id)",
        ]
    }
}
