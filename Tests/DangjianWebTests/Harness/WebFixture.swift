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

/// A complete fixture world: the tree, one account per role with a session, one member in every organisation, and
/// per capability the records its routes act on (`FeatureTestKit.addFixture` in `WebFixture+<Slug>.swift`).
struct WebFixture: Sendable {
    var tree: FixtureTree
    var actors: [Who: FixtureActor]
    var targetUserID: Int64
    var targetGrantID: Int64
    /// One member in every fixture organisation, keyed like the tree.
    var memberIDs: [String: Int64]
    /// Members: a previewed import job of each actor allowed to import; a pending transfer into A1a1 from the other
    /// county and one out of the system from A1a1; an open floating-member certificate of A1a1's member; an approved
    /// unmasked export request of the 组织管理员 for A1 (issue 15, M6).
    var importJobs: [Who: Int64] = [:]
    var incomingTransfer: Int64 = 0
    var outgoingTransfer: Int64 = 0
    var floatingCertificate: Int64 = 0
    var exportRequest: Int64 = 0
    /// Organisations: a unit registered under A1a1, and a previewed organisation import by the orgadmin below A1.
    var unit: Int64 = 0
    var organisationImportJob: Int64 = 0
    /// Life: a 主题党日 recorded in A1a1 with an open QR sign-in (`checkinToken`), and a 民主评议党员 meeting in
    /// A1a1 (no evaluation saved yet).
    var meeting: Int64 = 0
    var checkinToken: String = ""
    var evaluationMeeting: Int64 = 0
    /// Development: an open 发展党员 case in A1a1 (an activist), and a scan attached to its first step.
    var developmentCase: Int64 = 0
    var developmentMaterial: Int64 = 0
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
    /// The core record of each kind a route targets (`coreRecord`), set by the capability that makes it.
    var records: [RouteTarget: Int64] = [:]
    /// Anything else a capability's calls need, by a name of its choosing (a capability built after issue 16 keeps
    /// its records here and in `records` rather than adding properties to this type).
    var extras: [String: Int64] = [:]
    /// Other named values a capability's calls need (a ballot token …).
    var texts: [String: String] = [:]
    /// Records of every targeted kind at every position — only in the fixture template (`PositionedRecords`).
    var positioned: PositionedRecords?
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

    /// The core fixture's record of `kind` (in A1a1 or its campaign's A1).
    func coreRecord(_ kind: RouteTarget) -> Int64 {
        if kind == .organisation { return tree["A1a1"] }
        if kind == .member { return memberIDs["A1a1"]! }
        guard let id = records[kind] else { fatalError("the core fixture has no \(kind)") }
        return id
    }

    /// Builds the fixture in `database`, with `clock` for every timestamp: the core (tree, accounts, members), then
    /// each capability's records in `Features.all` order.
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
        var memberIDs: [String: Int64] = [:]
        for (i, key) in tree.ids.keys.sorted().enumerated() {
            var draft = MemberFixtures.draft(name: "党员\(key)", born: "1980-05-01", sequence: 200 + i, phone: "1390000\(String(format: "%04d", i))")
            draft.address = "\(key)住址"
            memberIDs[key] = try await kit.store.members.create(draft, organisationID: tree[key], access: .maintenance, actor: console).id
        }
        var fixture = WebFixture(tree: tree, actors: actors, targetUserID: target.id, targetGrantID: grant.id, memberIDs: memberIDs)
        let setup = FixtureSetup(kit: kit, clock: clock, console: console)
        for capability in FeatureTestKits.all { try await capability.addFixture(to: &fixture, setup) }
        return fixture
    }

    /// The smallest valid PNG signature plus a few bytes (evidence uploads are recognised by their first bytes).
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
}
