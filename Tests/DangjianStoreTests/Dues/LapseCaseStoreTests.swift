import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 4 (store; DUES-13/19): a lapse case opens only at six months without dues (or organisational life),
/// once per member however many clerks press at once; its steps are kept in order with their words and audited; a
/// removal waits for 批评教育, 限期改正 and the deadline; after a decision a new case may be opened; the member's
/// standing never changes. On SQLite and PostgreSQL.
@Suite("自行脱党审查 (store)")
struct LapseCaseStoreTests {
    @Test("open at six months, once; education, deadline, removal after it; nothing automatic", arguments: TestBackend.enabled)
    func lifecycle(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let dues = kit.store.dues
            func member(_ name: String, _ seq: Int) async throws -> Int64 {
                let id = try await kit.store.members.create(
                    MemberFixtures.draft(name: name, born: "1980-01-01", sequence: seq), organisationID: tree["A1a1"], access: .maintenance,
                    actor: console
                ).id
                _ = try await dues.setBase(
                    memberID: id, year: CalendarYear(2026)!, category: .employed, base: Fen(300_000), expectedVersion: 0, access: .maintenance,
                    actor: console)
                return id
            }
            let silent = try await member("甲", 891)  // nothing paid in 2026: ten months by November
            let payer = try await member("乙", 892)
            _ = try await dues.record(
                memberID: payer,
                DuesEntryDraft(
                    kind: .backPayment, months: [DuesMonth(year: 2026, month: 10)!], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2026-11-01")!),
                method: .cash, access: .maintenance, actor: console)

            // 乙 paid October: no case (DUES-19), unless organisational life has stopped for six months (DUES-13).
            await #expect(throws: ValidationFailure.self) {
                _ = try await dues.openLapseCase(memberID: payer, lifeMonths: 2, note: "", access: .maintenance, actor: console)
            }
            // Six clerks open 甲's case at once: one case.
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await dues.openLapseCase(memberID: silent, lifeMonths: 0, note: "支委会研究", access: .maintenance, actor: console)
                            return "opened"
                        } catch let f as ValidationFailure { return f.message.contains("已有未办结") ? "refused" : "other: \(f)" } catch {
                            return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await o in group { all.append(o) }
                return all
            }
            #expect(outcomes.filter { $0 == "opened" }.count == 1 && outcomes.filter { $0 == "refused" }.count == 5, "\(outcomes)")
            var c = try #require(try await dues.lapseCases(memberID: silent, access: .maintenance).first)
            #expect(c.duesMonths == 10 && c.state == .opened && c.grounds == "连续 10 个月未交纳党费")

            // Removal before the steps is refused and nothing changes.
            do {
                _ = try await dues.recordLapseStep(
                    c.id, LapseCaseStepDraft(step: .decision, on: CivilDate(iso: "2026-11-22")!, outcome: .removal, note: "除名"),
                    expectedVersion: c.version,
                    access: .maintenance, actor: console)
                Issue.record("removal before the steps was stored")
            } catch let p as ValidationProblems { #expect(p.problems.contains { $0.ruleID == "DUES-13" }) }
            c = try await dues.recordLapseStep(
                c.id, LapseCaseStepDraft(step: .education, on: CivilDate(iso: "2026-11-22")!, note: "书记谈心谈话，指出问题"), expectedVersion: c.version,
                access: .maintenance, actor: console)
            // A stale version is a conflict.
            await #expect(throws: EditConflict.self) {
                _ = try await dues.recordLapseStep(
                    c.id, LapseCaseStepDraft(step: .deadline, on: CivilDate(iso: "2026-11-22")!, deadline: CivilDate(iso: "2026-12-22")!, note: "限期"),
                    expectedVersion: c.version - 1, access: .maintenance, actor: console)
            }
            c = try await dues.recordLapseStep(
                c.id,
                LapseCaseStepDraft(step: .deadline, on: CivilDate(iso: "2026-11-22")!, deadline: CivilDate(iso: "2026-12-22")!, note: "限一个月内补交"),
                expectedVersion: c.version, access: .maintenance, actor: console)
            #expect(c.state == .deadlineSet && c.deadline == CivilDate(iso: "2026-12-22") && c.history.count == 3)
            // The deadline passes: removal may now be proposed (a person does it).
            clock.advance(seconds: 31 * 86_400)
            c = try await dues.recordLapseStep(
                c.id, LapseCaseStepDraft(step: .decision, on: CivilDate(iso: "2026-12-23")!, outcome: .removal, note: "期满未改正，提请支部党员大会讨论"),
                expectedVersion: c.version, access: .maintenance, actor: console)
            #expect(c.state == .decided && c.outcome == .removal && c.history.last?.contains("提请支部党员大会讨论除名") == true)
            // The member's standing is untouched; a new case can be opened after the decision.
            let stillThere = try #require(try await kit.store.members.find(silent, access: .maintenance))
            #expect(stillThere.membershipState == .normal)
            _ = try await dues.openLapseCase(memberID: silent, lifeMonths: 0, note: "", access: .maintenance, actor: console)
            #expect(try await dues.lapseCases(memberID: silent, access: .maintenance).count == 2)
            let open = try await dues.openLapseCases(anchorID: tree["A1"], scope: .subtree, access: .maintenance)
            #expect(open.count == 1 && open[0].1 == "甲")
        }
    }
}
