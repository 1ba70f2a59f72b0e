/// 038 (issue 19, slug `assessment`): 考评验收 — indicator schemes kept as frozen versions (one JSON body each,
/// decision 0037), rounds over a subtree with their timetable and parameters, the units in a round with their category
/// and result, the panel (chair, assessors, recorder) and who scores which unit, conflict declarations (EVAL-04),
/// sheets with their scores (self-assessment and site; EVAL-05 locking, reopened versions kept), automatic indicator
/// values with their inputs at the data cut-off (EVAL-14) and every change the committee made with its reason
/// (ASSESS-03), and the problems issued to lagging units (ASSESS-08). The unit's self-assessment sheet has `assessor_key` 0; an assessor's is their user id.
enum Migration038Assessment {
    static let migration = Migration(version: 38, name: "assessment") { ddl in
        [
            """
            CREATE TABLE assessment_schemes (
                id \(ddl.primaryKey),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_schemes_organisation ON assessment_schemes(organisation_id)",
            """
            CREATE TABLE assessment_scheme_versions (
                id \(ddl.primaryKey),
                scheme_id BIGINT NOT NULL REFERENCES assessment_schemes(id),
                version_no BIGINT NOT NULL,
                body TEXT NOT NULL,
                source_note TEXT NOT NULL,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX assessment_scheme_versions_no ON assessment_scheme_versions(scheme_id, version_no)",
            """
            CREATE TABLE assessment_rounds (
                id \(ddl.primaryKey),
                organiser_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                name TEXT NOT NULL,
                scheme_version_id BIGINT NOT NULL REFERENCES assessment_scheme_versions(id),
                data_cutoff TEXT NOT NULL,
                self_opens TEXT NOT NULL,
                self_closes TEXT NOT NULL,
                site_opens TEXT NOT NULL,
                site_closes TEXT NOT NULL,
                approve_by TEXT NOT NULL,
                parameters TEXT NOT NULL,
                state TEXT NOT NULL,
                approved_at BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_rounds_organiser ON assessment_rounds(organiser_id, year)",
            """
            CREATE TABLE assessment_units (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                category TEXT,
                bonuses TEXT NOT NULL,
                deductions TEXT NOT NULL,
                vetoes TEXT NOT NULL,
                computed_micro BIGINT,
                final_micro BIGINT,
                grade TEXT,
                passed BIGINT,
                rank_overall BIGINT,
                rank_category BIGINT,
                approved_at BIGINT,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX assessment_units_round ON assessment_units(round_id, organisation_id)",
            "CREATE INDEX assessment_units_organisation ON assessment_units(organisation_id)",
            """
            CREATE TABLE assessment_panel (
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                duty TEXT NOT NULL,
                PRIMARY KEY (round_id, user_id)
            )
            """,
            "CREATE INDEX assessment_panel_user ON assessment_panel(user_id)",
            """
            CREATE TABLE assessment_assignments (
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                assigned_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, organisation_id, user_id)
            )
            """,
            "CREATE INDEX assessment_assignments_user ON assessment_assignments(user_id, round_id)",
            """
            CREATE TABLE assessment_declarations (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                relation TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_declarations_round ON assessment_declarations(round_id, user_id)",
            """
            CREATE TABLE assessment_sheets (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                stage TEXT NOT NULL,
                assessor_key BIGINT NOT NULL,
                state TEXT NOT NULL,
                submitted_at BIGINT,
                submitted_by BIGINT REFERENCES users(id),
                version BIGINT NOT NULL DEFAULT 1,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX assessment_sheets_key ON assessment_sheets(round_id, organisation_id, stage, assessor_key)",
            """
            CREATE TABLE assessment_scores (
                sheet_id BIGINT NOT NULL REFERENCES assessment_sheets(id),
                indicator_code TEXT NOT NULL,
                points_micro BIGINT NOT NULL,
                entered TEXT NOT NULL,
                note TEXT NOT NULL,
                verified_on_site BIGINT NOT NULL,
                PRIMARY KEY (sheet_id, indicator_code)
            )
            """,
            """
            CREATE TABLE assessment_sheet_history (
                id \(ddl.primaryKey),
                sheet_id BIGINT NOT NULL REFERENCES assessment_sheets(id),
                version BIGINT NOT NULL,
                body TEXT NOT NULL,
                reason TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_sheet_history_sheet ON assessment_sheet_history(sheet_id)",
            """
            CREATE TABLE assessment_evidence (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                indicator_code TEXT NOT NULL,
                attachment_id BIGINT NOT NULL REFERENCES attachments(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_evidence_unit ON assessment_evidence(round_id, organisation_id)",
            """
            CREATE TABLE assessment_auto_values (
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                indicator_code TEXT NOT NULL,
                points_micro BIGINT NOT NULL,
                inputs TEXT NOT NULL,
                computed_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, organisation_id, indicator_code)
            )
            """,
            """
            CREATE TABLE assessment_changes (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                field TEXT NOT NULL,
                old_value TEXT NOT NULL,
                new_value TEXT NOT NULL,
                reason TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users(id),
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assessment_changes_round ON assessment_changes(round_id, organisation_id)",
            """
            CREATE TABLE assessment_problems (
                round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                indicator_code TEXT NOT NULL,
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                PRIMARY KEY (round_id, organisation_id, problem_id)
            )
            """,
        ] + ddl.appendOnly("assessment_sheet_history") + ddl.appendOnly("assessment_changes")
    }
}
