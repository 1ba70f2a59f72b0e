/// 003: import jobs. The uploaded file is kept (encrypted) between preview and commit so the commit re-reads
/// exactly what was previewed, on any server; it is wiped once committed or abandoned.
enum Migration003ImportJobs {
    static let migration = Migration(version: 3, name: "import_jobs") { ddl in
        [
            """
            CREATE TABLE import_jobs (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                file_name TEXT NOT NULL,
                file_sha256 TEXT NOT NULL,
                file_enc TEXT NOT NULL,
                status TEXT NOT NULL,
                summary TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                committed_at BIGINT
            )
            """,
            "CREATE INDEX import_jobs_user ON import_jobs(user_id, created_at)",
        ]
    }
}
