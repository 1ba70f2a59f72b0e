import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("发展党员 case files")
struct DevelopmentTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test(
        "one open case per person; steps in order under the case's rules; an early target designation refused with its date; a correction is a new entry; the plan shows who is eligible next month",
        arguments: TestBackend.enabled)
    func caseFile(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let repo = kit.store.development
            let id = MemberFixtures.idNumber(born: "2000-04-05", sequence: 900)
            let caseID = try await repo.open(
                applicantName: "王申请", idNumber: id, organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self) {
                try await repo.open(applicantName: "王申请", idNumber: id, organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            }
            await #expect(throws: ValidationFailure.self) {
                try await repo.open(
                    applicantName: "错号", idNumber: "110105200004050001", organisationID: tree["A1a1"], access: .maintenance, actor: .console("t"))
            }
            var contacts = StepFacts()
            contacts.people = [("张一", true)]
            let schedule: [(DevelopmentStep, String, StepFacts)] = [
                (.application, "2025-09-01", StepFacts()), (.applicationTalk, "2025-10-15", StepFacts()),
                (.activistDesignation, "2025-11-30", DevelopmentFixtures.facts(.activistDesignation)),
                (.activistFiling, "2025-12-01", StepFacts()), (.contactsAssigned, "2025-12-01", contacts), (.cultivation, "2025-12-05", StepFacts()),
            ]
            var warnings: [DevelopmentRefusal] = []
            for (step, date, facts) in schedule {
                warnings += try await repo.record(
                    caseID: caseID, StepRecord(step: step, date: day(date), facts: facts), access: .maintenance, actor: .console("t")
                ).1
            }
            #expect(warnings.map(\.ruleID) == ["DEV-03"], "the talk came 44 days after the application")
            do {
                _ = try await repo.record(
                    caseID: caseID, StepRecord(step: .targetDesignation, date: day("2026-11-20")), access: .maintenance, actor: .console("t"))
                Issue.record("an early development-target designation was accepted")
            } catch let refusal as DevelopmentRefusal {
                #expect(refusal.ruleID == "DEV-08" && refusal.earliestValidDate == day("2026-11-30"))
            }
            // Correcting the last step needs a reason and is stored as a new entry.
            await #expect(throws: ValidationFailure.self) {
                try await repo.correctLast(
                    caseID: caseID, StepRecord(step: .cultivation, date: day("2025-12-06")), reason: " ", access: .maintenance, actor: .console("t"))
            }
            let (corrected, _) = try await repo.correctLast(
                caseID: caseID, StepRecord(step: .cultivation, date: day("2025-12-06")), reason: "登记日期笔误",
                access: .maintenance, actor: .console("t"))
            #expect(corrected.entries.count == 7 && corrected.entries.last?.correctsEntryID == corrected.entries[5].id)
            #expect(corrected.developmentCase.date(of: .cultivation) == day("2025-12-06") && corrected.developmentCase.steps.count == 6)
            // The plan: the target designation becomes possible on 2026-11-30, within the next month.
            let plan = try await repo.plan(anchorID: tree["A1"], scope: .subtree, access: .maintenance)
            #expect(
                plan.count == 1 && plan[0].next == .targetDesignation && plan[0].earliest == day("2026-11-30") && plan[0].eligibleNextMonth
                    && !plan[0].eligibleNow)
            // Reloaded, the case is the same; the rule book it started under is kept.
            let reloaded = try #require(try await repo.find(caseID, access: .maintenance))
            #expect(reloaded.developmentCase == corrected.developmentCase && reloaded.developmentCase.rules.version == "national-2014")
            #expect(reloaded.idNumberMasked != id && reloaded.idNumberMasked.contains("*"), "stored sealed, shown masked")
            let a1a2 = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersRead, reaches: [OrganisationReach(organisationID: a1a2.id, path: a1a2.path, scope: .own)])
            #expect(try await repo.find(caseID, access: other) == nil)
        }
    }

    @Test(
        "DEV-34 入党志愿书编号: batches numbered by their trailing digits, issued once, used once per person by an organisation at or below the holder, voided with a reason and never reused",
        arguments: TestBackend.enabled)
    func applicationFormLedger(_ backend: TestBackend) async throws {
        #expect(try ApplicationFormRepository.batch(first: "粤2026000998", count: 3) == ["粤2026000998", "粤2026000999", "粤2026001000"])
        #expect(throws: ValidationFailure.self) { try ApplicationFormRepository.batch(first: "粤99", count: 2) }
        #expect(throws: ValidationFailure.self) { try ApplicationFormRepository.batch(first: "粤A", count: 2) }
        #expect(try ApplicationFormRepository.batch(first: "粤A", count: 1) == ["粤A"])
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let forms = kit.store.applicationForms
            let today = CivilDate(date: clock.now())
            _ = try await forms.issue(
                first: "粤2026000001", count: 3, organisationID: tree["A1"], on: today, access: .maintenance, actor: .console("t"))
            _ = try await forms.issue(
                first: "粤2026000101", count: 1, organisationID: tree["A1a2"], on: today, access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self, "a number already in the ledger") {
                try await forms.issue(
                    first: "粤2026000003", count: 2, organisationID: tree["A1"], on: today, access: .maintenance, actor: .console("t"))
            }
            #expect(try await forms.ledger(access: .maintenance).count == 4, "the refused batch wrote nothing")
            let repo = kit.store.development
            let caseID = try await repo.open(
                applicantName: "王申请", idNumber: MemberFixtures.idNumber(born: "2000-04-05", sequence: 910), organisationID: tree["A1a1"],
                access: .maintenance, actor: .console("t"))
            let a1a1 = try #require(try await kit.organisations.find(tree["A1a1"], access: .maintenance))
            #expect(try await forms.available(to: a1a1.path) == ["粤2026000001", "粤2026000002", "粤2026000003"], "the sibling's number is not offered")
            func use(_ number: String) async throws {
                try await kit.database.write { db in
                    try await ApplicationFormRepository.use(number: number, caseID: caseID, organisationPath: a1a1.path, on: today, db: db)
                }
            }
            await #expect(throws: ValidationFailure.self, "issued to a sibling branch") { try await use("粤2026000101") }
            await #expect(throws: ValidationFailure.self, "not in the ledger") { try await use("粤2026009999") }
            try await use("粤2026000002")
            await #expect(throws: ValidationFailure.self, "one number per person") { try await use("粤2026000003") }
            await #expect(throws: ValidationFailure.self) {
                try await forms.void(number: "粤2026000001", reason: " ", on: today, access: .maintenance, actor: .console("t"))
            }
            try await forms.void(number: "粤2026000001", reason: "遗失", on: today, access: .maintenance, actor: .console("t"))
            let ledger = try await forms.ledger(access: .maintenance)
            #expect(ledger.map(\.status) == [.voided, .used, .issued, .issued] && ledger[1].caseID == caseID && ledger[0].voidReason == "遗失")
            // The spoiled form of this person: void it, then a new number may be used.
            try await forms.void(number: "粤2026000002", reason: "填写错误", on: today, access: .maintenance, actor: .console("t"))
            await #expect(throws: ValidationFailure.self, "a voided number is never reused") { try await use("粤2026000001") }
            try await use("粤2026000003")
        }
    }
}
