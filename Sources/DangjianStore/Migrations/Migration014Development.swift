/// 014: 发展党员 case files (一人一档): the applicant (ID number sealed with a blind index, as for members), the rule
/// book the case started under, and the append-only entries — a correction is a new entry naming the one it
/// replaces and why (全程纪实).
enum Migration014Development {
    static let migration = Migration(version: 14, name: "development_cases") { ddl in
        [
            """
            CREATE TABLE development_cases (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                applicant_name TEXT NOT NULL,
                gender TEXT NOT NULL,
                birth_date TEXT NOT NULL,
                id_number_enc TEXT NOT NULL,
                id_number_index TEXT NOT NULL,
                id_number_masked TEXT NOT NULL,
                rules_json TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX development_cases_organisation ON development_cases(organisation_id, status)",
            "CREATE UNIQUE INDEX development_cases_open_person ON development_cases(id_number_index) WHERE status = 'open'",
            """
            CREATE TABLE development_entries (
                id \(ddl.primaryKey),
                case_id BIGINT NOT NULL REFERENCES development_cases(id),
                step BIGINT NOT NULL,
                entry_date TEXT NOT NULL,
                facts_json TEXT NOT NULL,
                remark TEXT,
                corrects_entry_id BIGINT REFERENCES development_entries(id),
                reason TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX development_entries_case ON development_entries(case_id, id)",
        ]
    }
}
