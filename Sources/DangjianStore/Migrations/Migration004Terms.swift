/// 004: terms of office, leaders with posts, and election records (任期、班子成员、选举).
enum Migration004Terms {
    static let migration = Migration(version: 4, name: "terms") { ddl in
        [
            """
            CREATE TABLE elections (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                held_on TEXT NOT NULL,
                kind TEXT NOT NULL,
                seats BIGINT NOT NULL,
                eligible_voters BIGINT NOT NULL,
                present_voters BIGINT NOT NULL,
                candidates TEXT NOT NULL,
                elected TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by BIGINT REFERENCES users(id)
            )
            """,
            "CREATE INDEX elections_organisation ON elections(organisation_id, held_on)",
            """
            CREATE TABLE terms (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                start_date TEXT NOT NULL,
                end_date TEXT NOT NULL,
                postponed_until TEXT,
                postponement_approval TEXT,
                election_id BIGINT REFERENCES elections(id),
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX terms_organisation ON terms(organisation_id, start_date)",
            """
            CREATE TABLE leaders (
                id \(ddl.primaryKey),
                term_id BIGINT NOT NULL REFERENCES terms(id),
                name TEXT NOT NULL,
                post TEXT NOT NULL,
                member_id BIGINT REFERENCES members(id)
            )
            """,
            "CREATE INDEX leaders_term ON leaders(term_id)",
        ]
    }
}
