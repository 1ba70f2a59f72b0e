import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// The end of the procedure on the roster (DEV-25/27/32), the archive, batch actions and the annual plan
/// (DEVPLAN-01/02), on SQLite and PostgreSQL.
@Suite("发展党员: roster, archive, batches and the annual plan")
struct DevelopmentRosterTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    let actor = Actor.console("t")

    struct Setup {
        var kit: StoreKit
        var tree: FixtureTree
        var repo: DevelopmentRepository
        var members: MemberRepository
        var forms: ApplicationFormRepository
    }

    func setUp(_ scratch: ScratchDatabase) async throws -> Setup {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
        let kit = StoreKit(database: scratch.database, clock: clock)
        let tree = try await FixtureTree.create(kit.organisations)
        let forms = kit.store.applicationForms
        _ = try await forms.issue(
            first: "粤2025000101", count: 20, organisationID: tree["A1"], on: day("2025-06-01"), access: .maintenance, actor: actor)
        return Setup(
            kit: kit, tree: tree, repo: kit.store.development,
            members: kit.store.members, forms: forms)
    }

    /// The audit summaries of one roster member, oldest first.
    func memberAuditSummaries(_ s: Setup, _ memberID: Int64) async throws -> [String] {
        try await s.kit.database.read { db in
            try await db.raw("SELECT summary FROM audit_log WHERE object_type = 'member' AND object_id = \(bind: String(memberID)) ORDER BY id").all()
                .map { try $0.decode(column: "summary", as: String.self) }
        }
    }

    func record(_ s: Setup, _ caseID: Int64, through last: DevelopmentStep, from first: DevelopmentStep = .application, form: String) async throws {
        for r in DevelopmentFixtures.records(from: first, through: last, formNumber: form) {
            _ = try await s.repo.record(caseID: caseID, r, access: .maintenance, actor: actor)
        }
    }

    @Test(
        "approval enters a 预备党员 dated from the branch meeting; conversion makes a 正式党员 dated from the end of probation; the archive stays readable",
        arguments: TestBackend.enabled)
    func caseToRoster(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            let id = MemberFixtures.idNumber(born: "2000-04-05", sequence: 901)
            let caseID = try await s.repo.open(applicantName: "王接收", idNumber: id, organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            try await record(s, caseID, through: .admissionMeeting, form: "粤2025000101")
            #expect(try await s.repo.find(caseID, access: .maintenance)?.memberID == nil, "not on the roster before the committee approves")
            try await record(s, caseID, through: .approval, from: .approvalTalk, form: "粤2025000101")
            let file = try #require(try await s.repo.find(caseID, access: .maintenance))
            let memberID = try #require(file.memberID)
            let probationary = try #require(try await s.members.find(memberID, access: .maintenance))
            #expect(probationary.name == "王接收" && probationary.organisationID == s.tree["A1a1"] && probationary.partyStatus == .probationary)
            #expect(probationary.joinDate == day("2025-07-01"), "入党日期 is the branch meeting, not the approval (DEV-27)")
            #expect(probationary.fullMemberDate == nil && probationary.gender == .male && probationary.birthDate == day("2000-04-05"))
            #expect(try await s.members.find(idNumber: try IDNumber.parse(id, today: Date()).get(), access: .maintenance)?.id == memberID)
            try await record(s, caseID, through: .archive, from: .approvalFiling, form: "粤2025000101")
            let full = try #require(try await s.members.find(memberID, access: .maintenance))
            #expect(full.partyStatus == .full && full.fullMemberDate == day("2026-07-01") && full.joinDate == day("2025-07-01"))
            #expect(full.partyStanding(on: day("2027-07-01")) == 1, "党龄 from the end of probation (DEV-32)")
            let archived = try #require(try await s.repo.find(caseID, access: .maintenance))
            #expect(archived.status == .completed && archived.developmentCase.steps.count == 25 && archived.memberID == memberID)
            #expect(try await s.repo.caseID(ofMember: memberID) == caseID)
            let archive = try await s.repo.archive(anchorID: s.tree["A1"], scope: .subtree, access: .maintenance)
            #expect(archive.map(\.id) == [caseID] && archive.first?.memberID == memberID)
            await #expect(throws: ValidationFailure.self, "a completed case takes no more entries") {
                try await s.repo.record(caseID: caseID, StepRecord(step: .archive, date: day("2026-08-01")), access: .maintenance, actor: actor)
            }
            // Audited: the member's creation and the conversion name the case file.
            let summaries = try await memberAuditSummaries(s, memberID)
            #expect(summaries.count == 2 && summaries[0].contains("接收预备党员（发展党员档案 #\(caseID)）") && summaries[1].contains("预备党员转正"))
        }
    }

    @Test(
        "DEV-28 (c): a cancellation of probationary status, once approved, takes the member off the roster (出党) with an audited update; 党龄 never starts",
        arguments: TestBackend.enabled)
    func cancellationLeavesRoster(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            let caseID = try await s.repo.open(
                applicantName: "赵取消", idNumber: MemberFixtures.idNumber(born: "1999-09-09", sequence: 931),
                organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            try await record(s, caseID, through: .conversionApplication, form: "粤2025000111")
            let memberID = try #require(try await s.repo.find(caseID, access: .maintenance)?.memberID)
            var cancel = DevelopmentFixtures.facts(.conversionMeeting)
            cancel.cancelProbation = true
            let (_, refusals) = try await s.repo.record(
                caseID: caseID, StepRecord(step: .conversionMeeting, date: day("2026-06-20"), facts: cancel),
                access: .maintenance, actor: actor)
            #expect(refusals.isEmpty)
            #expect(try await s.members.find(memberID, access: .maintenance)?.membershipState == .normal, "still a 预备党员 until the committee approves")
            _ = try await s.repo.record(
                caseID: caseID, StepRecord(step: .conversionApproval, date: day("2026-07-10"), facts: DevelopmentFixtures.facts(.conversionApproval)),
                access: .maintenance, actor: actor)
            let file = try #require(try await s.repo.find(caseID, access: .maintenance))
            #expect(file.developmentCase.probationCancelled && file.developmentCase.fullMemberDate == nil)
            let stored = try #require(try await s.repo.find(caseID, access: .maintenance)?.developmentCase.record(of: .conversionMeeting)?.facts)
            #expect(stored.cancelProbation && stored.extensionMonths == nil, "the decision survives the database round trip")
            let member = try #require(try await s.members.find(memberID, access: .maintenance))
            #expect(member.membershipState == .left && member.partyStatus == .probationary && member.fullMemberDate == nil)
            let summaries = try await memberAuditSummaries(s, memberID)
            #expect(summaries.last?.contains("取消预备党员资格（发展党员档案 #\(caseID)）") == true, "\(summaries)")
        }
    }

    @Test(
        "DEV-23: the approver is the nearest Party committee in the tree — past a general branch, past a village Party committee to the township; none means refused",
        arguments: TestBackend.enabled)
    func approvingCommittee(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            let orgs = s.kit.organisations
            #expect(try await s.repo.approvingCommittee(of: s.tree["A1a1"])?.id == s.tree["A1"], "a general branch does not approve; the 机关工委 does")
            #expect(try await s.repo.approvingCommittee(of: s.tree["A21"])?.id == s.tree["A2"])
            let village = try await orgs.create(
                type: .partyCommittee, name: "东街村党委", shortName: nil, parentID: s.tree["A2"], access: .maintenance, actor: actor)
            _ = try await s.kit.store.units
                .create(organisationID: village.id, name: "东街村", category: "村", assessmentCategory: "社会服务", access: .maintenance, actor: actor)
            let villageBranch = try await orgs.create(
                type: .branch, name: "东街村第一支部", shortName: nil, parentID: village.id, access: .maintenance, actor: actor)
            #expect(
                try await s.repo.approvingCommittee(of: villageBranch.id)?.id == s.tree["A2"],
                "a village Party committee cannot approve: the township does")
            // Recorded approvals carry the committee from the tree, whatever type a form claimed.
            let caseID = try await s.repo.open(
                applicantName: "孙审批", idNumber: MemberFixtures.idNumber(born: "2000-02-02", sequence: 941),
                organisationID: villageBranch.id, access: .maintenance, actor: actor)
            _ = try await s.forms.issue(
                first: "粤2025000201", count: 1, organisationID: s.tree["A2"], on: day("2025-06-01"), access: .maintenance, actor: actor)
            try await record(s, caseID, through: .approvalTalk, form: "粤2025000201")
            var claimed = DevelopmentFixtures.facts(.approval)
            claimed.approverType = nil
            _ = try await s.repo.record(
                caseID: caseID, StepRecord(step: .approval, date: day("2025-07-20"), facts: claimed), access: .maintenance, actor: actor)
            let approval = try #require(try await s.repo.find(caseID, access: .maintenance)?.developmentCase.record(of: .approval)?.facts)
            #expect(approval.approverOrganisationID == s.tree["A2"] && approval.approverType == .partyCommittee)
            // A branch with no committee above it: the approval is refused and nothing is written.
            let lone = try await orgs.create(type: .generalBranch, name: "某独立党总支", shortName: nil, parentID: nil, access: .maintenance, actor: actor)
            let loneBranch = try await orgs.create(
                type: .branch, name: "某独立党总支一支部", shortName: nil, parentID: lone.id, access: .maintenance, actor: actor)
            #expect(try await s.repo.approvingCommittee(of: loneBranch.id) == nil)
            let orphan = try await s.repo.open(
                applicantName: "钱无审", idNumber: MemberFixtures.idNumber(born: "2000-03-03", sequence: 951),
                organisationID: loneBranch.id, access: .maintenance, actor: actor)
            _ = try await s.forms.issue(
                first: "粤2025000301", count: 1, organisationID: lone.id, on: day("2025-06-01"), access: .maintenance, actor: actor)
            try await record(s, orphan, through: .approvalTalk, form: "粤2025000301")
            await #expect {
                try await s.repo.record(
                    caseID: orphan, StepRecord(step: .approval, date: day("2025-07-20"), facts: DevelopmentFixtures.facts(.approval)),
                    access: .maintenance, actor: actor)
            } throws: {
                ($0 as? DevelopmentRefusal)?.ruleID == "DEV-23"
            }
            let unchanged = try #require(try await s.repo.find(orphan, access: .maintenance))
            #expect(unchanged.developmentCase.nextStep == .approval && unchanged.memberID == nil)
        }
    }

    @Test("a person already on the roster is linked and brought to the case's dates, not entered twice", arguments: TestBackend.enabled)
    func existingRosterRecord(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            var draft = MemberFixtures.draft(name: "李已录", born: "1999-02-03", sequence: 903, status: .probationary)
            draft.joinDate = "2025-07-02"  // typed a day late by hand
            let existing = try await s.members.create(draft, organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            let caseID = try await s.repo.open(
                applicantName: "李已录", idNumber: draft.idNumber, organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            try await record(s, caseID, through: .approval, form: "粤2025000102")
            #expect(try await s.repo.find(caseID, access: .maintenance)?.memberID == existing.id)
            let member = try #require(try await s.members.find(existing.id, access: .maintenance))
            #expect(member.joinDate == day("2025-07-01") && member.partyStatus == .probationary && member.version == existing.version + 1)
            let count = try await s.kit.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM members").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test(
        "a person on another organisation's roster is not linked or changed through this branch's case: the approval is refused (MEM-04) and nothing is written",
        arguments: TestBackend.enabled)
    func rosterRecordElsewhere(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            let draft = MemberFixtures.draft(name: "周别处", born: "1998-04-04", sequence: 907, status: .probationary)
            // The case is opened first; the same person is put on another county's roster later.
            let caseID = try await s.repo.open(
                applicantName: "周别处", idNumber: draft.idNumber, organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            let elsewhere = try await s.members.create(draft, organisationID: s.tree["B1"], access: .maintenance, actor: actor)
            try await record(s, caseID, through: .approvalTalk, form: "粤2025000104")
            await #expect {
                try await s.repo.record(
                    caseID: caseID, StepRecord(step: .approval, date: day("2025-07-20"), facts: DevelopmentFixtures.facts(.approval)),
                    access: .maintenance, actor: actor)
            } throws: { error in
                guard let failure = error as? ValidationFailure else { return false }
                // L4: which organisation is not said (it may be outside the caller's scope).
                return failure.ruleID == "MEM-04" && !failure.message.contains("乙县") && failure.message.contains("组织关系转接")
            }
            // L4: a case is not opened at all for someone already on a roster, and the refusal does not say where.
            let second = MemberFixtures.draft(name: "吴在册", born: "1990-02-02", sequence: 909)
            _ = try await s.members.create(second, organisationID: s.tree["B1"], access: .maintenance, actor: actor)
            await #expect {
                try await s.repo.open(
                    applicantName: "吴在册", idNumber: second.idNumber, organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            } throws: { error in
                guard let failure = error as? ValidationFailure else { return false }
                return failure.ruleID == "MEM-04" && !failure.message.contains("乙县")
            }
            let file = try #require(try await s.repo.find(caseID, access: .maintenance))
            #expect(file.developmentCase.nextStep == .approval && file.memberID == nil, "the approval was not written")
            let untouched = try #require(try await s.members.find(elsewhere.id, access: .maintenance))
            #expect(untouched.version == elsewhere.version && untouched.organisationID == s.tree["B1"])
        }
    }

    @Test(
        "batch: one step and date for several applicants, each checked under its rules; one refusal writes nothing and names the person",
        arguments: TestBackend.enabled)
    func batch(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            var ids: [Int64] = []
            for (k, name) in ["赵一", "钱二", "孙三"].enumerated() {
                let id = try await s.repo.open(
                    applicantName: name, idNumber: MemberFixtures.idNumber(born: "2001-01-0\(k + 1)", sequence: 905 + 2 * k),
                    organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
                try await record(s, id, through: .politicalReview, form: "")
                ids.append(id)
            }
            var training = StepFacts()
            training.trainingDays = 3
            let step = StepRecord(step: .training, date: day("2025-06-05"), facts: training)
            // A refusal by rule (DEV-13: 2 days, 10 hours) for everyone.
            var short = StepFacts()
            short.trainingDays = 2
            short.trainingHours = 10
            do {
                _ = try await s.repo.recordBatch(
                    caseIDs: ids, StepRecord(step: .training, date: day("2025-06-05"), facts: short), access: .maintenance, actor: actor)
                Issue.record("a batch with refused steps was written")
            } catch let refused as BatchRefused {
                #expect(refused.lines.count == 3 && refused.lines[0].hasPrefix("赵一：") && refused.lines.allSatisfy { $0.contains("DEV-13") })
            }
            for id in ids { #expect(try await s.repo.find(id, access: .maintenance)?.developmentCase.nextStep == .training) }
            let warnings = try await s.repo.recordBatch(caseIDs: ids, step, access: .maintenance, actor: actor)
            #expect(warnings.isEmpty)
            for id in ids { #expect(try await s.repo.find(id, access: .maintenance)?.developmentCase.date(of: .training) == day("2025-06-05")) }
            // Steps with a person's own vote cannot be batched; a case outside the caller's access is not found.
            await #expect(throws: ValidationFailure.self) {
                try await s.repo.recordBatch(
                    caseIDs: ids, StepRecord(step: .admissionMeeting, date: day("2025-07-01")), access: .maintenance, actor: actor)
            }
            let b1 = try #require(try await s.kit.organisations.find(s.tree["B1"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: b1.id, path: b1.path, scope: .subtree)])
            await #expect(throws: RecordNotFound.self) {
                try await s.repo.recordBatch(caseIDs: ids, StepRecord(step: .preReview, date: day("2025-06-10")), access: other, actor: actor)
            }
            for id in ids { #expect(try await s.repo.find(id, access: .maintenance)?.developmentCase.nextStep == .committeeReview) }
        }
    }

    @Test(
        "the annual plan: targets against approvals in the year, open cases by stage, the N-year warning from the roster (DEVPLAN-01/02)",
        arguments: TestBackend.enabled)
    func annualPlan(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let s = try await setUp(scratch)
            let approved = try await s.repo.open(
                applicantName: "周批准", idNumber: MemberFixtures.idNumber(born: "2000-06-06", sequence: 911),
                organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            try await record(s, approved, through: .approval, form: "粤2025000103")
            let open = try await s.repo.open(
                applicantName: "吴积极", idNumber: MemberFixtures.idNumber(born: "2001-06-06", sequence: 913),
                organisationID: s.tree["A1a1"], access: .maintenance, actor: actor)
            try await record(s, open, through: .cultivation, form: "")
            // 二支部: a member admitted 2023-11-22 (imported roster); 教育局支部: no member at all.
            var old = MemberFixtures.draft(name: "郑老", born: "1990-01-01", sequence: 915, status: .full)
            old.joinDate = "2023-11-22"
            old.fullMemberDate = "2024-11-22"
            _ = try await s.members.create(old, organisationID: s.tree["A1a2"], access: .maintenance, actor: actor)
            try await s.repo.setTarget(organisationID: s.tree["A1a1"], year: 2025, target: 2, note: "县直机关工委下达", access: .maintenance, actor: actor)
            try await s.repo.setTarget(organisationID: s.tree["A1a1"], year: 2025, target: 1, note: "", access: .maintenance, actor: actor)
            await #expect(throws: ValidationFailure.self) {
                try await s.repo.setTarget(organisationID: s.tree["A1a1"], year: 2025, target: -1, note: "", access: .maintenance, actor: actor)
            }
            let rows = try await s.repo.annualPlan(year: 2025, anchorID: s.tree["A1"], scope: .subtree, access: .maintenance)
            #expect(rows.map(\.organisationName) == ["甲财政局党总支", "甲财政局一支部", "甲财政局二支部", "甲教育局支部"])
            let one = try #require(rows.first { $0.organisationID == s.tree["A1a1"] })
            let today = day("2026-11-22")
            #expect(one.standing.target == 1 && one.standing.admitted == 1 && one.note == nil && one.standing.progress(today: today) == .met)
            #expect(one.openByStage == [.activist: 1, .admission: 1] && one.standing.lastAdmission == day("2025-07-01"))
            #expect(one.standing.gapWarning(today: today, years: 3) == nil)
            let two = try #require(rows.first { $0.organisationID == s.tree["A1a2"] })
            #expect(two.standing.lastAdmission == day("2023-11-22") && two.standing.gapWarning(today: today, years: 3) != nil)
            #expect(two.standing.gapWarning(today: day("2026-11-21"), years: 3) == nil)
            let education = try #require(rows.first { $0.organisationID == s.tree["A1b"] })
            #expect(
                education.standing.lastAdmission == nil && education.standing.target == nil && education.standing.progress(today: today) == .noTarget)
            #expect(
                try await s.repo.annualPlan(year: 2026, anchorID: s.tree["A1"], scope: .subtree, access: .maintenance).first {
                    $0.organisationID == s.tree["A1a1"]
                }?.standing.admitted == 0)
            // A correction of the approval that moves it into 2026 moves the count (only entries in force count).
            _ = try await s.repo.correctLast(
                caseID: approved, StepRecord(step: .approval, date: day("2026-01-01"), facts: DevelopmentFixtures.facts(.approval)),
                reason: "审批日期更正", access: .maintenance, actor: actor)
            for (year, count) in [(2025, 0), (2026, 1)] {
                let corrected = try await s.repo.annualPlan(year: year, anchorID: s.tree["A1"], scope: .subtree, access: .maintenance)
                #expect(corrected.first { $0.organisationID == s.tree["A1a1"] }?.standing.admitted == count, "\(year)")
            }
        }
    }
}
