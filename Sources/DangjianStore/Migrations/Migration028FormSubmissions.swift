/// 028 (issue 17, item 5): the forms already submitted, so that a double tap or a resubmitted page stores one record.
/// A row is reserved when a submission starts (`location` empty) and either completed with the page the submission
/// went to or deleted when it saved nothing (a refusal shows the form again, which may be sent again). Rows older
/// than a day are deleted by the maintenance job; then, for example, the second of a pair of submissions two
/// days apart is a new submission, as a person would expect.
enum Migration028FormSubmissions {
    static let migration = Migration(version: 28, name: "form_submissions") { _ in
        [
            """
            CREATE TABLE form_submissions (
                submission_key TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL,
                location TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX form_submissions_created ON form_submissions (created_at)",
        ]
    }
}
