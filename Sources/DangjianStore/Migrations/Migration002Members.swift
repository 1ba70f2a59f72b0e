/// 002: the member roster. Sensitive fields (身份证号, 手机号, 住址) are stored AES-GCM encrypted with a keyed blind
/// index for exact lookup and a masked copy for lists; nothing else personal is stored in clear beyond what lists
/// and statistics need (name, gender, birth date, dates of joining).
enum Migration002Members {
    static let migration = Migration(version: 2, name: "members") { ddl in
        [
            """
            CREATE TABLE members (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                gender TEXT NOT NULL,
                birth_date TEXT NOT NULL,
                id_number_enc TEXT NOT NULL,
                id_number_index TEXT NOT NULL,
                id_number_masked TEXT NOT NULL,
                ethnicity TEXT,
                native_place TEXT,
                education TEXT,
                personnel_category TEXT NOT NULL,
                party_status TEXT NOT NULL,
                membership_state TEXT NOT NULL,
                join_date TEXT NOT NULL,
                full_member_date TEXT,
                work_unit TEXT,
                post TEXT,
                phone_enc TEXT,
                phone_index TEXT,
                phone_masked TEXT,
                address_enc TEXT,
                is_floating BIGINT NOT NULL DEFAULT 0,
                floating_destination TEXT,
                lost_contact_reason TEXT,
                lost_contact_since TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT,
                deleted_reason TEXT,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX members_id_number ON members(id_number_index) WHERE deleted_at IS NULL",
            "CREATE INDEX members_organisation ON members(organisation_id)",
            "CREATE INDEX members_phone ON members(phone_index)",
            "CREATE INDEX members_name ON members(name)",
            "ALTER TABLE users ADD COLUMN member_id BIGINT REFERENCES members(id)",
        ]
    }
}
