/// 008: the organisational-life ledger (组织生活记录): meetings and other activities with attendance per member and
/// the votes on resolutions (LIFE-01…11, LIFE-02).
enum Migration008Meetings {
    static let migration = Migration(version: 8, name: "meetings") { ddl in
        [
            """
            CREATE TABLE meetings (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                held_on TEXT NOT NULL,
                place TEXT,
                host TEXT,
                recorder TEXT,
                topic TEXT NOT NULL,
                agenda TEXT,
                minutes TEXT,
                decisions TEXT,
                lecturer TEXT,
                theme_items TEXT,
                should_attend BIGINT NOT NULL,
                present BIGINT NOT NULL,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX meetings_organisation ON meetings(organisation_id, held_on)",
            "CREATE INDEX meetings_held ON meetings(held_on)",
            """
            CREATE TABLE meeting_attendance (
                meeting_id BIGINT NOT NULL REFERENCES meetings(id),
                member_id BIGINT NOT NULL REFERENCES members(id),
                status TEXT NOT NULL,
                reason TEXT,
                PRIMARY KEY (meeting_id, member_id)
            )
            """,
            "CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id)",
            """
            CREATE TABLE meeting_votes (
                id \(ddl.primaryKey),
                meeting_id BIGINT NOT NULL REFERENCES meetings(id),
                motion TEXT NOT NULL,
                entitled BIGINT NOT NULL,
                present BIGINT NOT NULL,
                in_favour BIGINT NOT NULL,
                against BIGINT NOT NULL,
                abstaining BIGINT NOT NULL,
                written_in_favour BIGINT NOT NULL,
                written_against BIGINT NOT NULL,
                passed BIGINT NOT NULL,
                explanation TEXT NOT NULL
            )
            """,
            "CREATE INDEX meeting_votes_meeting ON meeting_votes(meeting_id)",
        ]
    }
}
