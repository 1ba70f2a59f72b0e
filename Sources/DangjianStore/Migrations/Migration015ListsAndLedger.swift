/// 015: 三单一账 — campaigns with key tasks assigned to organisations (任务清单), one ledger (台账) for progress on
/// any subject, problems with their append-only rectification events (问题清单), supervision groups, rounds,
/// visits and reminder letters (督导、提醒函).
enum Migration015ListsAndLedger {
    static let migration = Migration(version: 15, name: "lists_and_ledger") { ddl in
        [
            """
            CREATE TABLE campaigns (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                year BIGINT NOT NULL,
                description TEXT,
                closed_on TEXT,
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX campaigns_organisation ON campaigns(organisation_id, year)",
            """
            CREATE TABLE campaign_tasks (
                id \(ddl.primaryKey),
                campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
                category TEXT NOT NULL,
                title TEXT NOT NULL,
                deliverable TEXT,
                deadline TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX campaign_tasks_campaign ON campaign_tasks(campaign_id)",
            """
            CREATE TABLE task_assignments (
                id \(ddl.primaryKey),
                task_id BIGINT NOT NULL REFERENCES campaign_tasks(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                owner_name TEXT,
                state TEXT NOT NULL,
                refinement TEXT,
                done_on TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX task_assignments_task_org ON task_assignments(task_id, organisation_id)",
            "CREATE INDEX task_assignments_org ON task_assignments(organisation_id)",
            """
            CREATE TABLE ledger_entries (
                id \(ddl.primaryKey),
                subject_type TEXT NOT NULL,
                subject_id BIGINT NOT NULL,
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                entry_date TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                evidence TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ledger_entries_subject ON ledger_entries(subject_type, subject_id, id)",
            """
            CREATE TABLE supervision_groups (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                year BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE supervision_group_members (
                group_id BIGINT NOT NULL REFERENCES supervision_groups(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                duty TEXT NOT NULL,
                PRIMARY KEY (group_id, user_id)
            )
            """,
            """
            CREATE TABLE supervision_group_units (
                group_id BIGINT NOT NULL REFERENCES supervision_groups(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                PRIMARY KEY (group_id, organisation_id)
            )
            """,
            """
            CREATE TABLE supervision_rounds (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                campaign_id BIGINT REFERENCES campaigns(id),
                name TEXT NOT NULL,
                scheme TEXT,
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE supervision_visits (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES supervision_rounds(id),
                group_id BIGINT NOT NULL REFERENCES supervision_groups(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                visited_on TEXT NOT NULL,
                notes TEXT,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supervision_visits_round ON supervision_visits(round_id)",
            "CREATE INDEX supervision_visits_org ON supervision_visits(organisation_id, visited_on)",
            """
            CREATE TABLE problems (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                source TEXT NOT NULL,
                campaign_id BIGINT REFERENCES campaigns(id),
                visit_id BIGINT REFERENCES supervision_visits(id),
                category TEXT NOT NULL,
                description TEXT NOT NULL,
                found_on TEXT NOT NULL,
                found_deadline TEXT NOT NULL,
                deadline TEXT NOT NULL,
                state TEXT NOT NULL,
                measures TEXT,
                responsible TEXT,
                closed_on TEXT,
                found_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX problems_org ON problems(organisation_id, state)",
            "CREATE INDEX problems_found ON problems(found_on)",
            """
            CREATE TABLE problem_events (
                id \(ddl.primaryKey),
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                action TEXT NOT NULL,
                event_date TEXT NOT NULL,
                text TEXT NOT NULL,
                responsible TEXT,
                deadline TEXT,
                state_after TEXT NOT NULL,
                actor_id BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX problem_events_problem ON problem_events(problem_id, id)",
            """
            CREATE TABLE supervision_letters (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                issuer_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                visit_id BIGINT REFERENCES supervision_visits(id),
                number TEXT NOT NULL,
                title TEXT NOT NULL,
                recipient TEXT NOT NULL,
                body TEXT NOT NULL,
                issuing_organ TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                sent_on TEXT,
                acknowledged_on TEXT,
                acknowledged_by BIGINT REFERENCES users(id),
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX supervision_letters_number ON supervision_letters(issuer_organisation_id, number)",
            "CREATE INDEX supervision_letters_org ON supervision_letters(organisation_id, issued_on)",
            """
            CREATE TABLE supervision_letter_problems (
                letter_id BIGINT NOT NULL REFERENCES supervision_letters(id),
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                PRIMARY KEY (letter_id, problem_id)
            )
            """,
        ]
    }
}
