import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 17, item 20: MEM-01 (report before leaving and on return), MEM-05/06 (letter validity, the paper letter
/// across provinces) and LIFE-11 (the committee's 民主生活会) on both databases.
@Suite("MEM-01, MEM-05/06 and LIFE-11 in the records, on both databases")
struct MemberRuleTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test(
        "MEM-05/06: a cross-province letter may run 180 days, a provincial one 90; its receipt waits for the printed paper letter",
        arguments: TestBackend.enabled)
    func transfers(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
            let tree = try await FixtureTree.create(kit.organisations)
            let actor = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "跨省转出", born: "1985-03-03", sequence: 611), organisationID: tree["A1a1"], access: .maintenance,
                actor: actor)
            let transfers = kit.store.transfers
            do {
                _ = try await transfers.start(
                    memberID: member.id, toOrganisationID: nil, toName: "外省某支部", validDays: 91, duesPaidUntil: (2026, 10), access: .maintenance,
                    actor: actor)
                Issue.record("a 91-day provincial letter was issued")
            } catch let f as ValidationFailure { #expect(f.ruleID == "MEM-05" && f.field == "valid_days") }
            do {
                _ = try await transfers.start(
                    memberID: member.id, toOrganisationID: tree["A1a2"], toName: nil, validDays: 30, duesPaidUntil: (2026, 10), crossProvince: true,
                    access: .maintenance, actor: actor)
                Issue.record("an internal move marked cross-province was started")
            } catch let f as ValidationFailure { #expect(f.ruleID == "MEM-06") }
            let t = try await transfers.start(
                memberID: member.id, toOrganisationID: nil, toName: "外省某支部", validDays: 180, duesPaidUntil: (2026, 10), crossProvince: true,
                access: .maintenance, actor: actor)
            #expect(t.crossProvince && t.letterPrintedAt == nil)
            do {
                _ = try await transfers.confirmReceipt(transferID: t.id, access: .maintenance, actor: actor)
                Issue.record("a cross-province receipt was recorded before the paper letter")
            } catch let f as ValidationFailure { #expect(f.ruleID == "MEM-06" && f.message.contains("纸质介绍信")) }
            #expect(try await kit.store.members.find(member.id, access: .maintenance) != nil, "still on the roster")
            // Printing the letter is audited (it carries the full ID number); that is what MEM-06 reads.
            try await kit.store.audit.record(
                AuditEvent(
                    action: .personalDataRevealed, objectType: "member_transfer", objectID: String(t.id), summary: "打印组织关系介绍信"), by: actor,
                database: scratch.database)
            #expect(try await transfers.find(t.id)?.letterPrintedAt != nil)
            let done = try await transfers.confirmReceipt(transferID: t.id, access: .maintenance, actor: actor)
            let gone = try await kit.store.members.find(member.id, access: .maintenance)
            #expect(done.status == .received && gone == nil)
        }
    }

    @Test(
        "MEM-01: leaving is reported with destination, reason and a term; after the term a return not reported is in 待办 the next day",
        arguments: TestBackend.enabled)
    func floatingReport(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let actor = Actor.console("t")
            let member = try await kit.store.members.create(
                MemberFixtures.draft(name: "外出务工", born: "1988-04-04", sequence: 612), organisationID: tree["A1a1"], access: .maintenance,
                actor: actor)
            let floating = kit.store.floating
            do {
                _ = try await floating.issue(
                    memberID: member.id, number: "", issuedOn: day("2026-11-01"), reason: "", destination: " ", validUntil: day("2026-11-01"),
                    access: .maintenance, actor: actor)
                Issue.record("a report without destination, reason or term was accepted")
            } catch let p as ValidationProblems {
                #expect(Set(p.problems.map(\.field)) == ["reason", "destination", "valid_until"] && p.problems.allSatisfy { $0.ruleID == "MEM-01" })
            }
            let issued = try await floating.issue(
                memberID: member.id, number: "", issuedOn: day("2026-11-01"), reason: "务工", destination: "广东省深圳市", validUntil: day("2026-11-23"),
                access: .maintenance, actor: actor)
            let worker = try await kit.accounts.create(
                username: "mem01", displayName: "书记", organisationID: tree["A1a1"], policy: .mlps, actor: actor)
            _ = try await kit.accounts.grant(role: .partyWorker, to: worker.user.id, organisationID: tree["A1a1"], scope: .own, actor: actor)
            let principal = try await kit.accounts.principal(for: try #require(try await kit.accounts.find(worker.user.id)))
            func reminded(_ today: String) async throws -> [TodoItem] {
                try await kit.store.membersTodo.items(for: principal, today: day(today)).filter { $0.key == "floating:\(issued.certificate.id)" }
            }
            #expect(try await reminded("2026-11-23").isEmpty, "on the last day of the reported term nothing is due")
            let due = try await reminded("2026-11-24")
            #expect(due.count == 1 && due[0].ruleID == "MEM-01" && due[0].message.contains("尚未报告返回") && due[0].message.contains("MEM-01/03"))
            _ = try await floating.takeBack(issued.certificate.id, on: day("2026-11-22"), access: .maintenance, actor: actor)
            #expect(try await reminded("2026-11-24").isEmpty, "the return reported, nothing is due")
        }
    }

    @Test("LIFE-11: a Party committee's 民主生活会 is its yearly requirement; recorded, the committee is green", arguments: TestBackend.enabled)
    func leadershipLifeMeeting(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_547_200))  // 2025-12-01
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            clock.advance(seconds: 366 * 86_400)  // 2026-12-02: inside the year's last 30 days → 临期
            let today = CivilDate(date: clock.now())
            func state() async throws -> ComplianceState? {
                try await kit.store.compliance.rollUp(anchorID: tree["A2"], scope: .own, access: .maintenance, today: today).organisations.first?
                    .findings
                    .first { $0.requirement.ruleID == "LIFE-11" }?.state
            }
            #expect(try await state() == .dueSoon)
            var draft = MeetingDraft(kind: .leadershipLifeMeeting, heldOn: today)
            draft.topic = "2026年度民主生活会"
            _ = try await kit.store.meetings.record(draft, organisationID: tree["A2"], access: .maintenance, actor: .console("t"))
            #expect(try await state() == .met)
        }
    }

    @Test(
        "LIFE-10: the participation list and 待办 name a 局长 who missed every activity of the branch last quarter; a 科员 who did the same is not named for LIFE-10",
        arguments: TestBackend.enabled)
    func dualLife(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_547_200))  // 2025-12-01
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let actor = Actor.console("t")
            var cadreDraft = MemberFixtures.draft(name: "王局长", born: "1970-05-05", sequence: 613)
            cadreDraft.post = "县财政局局长"
            let cadre = try await kit.store.members.create(cadreDraft, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            var clerkDraft = MemberFixtures.draft(name: "李科员", born: "1990-06-06", sequence: 614)
            clerkDraft.post = "科员"
            let clerk = try await kit.store.members.create(clerkDraft, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            clock.advance(seconds: 313 * 86_400)  // 2026-10-10
            for date in ["2026-07-12", "2026-08-12", "2026-09-12"] {
                var d = MeetingDraft(kind: .themeDay, heldOn: day(date))
                d.topic = "主题党日 \(date)"
                d.attendance = [cadre.id: (.leave, "公务"), clerk.id: (.absent, "")]
                _ = try await kit.store.meetings.record(d, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            }
            let rows = try await kit.store.participation.members(anchorID: tree["A1a1"], scope: .own, access: .maintenance)
            let cadreRow = try #require(rows.first { $0.memberID == cadre.id })
            let clerkRow = try #require(rows.first { $0.memberID == clerk.id })
            #expect(cadreRow.participation.dualLife?.contains("列入的 3 次组织生活均未出席") == true)
            #expect(clerkRow.participation.dualLife == nil)
            let flagged = try await kit.store.participation.flagged(anchorID: tree["A1a1"], scope: .own, access: .maintenance)
            #expect(flagged.contains { $0.memberID == cadre.id && $0.participation.message?.contains("LIFE-10") == true })
        }
    }
}
