/// 029 (issue 17, item 5, decision 0031): a meeting record can be put right. A correction keeps the record's id
/// (its links, sign-in and 民主评议 stay attached), raises `version`, and keeps the version it replaced whole in
/// `meeting_revisions` with the reason; a record entered by mistake is deleted with a reason — marked, never
/// erased, and left out of every count.
enum Migration029MeetingCorrections {
    static let migration = Migration(version: 29, name: "meeting_corrections") { ddl in
        [
            """
            CREATE TABLE meeting_revisions (
                id \(ddl.primaryKey),
                meeting_id BIGINT NOT NULL REFERENCES meetings(id),
                version BIGINT NOT NULL,
                snapshot TEXT NOT NULL,
                reason TEXT NOT NULL,
                revised_by BIGINT REFERENCES users(id),
                revised_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX meeting_revisions_meeting ON meeting_revisions(meeting_id)",
            "ALTER TABLE meetings ADD COLUMN deleted_at BIGINT",
            "ALTER TABLE meetings ADD COLUMN deleted_by BIGINT",
            "ALTER TABLE meetings ADD COLUMN deleted_reason TEXT",
        ]
    }
}
