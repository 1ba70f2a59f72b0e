/// 017: evidence files (佐证材料: photos and PDFs) attached to ledger entries and problem events, stored in the
/// database so a county's single file (and its backup) holds everything; the ledger, the problem events and the
/// files become append-only (全程留痕).
enum Migration017Attachments {
    static let migration = Migration(version: 17, name: "attachments") { ddl in
        [
            """
            CREATE TABLE attachments (
                id \(ddl.primaryKey),
                owner_type TEXT NOT NULL,
                owner_id BIGINT NOT NULL,
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                byte_size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                data \(ddl.bytes) NOT NULL,
                uploaded_by BIGINT REFERENCES users(id),
                uploaded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attachments_owner ON attachments(owner_type, owner_id)",
        ] + ddl.appendOnly("ledger_entries") + ddl.appendOnly("problem_events") + ddl.appendOnly("attachments")
    }
}
