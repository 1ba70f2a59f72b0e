/// 006: member transfers (组织关系转接, MEM-04): inside the system (sender → receiver) and out of it (with the
/// printed letter). The sending organisation keeps the member on its roster until the transfer is received.
enum Migration006Transfers {
    static let migration = Migration(version: 6, name: "member_transfers") { ddl in
        [
            """
            CREATE TABLE member_transfers (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                kind TEXT NOT NULL,
                from_org_id BIGINT NOT NULL REFERENCES organisations(id),
                to_org_id BIGINT REFERENCES organisations(id),
                to_org_name TEXT NOT NULL,
                letter_no TEXT NOT NULL UNIQUE,
                issued_on TEXT NOT NULL,
                valid_days BIGINT NOT NULL,
                dues_paid_until TEXT NOT NULL,
                status TEXT NOT NULL,
                received_on TEXT,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX member_transfers_member ON member_transfers(member_id)",
            "CREATE INDEX member_transfers_to ON member_transfers(to_org_id, status)",
            "CREATE INDEX member_transfers_from ON member_transfers(from_org_id, status)",
        ]
    }
}
