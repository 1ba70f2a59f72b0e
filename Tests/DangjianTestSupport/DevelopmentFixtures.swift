public import DangjianDomain

/// A realistic complete 发展党员 case for store and web tests: applied 2024-03-01, activist 2024-05-10, development
/// target 2025-05-12 (公示 from 2025-04-28), admitted by the branch 2025-07-01, approved 2025-07-20, converted on
/// schedule (meeting 2026-07-01, approval 2026-07-20), archived 2026-07-30.
public enum DevelopmentFixtures {
    public static let formNumber = "粤2025000123"

    public static let schedule: [(DevelopmentStep, String)] = [
        (.application, "2024-03-01"), (.applicationTalk, "2024-03-20"), (.activistDesignation, "2024-05-10"), (.activistFiling, "2024-05-15"),
        (.contactsAssigned, "2024-05-15"), (.cultivation, "2024-05-20"), (.targetDesignation, "2025-05-12"), (.targetFiling, "2025-05-15"),
        (.sponsors, "2025-05-16"), (.politicalReview, "2025-05-30"), (.training, "2025-06-05"), (.committeeReview, "2025-06-10"),
        (.preReview, "2025-06-15"), (.applicationForm, "2025-06-20"), (.admissionMeeting, "2025-07-01"), (.approvalTalk, "2025-07-10"),
        (.approval, "2025-07-20"), (.approvalFiling, "2025-07-25"), (.assignedToBranch, "2025-07-26"), (.oath, "2025-08-01"),
        (.continuedEducation, "2025-08-02"), (.conversionApplication, "2026-06-10"), (.conversionMeeting, "2026-07-01"),
        (.conversionApproval, "2026-07-20"), (.archive, "2026-07-30"),
    ]

    /// The facts each step needs to pass (`formNumber` for step 14 unless another is given).
    public static func facts(_ step: DevelopmentStep, formNumber: String = formNumber) -> StepFacts {
        var f = StepFacts()
        switch step {
        case .contactsAssigned, .sponsors: f.people = [("张一", true), ("李二", true)]
        case .activistDesignation: f.recommendations = [.members]
        case .politicalReview: f.reviewPassed = true
        case .approvalTalk: f.people = [("王组织员", true)]; f.talkerRole = .organiser
        case .training: f.trainingDays = 3
        case .applicationForm: f.formNumber = formNumber
        case .targetDesignation: f.publicityStart = CivilDate(iso: "2025-04-28")!
        case .admissionMeeting, .conversionMeeting:
            f.vote = ResolutionVote(entitled: 9, present: 9, inFavour: 9, against: 0, abstaining: 0)
            f.branchFullMembers = 9
        case .approval, .conversionApproval: f.approverType = .partyCommittee
        default: break
        }
        return f
    }

    /// The steps of the schedule from `first` through `last`, with their facts.
    public static func records(
        from first: DevelopmentStep = .application, through last: DevelopmentStep, formNumber: String = formNumber
    ) -> [StepRecord] {
        schedule.filter { $0.0 >= first && $0.0 <= last }.map {
            StepRecord(step: $0.0, date: CivilDate(iso: $0.1)!, facts: facts($0.0, formNumber: formNumber))
        }
    }
}
