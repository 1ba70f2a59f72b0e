/// 039 (issue 19, slug `review`): 述职评议 — review rounds (annual or half-year, the grade set, the content checklist,
/// the weights, an optional assessment round to combine with, the phone-ballot session's nonce), one reporter per
/// organisation (the secretary of its current term) with mode, report, the higher committee's comment, the paper tally,
/// the closed tally and the results (both the computed and the confirmed value, with the reason); phone ballots kept
/// anonymous: who has voted (`review_voters`) and the votes (`review_votes`, a count per reporter and grade) are separate tables with no link; one-time
/// ballot codes for attendees without an account; and the rectification items issued as problems (REVIEW-07).
enum Migration039Review {
    static let migration = Migration(version: 39, name: "review") { ddl in
        [
            """
            CREATE TABLE review_rounds (
                id \(ddl.primaryKey),
                organiser_id BIGINT NOT NULL REFERENCES organisations(id),
                year BIGINT NOT NULL,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                held_on TEXT NOT NULL,
                grade_set TEXT NOT NULL,
                content TEXT NOT NULL,
                weights TEXT NOT NULL,
                rotation BIGINT NOT NULL,
                assessment_round_id BIGINT REFERENCES assessment_rounds(id),
                ballot_nonce TEXT,
                ballot_expires_at BIGINT,
                state TEXT NOT NULL,
                confirmed_at BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX review_rounds_organiser ON review_rounds(organiser_id, year)",
            """
            CREATE TABLE review_reporters (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES review_rounds(id),
                organisation_id BIGINT NOT NULL REFERENCES organisations(id),
                member_id BIGINT REFERENCES members(id),
                name TEXT NOT NULL,
                mode TEXT NOT NULL,
                report_attachment_id BIGINT REFERENCES attachments(id),
                covered TEXT,
                comment TEXT,
                commented_by BIGINT REFERENCES users(id),
                commented_at BIGINT,
                paper_tally TEXT,
                paper_attendees BIGINT,
                tally TEXT,
                closed_at BIGINT,
                combined_micro BIGINT,
                final_micro BIGINT,
                grade TEXT,
                adjust_reason TEXT,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE UNIQUE INDEX review_reporters_round ON review_reporters(round_id, organisation_id)",
            "CREATE INDEX review_reporters_organisation ON review_reporters(organisation_id)",
            """
            CREATE TABLE review_voters (
                round_id BIGINT NOT NULL REFERENCES review_rounds(id),
                voter_key TEXT NOT NULL,
                PRIMARY KEY (round_id, voter_key)
            )
            """,
            """
            CREATE TABLE review_votes (
                reporter_id BIGINT NOT NULL REFERENCES review_reporters(id),
                grade_index BIGINT NOT NULL,
                votes BIGINT NOT NULL,
                PRIMARY KEY (reporter_id, grade_index)
            )
            """,
            """
            CREATE TABLE review_codes (
                id \(ddl.primaryKey),
                round_id BIGINT NOT NULL REFERENCES review_rounds(id),
                nonce TEXT NOT NULL,
                used_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX review_codes_round ON review_codes(round_id)",
            """
            CREATE TABLE review_problems (
                reporter_id BIGINT NOT NULL REFERENCES review_reporters(id),
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                list_kind TEXT NOT NULL,
                PRIMARY KEY (reporter_id, problem_id)
            )
            """,
        ]
    }
}
