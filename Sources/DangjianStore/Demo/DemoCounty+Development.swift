import Foundation
import DangjianDomain

extension DemoCounty {
    /// 发展党员 for the demo's first branch (once): an archived case converted last year, a 预备党员 in probation, a
    /// development target in training, an activist whose year ends within the month and a fresh applicant; this
    /// year's targets for the county organs' branches (DEVPLAN-01).
    func seedDevelopment(_ byShort: [String: Organisation]) async throws {
        let database = organisations.database, clock = organisations.clock
        guard members != nil, let branch = byShort["政府办第一支部"], let committee = byShort["县直机关工委"],
            try await database.read({ db in try await db.raw("SELECT COUNT(*) AS n FROM development_cases").first()?.value("n", Int.self) ?? 0 }) == 0
        else { return }
        let today = CivilDate(date: clock.now())
        let development = store.development
        let forms = store.applicationForms
        let numbers = try await forms.issue(
            first: "示\(today.year - 3)000001", count: 10, organisationID: committee.id, on: today.adding(days: -1200),
            access: .maintenance, actor: actor)
        // Days after the application on which each step is taken (the conversion meeting is a year after admission).
        let offsets: [(DevelopmentStep, Int)] = [
            (.application, 0), (.applicationTalk, 19), (.activistDesignation, 70), (.activistFiling, 75), (.contactsAssigned, 75), (.cultivation, 80),
            (.targetDesignation, 437), (.targetFiling, 440), (.sponsors, 441), (.politicalReview, 455), (.training, 461), (.committeeReview, 466),
            (.preReview, 471), (.applicationForm, 476), (.admissionMeeting, 487), (.approvalTalk, 496), (.approval, 506), (.approvalFiling, 511),
            (.assignedToBranch, 512), (.oath, 518), (.continuedEducation, 519),
        ]
        let people: [(String, String, Int, Int)] = [  // name, born, days since application, sequence
            ("黄归档", "1994-04-12", 950, 991), ("林预备", "1996-08-03", 600, 993), ("何对象", "1997-11-21", 470, 995),
            ("罗积极", "1999-02-14", 420, 997), ("郭申请", "2001-06-30", 10, 999),
        ]
        for (k, (name, born, since, sequence)) in people.enumerated() {
            let body = "610102" + born.replacingOccurrences(of: "-", with: "") + String(sequence)
            let id = try await development.open(
                applicantName: name, idNumber: body + String(IDNumber.checkCharacter(for: body) ?? "X"), organisationID: branch.id,
                access: .maintenance, actor: actor)
            let applied = today.adding(days: -since)
            var records = offsets.filter { $0.1 <= since }.map { step, offset -> StepRecord in
                var f = StepFacts()
                switch step {
                case .contactsAssigned, .sponsors: f.people = [("陈书记", true), ("张党员", true)]
                case .activistDesignation: f.recommendations = [.members, .massOrganisation]
                case .politicalReview: f.reviewPassed = true
                case .approvalTalk: f.people = [("周组织员", true)]; f.talkerRole = .organiser
                case .training: f.trainingDays = 3; f.trainingHours = 24
                case .applicationForm: f.formNumber = numbers[k]
                case .targetDesignation: f.publicityStart = applied.adding(days: 423)
                case .admissionMeeting:
                    f.vote = ResolutionVote(entitled: 9, present: 8, inFavour: 8, against: 0, abstaining: 0, writtenInFavour: 1);
                    f.branchFullMembers = 9
                case .approval: f.approverType = .workingCommittee
                default: break
                }
                return StepRecord(step: step, date: applied.adding(days: offset), facts: f)
            }
            if let meeting = records.first(where: { $0.step == .admissionMeeting })?.date, meeting.adding(years: 1).adding(days: 40) <= today {
                var vote = StepFacts()
                vote.vote = ResolutionVote(entitled: 10, present: 9, inFavour: 9, against: 0, abstaining: 0)
                vote.branchFullMembers = 10
                var approval = StepFacts()
                approval.approverType = .workingCommittee
                records += [
                    StepRecord(step: .conversionApplication, date: meeting.adding(years: 1).adding(days: -20)),
                    StepRecord(step: .conversionMeeting, date: meeting.adding(years: 1), facts: vote),
                    StepRecord(step: .conversionApproval, date: meeting.adding(years: 1).adding(days: 20), facts: approval),
                    StepRecord(step: .archive, date: meeting.adding(years: 1).adding(days: 30)),
                ]
            }
            for record in records { _ = try await development.record(caseID: id, record, access: .maintenance, actor: actor) }
        }
        for (label, target) in [("政府办第一支部", 2), ("政府办第二支部", 1), ("教育局机关支部", 1)] {
            if let org = byShort[label] {
                try await development.setTarget(
                    organisationID: org.id, year: today.year, target: target, note: "县直机关工委下达", access: .maintenance, actor: actor)
            }
        }
    }
}

extension DemoCounty.DemoPart {
    /// 发展党员.
    public static let development = DemoCounty.DemoPart("development") { county, context in
        try await county.seedDevelopment(context.byShort)
    }
}
