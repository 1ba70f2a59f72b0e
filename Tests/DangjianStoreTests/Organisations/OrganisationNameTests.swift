import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// ORGNAME-01 (issue 17, item 7; decision 0029): names are unique under a parent, and an import naming an
/// ambiguous organisation asks which.
@Suite("Organisation names (ORGNAME-01)")
struct OrganisationNameTests {
    static let actor = Actor.console("t")

    @Test(
        "a duplicate name under the same parent is refused on create, rename and move; elsewhere or dissolved it is not",
        arguments: TestBackend.enabled)
    func uniqueUnderParent(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))
            let orgs = kit.organisations
            let tree = try await FixtureTree.create(orgs)
            await #expect(throws: ValidationFailure.self) {
                try await orgs.create(type: .branch, name: "甲财政局一支部", shortName: nil, parentID: tree["A1a"], access: .maintenance, actor: Self.actor)
            }
            do {
                _ = try await orgs.create(
                    type: .branch, name: "甲财政局一支部", shortName: nil, parentID: tree["A1a"], access: .maintenance, actor: Self.actor)
            } catch let failure as ValidationFailure {
                #expect(failure.ruleID == RuleID.orgname01.code && failure.field == "name" && failure.message.contains("甲财政局党总支"))
            }
            // The same name under another parent is another organisation.
            let elsewhere = try await orgs.create(
                type: .branch, name: "甲财政局一支部", shortName: nil, parentID: tree["A1"], access: .maintenance, actor: Self.actor)
            // Renaming into a sibling's name, or moving under a parent that has one, is refused.
            let second = try #require(try await orgs.find(tree["A1a2"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await orgs.rename(
                    second.id, name: "甲财政局一支部", shortName: nil, expectedVersion: second.version, access: .maintenance, actor: Self.actor)
            }
            await #expect(throws: ValidationFailure.self) {
                try await orgs.move(elsewhere.id, toParent: tree["A1a"], expectedVersion: elsewhere.version, access: .maintenance, actor: Self.actor)
            }
            // A dissolved organisation's name is free again.
            let dissolving = try #require(try await orgs.find(tree["A1a2"], access: .maintenance))
            _ = try await orgs.dissolve(dissolving.id, reason: "撤并", expectedVersion: dissolving.version, access: .maintenance, actor: Self.actor)
            _ = try await orgs.create(type: .branch, name: "甲财政局二支部", shortName: nil, parentID: tree["A1a"], access: .maintenance, actor: Self.actor)
        }
    }

    @Test("eight offices creating the same name at once get one organisation and seven refusals", arguments: TestBackend.enabled)
    func concurrentCreates(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))
            let tree = try await FixtureTree.create(kit.organisations)
            let orgs = kit.organisations
            let parent = tree["A1"]
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        (try? await orgs.create(
                            type: .branch, name: "新设支部", shortName: nil, parentID: parent, access: .maintenance, actor: Self.actor)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let count = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM organisations WHERE name = '新设支部'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test("an import row naming an organisation two share is refused with the candidates; “上级/名称” picks one")
    func ambiguousImport() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let w = try await MemberImportTests.world(scratch)
            for key in ["A1a1", "A1a2"] {
                _ = try await w.kit.organisations.create(
                    type: .partyGroup, name: "第一党小组", shortName: nil, parentID: w.tree[key], access: .maintenance, actor: Self.actor)
            }
            let one = MemberFixtures.idNumber(born: "1971-06-06", sequence: 41)
            let two = MemberFixtures.idNumber(born: "1972-07-07", sequence: 43)
            let csv =
                "姓名,身份证号,入党日期,转正日期,党员身份,所在党组织\r\n"
                + "褚八,\(one),1996-06-06,1997-06-06,正式党员,第一党小组\r\n"
                + "卫九,\(two),1996-07-07,1997-07-07,正式党员,甲财政局二支部/第一党小组\r\n"
            let report = try await w.importer.preview(
                file: Data(csv.utf8), fileName: "名册.csv", organisationID: w.tree["A1a"], access: w.access, actor: MemberImportTests.actor)
            #expect(report.rows.count == 2)
            let refused = try #require(report.rows.first)
            #expect(refused.outcome == .invalid)
            #expect(
                refused.problems.contains {
                    $0.ruleID == RuleID.orgname01.code && $0.message.contains("2 个同名组织") && $0.message.contains("甲财政局二支部/第一党小组")
                })
            let chosen = try #require(report.rows.last)
            #expect(chosen.outcome == .create && chosen.organisation == "第一党小组", "\(chosen.problems)")
        }
    }
}
