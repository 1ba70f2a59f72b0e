import Testing
import Foundation
@testable import DangjianDomain

@Suite("Organisational life rules (LIFE-01…09) and votes (LIFE-02, DEV-18/19)")
struct OrganisationalLifeTests {
    let rules = RuleBook.national2014
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    func requirement(_ id: String) -> LifeRequirement { rules.lifeRequirements.first { $0.ruleID == id }! }

    @Test("periods: quarters end on 3-31/6-30/9-30/12-31; the previous period crosses the year")
    func periods() {
        let q = CompliancePeriod(.quarter, containing: day("2026-03-31"))
        #expect(q.start.description == "2026-01-01" && q.end.description == "2026-03-31" && q.description == "2026年第1季度")
        #expect(q.previous.start.description == "2025-10-01" && q.previous.end.description == "2025-12-31")
        let feb = CompliancePeriod(.month, containing: day("2028-02-10"))
        #expect(feb.end.description == "2028-02-29")
        #expect(CompliancePeriod(.year, containing: day("2026-07-01")).end.description == "2026-12-31")
        #expect(day("2026-12-31").adding(days: 1).description == "2027-01-01" && day("2024-03-01").adding(days: -1).description == "2024-02-29")
    }

    @Test("LIFE-01: a general meeting on the last day of a quarter counts for it; one on the first day of the next does not")
    func generalMeetingQuarterBoundary() {
        let r = requirement("LIFE-01")
        let q1 = CompliancePeriod(.quarter, containing: day("2026-02-01"))
        let onLastDay = LifeCompliance.evaluate(r, period: q1, heldOn: [day("2026-03-31")], today: day("2026-04-02"), rules: rules)
        #expect(onLastDay?.state == .met)
        let nextDay = LifeCompliance.evaluate(r, period: q1, heldOn: [day("2026-04-01")], today: day("2026-04-02"), rules: rules)
        #expect(nextDay?.state == .overdue && nextDay?.message.contains("LIFE-01") == true)
        // Yellow in the last 15 days of the quarter (local practice), grey before that, not judged before it starts.
        #expect(LifeCompliance.evaluate(r, period: q1, heldOn: [], today: day("2026-03-17"), rules: rules)?.state == .dueSoon)
        #expect(LifeCompliance.evaluate(r, period: q1, heldOn: [], today: day("2026-03-16"), rules: rules)?.state == .pending)
        #expect(
            LifeCompliance.evaluate(
                r, period: CompliancePeriod(.quarter, containing: day("2026-04-01")), heldOn: [], today: day("2026-03-31"), rules: rules) == nil)
        // A meeting dated in the future (typed ahead) does not count yet.
        #expect(LifeCompliance.evaluate(r, period: q1, heldOn: [day("2026-03-30")], today: day("2026-03-20"), rules: rules)?.state == .dueSoon)
    }

    @Test("LIFE-03/04/06: monthly; LIFE-03 only for branches that need a committee (ORG-06)")
    func monthly() {
        let march = CompliancePeriod(.month, containing: day("2026-03-01"))
        for id in ["LIFE-03", "LIFE-04", "LIFE-06"] {
            let r = requirement(id)
            #expect(LifeCompliance.evaluate(r, period: march, heldOn: [day("2026-03-31")], today: day("2026-04-01"), rules: rules)?.state == .met)
            #expect(LifeCompliance.evaluate(r, period: march, heldOn: [day("2026-02-28")], today: day("2026-04-01"), rules: rules)?.state == .overdue)
            #expect(LifeCompliance.evaluate(r, period: march, heldOn: [], today: day("2026-03-25"), rules: rules)?.state == .dueSoon)
            #expect(LifeCompliance.evaluate(r, period: march, heldOn: [], today: day("2026-03-24"), rules: rules)?.state == .pending)
        }
        let small = LifeCompliance.requirements(for: .branch, fullMembers: 6, rules: rules).map(\.ruleID)
        let large = LifeCompliance.requirements(for: .branch, fullMembers: 7, rules: rules).map(\.ruleID)
        #expect(!small.contains("LIFE-03") && large.contains("LIFE-03"))
        #expect(LifeCompliance.requirements(for: .partyGroup, fullMembers: 5, rules: rules).map(\.ruleID) == ["LIFE-04"])
        #expect(LifeCompliance.requirements(for: .partyCommittee, fullMembers: 500, rules: rules).map(\.ruleID) == ["LIFE-11"], "民主生活会 once a year")
        #expect(LifeCompliance.requirements(for: .generalBranch, fullMembers: 500, rules: rules).isEmpty)
    }

    @Test("LIFE-05 quarterly by default, yearly in a local version; LIFE-07/08/09 yearly with the year boundary")
    func lectureAndYearly() {
        var local = rules
        local.lifeRequirements = local.lifeRequirements.map { r in
            var r = r
            if r.ruleID == "LIFE-05" { r.length = .year }
            return r
        }
        let lecture = requirement("LIFE-05")
        let q2 = CompliancePeriod(.quarter, containing: day("2026-05-01"))
        #expect(LifeCompliance.evaluate(lecture, period: q2, heldOn: [day("2026-02-01")], today: day("2026-07-01"), rules: rules)?.state == .overdue)
        let yearly = local.lifeRequirements.first { $0.ruleID == "LIFE-05" }!
        let y2026 = CompliancePeriod(.year, containing: day("2026-05-01"))
        #expect(LifeCompliance.evaluate(yearly, period: y2026, heldOn: [day("2026-02-01")], today: day("2026-07-01"), rules: local)?.state == .met)
        for id in ["LIFE-07", "LIFE-08", "LIFE-09"] {
            let r = requirement(id)
            let y2025 = CompliancePeriod(.year, containing: day("2025-06-01"))
            #expect(LifeCompliance.evaluate(r, period: y2025, heldOn: [day("2025-12-31")], today: day("2026-01-01"), rules: rules)?.state == .met)
            #expect(LifeCompliance.evaluate(r, period: y2025, heldOn: [day("2026-01-01")], today: day("2026-01-01"), rules: rules)?.state == .overdue)
            #expect(LifeCompliance.evaluate(r, period: y2025, heldOn: [], today: day("2025-12-02"), rules: rules)?.state == .dueSoon)
            #expect(LifeCompliance.evaluate(r, period: y2025, heldOn: [], today: day("2025-12-01"), rules: rules)?.state == .pending)
        }
    }

    @Test("a new organisation is judged from its first full period")
    func establishedMidYear() {
        let r = requirement("LIFE-06")
        let may = CompliancePeriod(.month, containing: day("2026-05-01"))
        #expect(LifeCompliance.evaluate(r, period: may, heldOn: [], today: day("2026-07-01"), since: day("2026-05-02"), rules: rules) == nil)
        #expect(
            LifeCompliance.evaluate(r, period: may, heldOn: [], today: day("2026-07-01"), since: day("2026-05-01"), rules: rules)?.state == .overdue)
        let yearly = requirement("LIFE-07")
        #expect(
            LifeCompliance.evaluate(
                yearly, period: CompliancePeriod(.year, containing: day("2026-05-01")), heldOn: [], today: day("2027-01-05"),
                since: day("2026-01-02"), rules: rules) == nil)
    }

    @Test("the board view: the just-ended period stays red, the current one may be yellow; worst first")
    func boardView() {
        let reqs = LifeCompliance.requirements(for: .branch, fullMembers: 5, rules: rules).filter { $0.ruleID == "LIFE-06" || $0.ruleID == "LIFE-01" }
        let findings = LifeCompliance.current(
            requirements: reqs, heldOn: [.generalMeeting: [day("2026-02-10")], .themeDay: [day("2026-03-05")]],
            today: day("2026-04-25"), rules: rules)
        #expect(findings.first?.state == .dueSoon && findings.first?.requirement.ruleID == "LIFE-06", "\(findings.map(\.message))")
        let states = Dictionary(grouping: findings, by: { $0.requirement.ruleID }).mapValues { $0.map(\.state) }
        #expect(Set(states["LIFE-01"] ?? []) == [.met, .pending])
        #expect(Set(states["LIFE-06"] ?? []) == [.met, .dueSoon])
    }

    @Test("LIFE-02: more than half present, and in favour more than half of those entitled (not of those present)")
    func twoHalves() {
        // 9 entitled: 5 present is enough (5 × 2 > 9), 4 is not.
        #expect(ResolutionVote(entitled: 9, present: 4, inFavour: 4, against: 0, abstaining: 0).outcome().valid == false)
        let five = ResolutionVote(entitled: 9, present: 5, inFavour: 5, against: 0, abstaining: 0).outcome()
        #expect(five.valid && five.passed)
        // 10 entitled, 8 present, 5 in favour: more than half of those present, but not more than half of the entitled.
        let notEnough = ResolutionVote(entitled: 10, present: 8, inFavour: 5, against: 2, abstaining: 1).outcome()
        #expect(notEnough.valid && !notEnough.passed && notEnough.explanation.contains("至少需 6 票") && notEnough.explanation.contains("LIFE-02"))
        #expect(ResolutionVote(entitled: 10, present: 8, inFavour: 6, against: 2, abstaining: 0).outcome().passed)
        // Exactly half present is not a quorum.
        #expect(!ResolutionVote(entitled: 10, present: 5, inFavour: 5, against: 0, abstaining: 0).outcome().valid)
    }

    @Test("LIFE-02 on one form: 实到 is the attendance's count; a different figure is refused; ballots add up to it (issue 17 item 4)")
    func presentFromAttendance() throws {
        func figure(_ typed: Int?, present: Int = 14, notOnLeave: Int = 15, qr: Bool = false) -> Result<Int, ValidationFailure> {
            ResolutionVote.presentFigure(typed: typed, presentFullMembers: present, fullMembersNotOnLeave: notOnLeave, awaitingCheckin: qr)
        }
        #expect(try figure(nil).get() == 14)
        #expect(try figure(14).get() == 14)
        guard case .failure(let refusal) = figure(15) else { Issue.record("15 accepted where 14 were ticked"); return }
        #expect(refusal.ruleID == "LIFE-02" && refusal.message.contains("填为 15 人") && refusal.message.contains("为 14 人"))
        // Signing in by QR: not known yet, but not more than those not on leave.
        #expect(try figure(12, present: 0, qr: true).get() == 12)
        #expect(try figure(nil, present: 0, qr: true).get() == 15)
        guard case .failure = figure(16, present: 0, qr: true) else { Issue.record("16 accepted for 15 not on leave"); return }
        let short = ResolutionVote(entitled: 10, present: 8, inFavour: 6, against: 1, abstaining: 0).outcome()
        #expect(!short.valid && short.problems.first?.field == "votes" && short.problems.first?.ruleID == "LIFE-02")
    }

    @Test("DEV-19: written opinions of absent voting members count toward the tally, within the absentees")
    func writtenOpinions() {
        let withWritten = ResolutionVote(entitled: 10, present: 7, inFavour: 5, against: 2, abstaining: 0, writtenInFavour: 1).outcome()
        #expect(withWritten.passed && withWritten.explanation.contains("含书面意见 1"))
        let tooMany = ResolutionVote(entitled: 10, present: 7, inFavour: 5, against: 2, abstaining: 0, writtenInFavour: 4).outcome()
        #expect(!tooMany.valid && tooMany.problems.first?.ruleID == "DEV-19")
        let overCount = ResolutionVote(entitled: 10, present: 7, inFavour: 6, against: 2, abstaining: 0).outcome()
        #expect(!overCount.valid && overCount.problems.first?.field == "votes")
    }

    @Test(
        "LIFE-08 民主评议: 优秀 at most 1/3 of those graded (rounded down); probationary members ungraded unless configured; follow-up written for 基本合格/不合格"
    )
    func democraticEvaluation() {
        func member(_ i: Int, _ grade: EvaluationGrade?, full: Bool = true, follow: String = "") -> EvaluationEntry {
            EvaluationEntry(memberID: Int64(i), name: "党员\(i)", full: full, grade: grade, followUp: follow)
        }
        let nineWithThree = (0..<9).map { member($0, $0 < 3 ? .excellent : .qualified) }
        #expect(DemocraticEvaluationCheck.problems(nineWithThree, ballots: 9, finalising: true, rules: rules).isEmpty)
        let nineWithFour = (0..<9).map { member($0, $0 < 4 ? .excellent : .qualified) }
        let over = DemocraticEvaluationCheck.problems(nineWithFour, ballots: 9, finalising: true, rules: rules)
        #expect(over.count == 1 && over[0].ruleID == "LIFE-08" && over[0].message.contains("最多 3 人"))
        #expect(
            DemocraticEvaluationCheck.excellentLimit(graded: 8, rules: rules) == 2
                && DemocraticEvaluationCheck.excellentLimit(graded: 2, rules: rules) == 0)
        // A draft may hold too many 优秀 (the check is when grades are fixed).
        #expect(DemocraticEvaluationCheck.problems(nineWithFour, ballots: 9, finalising: false, rules: rules).isEmpty)
        // Probationary members: no grade by default; a local rule book grades them, and then they count.
        let withProbationer = [member(1, .qualified), member(2, .qualified), member(3, .qualified), member(4, .qualified, full: false)]
        #expect(DemocraticEvaluationCheck.problems(withProbationer, ballots: 4, finalising: false, rules: rules).map(\.field) == ["grade_4"])
        var local = rules
        local.gradeProbationaryMembers = true
        #expect(DemocraticEvaluationCheck.problems(withProbationer, ballots: 4, finalising: true, rules: local).isEmpty)
        let ungradedProbationer = [member(1, .qualified), member(4, nil, full: false)]
        #expect(DemocraticEvaluationCheck.problems(ungradedProbationer, ballots: 2, finalising: true, rules: rules).isEmpty)
        #expect(DemocraticEvaluationCheck.problems(ungradedProbationer, ballots: 2, finalising: true, rules: local).map(\.field) == ["grade_4"])
        // Fixing grades: every full member graded; 基本合格/不合格 need the follow-up written.
        let missing = DemocraticEvaluationCheck.problems(
            [member(1, nil), member(2, .unqualified), member(3, .basicallyQualified, follow: "帮助改进")],
            ballots: 3, finalising: true, rules: rules)
        #expect(missing.map(\.field) == ["grade_1", "follow_2"])
        // Peer tallies: never more ballots than members present.
        var tallied = member(1, .qualified)
        tallied.peerVotes = [.excellent: 2, .qualified: 2]
        #expect(DemocraticEvaluationCheck.problems([tallied], ballots: 3, finalising: false, rules: rules).map(\.field) == ["peer_1"])
        // The suggestion from the ballots: the most chosen grade; a tie goes to the lower grade.
        tallied.peerVotes = [.excellent: 2, .qualified: 2, .unqualified: 1]
        #expect(tallied.peerSuggestion == .qualified)
        tallied.peerVotes = [.excellent: 3, .qualified: 1]
        #expect(tallied.peerSuggestion == .excellent && member(9, nil).peerSuggestion == nil)
    }

    @Test(
        "DUES-13: six consecutive finished months absent → review, three → warning; leave and empty months neither count nor break; presence breaks")
    func lapseRun() {
        func absentIn(_ months: [String], status: AttendanceStatus = .absent) -> [AttendanceEntry] {
            months.map { AttendanceEntry(day: day($0 + "-15"), status: status) }
        }
        let today = day("2026-11-22")
        // May–October absent: six finished months; November (the current month) is not judged.
        let six = absentIn(["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]) + absentIn(["2026-11"])
        let r6 = MemberParticipation.evaluate(six, today: today, rules: rules)
        #expect(r6.level == .review && r6.monthsWithout == 6 && r6.since?.description == "2026年5月")
        #expect(r6.message?.contains("DUES-13") == true && r6.message?.contains("不会自动处置") == true)
        // Five months: a warning (three or more), not a review.
        let r5 = MemberParticipation.evaluate(Array(six.dropFirst()), today: today, rules: rules)
        #expect(r5.level == .warning && r5.monthsWithout == 5)
        #expect(MemberParticipation.evaluate(absentIn(["2026-09", "2026-10"]), today: today, rules: rules).level == .none)
        // Present in July breaks the run: only August–October count.
        let broken = six + [AttendanceEntry(day: day("2026-07-20"), status: .present)]
        #expect(MemberParticipation.evaluate(broken, today: today, rules: rules).monthsWithout == 3)
        // On leave in July and nothing held in August: neither counts nor breaks — May, June, Sept, Oct = 4.
        let withLeave = absentIn(["2026-05", "2026-06", "2026-09", "2026-10"]) + absentIn(["2026-07"], status: .leave)
        let rl = MemberParticipation.evaluate(withLeave, today: today, rules: rules)
        #expect(rl.monthsWithout == 4 && rl.level == .warning && rl.leave == 1 && rl.absent == 4)
        // A local rule book with a shorter lapse: review at four.
        var local = rules
        local.lapseMonths = 4
        #expect(MemberParticipation.evaluate(withLeave, today: today, rules: local).level == .review)
        // Rates over the 12-month window plus this month; older entries are outside it.
        let mixed = [
            AttendanceEntry(day: day("2025-10-31"), status: .present), AttendanceEntry(day: day("2025-11-01"), status: .present),
            AttendanceEntry(day: day("2026-03-01"), status: .absent), AttendanceEntry(day: day("2026-11-02"), status: .present),
        ]
        let rm = MemberParticipation.evaluate(mixed, today: today, rules: rules)
        #expect(rm.listed == 3 && rm.present == 2 && rm.rate == 67 && rm.lastPresent?.description == "2026-11-02")
        #expect(MemberParticipation.evaluate([], today: today, rules: rules) == .empty)
        // The warning months cannot exceed the lapse months.
        var bad = rules
        bad.lapseWarningMonths = 7
        #expect(bad.problems().contains { $0.ruleID == "DUES-13" })
    }
}

@Suite("Civil dates by arithmetic")
struct CivilDateArithmeticTests {
    @Test("CivilDate(date:) agrees with Foundation's calendar in Beijing time, around midnight and across years")
    func matchesCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        var t: TimeInterval = 694_224_000  // 1992-01-01
        while t < 4_102_444_800 {  // 2100
            for offset in [-1.0, 0, 1, 57_599, 57_600, 57_601] {  // 16:00 UTC is Beijing midnight
                let date = Date(timeIntervalSince1970: t + offset)
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                let ours = CivilDate(date: date)
                #expect(ours.year == c.year && ours.month == c.month && ours.day == c.day, "\(date)")
            }
            t += 86_400 * 37
        }
        #expect(CivilDate.parseLenient("2026-02-29") == nil && CivilDate.parseLenient("2026-02-28")?.description == "2026-02-28")
        #expect(CivilDate.parseLenient("２０２６-０２-２８")?.description == "2026-02-28", "full-width digits still take the slow path")
    }
}
