public import Foundation
public import DangjianDomain
public import DangjianStore

/// Everything an operator can configure. Sources, highest first: command-line flags, `DANGJIAN_*` environment
/// variables, an optional `.env` file in the working directory, then the defaults below (README, 配置).
public struct AppConfiguration: Sendable {
    /// Address to listen on (`DANGJIAN_HOSTNAME`, default 127.0.0.1).
    public var hostname: String = "127.0.0.1"
    /// Port (`DANGJIAN_PORT`, default 8080).
    public var port: Int = 8080
    /// Where the data lives (`DANGJIAN_DATABASE_URL`, default `./data/dangjian.sqlite`).
    public var database: DatabaseLocation = .sqlite(path: "data/dangjian.sqlite")
    /// Base64 master key (`DANGJIAN_SECRET_KEY`); when unset a key file is used.
    public var secretKey: String?
    /// Key file created on first start (`DANGJIAN_SECRET_KEY_FILE`, default `./data/secret.key`).
    public var secretKeyFile: String = "data/secret.key"
    /// The site is served over HTTPS (directly or behind a proxy): cookies get `Secure` and the `__Host-` prefix,
    /// and HSTS is sent (`DANGJIAN_HTTPS`, default false).
    public var https: Bool = false
    /// The address members reach the site at, e.g. `https://dj.example.gov.cn` (`DANGJIAN_PUBLIC_URL`): what sign-in
    /// QR codes point to. Unset: taken from the request's Host header.
    public var publicURL: String?
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address (`DANGJIAN_TRUST_PROXY`, default false).
    public var trustProxy: Bool = false
    /// Password and sign-in policy preset: `mlps` (等保, default) or `asvs` (`DANGJIAN_PASSWORD_POLICY`).
    /// The 安全管理员 can adjust it further in the UI.
    public var passwordPolicy: PasswordPolicy = .mlps
    /// bcrypt cost (`DANGJIAN_BCRYPT_COST`, default 12, minimum 10 outside tests).
    public var bcryptCost: UInt8 = 12
    /// Failed sign-ins from one address in 15 minutes before it is refused (`DANGJIAN_LOGIN_IP_LIMIT`, default 20).
    public var loginIPLimit: Int = 20
    /// The most rows one roster export may hold (`DANGJIAN_EXPORT_ROW_LIMIT`, default 200,000 — the import's own row
    /// limit); a larger selection is refused with a message, never cut short.
    public var exportRowLimit: Int = 200_000
    /// Log format: `text` or `json` (`DANGJIAN_LOG_FORMAT`, default text).
    public var logFormat: String = "text"
    /// One log line per request (method, path, request id); tests switch it off.
    public var logRequests: Bool = true
    /// The append-only file the audit chain's head is written to (`DANGJIAN_AUDIT_ANCHOR_FILE`); nil: next to the
    /// SQLite file (`….audit-anchor`), or `data/audit-anchor.log` with PostgreSQL.
    public var auditAnchorPath: String?
    public var auditAnchorFile: String {
        if let auditAnchorPath { return auditAnchorPath }
        if case .sqlite(let path) = database { return path + ".audit-anchor" }
        return "data/audit-anchor.log"
    }
    /// Requests for records outside one user's scope within a minute that raise an alert (`DANGJIAN_OUT_OF_SCOPE_ALERT`).
    public var outOfScopeAlertThreshold: Int = 30
    /// Who may read `/metrics` (issue 15, L7): these socket addresses (`DANGJIAN_METRICS_ALLOW`, comma-separated;
    /// default the loopback addresses, where a local Prometheus or node exporter runs) or a caller presenting
    /// `Authorization: Bearer <DANGJIAN_METRICS_TOKEN>`. Everyone else gets 404.
    public var metricsAllowedAddresses: Set<String> = ["127.0.0.1", "::1"]
    public var metricsToken: String?
    /// Connections held at once (issue 15, L12; `DANGJIAN_MAX_CONNECTIONS`) and from one address when not behind a
    /// proxy (`DANGJIAN_MAX_CONNECTIONS_PER_ADDRESS`); seconds for a connection's first request head
    /// (`DANGJIAN_HEADER_TIMEOUT`) and for a request body (`DANGJIAN_BODY_TIMEOUT`; uploads of 10 MB on a slow
    /// phone need a few minutes).
    public var maxConnections: Int = 4_000
    public var maxConnectionsPerAddress: Int = 512
    public var headerTimeoutSeconds: Int = 10
    public var bodyTimeoutSeconds: Int = 300
    /// Where uploads are spooled while a request is handled (issue 15, H4): the system's temporary directory.
    public var uploadSpoolDirectory: URL = FileManager.default.temporaryDirectory
    /// Sessions one account may have open at once (issue 15, L13; `DANGJIAN_MAX_SESSIONS`): a sign-in beyond it
    /// ends the least recently active one.
    public var maxSessions: Int = 5
    /// An unmasked export of more rows than this needs a second person's approval (issue 15, M6;
    /// `DANGJIAN_UNMASKED_APPROVAL_ROWS`).
    public var unmaskedApprovalRows: Int = 100
    /// Unmasked exports one person may request in 24 hours (`DANGJIAN_UNMASKED_EXPORTS_PER_DAY`).
    public var unmaskedExportsPerDay: Int = 10
    /// Test hook for the route fuzz test: when set, each route records the query and form parameters its handler
    /// reads. Never set by `load`.
    public var routeParameterBook: RouteParameterBook?

    public init() {}

    /// Reads the environment and `.env` over the defaults.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String = ".env"
    ) -> AppConfiguration {
        var values = DotEnv.parse(path: dotEnvPath)
        for (key, value) in environment where key.hasPrefix("DANGJIAN_") { values[key] = value }
        var config = AppConfiguration()
        if let v = values["DANGJIAN_HOSTNAME"] { config.hostname = v }
        if let v = values["DANGJIAN_PORT"].flatMap(Int.init) { config.port = v }
        if let v = values["DANGJIAN_DATABASE_URL"], !v.isEmpty { config.database = .parse(v) }
        if let v = values["DANGJIAN_SECRET_KEY"], !v.isEmpty { config.secretKey = v }
        if let v = values["DANGJIAN_SECRET_KEY_FILE"] { config.secretKeyFile = v }
        if let v = values["DANGJIAN_HTTPS"] { config.https = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = values["DANGJIAN_PUBLIC_URL"], !v.isEmpty { config.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = values["DANGJIAN_TRUST_PROXY"] { config.trustProxy = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = values["DANGJIAN_PASSWORD_POLICY"] { config.passwordPolicy = v.lowercased() == "asvs" ? .asvs : .mlps }
        if let v = values["DANGJIAN_BCRYPT_COST"].flatMap(UInt8.init) { config.bcryptCost = v }
        if let v = values["DANGJIAN_LOGIN_IP_LIMIT"].flatMap(Int.init) { config.loginIPLimit = v }
        if let v = values["DANGJIAN_LOG_FORMAT"] { config.logFormat = v }
        if let v = values["DANGJIAN_EXPORT_ROW_LIMIT"].flatMap(Int.init), v > 0 { config.exportRowLimit = v }
        if let v = values["DANGJIAN_AUDIT_ANCHOR_FILE"], !v.isEmpty { config.auditAnchorPath = v }
        if let v = values["DANGJIAN_OUT_OF_SCOPE_ALERT"].flatMap(Int.init), (2...100_000).contains(v) { config.outOfScopeAlertThreshold = v }
        if let v = values["DANGJIAN_METRICS_ALLOW"] {
            config.metricsAllowedAddresses = Set(v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let v = values["DANGJIAN_METRICS_TOKEN"], v.count >= 16 { config.metricsToken = v }
        if let v = values["DANGJIAN_MAX_CONNECTIONS"].flatMap(Int.init), (10...1_000_000).contains(v) { config.maxConnections = v }
        if let v = values["DANGJIAN_MAX_CONNECTIONS_PER_ADDRESS"].flatMap(Int.init), (1...1_000_000).contains(v) {
            config.maxConnectionsPerAddress = v
        }
        if let v = values["DANGJIAN_HEADER_TIMEOUT"].flatMap(Int.init), (1...300).contains(v) { config.headerTimeoutSeconds = v }
        if let v = values["DANGJIAN_BODY_TIMEOUT"].flatMap(Int.init), (5...3_600).contains(v) { config.bodyTimeoutSeconds = v }
        if let v = values["DANGJIAN_MAX_SESSIONS"].flatMap(Int.init), (1...100).contains(v) { config.maxSessions = v }
        if let v = values["DANGJIAN_UNMASKED_APPROVAL_ROWS"].flatMap(Int.init), (0...10_000_000).contains(v) { config.unmaskedApprovalRows = v }
        if let v = values["DANGJIAN_UNMASKED_EXPORTS_PER_DAY"].flatMap(Int.init), (1...1_000).contains(v) { config.unmaskedExportsPerDay = v }
        return config
    }
}

/// A minimal `.env` reader: `KEY=value` lines, `#` comments, optional quotes.
public enum DotEnv {
    public static func parse(path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmed
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<eq].trimmed
            var value = trimmed[trimmed.index(after: eq)...].trimmed
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }
}
