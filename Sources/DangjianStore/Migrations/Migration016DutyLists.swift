/// 016: 责任清单 — duty-list templates (items with cadence and count; configurable data, e.g. "十个一"), lists per
/// organisation and year (items are recorded done in `ledger_entries` as subject `duty_item`), and signed
/// responsibility letters (责任书) per unit and year.
enum Migration016DutyLists {
    static let migration = Migration(version: 16, name: "duty_lists") { ddl in
        [
            """
            CREATE TABLE duty_templates (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                post TEXT NOT NULL,
                applies_to TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE duty_template_items (
                id \(ddl.primaryKey),
                template_id BIGINT NOT NULL REFERENCES duty_templates(id),
                seq BIGINT NOT NULL,
                title TEXT NOT NULL,
                cadence TEXT NOT NULL,
                minimum BIGINT NOT NULL
            )
            """,
            "CREATE INDEX duty_template_items_template ON duty_template_items(template_id, seq)",
            """
            CREATE TABLE duty_lists (
                id \(ddl.primaryKey),
                template_id BIGINT NOT NULL REFERENCES duty_templates(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX duty_lists_unique ON duty_lists(template_id, organisation_id, year)",
            "CREATE INDEX duty_lists_org ON duty_lists(organisation_id, year)",
            "CREATE INDEX ledger_entries_org ON ledger_entries(organisation_id, subject_type, entry_date)",
            """
            CREATE TABLE responsibility_letters (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                issuer_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                title TEXT NOT NULL,
                signatory TEXT NOT NULL,
                signed_on TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX responsibility_letters_unique ON responsibility_letters(organisation_id, year, title)",
        ]
    }
}
