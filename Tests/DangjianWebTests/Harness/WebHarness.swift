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

/// The roles of the authorization fixture, plus the anonymous visitor.
enum Who: String, CaseIterable, Sendable {
    case anonymous, sysadmin, secadmin, auditor, orgadmin, worker, member
}

/// Where a target record lies relative to the actor's own organisation.
enum Position: String, CaseIterable, Sendable {
    case own, child, parent, sibling, other
}

/// A signed-in fixture actor: account, session cookie, CSRF token, API token.
struct FixtureActor: Sendable {
    var userID: Int64
    var username: String
    var sessionToken: String
    var csrf: String
    var apiToken: String
    var apiTokenID: Int64
}

/// A complete fixture world: the tree, one account per role with a session, and a target user with a grant.
struct WebFixture: Sendable {
    var tree: FixtureTree
    var actors: [Who: FixtureActor]
    var targetUserID: Int64
    var targetGrantID: Int64
    /// One member in every fixture organisation, keyed like the tree.
    var memberIDs: [String: Int64]
    /// A previewed import job of each actor allowed to import.
    var importJobs: [Who: Int64]
    /// A pending transfer into A1a1 from the other county, and one out of the system from A1a1.
    var incomingTransfer: Int64
    var outgoingTransfer: Int64
    /// An open floating-member certificate of A1a1's member, and a unit registered under A1a1.
    var floatingCertificate: Int64
    var unit: Int64
    /// A previewed organisation import by the orgadmin below A1.
    var organisationImportJob: Int64
    /// A 主题党日 recorded in A1a1.
    var meeting: Int64
    /// An open 发展党员 case in A1a1.
    var developmentCase: Int64
    /// A scan attached to the case's first step.
    var developmentMaterial: Int64 = 0
    /// An approved unmasked export request of the 组织管理员 for A1 (issue 15, M6).
    var exportRequest: Int64 = 0
    /// The token of an open QR sign-in of `meeting`.
    var checkinToken: String
    /// A 民主评议党员 meeting in A1a1 (no evaluation saved yet).
    var evaluationMeeting: Int64
    /// 三单一账 in A1 (the orgadmin's organisation): a campaign with a task assigned to A1a1, a problem in A1a1, a
    /// supervision round and group covering A1a1 with one visit, and a reminder letter to A1a1 (issued, not sent).
    var campaign: Int64 = 0
    var taskAssignment: Int64 = 0
    var problem: Int64 = 0
    var supervisionRound: Int64 = 0
    var supervisionGroup: Int64 = 0
    var supervisionVisit: Int64 = 0
    var letter: Int64 = 0
    /// A duty-list template of A1 for branches, and A1a1's list of this year.
    var dutyTemplate: Int64 = 0
    var dutyList: Int64 = 0
    /// An evidence file on the task's ledger.
    var attachment: Int64 = 0
    static let password = "Fixture#2026"

    /// The member in the organisation at `position` relative to `who`'s anchor.
    func member(_ position: Position, for who: Who) -> Int64 {
        let org = organisation(position, for: who)
        return memberIDs[tree.ids.first { $0.value == org }!.key]!
    }

    /// The organisation key at `position` relative to `who`'s anchor.
    func organisation(_ position: Position, for who: Who) -> Int64 {
        let keys: [Position: String]
        switch who {
        case .worker, .member:
            keys = [.own: "A1a1", .child: "A1a1g", .parent: "A1a", .sibling: "A1a2", .other: "B1"]
        default:
            keys = [.own: "A1", .child: "A1a", .parent: "A", .sibling: "A2", .other: "B"]
        }
        return tree[keys[position]!]
    }

    /// Builds the fixture in `database`, with `clock` for every timestamp.
    static func create(database: Database, clock: ManualClock, keyring: Keyring) async throws -> WebFixture {
        let kit = StoreKit(database: database, clock: clock, keyring: keyring)
        let tree = try await FixtureTree.create(kit.organisations)
        let console = Actor.console("fixture")
        var actors: [Who: FixtureActor] = [:]
        let plan: [(Who, Role, String?)] = [
            (.sysadmin, .systemAdmin, nil), (.secadmin, .securityAdmin, nil), (.auditor, .auditAdmin, nil),
            (.orgadmin, .orgAdmin, "A1"), (.worker, .partyWorker, "A1a1"), (.member, .member, "A1a1"),
        ]
        for (who, role, orgKey) in plan {
            let org = orgKey.map { tree[$0] }
            let user = try await kit.accounts.create(
                username: who.rawValue, displayName: "测试\(role.displayName)", organisationID: org, policy: .mlps, actor: console
            ).user
            _ = try await kit.accounts.grant(role: role, to: user.id, organisationID: org, scope: nil, actor: console)
            try await kit.accounts.setDemoPassword(userID: user.id, password: password, actor: console)
            // A fixture session stands for someone already past the second factor (issue 15, H6); the H6 tests sign
            // in through /login and the code form.
            let session = try await kit.sessions.start(userID: user.id, ip: "127.0.0.1", userAgent: "fixture", secondFactorPassed: true)
            let token = try await kit.tokens.create(userID: user.id, name: "fixture", validDays: 30, actor: console)
            actors[who] = FixtureActor(
                userID: user.id, username: who.rawValue, sessionToken: session.token,
                csrf: session.record.csrfToken, apiToken: token.token, apiTokenID: token.record.id)
        }
        let target = try await kit.accounts.create(
            username: "target", displayName: "目标用户", organisationID: tree["A21"], policy: .mlps, actor: console
        ).user
        let grant = try await kit.accounts.grant(role: .member, to: target.id, organisationID: tree["A21"], scope: nil, actor: console)
        let members = kit.store.members
        var memberIDs: [String: Int64] = [:]
        for (i, key) in tree.ids.keys.sorted().enumerated() {
            var draft = MemberFixtures.draft(name: "党员\(key)", born: "1980-05-01", sequence: 200 + i, phone: "1390000\(String(format: "%04d", i))")
            draft.address = "\(key)住址"
            memberIDs[key] = try await members.create(draft, organisationID: tree[key], access: .maintenance, actor: console).id
        }
        let importer = kit.store.importer
        var importJobs: [Who: Int64] = [:]
        for (i, who) in [Who.orgadmin, .worker].enumerated() {
            let actor = actors[who]!
            let user = try await kit.accounts.find(actor.userID)!
            let access = try await kit.accounts.principal(for: user).access(for: .membersWrite)
            let csv = "姓名,身份证号,入党日期,转正日期\n导入\(i),\(MemberFixtures.idNumber(born: "1985-01-01", sequence: 700 + i)),2010-01-01,2011-01-01\n"
            let job = try await importer.preview(
                file: Data(csv.utf8), fileName: "f.csv", organisationID: tree["A1a1"], access: access,
                actor: Actor(userID: actor.userID, name: who.rawValue, ip: "127.0.0.1", requestID: "fixture"))
            importJobs[who] = job.jobID
        }
        let transfers = kit.store.transfers
        let b = try await kit.organisations.find(tree["B"], access: .maintenance)!
        let bAccess = OrganisationAccess(permission: .membersWrite, reaches: [OrganisationReach(organisationID: b.id, path: b.path, scope: .subtree)])
        let incoming = try await transfers.start(
            memberID: memberIDs["B1"]!, toOrganisationID: tree["A1a1"], toName: nil, validDays: 90,
            duesPaidUntil: (2026, 10), access: bAccess, actor: console)
        let outgoing = try await transfers.start(
            memberID: memberIDs["A1a1"]!, toOrganisationID: nil, toName: "外省某县某支部", validDays: 180,
            duesPaidUntil: (2026, 10), access: .maintenance, actor: console)
        let today = CivilDate(date: clock.now())
        let certificate = try await kit.store.floating.issue(
            memberID: memberIDs["A1a1"]!, number: "", issuedOn: today, reason: "外出务工", destination: "广东省深圳市",
            validUntil: today.adding(months: 3), access: .maintenance, actor: console)
        let unit = try await kit.store.units.create(
            organisationID: tree["A1a1"], name: "某县某局", category: "机关", assessmentCategory: "党群政务", access: .maintenance, actor: console)
        let orgadmin = actors[.orgadmin]!
        let orgadminAccess = try await kit.accounts.principal(for: try await kit.accounts.find(orgadmin.userID)!).access(for: .organisationsWrite)
        let orgImport = try await kit.store.organisationImporter.preview(
            file: Data("组织名称,组织类型,上级组织\n导入党支部,党支部,甲县直机关工委\n".utf8), fileName: "orgs.csv", anchorID: tree["A1"], access: orgadminAccess,
            actor: Actor(userID: orgadmin.userID, name: "orgadmin", ip: "127.0.0.1", requestID: "fixture"))
        let meeting = try await kit.store.meetings.record(
            {
                var d = MeetingDraft(kind: .themeDay, heldOn: today); d.topic = "主题党日"; return d
            }(),
            organisationID: tree["A1a1"], access: .maintenance, actor: console
        ).id
        let checkin = try await kit.store.checkins
            .open(meetingID: meeting, access: .maintenance, actor: console)
        let development = try await kit.store.development
            .open(
                applicantName: "申请人甲", idNumber: MemberFixtures.idNumber(born: "2001-02-03", sequence: 990), organisationID: tree["A1a1"],
                access: .maintenance, actor: console)
        // Designated an activist (steps 1–3), so the case has a document to download and step 4 is next.
        for record in DevelopmentFixtures.records(through: .activistDesignation) {
            let (_, refusals) = try await kit.store.development
                .record(caseID: development, record, access: .maintenance, actor: console)
            guard refusals.isEmpty else {
                throw ValidationFailure(field: "fixture", message: "development step \(record.step.rawValue): \(refusals)")
            }
        }
        let developmentRepository = kit.store.development
        let applicationEntry = try await developmentRepository.find(development, access: .maintenance)!.entries[0].id
        try await developmentRepository.addMaterial(
            caseID: development, entryID: applicationEntry, try EvidenceFile(fileName: "入党申请书.png", data: Self.png)!,
            access: .maintenance, actor: console)
        let developmentMaterial = try await developmentRepository.find(development, access: .maintenance)!.entries[0].attachments[0].id
        let exportRequest = try await kit.store.exportRequests.create(
            requesterID: actors[.orgadmin]!.userID, organisationID: tree["A1"], filter: "org=\(tree["A1"])&scope=subtree", format: "csv",
            purpose: "矩阵核对用途", rowCount: 1, approvalRows: 100, perDay: 10, actor: console)
        var fixture = WebFixture(
            tree: tree, actors: actors, targetUserID: target.id, targetGrantID: grant.id, memberIDs: memberIDs, importJobs: importJobs,
            incomingTransfer: incoming.id, outgoingTransfer: outgoing.id, floatingCertificate: certificate.certificate.id, unit: unit.id,
            organisationImportJob: orgImport.jobID,
            meeting: meeting, developmentCase: development, checkinToken: checkin.token,
            evaluationMeeting: try await kit.store.meetings.record(
                {
                    var d = MeetingDraft(kind: .democraticEvaluation, heldOn: today); d.topic = "民主评议党员"
                    d.attendance[memberIDs["A1a1"]!] = (.present, ""); return d
                }(),
                organisationID: tree["A1a1"], access: .maintenance, actor: console
            ).id)
        try await fixture.addLists(store: kit.store, clock: clock, console: console)
        fixture.developmentMaterial = developmentMaterial
        fixture.exportRequest = exportRequest
        return fixture
    }
}

extension WebFixture {
    mutating func addLists(store: StoreServices, clock: ManualClock, console: Actor) async throws {
        let today = CivilDate(date: clock.now())
        let campaigns = store.campaigns
        campaign = try await campaigns.create(
            name: "模范机关创建", year: today.year, description: "", organisationID: tree["A1"], access: .maintenance, actor: console)
        let task = try await campaigns.addTask(
            campaignID: campaign, category: "政治建设", title: "第一议题学习", deliverable: "", deadline: today.adding(days: 30),
            assignees: [tree["A1a1"]], access: .maintenance, actor: console)
        taskAssignment = try await campaigns.board(campaign, access: .maintenance).assignments.first { $0.task.id == task }!.id
        problem = try await store.problems.create(
            ProblemDraft(
                organisationID: tree["A1a1"], source: .selfCheck, category: "组织生活", description: "记录不全", foundOn: today,
                deadline: today.adding(days: 30)),
            access: .maintenance, actor: console)
        let supervision = store.supervision
        supervisionGroup = try await supervision.createGroup(
            name: "第一督导组", year: today.year, organisationID: tree["A1"], members: [(targetUserID, "组员")],
            organisationIDs: [tree["A1a1"]], access: .maintenance, actor: console)
        supervisionRound = try await supervision.createRound(
            name: "第一轮督查", scheme: "8方面30项", startsOn: today.adding(days: -10), endsOn: today.adding(days: 10),
            campaignID: campaign, organisationID: tree["A1"], access: .maintenance, actor: console)
        supervisionVisit = try await supervision.recordVisit(
            roundID: supervisionRound, groupID: supervisionGroup, organisationID: tree["A1a1"], visitedOn: today,
            notes: "", findings: [FindingDraft(category: "阵地建设", description: "未挂牌", deadline: today.adding(days: 30))],
            userID: targetUserID, manage: .maintenance, actor: console
        ).id
        letter = try await supervision.issueLetter(
            LetterDraft(
                organisationID: tree["A1a1"], visitID: supervisionVisit, problemIDs: [], title: "提醒函", recipient: "一支部",
                body: "请整改。", issuingOrgan: "工委", issuedOn: today),
            issuerOrganisationID: tree["A1"], access: .maintenance, actor: console
        ).id
        let duties = store.duties
        dutyTemplate = try await duties.createTemplate(
            name: "党支部书记抓党建履职清单", post: "党支部书记", appliesTo: [.branch],
            items: "每年 讲一次党课\n每月 召开一次支委会", organisationID: tree["A1"], access: .maintenance, actor: console)
        _ = try await duties.instantiate(templateID: dutyTemplate, year: today.year, access: .maintenance, actor: console)
        dutyList = try await duties.lists(anchorID: tree["A1a1"], scope: .own, year: today.year, access: .maintenance).first!.id
        try await campaigns.recordProgress(
            taskAssignment, on: today, text: "已开展", evidence: "照片", file: try EvidenceFile(fileName: "现场.png", data: Self.png),
            access: .maintenance, actor: console)
        attachment = try await campaigns.assignment(taskAssignment, access: .maintenance)!.2.first!.attachments.first!.id
        _ = try await store.applicationForms
            .issue(first: "粤2026000001", count: 3, organisationID: tree["A1"], on: today, access: .maintenance, actor: console)
    }

    /// The smallest valid PNG signature plus a few bytes (evidence uploads are recognised by their first bytes).
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
}

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
        let fixture = try await WebFixture.create(database: scratch.database, clock: clock, keyring: keyring)
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

/// A fingerprint of everything a request could change except the audit trail and session bookkeeping.
func stateFingerprint(_ database: Database) async throws -> String {
    try await database.read { db in
        var parts: [String] = []
        let queries: [SQLQueryString] = [
            "SELECT id, name, COALESCE(short_name, '') AS s, path, COALESCE(dissolved_at, 0) AS d, version FROM organisations ORDER BY id",
            "SELECT id, username, password_hash, must_change_password AS m, COALESCE(disabled_at, 0) AS d, failed_count AS f, locked_permanently AS l, version FROM users ORDER BY id",
            "SELECT id, role, COALESCE(revoked_at, 0) AS r FROM role_assignments ORDER BY id",
            "SELECT id, COALESCE(revoked_at, 0) AS r FROM api_tokens ORDER BY id",
            "SELECT key, value FROM settings ORDER BY key",
            "SELECT id, organisation_id, name, id_number_enc, phone_enc, COALESCE(post, '') AS p, COALESCE(deleted_at, 0) AS d, version FROM members ORDER BY id",
            "SELECT id, status FROM member_transfers ORDER BY id",
        ]
        for query in queries {
            for row in try await db.raw(query).all() {
                parts.append(
                    row.allColumns.map { column in
                        (try? row.decode(column: column, as: String.self)) ?? (try? row.decode(column: column, as: Int64.self)).map(String.init)
                            ?? "?"
                    }.joined(separator: "|"))
            }
        }
        return parts.joined(separator: "\n")
    }
}
