import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Organisation tree repository")
struct OrganisationRepositoryTests {
    static let actor = Actor(userID: nil, name: "test", ip: "127.0.0.1", requestID: "t")

    func access(_ tree: FixtureTree, _ key: String, _ scope: OrganisationScope, path: MaterialisedPath) -> OrganisationAccess {
        OrganisationAccess(permission: .organisationsWrite, reaches: [OrganisationReach(organisationID: tree[key], path: path, scope: scope)])
    }

    @Test("paths are materialised and scopes 本级 / 本级及直属下级 / 全部下级 list the right organisations", arguments: TestBackend.enabled)
    func scopes(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let a1a = try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance))
            #expect(a1a.path.value == "/\(tree["A"])/\(tree["A1"])/\(tree["A1a"])/")
            #expect(a1a.depth == 3)
            let own = try await kit.organisations.list(anchorID: tree["A1"], scope: .own, access: .maintenance)
            let children = try await kit.organisations.list(anchorID: tree["A1"], scope: .ownAndChildren, access: .maintenance)
            let subtree = try await kit.organisations.list(anchorID: tree["A1"], scope: .subtree, access: .maintenance)
            #expect(own.map(\.id) == [tree["A1"]])
            #expect(Set(children.map(\.id)) == Set(["A1", "A1a", "A1b"].map { tree[$0] }))
            #expect(Set(subtree.map(\.id)) == Set(["A1", "A1a", "A1a1", "A1a1g", "A1a2", "A1b"].map { tree[$0] }))
        }
    }

    @Test("records outside the caller's access do not exist for the caller", arguments: TestBackend.enabled)
    func accessFiltering(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let a1a = try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance))
            let scoped = access(tree, "A1a", .subtree, path: a1a.path)
            #expect(try await kit.organisations.find(tree["A1a1"], access: scoped) != nil)
            #expect(try await kit.organisations.find(tree["A1"], access: scoped) == nil)
            #expect(try await kit.organisations.find(tree["A1b"], access: scoped) == nil)
            #expect(try await kit.organisations.find(tree["B1"], access: scoped) == nil)
            let visible = try await kit.organisations.visible(access: scoped)
            #expect(Set(visible.map(\.id)) == Set(["A1a", "A1a1", "A1a1g", "A1a2"].map { tree[$0] }))
            // Listing from an anchor outside the access is refused, not silently empty.
            await #expect(throws: RecordNotFound.self) {
                try await kit.organisations.list(anchorID: tree["A"], scope: .subtree, access: scoped)
            }
            // Writing outside the access is refused and changes nothing.
            let b1 = try #require(try await kit.organisations.find(tree["B1"], access: .maintenance))
            await #expect(throws: RecordNotFound.self) {
                try await kit.organisations.rename(
                    tree["B1"], name: "改名", shortName: nil, expectedVersion: b1.version, access: scoped, actor: Self.actor)
            }
            await #expect(throws: AccessDenied.self) {
                try await kit.organisations.create(
                    type: .branch, name: "越权支部", shortName: nil, parentID: tree["B"], access: scoped, actor: Self.actor)
            }
            #expect(try await kit.organisations.find(tree["B1"], access: .maintenance)?.name == "乙县某支部")
            // The member list's chooser: parent, anchor, children — the parent only when it is within the access.
            let around = try await kit.organisations.neighbourhood(of: tree["A1a"], access: .maintenance)
            #expect(around.map(\.id) == ["A1", "A1a", "A1a1", "A1a2"].map { tree[$0] })
            #expect(try await kit.organisations.neighbourhood(of: tree["A1a"], access: scoped).map(\.id) == ["A1a", "A1a1", "A1a2"].map { tree[$0] })
            #expect(try await kit.organisations.neighbourhood(of: tree["A1"], access: scoped).isEmpty)
        }
    }

    @Test("a move rewrites the whole subtree's paths in one transaction", arguments: TestBackend.enabled)
    func move(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let a1a = try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance))
            let moved = try await kit.organisations.move(
                tree["A1a"], toParent: tree["A2"], expectedVersion: a1a.version, access: .maintenance, actor: Self.actor)
            #expect(moved.parentID == tree["A2"])
            #expect(moved.path.value == "/\(tree["A"])/\(tree["A2"])/\(tree["A1a"])/")
            let group = try #require(try await kit.organisations.find(tree["A1a1g"], access: .maintenance))
            #expect(group.path.value == "/\(tree["A"])/\(tree["A2"])/\(tree["A1a"])/\(tree["A1a1"])/\(tree["A1a1g"])/")
            #expect(group.depth == 5)
            let a2subtree = try await kit.organisations.list(anchorID: tree["A2"], scope: .subtree, access: .maintenance)
            #expect(a2subtree.count == 6)
            let a1subtree = try await kit.organisations.list(anchorID: tree["A1"], scope: .subtree, access: .maintenance)
            #expect(Set(a1subtree.map(\.id)) == Set([tree["A1"], tree["A1b"]]))
            // Moving under one's own descendant is refused.
            let a2 = try #require(try await kit.organisations.find(tree["A2"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.move(
                    tree["A2"], toParent: tree["A1a1"], expectedVersion: a2.version, access: .maintenance, actor: Self.actor)
            }
            // A branch cannot hold a general branch.
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.move(
                    tree["A1a"], toParent: tree["A1b"], expectedVersion: moved.version, access: .maintenance, actor: Self.actor)
            }
        }
    }

    @Test("rename keeps history in the audit trail and detects stale versions", arguments: TestBackend.enabled)
    func renameAndConflict(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let before = try #require(try await kit.organisations.find(tree["A1b"], access: .maintenance))
            let renamed = try await kit.organisations.rename(
                tree["A1b"], name: "甲县教育体育局支部", shortName: "教体局支部",
                expectedVersion: before.version, access: .maintenance, actor: Self.actor)
            #expect(renamed.version == before.version + 1)
            await #expect(throws: EditConflict.self) {
                try await kit.organisations.rename(
                    tree["A1b"], name: "又一个名字", shortName: nil, expectedVersion: before.version, access: .maintenance, actor: Self.actor)
            }
            #expect(try await kit.organisations.find(tree["A1b"], access: .maintenance)?.name == "甲县教育体育局支部")
            let records = try await kit.audit.search(
                AuditQuery(action: "update", objectType: "organisation", objectID: String(tree["A1b"])), database: scratch.database
            ).records
            let change = try #require(records.first?.changes.first { $0.field == "name" })
            #expect(change.old == "甲教育局支部")
            #expect(change.new == "甲县教育体育局支部")
        }
    }

    @Test("dissolve is soft and refused while active children remain", arguments: TestBackend.enabled)
    func dissolve(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let a1a = try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.dissolve(
                    tree["A1a"], reason: "机构改革", expectedVersion: a1a.version, access: .maintenance, actor: Self.actor)
            }
            let a1a2 = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.dissolve(
                    tree["A1a2"], reason: "  ", expectedVersion: a1a2.version, access: .maintenance, actor: Self.actor)
            }
            let dissolved = try await kit.organisations.dissolve(
                tree["A1a2"], reason: "县财发〔2026〕1号", expectedVersion: a1a2.version, access: .maintenance, actor: Self.actor)
            #expect(dissolved.isDissolved)
            let active = try await kit.organisations.list(anchorID: tree["A1a"], scope: .subtree, access: .maintenance)
            #expect(!active.map(\.id).contains(tree["A1a2"]))
            let all = try await kit.organisations.list(anchorID: tree["A1a"], scope: .subtree, access: .maintenance, includeDissolved: true)
            #expect(all.map(\.id).contains(tree["A1a2"]))
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.create(
                    type: .partyGroup, name: "新小组", shortName: nil, parentID: tree["A1a2"], access: .maintenance, actor: Self.actor)
            }
        }
    }

    @Test("property: for random trees and grants, what a user sees lies inside the granted subtrees")
    func visibleIsInsideGrants() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let kit = StoreKit(database: scratch.database)
            var rng = SeededGenerator(seed: 20261122)
            var all: [Organisation] = [
                try await kit.organisations.create(
                    type: .partyCommittee, name: "根", shortName: nil, parentID: nil, access: .maintenance, actor: Self.actor)
            ]
            for i in 0..<60 {
                let parent = all.filter { $0.type != .partyGroup }.randomElement(using: &rng)!
                let type: OrganisationType =
                    parent.type == .branch ? .partyGroup : [.partyCommittee, .generalBranch, .branch].randomElement(using: &rng)!
                let allowed = parent.type.mayContain(type) ? type : .partyGroup
                all.append(
                    try await kit.organisations.create(
                        type: allowed, name: "组织\(i)", shortName: nil, parentID: parent.id, access: .maintenance, actor: Self.actor))
            }
            for _ in 0..<40 {
                let reaches = (0..<Int.random(in: 1...3, using: &rng)).map { _ -> OrganisationReach in
                    let anchor = all.randomElement(using: &rng)!
                    return OrganisationReach(
                        organisationID: anchor.id, path: anchor.path, scope: OrganisationScope.allCases.randomElement(using: &rng)!)
                }
                let access = OrganisationAccess(permission: .organisationsRead, reaches: reaches)
                let visible = try await kit.organisations.visible(access: access)
                let expected = all.filter { org in reaches.contains { $0.covers(path: org.path, parentID: org.parentID) } }
                #expect(Set(visible.map(\.id)) == Set(expected.map(\.id)))
            }
        }
    }
}

/// A small deterministic random generator so property tests replay the same cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

@Suite("Organisation history (组织沿革)")
struct OrganisationHistoryTests {
    @Test("dated renames, moves and dissolutions rebuild the tree as it stood on any day", arguments: TestBackend.enabled)
    func asOf(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))
            let actor = Actor(userID: nil, name: "t", ip: "127.0.0.1", requestID: "r")
            let d = { (y: Int, m: Int, day: Int) in CivilDate(year: y, month: m, day: day)! }
            let root = try await kit.organisations.create(
                type: .partyCommittee, name: "县委", shortName: nil, parentID: nil, access: .maintenance, actor: actor, effectiveDate: d(2010, 1, 1))
            let a = try await kit.organisations.create(
                type: .partyCommittee, name: "甲党委", shortName: nil, parentID: root.id, access: .maintenance, actor: actor,
                effectiveDate: d(2012, 1, 1))
            let b = try await kit.organisations.create(
                type: .partyCommittee, name: "乙党委", shortName: nil, parentID: root.id, access: .maintenance, actor: actor,
                effectiveDate: d(2012, 1, 1))
            var branch = try await kit.organisations.create(
                type: .branch, name: "一支部", shortName: nil, parentID: a.id, access: .maintenance, actor: actor, effectiveDate: d(2015, 6, 1))
            branch = try await kit.organisations.rename(
                branch.id, name: "第一支部", shortName: nil, expectedVersion: branch.version, access: .maintenance, actor: actor,
                effectiveDate: d(2018, 3, 1))
            branch = try await kit.organisations.move(
                branch.id, toParent: b.id, expectedVersion: branch.version, access: .maintenance, actor: actor, effectiveDate: d(2020, 7, 1))
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.rename(
                    branch.id, name: "倒填日期", shortName: nil, expectedVersion: branch.version, access: .maintenance, actor: actor,
                    effectiveDate: d(2019, 1, 1))
            }
            _ = try await kit.organisations.dissolve(
                branch.id, reason: "机构改革", expectedVersion: branch.version, access: .maintenance, actor: actor, effectiveDate: d(2024, 12, 31))
            func state(_ date: CivilDate) async throws -> (String, Int64?)? {
                try await kit.organisations.asOf(date, access: .maintenance).first { $0.organisationID == branch.id }.map { ($0.name, $0.parentID) }
            }
            #expect(try await state(d(2015, 5, 31)) == nil)
            #expect(try await state(d(2015, 6, 1))! == ("一支部", a.id))
            #expect(try await state(d(2018, 3, 1))! == ("第一支部", a.id))
            #expect(try await state(d(2020, 6, 30))! == ("第一支部", a.id))
            #expect(try await state(d(2020, 7, 1))! == ("第一支部", b.id))
            #expect(try await state(d(2024, 12, 30)) != nil)
            #expect(try await state(d(2024, 12, 31)) == nil)
            let history = try await kit.organisations.history(of: branch.id, access: .maintenance)
            #expect(history.map(\.kind) == [.established, .renamed, .moved, .dissolved])
            await #expect(throws: ValidationFailure.self) {
                try await kit.organisations.create(
                    type: .branch, name: "未来支部", shortName: nil, parentID: a.id, access: .maintenance, actor: actor, effectiveDate: d(2030, 1, 1))
            }
        }
    }
}
