import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 6 (store): automatic entries recomputed as a set from attendance and dues (twice → the same), manual
/// entries counted only once the branch approves, veto and exemption; on SQLite and PostgreSQL.
@Suite("党员积分 store (POINT-01…06)")
struct PointRepositoryTests {
    @Test(
        "attendance and on-time dues post once however often recomputed; a manual +3 counts after approval; veto → 0", arguments: TestBackend.enabled)
    func recomputeAndApprove(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let console = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "积分党员", born: "1980-02-01", sequence: 870), organisationID: tree["A1a1"], access: .maintenance,
                actor: console
            ).id
            let other = try await kit.store.members.create(
                MemberFixtures.draft(name: "缺席党员", born: "1981-02-01", sequence: 871), organisationID: tree["A1a1"], access: .maintenance,
                actor: console
            ).id
            // Three 主题党日: present, on leave, present; the other member absent from the first.
            for (i, day) in [1, 2, 3].enumerated() {
                var draft = MeetingDraft(kind: .themeDay, heldOn: CivilDate(year: 2026, month: day, day: 1)!)
                draft.topic = "主题党日 \(day) 月"
                draft.attendance[member] = (i == 1 ? .leave : .present, i == 1 ? "出差" : "")
                draft.attendance[other] = (i == 0 ? .absent : .present, "")
                _ = try await kit.store.meetings.record(draft, organisationID: tree["A1a1"], access: .maintenance, actor: console)
            }
            // Dues: October paid in October (on time), September paid late in November (not on time).
            let dues = kit.store.dues
            _ = try await dues.setBase(
                memberID: member, year: try #require(CalendarYear(2026)), category: .employed, base: Fen(300_000), expectedVersion: 0,
                access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: member,
                DuesEntryDraft(
                    kind: .regular, months: [DuesMonth(year: 2026, month: 10)!], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2026-10-08")!),
                method: .cash, access: .maintenance, actor: console)
            _ = try await dues.record(
                memberID: member,
                DuesEntryDraft(
                    kind: .backPayment, months: [DuesMonth(year: 2026, month: 9)!], amount: Fen(1_500)!, paidOn: CivilDate(iso: "2026-11-22")!),
                method: .cash, access: .maintenance, actor: console)
            let points = kit.store.points
            let first = try await points.recompute(year: 2026, anchorID: tree["A1"], access: .maintenance, actor: console)
            let second = try await points.recompute(year: 2026, anchorID: tree["A1"], access: .maintenance, actor: console)
            #expect(first == second && first == 2 + 1 + 1 + 2, "2 attended + 1 on-time month for one; 1 absence + 2 attended for the other")
            var account = try await points.account(memberID: member, year: 2026, access: .maintenance)
            #expect(
                account.account.total == Points(tenths: 600 + 20 + 5), "60 + 2 主题党日 + 0.5 for October; leave is neutral, late September earns nothing"
            )
            #expect(try await points.account(memberID: other, year: 2026, access: .maintenance).account.total == Points(61))
            // Manual: refused for an automatic item or without evidence; counted only after approval.
            await #expect(throws: ValidationProblems.self) {
                try await points.submit(
                    memberID: member, item: .themeDay, on: CivilDate(iso: "2026-05-01")!, points: Points(1), note: "补记", evidence: "照片",
                    access: .maintenance, actor: console)
            }
            await #expect(throws: ValidationProblems.self) {
                try await points.submit(
                    memberID: member, item: .excellence, on: CivilDate(iso: "2026-05-01")!, points: Points(3), note: "受表彰", evidence: " ",
                    access: .maintenance, actor: console)
            }
            let manual = try await points.submit(
                memberID: member, item: .excellence, on: CivilDate(iso: "2026-10-01")!, points: Points(3), note: "受县委表彰", evidence: "表彰文件",
                access: .maintenance, actor: console)
            #expect(try await points.account(memberID: member, year: 2026, access: .maintenance).account.total == Points(tenths: 625))
            try await points.decide(entryID: manual, approve: true, access: .maintenance, actor: console)
            await #expect(throws: ValidationFailure.self) {
                try await points.decide(entryID: manual, approve: false, access: .maintenance, actor: console)
            }
            // A recomputation leaves the manual entry alone.
            _ = try await points.recompute(year: 2026, anchorID: tree["A1"], access: .maintenance, actor: console)
            account = try await points.account(memberID: member, year: 2026, access: .maintenance)
            #expect(account.account.total == Points(tenths: 655) && account.account.stars == 2)
            // Veto: 0 and no stars; cleared, the account is back.
            try await points.setStanding(memberID: member, year: 2026, veto: "支部〔2026〕5号", exempt: nil, access: .maintenance, actor: console)
            #expect(try await points.account(memberID: member, year: 2026, access: .maintenance).account.stars == 0)
            try await points.setStanding(memberID: member, year: 2026, veto: nil, exempt: nil, access: .maintenance, actor: console)
            #expect(try await points.account(memberID: member, year: 2026, access: .maintenance).account.total == Points(tenths: 655))
            // Outside the branch's reach: not found.
            let b1 = try #require(try await kit.organisations.find(tree["B1"], access: .maintenance))
            let outside = OrganisationAccess(
                permission: .membersRead, reaches: [OrganisationReach(organisationID: b1.id, path: b1.path, scope: .own)])
            await #expect(throws: RecordNotFound.self) { try await points.account(memberID: member, year: 2026, access: outside) }
        }
    }
}
