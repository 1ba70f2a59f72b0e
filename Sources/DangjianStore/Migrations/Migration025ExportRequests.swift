/// 025 (issue 15, M6): unmasked roster exports as requests — who asks, for which part of the tree and filter, for what
/// purpose, how many rows; approved at once up to a configured row count, else by a second person; downloaded a
/// limited number of times within a day.
enum Migration025ExportRequests {
    static let migration = Migration(version: 25, name: "export_requests") { ddl in
        [
            """
            CREATE TABLE export_requests (
                id \(ddl.primaryKey),
                requester_id BIGINT NOT NULL REFERENCES users(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                filter TEXT NOT NULL,
                format TEXT NOT NULL,
                purpose TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                decided_by BIGINT REFERENCES users(id),
                decided_at BIGINT,
                note TEXT,
                downloads BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX export_requests_requester ON export_requests(requester_id, created_at)",
            "CREATE INDEX export_requests_status ON export_requests(status, organisation_id)",
        ]
    }
}
