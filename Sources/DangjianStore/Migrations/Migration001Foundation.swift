/// 001: the platform foundation — organisation tree, accounts, role grants, sessions, API tokens, login
/// throttling, settings, job locks and the append-only, hash-chained audit log.
enum Migration001Foundation {
    static let migration = Migration(version: 1, name: "foundation") { ddl in
        [
            """
            CREATE TABLE organisations (
                id \(ddl.primaryKey),
                parent_id BIGINT REFERENCES organisations(id),
                org_type TEXT NOT NULL,
                name TEXT NOT NULL,
                short_name TEXT,
                path \(ddl.byteText) NOT NULL UNIQUE,
                depth BIGINT NOT NULL,
                sort_order BIGINT NOT NULL DEFAULT 0,
                dissolved_at BIGINT,
                dissolved_reason TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX organisations_parent ON organisations(parent_id)",
            """
            CREATE TABLE users (
                id \(ddl.primaryKey),
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                password_changed_at BIGINT NOT NULL,
                must_change_password BIGINT NOT NULL DEFAULT 1,
                initial_password_expires_at BIGINT,
                failed_count BIGINT NOT NULL DEFAULT 0,
                locked_until BIGINT,
                locked_permanently BIGINT NOT NULL DEFAULT 0,
                disabled_at BIGINT,
                last_login_at BIGINT,
                organisation_id BIGINT REFERENCES organisations(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE password_history (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX password_history_user ON password_history(user_id)",
            """
            CREATE TABLE role_assignments (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                role TEXT NOT NULL,
                organisation_id BIGINT REFERENCES organisations(id),
                scope TEXT NOT NULL,
                granted_by BIGINT REFERENCES users(id),
                granted_at BIGINT NOT NULL,
                revoked_by BIGINT REFERENCES users(id),
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX role_assignments_user ON role_assignments(user_id)",
            "CREATE INDEX role_assignments_org ON role_assignments(organisation_id)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                ip TEXT NOT NULL,
                user_agent TEXT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions(user_id)",
            """
            CREATE TABLE api_tokens (
                id \(ddl.primaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                token_hint TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                last_used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX api_tokens_user ON api_tokens(user_id)",
            """
            CREATE TABLE login_failures (
                id \(ddl.primaryKey),
                ip TEXT NOT NULL,
                username_key TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX login_failures_ip ON login_failures(ip, at)",
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by BIGINT REFERENCES users(id),
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE job_locks (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_log (
                id \(ddl.primaryKey),
                at BIGINT NOT NULL,
                actor_id BIGINT,
                actor_name TEXT NOT NULL,
                ip TEXT NOT NULL,
                request_id TEXT NOT NULL,
                action TEXT NOT NULL,
                object_type TEXT NOT NULL,
                object_id TEXT NOT NULL,
                organisation_id BIGINT,
                result TEXT NOT NULL,
                summary TEXT NOT NULL,
                changes TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_at ON audit_log(at)",
            "CREATE INDEX audit_log_actor ON audit_log(actor_id, at)",
            "CREATE INDEX audit_log_object ON audit_log(object_type, object_id)",
        ] + ddl.appendOnly("audit_log")
    }
}
