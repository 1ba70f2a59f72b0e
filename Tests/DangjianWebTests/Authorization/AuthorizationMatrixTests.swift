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

/// One parsed line of a capability's matrix file (`Matrix/<slug>.txt`).
struct MatrixEntry {
    var route: String
    var allowed: [Who: Set<Position>]
    /// The file it was read from: the capability's slug.
    var slug = ""

    func expectsAllowed(_ who: Who, at position: Position) -> Bool { allowed[who]?.contains(position) ?? false }
}

enum AuthorizationMatrix {
    /// One file per capability, `<slug>.txt` (format in `Matrix/README.md`).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Matrix")

    static func load() throws -> [String: MatrixEntry] {
        var entries: [String: MatrixEntry] = [:]
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "txt" }
        for file in files {
            let slug = file.deletingPathExtension().lastPathComponent
            for (route, entry) in try load(file) {
                precondition(entries[route] == nil, "\(route) has lines in two matrix files")
                entries[route] = MatrixEntry(route: route, allowed: entry.allowed, slug: slug)
            }
        }
        return entries
    }

    static func load(_ file: URL) throws -> [String: MatrixEntry] {
        var entries: [String: MatrixEntry] = [:]
        for raw in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let halves = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let route = halves[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            var allowed: [Who: Set<Position>] = [:]
            for token in halves[1].split(separator: " ") {
                if token == "none" {
                    continue
                } else if token == "*" {
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

        /// The record of `kind` in the organisation at this cell's position (`PositionedRecords`); callers that
        /// send the matrix's requests on a plain harness (the security-header and fuzz tests) get the core
        /// fixture's record.
        func target(_ kind: RouteTarget) -> Int64 {
            guard let positioned = fixture.positioned else { return fixture.coreRecord(kind) }
            guard let id = positioned.record(kind, in: org) else { fatalError("no \(kind) at \(position) in the fixture template") }
            return id
        }

        /// The 民主评议党员 meeting at this cell's position.
        var evaluationMeeting: Int64 { target(.evaluationMeeting) }

        /// The scan on the development case at this cell's position.
        var developmentMaterial: Int64 { target(.developmentMaterial) }
    }

    /// A request that exercises `route` as `who` on the record at `position`, valid when the caller is allowed: the
    /// capability's call from its `MatrixCalls+<Slug>.swift` (`FeatureTestKit.matrixCall`), else a plain request to
    /// the path.
    static func call(_ route: String, who: Who, position: Position, fixture: WebFixture) -> Call {
        let org = fixture.organisation(position, for: who)
        let own = fixture.organisation(.own, for: who)
        let user = fixture.targetUserID
        let actor = fixture.actors[who] ?? fixture.actors[.sysadmin]!
        let context = MatrixCallContext(org: org, own: own, user: user, actor: actor, fixture: fixture, who: who, position: position)
        for capability in FeatureTestKits.all {
            if let call = capability.matrixCall(route, context) { return call }
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
        #expect(missing.isEmpty, "routes without a line in Matrix/<slug>.txt: \(missing)")
        #expect(stale.isEmpty, "matrix lines for routes that do not exist: \(stale)")
        // Each line in its own capability's file: a new capability adds a file and edits no other.
        let misplaced = harness.routes.filter { route in matrix[route.key].map { $0.slug != route.feature } ?? false }
            .map { "\($0.key) belongs in Matrix/\($0.feature).txt" }
        #expect(misplaced.isEmpty, "\(misplaced)")
        #expect(served.count == harness.routes.count, "a route is registered twice")
    }

    @Test("every route with a path parameter or a form gets its request from its capability's test kit")
    func everyParameterisedRouteHasACall() async throws {
        let harness = try await WebHarness.make()
        defer { Task { await harness.close() } }
        #expect(FeatureTestKits.all.count >= 8, "the capabilities' FeatureTestKit conformances were not found")
        for spec in harness.routes where spec.key.contains("{") || spec.method == "POST" {
            let context = AuthorizationMatrix.MatrixCallContext(
                org: harness.fixture.tree["A1"], own: harness.fixture.tree["A1"], user: harness.fixture.targetUserID,
                actor: harness.fixture.actors[.orgadmin]!, fixture: harness.fixture, who: .orgadmin, position: .own)
            let found = FeatureTestKits.all.contains { $0.matrixCall(spec.key, context) != nil }
            #expect(found, "\(spec.key): no FeatureTestKit.matrixCall builds its request (MatrixCalls+<Slug>.swift)")
        }
    }

    /// GET routes that write by design: the enrolment page keeps the pending secret it shows (so the code typed next
    /// is checked against it), and a download records that the approved export was fetched (issue 15, M6).
    static let getsThatWrite: [String: Set<String>] = [
        "GET /account/two-factor": ["second_factors"], "GET /exports/{id}/download": ["export_requests"],
    ]

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
        var copies = 0
        // A copy is reused for the next cell while it is still exactly the template (most cells are denied or
        // read); a cell that wrote anything gets a fresh copy after it.
        var current: (database: Database, directory: URL)?
        var pristine: [String: String] = [:]
        var observed: [String: [Who: Set<Position>]] = [:]
        let renderer = try await PageRenderer.load()
        for spec in routes {
            let entry = try #require(matrix[spec.key], "no matrix line for \(spec.key)")
            // A route declares what it acts on (`RouteTarget`); every organisation-scoped route is checked with its
            // target at all five positions.
            let positions: [Position] = spec.target == .none ? [.own] : Position.allCases
            for who in Who.allCases {
                for position in positions {
                    cells += 1
                    if current == nil {
                        current = try template.copy()
                        copies += 1
                        if pristine.isEmpty { pristine = try await stateSnapshot(current!.database) }
                    }
                    let database = current!.database
                    let built = try await DangjianApp.buildRouter(
                        configuration: WebHarness.configuration(), database: database, keyring: keyring, clock: clock, renderer: renderer)
                    let call = AuthorizationMatrix.call(spec.key, who: who, position: position, fixture: fixture)
                    let actor = who == .anonymous ? nil : fixture.actors[who]
                    let response = try await Application(router: built.router).test(.router) { client in
                        try await client.send(
                            call.method, call.uri, as: actor, form: call.form, json: call.json, headers: call.headers, cookies: call.cookies,
                            upload: call.upload)
                    }
                    let snapshot = try await stateSnapshot(database)
                    let changed = changedTables(pristine, snapshot).filter { !(Self.getsThatWrite[spec.key] ?? []).contains($0) }
                    if !response.isDenied { observed[spec.key, default: [:]][who, default: []].insert(position) }
                    let cell = "\(spec.key) as \(who.rawValue) at \(position.rawValue)"
                    #expect(response.status.code < 500, "\(cell): server error \(response.status.code)")
                    if entry.expectsAllowed(who, at: position) {
                        #expect(!response.isDenied, "\(cell): expected allowed, got \(response.status.code) \(response.location ?? "")")
                    } else {
                        #expect(response.isDenied, "\(cell): expected denied, got \(response.status.code)")
                        #expect(changed.isEmpty, "\(cell): a denied request changed \(changed)")
                    }
                    if spec.method == "GET" {
                        #expect(changed.isEmpty, "\(cell): a GET changed \(changed)")
                    }
                    if snapshot != pristine {
                        await database.shutdown()
                        try? FileManager.default.removeItem(at: current!.directory)
                        current = nil
                    }
                }
            }
        }
        if let current {
            await current.database.shutdown()
            try? FileManager.default.removeItem(at: current.directory)
        }
        if let path = ProcessInfo.processInfo.environment["DANGJIAN_MATRIX_OBSERVED"] {
            // What the cells did, in the file's format, to review against Matrix/<slug>.txt after a change.
            let lines = routes.map { spec in
                let allowed = observed[spec.key] ?? [:]
                let cells = Who.allCases.compactMap { who -> String? in
                    guard let positions = allowed[who] else { return nil }
                    let all = spec.target == .none || positions.count == Position.allCases.count
                    return "\(who.rawValue)=" + (all ? "all" : Position.allCases.filter(positions.contains).map(\.rawValue).joined(separator: ","))
                }
                return "\(spec.key) | \(cells.joined(separator: " "))"
            }
            try lines.sorted().joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        await template.drop()
        print(
            "authorization matrix: \(routes.count) routes, \(routes.filter { $0.target != .none }.count) of them organisation-scoped, \(cells) cells checked, \(copies) database copies"
        )
        #expect(cells >= 4032, "fewer cells than when every organisation-scoped route was last counted (issue 16: 4,032)")
    }
}
