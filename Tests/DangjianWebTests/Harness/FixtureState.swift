import Foundation
import Synchronization
import SQLKit
import DangjianStore

/// What a request may change without having changed data: the session's last-seen time (every signed-in request
/// touches it), the audit trail (denials and out-of-scope attempts are audited, ASVS 7.1) and the record of failed
/// sign-ins. Everything else in every table of the schema counts.
enum VolatileState {
    static let tables: Set<String> = ["audit_log", "login_failures"]
    static let columns: [String: Set<String>] = ["sessions": ["last_seen_at"], "api_tokens": ["last_used_at"]]
}

/// The rows of every table of the schema (`BackupService.tables`, which `BackupTests` keeps equal to the schema)
/// but the audit trail, by table, without the volatile columns — `login_failures` included, so that a caller can
/// tell a database still exactly as it was (the matrix reuses such a copy for the next cell). Each table is read
/// as one text built by the database (every row's columns quoted and joined, the rows sorted).
func stateSnapshot(_ database: Database) async throws -> [String: String] {
    let isSQLite: Bool
    if case .sqlite = database.location { isSQLite = true } else { isSQLite = false }
    return try await database.read { db in
        var tables: [String: String] = [:]
        for table in BackupService.tables where table != "audit_log" {
            let skipped = VolatileState.columns[table] ?? []
            let columns = try await SchemaColumns.of(table, sqlite: isSQLite, db: db).filter { !skipped.contains($0) }
            let query: String
            if isSQLite {
                let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
                query = "SELECT COALESCE(group_concat(r, char(10)), '') AS s FROM (SELECT \(row) AS r FROM \"\(table)\" ORDER BY r)"
            } else {
                let row = columns.map { "COALESCE(\"\($0)\"::text, '∅')" }.joined(separator: " || '|' || ")
                query = "SELECT COALESCE(string_agg(r, E'\\n' ORDER BY r), '') AS s FROM (SELECT \(row) AS r FROM \"\(table)\") x"
            }
            tables[table] = try await db.raw(SQLQueryString(query)).first()?.decode(column: "s", as: String.self) ?? ""
        }
        return tables
    }
}

/// The column names of each table, read once per process (the schema is the same in every test database).
enum SchemaColumns {
    private static let known = Mutex<[String: [String]]>([:])

    static func of(_ table: String, sqlite: Bool, db: any SQLDatabase) async throws -> [String] {
        if let columns = known.withLock({ $0[table] }) { return columns }
        let query: SQLQueryString =
            sqlite
            ? "SELECT name AS c FROM pragma_table_info(\(bind: table)) ORDER BY name"
            : "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY column_name"
        let columns = try await db.raw(query).all().map { try $0.decode(column: "c", as: String.self) }
        known.withLock { $0[table] = columns }
        return columns
    }
}

/// The data a request must not change unless it is allowed to: `stateSnapshot` less `VolatileState`. "A denied
/// request changed nothing" compares two of these.
func stateFingerprint(_ snapshot: [String: String]) -> String {
    snapshot.filter { !VolatileState.tables.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key):\n\($0.value)" }
        .joined(separator: "\n")
}

/// The tables whose data differ between two snapshots, `VolatileState` left out.
func changedTables(_ before: [String: String], _ after: [String: String]) -> [String] {
    Set(before.keys).union(after.keys).filter { !VolatileState.tables.contains($0) && before[$0] != after[$0] }.sorted()
}

func stateFingerprint(_ database: Database) async throws -> String {
    stateFingerprint(try await stateSnapshot(database))
}
