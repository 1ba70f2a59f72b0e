/// 012: QR sign-in at a meeting (扫码签到): one row per opened sign-in (a random nonce; the QR's token is an HMAC of
/// it under the server's key, so no token is stored), and when each member signed in.
enum Migration012Checkins {
    static let migration = Migration(version: 12, name: "meeting_checkins") { ddl in
        [
            """
            CREATE TABLE meeting_checkins (
                id \(ddl.primaryKey),
                meeting_id BIGINT NOT NULL REFERENCES meetings(id),
                nonce TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                closed_at BIGINT,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX meeting_checkins_meeting ON meeting_checkins(meeting_id)",
            "ALTER TABLE meeting_attendance ADD COLUMN checked_in_at BIGINT",
        ]
    }
}
