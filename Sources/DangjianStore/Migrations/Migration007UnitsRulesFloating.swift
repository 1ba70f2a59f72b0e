/// 007: units (单位) and the Party organisation that covers them; saved rule-book versions (规则参数版本); leaders
/// leaving mid-term for by-elections (补选, ORG-E9); the register of floating-member certificates (流动党员活动证, MEM-03).
enum Migration007UnitsRulesFloating {
    static let migration = Migration(version: 7, name: "units_rules_floating") { ddl in
        [
            """
            CREATE TABLE units (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                category TEXT NOT NULL,
                assessment_category TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX units_organisation ON units(organisation_id)",
            """
            CREATE TABLE rule_books (
                id \(ddl.primaryKey),
                version TEXT NOT NULL UNIQUE,
                effective_from TEXT NOT NULL,
                body TEXT NOT NULL,
                saved_at BIGINT NOT NULL,
                saved_by BIGINT REFERENCES users(id)
            )
            """,
            "CREATE INDEX rule_books_effective ON rule_books(effective_from)",
            "ALTER TABLE leaders ADD COLUMN left_on TEXT",
            "ALTER TABLE leaders ADD COLUMN left_reason TEXT",
            "ALTER TABLE leaders ADD COLUMN election_id BIGINT REFERENCES elections(id)",
            """
            CREATE TABLE floating_certificates (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                certificate_no TEXT NOT NULL UNIQUE,
                issued_on TEXT NOT NULL,
                reason TEXT NOT NULL,
                destination TEXT NOT NULL,
                valid_until TEXT NOT NULL,
                returned_on TEXT,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX floating_certificates_member ON floating_certificates(member_id)",
            "CREATE INDEX floating_certificates_org ON floating_certificates(organisation_id, returned_on)",
        ]
    }
}
