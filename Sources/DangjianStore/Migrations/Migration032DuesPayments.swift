/// 032 (issue 18, slug `dues`): payment entries, append-only (a mistake is put right by a reversing entry that names
/// the entry it reverses, with a reason; at most one reversal per entry), receipt numbers per branch and year, and
/// the months each member has settled — an index kept with the entries in one transaction, whose primary key makes a
/// member-month settle once however many clerks record it at the same moment.
enum Migration032DuesPayments {
    static let migration = Migration(version: 32, name: "dues_payments") { ddl in
        [
            """
            CREATE TABLE dues_payments (
                id \(ddl.primaryKey),
                member_id BIGINT NOT NULL REFERENCES members(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                months TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                paid_on TEXT NOT NULL,
                method TEXT NOT NULL,
                receipt_no TEXT NOT NULL,
                reverses_id BIGINT REFERENCES dues_payments(id),
                reason TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dues_payments_member ON dues_payments(member_id, id)",
            "CREATE UNIQUE INDEX dues_payments_receipt ON dues_payments(organisation_id, receipt_no)",
            "CREATE UNIQUE INDEX dues_payments_reverses ON dues_payments(reverses_id)",
            """
            CREATE TABLE dues_settlements (
                member_id BIGINT NOT NULL REFERENCES members(id),
                month TEXT NOT NULL,
                payment_id BIGINT NOT NULL REFERENCES dues_payments(id),
                PRIMARY KEY (member_id, month)
            )
            """,
            "CREATE INDEX dues_settlements_payment ON dues_settlements(payment_id)",
        ]
    }
}
