import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("党费基数 store (DUES-02…06, DUES-09, DUES-16)")
struct DuesRepositoryTests {
    @Test(
        "a base set, changed and audited field by field; a stale version refused; reads and writes limited to access", arguments: TestBackend.enabled)
    func setAndChange(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "缴费人", born: "1980-02-01", sequence: 810, status: .full),
                organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            let dues = kit.store.dues
            let year = try #require(CalendarYear(2026))
            let a1a1 = try #require(try await kit.organisations.find(tree["A1a1"], access: .maintenance))
            let branch = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: a1a1.id, path: a1a1.path, scope: .own)])
            let first = try await dues.setBase(
                memberID: member.id, year: year, category: .employed, base: try Fen.parse("4321.57", field: "base", label: "b"), expectedVersion: 0,
                access: branch, actor: .console("t")
            ).line
            #expect(first.monthly?.description == "43.22" && first.version == 1 && first.parametersVersion == "DuesRules2008")
            let changed = try await dues.setBase(
                memberID: member.id, year: year, category: .retired, base: try Fen.parse("5000.01", field: "base", label: "b"), expectedVersion: 1,
                access: branch, actor: .console("t")
            ).line
            #expect(changed.monthly?.description == "50.00" && changed.version == 2 && changed.category == .retired)
            // The form of before (version 1) is refused, and changes nothing.
            await #expect(throws: EditConflict.self) {
                try await dues.setBase(
                    memberID: member.id, year: year, category: .student, base: nil, expectedVersion: 1, access: branch, actor: .console("t"))
            }
            let sheet = try await dues.sheet(organisationID: tree["A1a1"], year: year, access: branch)
            #expect(sheet.lines.first { $0.memberID == member.id }?.monthly?.value == 5_000 && sheet.monthlyTotal.value >= 5_000)
            // Another year is another base; another branch's worker does not reach the member.
            #expect(try await dues.line(memberID: member.id, year: try #require(CalendarYear(2027)), access: branch)?.line.version == 0)
            let b1 = try #require(try await kit.organisations.find(tree["B1"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: b1.id, path: b1.path, scope: .subtree)])
            await #expect(throws: RecordNotFound.self) {
                try await dues.setBase(
                    memberID: member.id, year: year, category: .student, base: nil, expectedVersion: 2, access: other, actor: .console("t"))
            }
            let audit = try await scratch.database.read { db in
                try await db.raw("SELECT changes FROM audit_log WHERE object_type = 'dues_base' ORDER BY id").all().map {
                    try $0.decode(column: "changes", as: String.self)
                }
            }
            #expect(audit.count == 2 && audit[1].contains("43.22") && audit[1].contains("50.00") && audit[1].contains("5000.01"))
        }
    }

    @Test("two clerks setting the same member's base at once: one base, the others a conflict", arguments: TestBackend.enabled)
    func concurrent(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "并发", born: "1981-02-01", sequence: 811, status: .full),
                organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            let dues = kit.store.dues
            let year = try #require(CalendarYear(2026))
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await dues.setBase(
                                memberID: member.id, year: year, category: .employed, base: Fen(Int64(300_000 + i)), expectedVersion: 0,
                                access: .maintenance, actor: .console("t\(i)"))
                            return "ok"
                        } catch is EditConflict { return "conflict" }
                    }
                }
                var all: [String] = []
                for try await o in group { all.append(o) }
                return all
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1 && outcomes.filter { $0 == "conflict" }.count == 5)
            let rows = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dues_bases WHERE member_id = \(bind: member.id)").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(rows == 1)
        }
    }
}
