/// 019: the 入党志愿书编号 ledger (DEV-34): numbers issued to an organisation (发放登记), used once by one applicant
/// (使用登记), or voided when a form is lost or spoiled; a number is never reused.
enum Migration019ApplicationForms {
    static let migration = Migration(version: 19, name: "application_forms") { ddl in
        [
            """
            CREATE TABLE application_forms (
                id \(ddl.primaryKey),
                number TEXT NOT NULL UNIQUE,
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                status TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                case_id BIGINT REFERENCES development_cases(id),
                used_on TEXT,
                voided_on TEXT,
                void_reason TEXT,
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX application_forms_org ON application_forms(organisation_id, status)",
            "CREATE UNIQUE INDEX application_forms_case ON application_forms(case_id) WHERE status = 'used'",
        ]
    }
}
