import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import SQLKit
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// The fixture world written once to an SQLite file and copied for every run that must not see another's writes
/// (the authorization matrix's cells, the route fuzz test's routes).
struct FixtureTemplate {
    let scratch: ScratchDatabase
    let path: String
    let clock: ManualClock
    let keyring: Keyring
    let fixture: WebFixture

    static func make() async throws -> FixtureTemplate {
        let scratch = try await ScratchDatabase.make(.sqlite)
        let clock = ManualClock(Date())
        let keyring = Keyring.random()
        var fixture = try await WebFixture.create(database: scratch.database, clock: clock, keyring: keyring)
        fixture.positioned = try await PositionedRecords.create(
            tree: fixture.tree, members: fixture.memberIDs,
            store: StoreKit(database: scratch.database, clock: clock, keyring: keyring).store, clock: clock)
        try await scratch.database.withWriter { db in try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
        await scratch.database.shutdown()
        guard case .sqlite(let path) = scratch.location else { throw ValidationFailure(field: "template", message: "not SQLite") }
        return FixtureTemplate(scratch: scratch, path: path, clock: clock, keyring: keyring, fixture: fixture)
    }

    /// A fresh copy in its own directory: the database and the directory to remove afterwards.
    func copy() throws -> (database: Database, directory: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dj-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: self.path, toPath: path)
        return (try Database(location: .sqlite(path: path)), dir)
    }

    func drop() async { await scratch.drop() }
}

/// A running application on a scratch database, driven through the router in-process.
struct WebHarness {
    let scratch: ScratchDatabase
    let clock: ManualClock
    let keyring: Keyring
    let services: AppServices
    let routes: [RouteSpec]
    let app: Application<RouterResponder<AppRequestContext>>
    var fixture: WebFixture

    /// `/metrics` is read with this token in tests (issue 15, L7).
    static let metricsToken = "test-metrics-token-0123456789"

    static func configuration() -> AppConfiguration {
        var config = AppConfiguration()
        config.metricsToken = metricsToken
        config.bcryptCost = 4
        config.trustProxy = true
        config.logRequests = false
        return config
    }

    /// A harness on a new scratch database with the fixture world.
    static func make(_ backend: TestBackend = .sqlite, configuration: AppConfiguration = configuration()) async throws -> WebHarness {
        let scratch = try await ScratchDatabase.make(backend)
        let clock = ManualClock(Date())
        let keyring = Keyring.random()
        let fixture = try await WebFixture.create(database: scratch.database, clock: clock, keyring: keyring)
        return try await make(scratch: scratch, clock: clock, keyring: keyring, fixture: fixture, configuration: configuration)
    }

    /// A harness over an existing database.
    static func make(
        scratch: ScratchDatabase, clock: ManualClock, keyring: Keyring, fixture: WebFixture,
        configuration: AppConfiguration = configuration()
    ) async throws -> WebHarness {
        let built = try await DangjianApp.buildRouter(configuration: configuration, database: scratch.database, keyring: keyring, clock: clock)
        let app = Application(router: built.router)
        return WebHarness(
            scratch: scratch, clock: clock, keyring: keyring, services: built.services, routes: built.routes, app: app, fixture: fixture)
    }

    func close() async { await scratch.drop() }

    /// Runs `body` with a client connected to the application.
    func withClient<R: Sendable>(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> R) async throws -> R {
        try await app.test(.router) { client in try await body(client) }
    }
}

/// Request helpers for tests.
extension TestClientProtocol {
    /// Sends a request as `actor` (or anonymously), with the session cookie and, for forms, the CSRF token.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as actor: FixtureActor?, form: [String: String]? = nil,
        json: String? = nil, csrf: Bool = true, headers extra: HTTPFields = [:], cookies: [String: String] = [:],
        upload: (name: String, data: Data)? = nil, uploadField: String = "file"
    ) async throws -> TestResponse {
        var headers = extra
        var cookieParts = cookies.map { "\($0.key)=\($0.value)" }
        if let actor { cookieParts.append("dj_session=\(actor.sessionToken)") }
        if !cookieParts.isEmpty { headers[.cookie] = cookieParts.joined(separator: "; ") }
        var body: ByteBuffer?
        if let upload {
            let boundary = "----dangjian-test-boundary"
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            var data = Data()
            var fields = form ?? [:]
            if csrf, let actor { fields["_csrf"] = actor.csrf }
            for (key, value) in fields {
                data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8)
            }
            data += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(uploadField)\"; filename=\"\(upload.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            data += upload.data
            data += Data("\r\n--\(boundary)--\r\n".utf8)
            body = ByteBuffer(bytes: data)
        } else if var form {
            if csrf, let actor { form["_csrf"] = actor.csrf }
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\($0.key.formEncoded)=\($0.value.formEncoded)" }.joined(separator: "&"))
        } else if let json {
            headers[.contentType] = "application/json"
            if csrf, let actor { headers[HTTPField.Name("X-CSRF-Token")!] = actor.csrf }
            body = ByteBuffer(string: json)
        } else if method != .get && method != .head {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var fields: [String: String] = [:]
            if csrf, let actor { fields["_csrf"] = actor.csrf }
            body = ByteBuffer(string: fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&"))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            TestResponse(
                status: response.status, headers: response.headers, body: String(buffer: response.body), bodyBytes: Array(buffer: response.body))
        }
    }
}

/// What a test reads back from a response.
struct TestResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
    /// The body as sent (downloads: .xlsx, .docx).
    var bodyBytes: [UInt8] = []

    var location: String? { headers[.location] }

    /// Denied: 401/403/404, or sent to the sign-in page.
    var isDenied: Bool {
        [401, 403, 404].contains(status.code) || isSignInRedirect
    }

    /// Sent to the sign-in page because the caller is not (or no longer) signed in; the page after logout does not count.
    var isSignInRedirect: Bool {
        guard status.code == 303, let location else { return false }
        return location == "/login" || location.hasPrefix("/login?next=") || location.hasPrefix("/login?expired")
    }

    /// The value of a hidden form field, e.g. `_csrf`.
    func hiddenField(_ name: String) -> String? {
        guard let range = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = body[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The value of a `Set-Cookie` for `name`.
    func cookie(_ name: String) -> String? {
        for value in headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}

extension String {
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
