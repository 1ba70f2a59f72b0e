/// 035 (issue 18, slug `dues`): an organisation's dues account besides its members' payments (DUES-20/21) —
/// remittances upward for a period (`period`: "2026-Q1", "2026"…; `to_organisation_id` the parent, NULL from the top
/// of the tree), expenditures by category and interest — append-only like the payments: a mistake is put right by a
/// reversing entry naming the entry it reverses (at most one), with a reason.
enum Migration035DuesAccounts {
    static let migration = Migration(version: 35, name: "dues_accounts") { ddl in
        [
            """
            CREATE TABLE dues_account_entries (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                occurred_on TEXT NOT NULL,
                period TEXT,
                to_organisation_id BIGINT REFERENCES organisations(id),
                category TEXT,
                voucher TEXT NOT NULL,
                note TEXT NOT NULL,
                reverses_id BIGINT REFERENCES dues_account_entries(id),
                reason TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dues_account_entries_organisation ON dues_account_entries(organisation_id, occurred_on)",
            "CREATE INDEX dues_account_entries_to ON dues_account_entries(to_organisation_id, period)",
            "CREATE UNIQUE INDEX dues_account_entries_reverses ON dues_account_entries(reverses_id)",
            "CREATE INDEX dues_payments_paid_on ON dues_payments(organisation_id, paid_on)",
        ]
    }
}
