import Testing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// One parsed line of `authz-matrix.txt`.
struct MatrixEntry {
    var route: String
    var allowed: [Who: Set<Position>]

    func expectsAllowed(_ who: Who, at position: Position) -> Bool { allowed[who]?.contains(position) ?? false }
}

enum AuthorizationMatrix {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("authz-matrix.txt")

    static func load() throws -> [String: MatrixEntry] {
        var entries: [String: MatrixEntry] = [:]
        for raw in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let halves = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let route = halves[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            var allowed: [Who: Set<Position>] = [:]
            for token in halves[1].split(separator: " ") {
                if token == "*" {
                    for who in Who.allCases { allowed[who] = Set(Position.allCases) }
                } else if token == "signedin" {
                    for who in Who.allCases where who != .anonymous { allowed[who] = Set(Position.allCases) }
                } else {
                    let pair = token.split(separator: "=")
                    let who = Who(rawValue: String(pair[0]))!
                    allowed[who] =
                        pair[1] == "all" ? Set(Position.allCases) : Set(pair[1].split(separator: ",").map { Position(rawValue: String($0))! })
                }
            }
            entries[route] = MatrixEntry(route: route, allowed: allowed)
        }
        return entries
    }

    /// Routes whose target is an organisation, checked at every position.
    static let positional: Set<String> = [
        "GET /orgs/{id}", "GET /orgs/new", "POST /orgs", "POST /orgs/{id}/rename", "POST /orgs/{id}/move",
        "POST /orgs/{id}/dissolve", "GET /api/v1/organisations/{id}", "POST /api/v1/organisations",
        "PATCH /api/v1/organisations/{id}", "POST /api/v1/organisations/{id}/move", "POST /api/v1/organisations/{id}/dissolve",
        "GET /members", "GET /members/new", "POST /members", "GET /members/export.csv", "GET /members/statistics",
        "GET /members/{id}", "GET /members/{id}/edit", "POST /members/{id}", "POST /members/{id}/reveal",
        "GET /members/export.xlsx", "GET /members/import", "POST /members/import",
        "GET /api/v1/members", "GET /api/v1/members/{id}", "POST /api/v1/members", "PATCH /api/v1/members/{id}",
        "POST /orgs/{id}/elections", "POST /orgs/{id}/postpone", "POST /members/{id}/transfer", "POST /members/{id}/account",
        "POST /orgs/{id}/by-elections", "POST /orgs/{id}/retype", "POST /orgs/{id}/merge", "POST /orgs/{id}/units", "POST /members/{id}/floating",
        "GET /orgs/import", "POST /orgs/import", "POST /members/link-accounts",
        "GET /orgs/{id}/meetings", "GET /orgs/{id}/meetings/new", "POST /orgs/{id}/meetings",
    ]

    struct Call {
        var method: HTTPRequest.Method
        var uri: String
        var form: [String: String]?
        var json: String?
        var cookies: [String: String] = [:]
        var upload: (name: String, data: Data)?
        var headers: HTTPFields = [:]
    }

    /// What a capability's matrix calls are built from (`MatrixCalls+<Slug>.swift`).
    struct MatrixCallContext {
        var org: Int64
        var own: Int64
        var user: Int64
        var actor: FixtureActor
        var fixture: WebFixture
        var who: Who
        var position: Position
    }

    /// A request that exercises `route` as `who` on the record at `position`, valid when the caller is allowed: the
    /// capability's call from its `MatrixCalls+<Slug>.swift`, else a plain request to the path.
    static func call(_ route: String, who: Who, position: Position, fixture: WebFixture) -> Call {
        let org = fixture.organisation(position, for: who)
        let own = fixture.organisation(.own, for: who)
        let user = fixture.targetUserID
        let actor = fixture.actors[who] ?? fixture.actors[.sysadmin]!
        let context = MatrixCallContext(org: org, own: own, user: user, actor: actor, fixture: fixture, who: who, position: position)
        for calls in [platformCall, accountCall, organisationsCall, membersCall, lifeCall, developmentCall, listsCall, adminCall]
            as [(String, MatrixCallContext) -> Call?]
        {
            if let call = calls(route, context) { return call }
        }
        let parts = route.split(separator: " ")
        return Call(method: HTTPRequest.Method(String(parts[0]))!, uri: String(parts[1]))
    }
}

/// A member draft as the form posts it.
enum MemberFormFixture {
    static func fields(_ d: MemberDraft) -> [String: String] {
        [
            "name": d.name, "id_number": d.idNumber, "gender": d.gender, "birth_date": d.birthDate, "ethnicity": d.ethnicity,
            "education": d.education, "personnel_category": d.personnelCategory, "party_status": d.partyStatus,
            "membership_state": d.membershipState, "join_date": d.joinDate, "full_member_date": d.fullMemberDate,
            "work_unit": d.workUnit, "post": d.post, "phone": d.phone, "address": d.address,
        ]
    }
}

@Suite("Authorization matrix (routes × roles × position)")
struct AuthorizationMatrixTests {
    @Test("every route the router serves has a matrix line, and every matrix line is a route")
    func everyRouteIsInTheMatrix() async throws {
        let harness = try await WebHarness.make()
        defer { Task { await harness.close() } }
        let matrix = try AuthorizationMatrix.load()
        let served = Set(harness.routes.map(\.key))
        let missing = served.subtracting(matrix.keys).sorted()
        let stale = Set(matrix.keys).subtracting(served).sorted()
        #expect(missing.isEmpty, "routes without a line in authz-matrix.txt: \(missing)")
        #expect(stale.isEmpty, "matrix lines for routes that do not exist: \(stale)")
        #expect(served.count == harness.routes.count, "a route is registered twice")
    }

    @Test("each cell: allowed callers get through, denied callers get 401/403/404 and nothing changes")
    func matrix() async throws {
        // One fixture, copied fresh for every cell so that an allowed write cannot affect the next cell.
        let template = try await FixtureTemplate.make()
        let (clock, keyring, fixture) = (template.clock, template.keyring, template.fixture)
        let matrix = try AuthorizationMatrix.load()
        let probe = try await WebHarness.make()
        let routes = probe.routes
        await probe.close()

        var cells = 0
        for spec in routes {
            let entry = try #require(matrix[spec.key], "no matrix line for \(spec.key)")
            let positions: [Position] = AuthorizationMatrix.positional.contains(spec.key) ? Position.allCases : [.own]
            for who in Who.allCases {
                for position in positions {
                    cells += 1
                    let (database, dir) = try template.copy()
                    let built = try await DangjianApp.buildRouter(
                        configuration: WebHarness.configuration(), database: database, keyring: keyring, clock: clock)
                    let before = try await stateFingerprint(database)
                    let call = AuthorizationMatrix.call(spec.key, who: who, position: position, fixture: fixture)
                    let actor = who == .anonymous ? nil : fixture.actors[who]
                    let response = try await Application(router: built.router).test(.router) { client in
                        try await client.send(
                            call.method, call.uri, as: actor, form: call.form, json: call.json, headers: call.headers, cookies: call.cookies,
                            upload: call.upload)
                    }
                    let after = try await stateFingerprint(database)
                    let cell = "\(spec.key) as \(who.rawValue) at \(position.rawValue)"
                    #expect(response.status.code < 500, "\(cell): server error \(response.status.code)")
                    if entry.expectsAllowed(who, at: position) {
                        #expect(!response.isDenied, "\(cell): expected allowed, got \(response.status.code) \(response.location ?? "")")
                    } else {
                        #expect(response.isDenied, "\(cell): expected denied, got \(response.status.code)")
                        #expect(before == after, "\(cell): a denied request changed data")
                    }
                    if spec.method == "GET" {
                        #expect(before == after, "\(cell): a GET changed data")
                    }
                    await database.shutdown()
                    try? FileManager.default.removeItem(at: dir)
                }
            }
        }
        await template.drop()
        print("authorization matrix: \(routes.count) routes, \(cells) cells checked")
        #expect(cells > 400)
    }
}
