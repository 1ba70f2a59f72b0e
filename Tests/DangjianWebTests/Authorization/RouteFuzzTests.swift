import Testing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// The route fuzz test (issue 15, H1): every route of the registry, every path, query, form and JSON parameter its
/// handler reads, sent extreme and malformed values as every role the route admits. Any 5xx fails; a Swift trap
/// (force-unwrap, overflow) would stop this test process, which fails the run as well.
///
/// Which parameters a handler reads is learnt, not listed: `AppConfiguration.routeParameterBook` records every name a
/// handler asks its `FormData` for, first on the matrix's valid call and then on every fuzzed call, until no new
/// name turns up.
@Suite("Route fuzz (H1)")
struct RouteFuzzTests {
    /// Values no page or client should send.
    static let hostile: [String] = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999", "100000",
        "-1", "0", "abc", "", "1.5", "1e9", "１２３", String(repeating: "9", count: 10_240), "2025-02-30", "99999-12-31",
        "0000-00-00", "%", "\u{0}", "'; --",
    ]

    /// Raw JSON values for fields of an API body.
    static let hostileJSON: [String] = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "1e400", "-1", "0", "null", "true",
        "\"abc\"", "\"\"", "\"2025-02-30\"", "\"\(String(repeating: "x", count: 10_240))\"", "[]", "{}",
    ]

    /// Routes that end the caller's own session go last, so the others are fuzzed signed in.
    static let sessionEnding: Set<String> = ["POST /logout", "POST /account/password"]

    @Test("no route answers 5xx or stops the process on hostile parameters, as any role")
    func fuzzEveryRoute() async throws {
        let template = try await FixtureTemplate.make()
        let (clock, keyring, fixture) = (template.clock, template.keyring, template.fixture)
        let matrix = try AuthorizationMatrix.load()
        let probe = try await WebHarness.make()
        let routes = probe.routes.sorted {
            (Self.sessionEnding.contains($0.key) ? 1 : 0, $0.key) < (Self.sessionEnding.contains($1.key) ? 1 : 0, $1.key)
        }
        await probe.close()

        var requests = 0
        var fuzzedParameters = 0
        var failures: [String] = []
        for spec in routes {
            // A fresh copy of the fixture per route, so one route's writes cannot hide another's faults.
            let (database, dir) = try template.copy()
            var configuration = WebHarness.configuration()
            let book = RouteParameterBook()
            configuration.routeParameterBook = book
            let built = try await DangjianApp.buildRouter(configuration: configuration, database: database, keyring: keyring, clock: clock)
            let app = Application(router: built.router)
            let entry = try #require(matrix[spec.key], "no matrix line for \(spec.key)")
            let admitted = Who.allCases.filter { entry.expectsAllowed($0, at: .own) }
            let roles = admitted.isEmpty ? [Who.anonymous] : admitted

            let tally = try await app.test(.router) { client in
                var requests = 0
                var fuzzedParameters = 0
                var failures: [String] = []
                func send(_ call: AuthorizationMatrix.Call, as who: Who, label: String) async throws {
                    requests += 1
                    let actor = who == .anonymous ? nil : fixture.actors[who]
                    let response = try await client.send(
                        call.method, call.uri, as: actor, form: call.form, json: call.json, headers: call.headers, cookies: call.cookies,
                        upload: call.upload)
                    if response.status.code >= 500 {
                        failures.append("\(spec.key) as \(who.rawValue), \(label): \(response.status.code) \(String(response.body.prefix(200)))")
                    }
                }
                // Discovery: the valid call as every role (denied roles never reach the handler, so record nothing).
                for who in Who.allCases {
                    try await send(AuthorizationMatrix.call(spec.key, who: who, position: .own, fixture: fixture), as: who, label: "valid call")
                }
                // Path parameters.
                let segments = spec.path.split(separator: "/", omittingEmptySubsequences: false)
                for (index, segment) in segments.enumerated() where segment.hasPrefix("{") {
                    fuzzedParameters += 1
                    for who in roles {
                        let base = AuthorizationMatrix.call(spec.key, who: who, position: .own, fixture: fixture)
                        for value in Self.hostile {
                            var call = base
                            call.uri = Self.replacingPathSegment(index, of: base.uri, with: value.formEncoded)
                            try await send(call, as: who, label: "path \(segment)=\(value.prefix(30))")
                        }
                    }
                }
                // Query and form parameters, until the handlers read no name that has not been fuzzed.
                var done: Set<String> = ["_csrf"]
                while true {
                    var names = book.parameters(of: spec.key)
                    for who in roles {
                        let call = AuthorizationMatrix.call(spec.key, who: who, position: .own, fixture: fixture)
                        names.formUnion(call.form.map { Array($0.keys) } ?? [])
                        names.formUnion(Self.query(of: call.uri).map(\.0))
                    }
                    let pending = names.subtracting(done).sorted()
                    if pending.isEmpty { break }
                    for name in pending {
                        done.insert(name)
                        fuzzedParameters += 1
                        for who in roles {
                            let base = AuthorizationMatrix.call(spec.key, who: who, position: .own, fixture: fixture)
                            for value in Self.hostile {
                                var call = base
                                call.uri = Self.settingQuery(name, to: value, in: base.uri)
                                if call.form != nil || (base.method != .get && base.json == nil) {
                                    call.form = (base.form ?? [:]).merging([name: value]) { _, new in new }
                                }
                                try await send(call, as: who, label: "\(name)=\(value.prefix(30))")
                            }
                        }
                    }
                }
                // JSON body fields.
                for who in roles {
                    let base = AuthorizationMatrix.call(spec.key, who: who, position: .own, fixture: fixture)
                    guard let json = base.json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
                        continue
                    }
                    for key in object.keys.sorted() {
                        fuzzedParameters += 1
                        for raw in Self.hostileJSON {
                            var changed = object
                            changed[key] = "__FUZZ__"
                            let text = String(decoding: try JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]), as: UTF8.self)
                            var call = base
                            call.json = text.replacingOccurrences(of: "\"__FUZZ__\"", with: raw)
                            try await send(call, as: who, label: "json \(key)=\(raw.prefix(30))")
                        }
                    }
                    // Not JSON at all, and a JSON array where an object belongs.
                    for body in ["{", "[1,2,3]", String(repeating: "[", count: 5_000)] {
                        var call = base
                        call.json = body
                        try await send(call, as: who, label: "json body \(body.prefix(10))")
                    }
                }
                return (requests, fuzzedParameters, failures)
            }
            requests += tally.0
            fuzzedParameters += tally.1
            failures += tally.2
            await database.shutdown()
            try? FileManager.default.removeItem(at: dir)
        }
        await template.drop()
        print("route fuzz: \(routes.count) routes, \(fuzzedParameters) parameters, \(requests) requests, \(failures.count) server errors")
        #expect(failures.isEmpty, "server errors:\n\(failures.prefix(40).joined(separator: "\n"))")
        #expect(requests > 5_000, "the fuzz sent too few requests to mean anything")
    }

    static func replacingPathSegment(_ index: Int, of uri: String, with value: String) -> String {
        let (path, query) = split(uri)
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if index < segments.count { segments[index] = value }
        return segments.joined(separator: "/") + (query.map { "?" + $0 } ?? "")
    }

    static func query(of uri: String) -> [(String, String)] {
        guard let query = split(uri).1 else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]).removingPercentEncoding ?? String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    static func settingQuery(_ name: String, to value: String, in uri: String) -> String {
        let path = split(uri).0
        var pairs = query(of: uri).filter { $0.0 != name }.map { "\($0.0.formEncoded)=\($0.1)" }
        pairs.append("\(name.formEncoded)=\(value.formEncoded)")
        return path + "?" + pairs.joined(separator: "&")
    }

    static func split(_ uri: String) -> (String, String?) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, nil) }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
