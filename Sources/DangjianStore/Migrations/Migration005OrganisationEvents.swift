/// 005: organisation history with effective dates (组织沿革: 成立、更名、划转、撤销), so the tree can be shown as it
/// stood on any past day. Existing organisations get a 成立 event dated from their creation.
enum Migration005OrganisationEvents {
    static let migration = Migration(version: 5, name: "organisation_events") { ddl in
        [
            """
            CREATE TABLE organisation_events (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                effective_date TEXT NOT NULL,
                name TEXT NOT NULL,
                parent_id BIGINT REFERENCES organisations(id),
                org_type TEXT NOT NULL,
                note TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX organisation_events_org ON organisation_events(organisation_id, effective_date)",
            """
            INSERT INTO organisation_events (organisation_id, kind, effective_date, name, parent_id, org_type, created_at)
            SELECT id, 'established', '0001-01-01', name, parent_id, org_type, created_at FROM organisations
            """,
        ]
    }
}
