import Foundation
import Testing
@testable import DangjianDomain
import DangjianTestSupport

@Suite("发展党员: 25 steps and the DEV rules")
struct MemberDevelopmentTests {
    let rules = RuleBook.national2014
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    let today = CivilDate(year: 2030, month: 1, day: 1)!

    func passedVote(_ n: Int = 9) -> ResolutionVote { ResolutionVote(entitled: n, present: n, inFavour: n, against: 0, abstaining: 0) }

    /// The facts each step needs to pass, with a valid vote and people (shared with the store and web tests).
    func facts(_ step: DevelopmentStep) -> StepFacts { DevelopmentFixtures.facts(step) }

    /// A realistic complete case: applied 2024-03-01, activist 2024-05-10, target 2025-05-12, admitted 2025-07-01.
    static let schedule = DevelopmentFixtures.schedule

    func caseUpTo(_ last: DevelopmentStep, born: String = "2000-01-01") throws -> DevelopmentCase {
        var c = DevelopmentCase(birthDate: day(born), rules: rules)
        for (step, date) in Self.schedule where step <= last {
            try c.record(StepRecord(step: step, date: day(date), facts: facts(step)), today: today)
        }
        return c
    }

    @Test("a complete case from application to conversion: every step in order, probation end and 党龄 start (DEV-27, DEV-32)")
    func completeCase() throws {
        let c = try caseUpTo(.archive)
        #expect(c.nextStep == nil && c.stage == .probation && c.invariantViolations.isEmpty)
        #expect(c.probationEnd == day("2026-07-01"), "a year from the admission meeting, not from approval")
        #expect(c.fullMemberDate == day("2026-07-01"))
        #expect(
            DevelopmentStep.allCases.count == 25
                && DevelopmentStep.allCases.map(\.stage.rawValue) == [1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5])
    }

    @Test("DEV-01: 18 on the day of application, not a day earlier")
    func age() {
        let c = DevelopmentCase(birthDate: day("2008-03-01"), rules: rules)
        let early = c.check(StepRecord(step: .application, date: day("2026-02-28")), today: today)
        #expect(early.refusals.first?.ruleID == "DEV-01" && early.refusals.first?.earliestValidDate == day("2026-03-01"))
        #expect(c.check(StepRecord(step: .application, date: day("2026-03-01")), today: today).accepted)
    }

    @Test("DEV-03: a talk later than a month is recorded with a warning, not refused")
    func talk() throws {
        let c = try caseUpTo(.application)
        #expect(c.check(StepRecord(step: .applicationTalk, date: day("2024-04-01")), today: today).warnings.isEmpty)
        let late = c.check(StepRecord(step: .applicationTalk, date: day("2024-04-02")), today: today)
        #expect(late.accepted && late.warnings.first?.ruleID == "DEV-03")
    }

    @Test("DEV-04: an activist is put forward by members or a mass organisation; DEV-05: a local minimum wait before designation, off by default")
    func activistWait() throws {
        var c = try caseUpTo(.applicationTalk)
        let unrecommended = c.check(StepRecord(step: .activistDesignation, date: day("2024-03-20")), today: today)
        #expect(unrecommended.refusals.map(\.ruleID) == ["DEV-04"])
        #expect(c.check(StepRecord(step: .activistDesignation, date: day("2024-03-20"), facts: facts(.activistDesignation)), today: today).accepted)
        var youthLeague = StepFacts()
        youthLeague.recommendations = [.massOrganisation]
        #expect(c.check(StepRecord(step: .activistDesignation, date: day("2024-03-20"), facts: youthLeague), today: today).accepted)
        c.rules.activistMinimumMonths = 6
        let early = c.check(StepRecord(step: .activistDesignation, date: day("2024-08-31"), facts: youthLeague), today: today)
        #expect(early.refusals.first?.ruleID == "DEV-05" && early.refusals.first?.earliestValidDate == day("2024-09-01"))
    }

    @Test("DEV-06 and DEV-09: one or two full-member contacts; exactly two full-member sponsors")
    func people() throws {
        let c = try caseUpTo(.activistFiling)
        var f = StepFacts()
        f.people = [("张一", true), ("李二", true), ("王三", true)]
        #expect(c.check(StepRecord(step: .contactsAssigned, date: day("2024-05-15"), facts: f), today: today).refusals.first?.ruleID == "DEV-06")
        f.people = [("张一", true)]
        #expect(c.check(StepRecord(step: .contactsAssigned, date: day("2024-05-15"), facts: f), today: today).accepted)
        let t = try caseUpTo(.targetFiling)
        f.people = [("张一", true), ("赵预备", false)]
        #expect(t.check(StepRecord(step: .sponsors, date: day("2025-05-16"), facts: f), today: today).refusals.first?.ruleID == "DEV-09")
        f.people = [("张一", true)]
        #expect(t.check(StepRecord(step: .sponsors, date: day("2025-05-16"), facts: f), today: today).refusals.first?.ruleID == "DEV-09")
    }

    @Test("DEV-08: a development target one year after activist designation at the earliest, with the date shown")
    func oneYear() throws {
        let c = try caseUpTo(.cultivation)
        let early = c.check(StepRecord(step: .targetDesignation, date: day("2025-05-09"), facts: facts(.targetDesignation)), today: today)
        #expect(early.refusals.first?.ruleID == "DEV-08" && early.refusals.first?.earliestValidDate == day("2025-05-10"))
        #expect(early.refusals.first?.fullMessage.contains("最早可于 2025-05-10 办理") == true)
        #expect(c.check(StepRecord(step: .targetDesignation, date: day("2025-05-10"), facts: facts(.targetDesignation)), today: today).accepted)
    }

    @Test("DEV-10, DEV-11: no admission without a passed review; a review older than a year at the meeting is refused")
    func review() throws {
        let c = try caseUpTo(.sponsors)
        #expect(c.check(StepRecord(step: .politicalReview, date: day("2025-05-30")), today: today).refusals.first?.ruleID == "DEV-10")
        let beforeMeeting = try caseUpTo(.applicationForm)
        var f = facts(.admissionMeeting)
        #expect(
            beforeMeeting.check(StepRecord(step: .admissionMeeting, date: day("2026-05-30"), facts: f), today: today).refusals.allSatisfy {
                $0.ruleID != "DEV-11"
            })
        let old = beforeMeeting.check(StepRecord(step: .admissionMeeting, date: day("2026-05-31"), facts: f), today: today)
        #expect(old.refusals.contains { $0.ruleID == "DEV-11" })
        f.branchFullMembers = 2
        #expect(
            beforeMeeting.check(StepRecord(step: .admissionMeeting, date: day("2025-07-01"), facts: f), today: today).refusals.contains {
                $0.ruleID == "DEV-21"
            })
    }

    @Test(
        "DEV-12 (UNCONFIRMED, configurable): a finding from the deployment's negative list makes the review fail; the list is checked and survives a rule book round trip"
    )
    func negativeList() throws {
        var c = try caseUpTo(.sponsors)
        c.rules.politicalReviewNegativeList = ["参加非法组织"]
        var f = facts(.politicalReview)
        f.negativeFindings = ["参加非法组织"]
        let refused = c.check(StepRecord(step: .politicalReview, date: day("2025-05-30"), facts: f), today: today)
        #expect(refused.refusals.map(\.ruleID) == ["DEV-12"] && refused.refusals[0].message.contains("参加非法组织"))
        #expect(c.check(StepRecord(step: .politicalReview, date: day("2025-05-30"), facts: facts(.politicalReview)), today: today).accepted)
        var book = RuleBook.national2014
        #expect(book.politicalReviewNegativeList.isEmpty, "no national list: empty by default")
        book.politicalReviewNegativeList = ["甲", "甲"]
        #expect(book.problems().contains { $0.ruleID == "DEV-12" })
        book.politicalReviewNegativeList = ["参加非法组织", "有严重违法犯罪记录"]
        let decoded = try JSONDecoder().decode(RuleBook.self, from: try JSONEncoder().encode(book))
        #expect(decoded.politicalReviewNegativeList == book.politicalReviewNegativeList && decoded.problems().isEmpty)
    }

    @Test("DEV-13: training of 3 days or 24 hours")
    func training() throws {
        let c = try caseUpTo(.politicalReview)
        var f = StepFacts()
        f.trainingDays = 2; f.trainingHours = 23
        #expect(c.check(StepRecord(step: .training, date: day("2025-06-05"), facts: f), today: today).refusals.first?.ruleID == "DEV-13")
        f.trainingHours = 24
        #expect(c.check(StepRecord(step: .training, date: day("2025-06-05"), facts: f), today: today).accepted)
    }

    @Test("DEV-15: leaving the unit within three months stops pre-review")
    func leaving() throws {
        let c = try caseUpTo(.committeeReview)
        var f = StepFacts()
        f.leavingOn = day("2025-09-14")
        #expect(c.check(StepRecord(step: .preReview, date: day("2025-06-15"), facts: f), today: today).refusals.first?.ruleID == "DEV-15")
        f.leavingOn = day("2025-09-15")
        #expect(c.check(StepRecord(step: .preReview, date: day("2025-06-15"), facts: f), today: today).accepted)
    }

    @Test("DEV-18/19: the meeting's vote against those who should attend; a failed vote is refused with the explanation")
    func admissionVote() throws {
        let c = try caseUpTo(.applicationForm)
        var f = facts(.admissionMeeting)
        f.vote = ResolutionVote(entitled: 9, present: 4, inFavour: 4, against: 0, abstaining: 0)
        #expect(c.check(StepRecord(step: .admissionMeeting, date: day("2025-07-01"), facts: f), today: today).refusals.first?.ruleID == "DEV-18")
        f.vote = ResolutionVote(entitled: 9, present: 6, inFavour: 4, against: 2, abstaining: 0)
        let lost = c.check(StepRecord(step: .admissionMeeting, date: day("2025-07-01"), facts: f), today: today)
        #expect(lost.refusals.first?.ruleID == "DEV-19" && lost.refusals.first?.message.contains("至少需 5 票") == true)
        f.vote = ResolutionVote(entitled: 9, present: 6, inFavour: 4, against: 2, abstaining: 0, writtenInFavour: 1)
        #expect(c.check(StepRecord(step: .admissionMeeting, date: day("2025-07-01"), facts: f), today: today).accepted)
    }

    @Test("DEV-23, DEV-24: a general branch cannot approve; approval within 3 months, up to 6 with a warning, refused after")
    func approval() throws {
        let c = try caseUpTo(.approvalTalk)
        var f = StepFacts()
        f.approverType = .generalBranch
        #expect(c.check(StepRecord(step: .approval, date: day("2025-07-20"), facts: f), today: today).refusals.first?.ruleID == "DEV-23")
        f.approverType = .partyCommittee
        #expect(c.check(StepRecord(step: .approval, date: day("2025-10-01"), facts: f), today: today).warnings.isEmpty)
        let late = c.check(StepRecord(step: .approval, date: day("2025-10-02"), facts: f), today: today)
        #expect(late.accepted && late.warnings.first?.ruleID == "DEV-24")
        #expect(c.check(StepRecord(step: .approval, date: day("2026-01-02"), facts: f), today: today).refusals.first?.ruleID == "DEV-24")
    }

    @Test("DEV-27/28/32: conversion not before a year from the meeting; one extension of 6–12 months moves conversion and 党龄")
    func conversion() throws {
        var c = try caseUpTo(.conversionApplication)
        let early = c.check(StepRecord(step: .conversionMeeting, date: day("2026-06-30"), facts: facts(.conversionMeeting)), today: today)
        #expect(early.refusals.first?.ruleID == "DEV-28" && early.refusals.first?.earliestValidDate == day("2026-07-01"))
        var extend = facts(.conversionMeeting)
        extend.extensionMonths = 5
        #expect(
            c.check(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: extend), today: today).refusals.first?.ruleID == "DEV-28")
        extend.extensionMonths = 6
        try c.record(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: extend), today: today)
        #expect(c.probationEnd == day("2027-01-01"))
        // Approval of conversion needs a meeting that converts; a second extension is refused.
        #expect(c.check(StepRecord(step: .conversionApproval, date: day("2026-07-20")), today: today).refusals.first?.ruleID == "DEV-28")
        #expect(
            c.check(StepRecord(step: .conversionMeeting, date: day("2027-01-01"), facts: extend), today: today).refusals.contains {
                $0.message.contains("只能延长一次")
            })
        #expect(
            c.check(StepRecord(step: .conversionMeeting, date: day("2026-12-31"), facts: facts(.conversionMeeting)), today: today).refusals.first?
                .earliestValidDate == day("2027-01-01"))
        try c.record(StepRecord(step: .conversionMeeting, date: day("2027-01-05"), facts: facts(.conversionMeeting)), today: today)
        try c.record(StepRecord(step: .conversionApproval, date: day("2027-01-20")), today: today)
        #expect(c.fullMemberDate == day("2027-01-01") && c.invariantViolations.isEmpty)
    }

    @Test(
        "DEV-28 (c): the conversion meeting may cancel probationary status, even before probation ends; not together with an extension; approved, no 党龄 and a cancellation notice"
    )
    func cancellation() throws {
        var c = try caseUpTo(.conversionApplication)
        var cancel = facts(.conversionMeeting)
        cancel.cancelProbation = true
        cancel.extensionMonths = 6
        #expect(
            c.check(StepRecord(step: .conversionMeeting, date: day("2026-06-20"), facts: cancel), today: today).refusals.map(\.message).contains {
                $0.contains("只能选择一项")
            })
        cancel.extensionMonths = nil
        try c.record(StepRecord(step: .conversionMeeting, date: day("2026-06-20"), facts: cancel), today: today)
        #expect(!c.probationCancelled, "not before the committee approves")
        try c.record(StepRecord(step: .conversionApproval, date: day("2026-07-10"), facts: facts(.conversionApproval)), today: today)
        #expect(c.probationCancelled && c.fullMemberDate == nil && c.invariantViolations.isEmpty)
        let parties = DevelopmentParties(applicant: "王一", gender: .male, birthDate: day("2000-01-01"), branch: "第一支部", committee: "机关党委")
        let notice = try c.document(.conversionNotice, parties: parties)
        #expect(notice.title == "关于取消王一同志预备党员资格的批复" && !notice.paragraphs.joined().contains("党龄"))
        // Without cancellation the meeting before probation ends is still refused.
        let early = try caseUpTo(.conversionApplication)
        #expect(
            early.check(StepRecord(step: .conversionMeeting, date: day("2026-06-20"), facts: facts(.conversionMeeting)), today: today).refusals.first?
                .ruleID == "DEV-28")
    }

    @Test("DEV-20: those who should attend are the full members less the approved exclusions; the vote counts against that number")
    func exclusions() throws {
        let c = try caseUpTo(.applicationForm)
        func meeting(full: Int, excluded: Int, approved: Bool, entitled: Int, inFavour: Int) -> DevelopmentCheck {
            var f = StepFacts()
            f.branchFullMembers = full
            f.excluded = Array(repeating: .abroad, count: excluded)
            f.exclusionsApproved = approved
            f.vote = ResolutionVote(entitled: entitled, present: entitled, inFavour: inFavour, against: 0, abstaining: entitled - inFavour)
            return c.check(StepRecord(step: .admissionMeeting, date: day("2025-07-01"), facts: f), today: today)
        }
        // 10 full members, one abroad for a year excluded with approval: 9 should attend, 5 in favour is more than half.
        #expect(meeting(full: 10, excluded: 1, approved: true, entitled: 9, inFavour: 5).accepted)
        // Without the exclusion 5 of 10 is not more than half (DEV-19).
        #expect(meeting(full: 10, excluded: 0, approved: false, entitled: 10, inFavour: 5).refusals.first?.ruleID == "DEV-19")
        // The exclusion needs the higher organisation's agreement.
        let unapproved = meeting(full: 10, excluded: 1, approved: false, entitled: 9, inFavour: 9)
        #expect(unapproved.refusals.count == 1 && unapproved.refusals.first?.ruleID == "DEV-20" && unapproved.refusals[0].message.contains("上级党组织同意"))
        // The count must add up: 10 − 1 = 9, not 10 and not 8.
        for wrong in [10, 8] {
            let r = meeting(full: 10, excluded: 1, approved: true, entitled: wrong, inFavour: 6)
            #expect(r.refusals.first?.ruleID == "DEV-20" && r.refusals[0].message.contains("即 9 名"), "\(wrong)")
        }
        // The same applies to the conversion meeting (DEV-29: quorum and threshold as for admission).
        let probation = try caseUpTo(.conversionApplication)
        var f = facts(.conversionMeeting)
        f.branchFullMembers = 10
        #expect(
            probation.check(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: f), today: today).refusals.first?.ruleID == "DEV-20")
        f.vote = ResolutionVote(entitled: 10, present: 6, inFavour: 5, against: 1, abstaining: 0)
        #expect(
            probation.check(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: f), today: today).refusals.first?.ruleID == "DEV-19",
            "DEV-29")
    }

    @Test("DEV-22: the talk before approval names a committee member or 组织员")
    func approvalTalk() throws {
        let c = try caseUpTo(.admissionMeeting)
        #expect(c.check(StepRecord(step: .approvalTalk, date: day("2025-07-10")), today: today).refusals.first?.ruleID == "DEV-22")
        var f = StepFacts()
        f.people = [("王组织员", true)]
        #expect(
            c.check(StepRecord(step: .approvalTalk, date: day("2025-07-10"), facts: f), today: today).refusals.first?.ruleID == "DEV-22",
            "the role is needed")
        f.talkerRole = .committeeMember
        #expect(c.check(StepRecord(step: .approvalTalk, date: day("2025-07-10"), facts: f), today: today).accepted)
    }

    @Test("DEV-26 (UNCONFIRMED, configurable): an oath later than a month after approval is recorded with a warning; 0 switches it off")
    func oath() throws {
        let c = try caseUpTo(.assignedToBranch)  // approved 2025-07-20
        #expect(c.check(StepRecord(step: .oath, date: day("2025-08-20")), today: today).warnings.isEmpty)
        let late = c.check(StepRecord(step: .oath, date: day("2025-08-21")), today: today)
        #expect(late.accepted && late.warnings.first?.ruleID == "DEV-26")
        var relaxed = c
        relaxed.rules.oathWithinMonths = 0
        #expect(relaxed.check(StepRecord(step: .oath, date: day("2025-12-21")), today: today).warnings.isEmpty)
    }

    @Test("DEV-16 and DEV-30: the meeting a month after pre-review, the conversion approval within 3 months — late ones are warnings")
    func lateWarnings() throws {
        let form = try caseUpTo(.applicationForm)  // pre-review 2025-06-15
        var f = facts(.admissionMeeting)
        #expect(form.check(StepRecord(step: .admissionMeeting, date: day("2025-07-15"), facts: f), today: today).warnings.isEmpty)
        f = facts(.admissionMeeting)
        let late = form.check(StepRecord(step: .admissionMeeting, date: day("2025-07-16"), facts: f), today: today)
        #expect(late.accepted && late.warnings.map(\.ruleID) == ["DEV-16"])
        let converted = try caseUpTo(.conversionMeeting)  // meeting 2026-07-01
        #expect(
            converted.check(StepRecord(step: .conversionApproval, date: day("2026-10-01"), facts: facts(.conversionApproval)), today: today).warnings
                .isEmpty)
        let slow = converted.check(StepRecord(step: .conversionApproval, date: day("2026-10-02"), facts: facts(.conversionApproval)), today: today)
        #expect(slow.accepted && slow.warnings.map(\.ruleID) == ["DEV-30"])
    }

    @Test("reminders: the deadlines of an open case show 临期 30 days before and 逾期 the day after (DEV-03/07/16/24/26/28/30)")
    func deadlines() throws {
        func states(_ c: DevelopmentCase, _ on: String) -> [String] {
            c.deadlines(today: day(on)).map { "\($0.ruleID) \($0.status.rawValue) \($0.dueOn)" }
        }
        let applied = try caseUpTo(.application)  // 2024-03-01: the talk is due 2024-04-01
        #expect(states(applied, "2024-03-01").isEmpty)
        #expect(states(applied, "2024-03-02") == ["DEV-03 dueSoon 2024-04-01"])
        #expect(states(applied, "2024-04-01") == ["DEV-03 dueSoon 2024-04-01"])
        #expect(states(applied, "2024-04-02") == ["DEV-03 overdue 2024-04-01"])
        let activist = try caseUpTo(.cultivation)  // designated 2024-05-10: assessed by 2024-11-10, 2025-05-10 …
        #expect(states(activist, "2024-10-10").isEmpty)
        #expect(states(activist, "2024-10-11") == ["DEV-07 dueSoon 2024-11-10"])
        #expect(activist.deadlines(today: day("2024-11-10")).first?.message.contains("第 1 次考察") == true)
        #expect(states(activist, "2024-11-11").isEmpty, "the next mark is half a year away")
        #expect(states(activist, "2025-04-10") == ["DEV-07 dueSoon 2025-05-10"])
        let admitted = try caseUpTo(.admissionMeeting)  // 2025-07-01: approval by 2025-10-01
        #expect(states(admitted, "2025-10-01") == ["DEV-24 dueSoon 2025-10-01"])
        #expect(states(admitted, "2025-10-02") == ["DEV-24 overdue 2025-10-01"])
        let approved = try caseUpTo(.assignedToBranch)  // approved 2025-07-20: oath by 2025-08-20
        #expect(states(approved, "2025-08-21") == ["DEV-26 overdue 2025-08-20"])
        let sworn = try caseUpTo(.continuedEducation)  // probation ends 2026-07-01
        #expect(states(sworn, "2026-05-31").isEmpty)
        #expect(states(sworn, "2026-06-01") == ["DEV-28 dueSoon 2026-07-01"])
        #expect(states(sworn, "2026-07-02") == ["DEV-28 overdue 2026-07-01"])
        let discussed = try caseUpTo(.conversionMeeting)  // 2026-07-01: approval by 2026-10-01
        #expect(states(discussed, "2026-10-02") == ["DEV-30 overdue 2026-10-01"])
        #expect(try caseUpTo(.archive).deadlines(today: day("2030-01-01")).isEmpty)
    }

    @Test("planning: the next step and its earliest valid date (eligible next month)")
    func planning() throws {
        #expect(
            DevelopmentCase(birthDate: day("2009-06-15"), rules: rules).nextEarliest.map { "\($0.step.rawValue) \($0.earliest)" } == "1 2027-06-15")
        #expect(try caseUpTo(.cultivation).nextEarliest.map { "\($0.step.rawValue) \($0.earliest)" } == "7 2025-05-10")
        #expect(try caseUpTo(.targetDesignation).nextEarliest.map { "\($0.step.rawValue) \($0.earliest)" } == "8 2025-05-12")
        #expect(try caseUpTo(.conversionApplication).nextEarliest.map { "\($0.step.rawValue) \($0.earliest)" } == "23 2026-07-01")
        var extended = try caseUpTo(.conversionApplication)
        var f = facts(.conversionMeeting)
        f.extensionMonths = 12
        try extended.record(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: f), today: today)
        #expect(extended.nextEarliest.map { "\($0.step.rawValue) \($0.earliest)" } == "23 2027-07-01")
        #expect(try caseUpTo(.archive).nextEarliest == nil)
    }

    @Test("order: no step skipped, none repeated, no date before the previous step's or after today")
    func order() throws {
        let c = try caseUpTo(.applicationTalk)
        #expect(c.check(StepRecord(step: .targetDesignation, date: day("2025-06-01")), today: today).refusals.first?.ruleID == RuleID.devstep01.code)
        #expect(c.check(StepRecord(step: .applicationTalk, date: day("2024-04-01")), today: today).refusals.first?.ruleID == RuleID.devstep01.code)
        let back = c.check(StepRecord(step: .activistDesignation, date: day("2024-03-19")), today: today)
        #expect(back.refusals.first?.ruleID == RuleID.devstep02.code && back.refusals.first?.earliestValidDate == day("2024-03-20"))
        #expect(
            c.check(StepRecord(step: .activistDesignation, date: day("2030-01-02")), today: today).refusals.first?.ruleID == RuleID.devstep02.code)
    }

    @Test("property: random sequences of step actions never leave a case that breaks a date-order invariant or skips a stage")
    func randomActions() {
        var generator = SplitMix(seed: 20261122)
        var reachedProbation = 0
        for _ in 0..<300 {
            var c = DevelopmentCase(birthDate: day("1990-01-01"), rules: rules)
            var date = day("2020-01-01")
            for _ in 0..<80 {
                // Mostly the next step (so that cases get far), sometimes any step.
                let step = generator.next() % 10 < 7 ? (c.nextStep ?? .archive) : DevelopmentStep(rawValue: Int(generator.next() % 25) + 1)!
                date = date.adding(days: Int(generator.next() % 200) - 40)
                var f = facts(step)
                if generator.next() % 4 == 0 { f = StepFacts() }  // sometimes missing facts
                if step == .conversionMeeting && generator.next() % 3 == 0 { f.extensionMonths = Int(generator.next() % 14) }
                _ = try? c.record(StepRecord(step: step, date: date, facts: f), today: today)
            }
            #expect(c.invariantViolations.isEmpty, "\(c.steps.map { "\($0.step.rawValue)@\($0.date)" })")
            if c.stage == .probation { reachedProbation += 1 }
        }
        #expect(reachedProbation >= 10, "the generator must exercise the later stages (\(reachedProbation) of 300 did)")
    }
}

/// A small deterministic generator for the property test.
struct SplitMix {
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

@Suite("DEV-17: 公示 in working days with the holiday calendar")
struct PublicityWorkingDaysTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    /// The 2025 National Day arrangement: 10-01…10-08 off, Sunday 09-28 and Saturday 10-11 worked.
    let national = try! WorkingDayCalendar.parse("2025-10-01~2025-10-08 国庆节、中秋节 休\n2025-09-28 国庆节调休 班\n2025-10-11 国庆节调休 班").get()

    @Test("working days skip weekends and holidays and count the 调休 Saturday or Sunday; bad lines are named")
    func calendar() {
        #expect(WorkingDayCalendar.weekday(day("2025-09-26")) == 4 && WorkingDayCalendar.weekday(day("2025-09-28")) == 6)
        #expect(national.holidays.count == 8 && national.workdays.count == 2)
        #expect(national.isWorkingDay(day("2025-09-28")) && !national.isWorkingDay(day("2025-10-06")) && !national.isWorkingDay(day("2025-09-27")))
        #expect(national.workingDay(5, from: day("2025-09-26")) == day("2025-10-09"), "Fri 26, Sun 28, Mon 29, Tue 30, then Thu 10-09")
        #expect(WorkingDayCalendar.weekdaysOnly.workingDay(5, from: day("2025-09-26")) == day("2025-10-02"))
        #expect(
            national.workingDay(5, from: day("2025-10-04")) == day("2025-10-14"),
            "a start on a holiday does not count: 10-09, 10-10, Sat 10-11, 10-13, 10-14")
        guard case .failure(let e) = WorkingDayCalendar.parse("2025-10-01 国庆节 放\n2025-13-01 某日 休\n2025-10-01~2025-09-01 倒序 休") else {
            Issue.record("bad lines accepted"); return
        }
        #expect(e.problems.count == 3 && e.problems.allSatisfy { $0.message.hasPrefix("第 ") && $0.ruleID == "DEV-17" })
        #expect(try! WorkingDayCalendar.parse(national.lines).get() == national, "the editor's lines read back the same")
    }

    @Test("a development target is designated only after the 公示 of N working days, counted with the calendar; the day after is the earliest")
    func publicityBeforeDesignation() throws {
        let rules = RuleBook.national2014
        var c = DevelopmentCase(birthDate: day("2000-01-01"), rules: rules)
        c.replay([
            StepRecord(step: .application, date: day("2024-06-01")), StepRecord(step: .applicationTalk, date: day("2024-06-10")),
            StepRecord(step: .activistDesignation, date: day("2024-09-01")), StepRecord(step: .activistFiling, date: day("2024-09-02")),
            StepRecord(step: .contactsAssigned, date: day("2024-09-02")), StepRecord(step: .cultivation, date: day("2024-09-03")),
        ])
        var f = StepFacts()
        let today = day("2026-01-01")
        let missing = c.check(StepRecord(step: .targetDesignation, date: day("2025-10-10"), facts: f), today: today, calendar: national)
        #expect(missing.refusals.map(\.ruleID) == ["DEV-17"])
        f.publicityStart = day("2025-09-26")
        let onLastDay = c.check(StepRecord(step: .targetDesignation, date: day("2025-10-09"), facts: f), today: today, calendar: national)
        #expect(onLastDay.refusals.first?.ruleID == "DEV-17" && onLastDay.refusals.first?.earliestValidDate == day("2025-10-10"))
        #expect(onLastDay.refusals.first?.fullMessage.contains("至 2025-10-09 期满") == true)
        #expect(c.check(StepRecord(step: .targetDesignation, date: day("2025-10-10"), facts: f), today: today, calendar: national).accepted)
        // Without the calendar the same start would end on 10-02, with a warning that the year is not maintained.
        let plain = c.check(StepRecord(step: .targetDesignation, date: day("2025-10-03"), facts: f), today: today)
        #expect(plain.accepted && plain.warnings.map(\.ruleID) == ["DEV-17"])
        // A publicity that began before the previous step is refused; a rule book with 0 days needs none.
        f.publicityStart = day("2024-09-01")
        #expect(
            c.check(StepRecord(step: .targetDesignation, date: day("2025-10-10"), facts: f), today: today, calendar: national).refusals.first?.ruleID
                == "DEV-17")
        var none = rules
        none.publicityWorkingDays = 0
        var d = DevelopmentCase(birthDate: day("2000-01-01"), rules: none)
        d.replay(c.steps)
        #expect(d.check(StepRecord(step: .targetDesignation, date: day("2025-09-05")), today: today).accepted)
    }

    @Test("DEV-34: step 14 needs the form's number")
    func formNumberRequired() throws {
        let c = try MemberDevelopmentTests().caseUpTo(.preReview)
        var f = StepFacts()
        let today = CivilDate(year: 2030, month: 1, day: 1)!
        let date = c.steps.last!.date
        #expect(c.check(StepRecord(step: .applicationForm, date: date, facts: f), today: today).refusals.map(\.ruleID) == ["DEV-34"])
        f.formNumber = "粤2025000123"
        #expect(c.check(StepRecord(step: .applicationForm, date: date, facts: f), today: today).accepted)
    }
}
