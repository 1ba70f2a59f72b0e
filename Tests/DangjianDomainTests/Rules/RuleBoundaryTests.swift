import Testing
import Foundation
@testable import DangjianDomain

/// Issue 17, item 20: LIFE-11, LIFE-13 and MEM-05/06 where they are checks, at their boundaries, with the rule in the
/// message and the rule book's configurable numbers.
@Suite("Rules at their boundaries: LIFE-11, LIFE-13, MEM-05, MEM-06")
struct RuleBoundaryTests {
    let rules = RuleBook.national2014
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("LIFE-11: a 民主生活会 needs 2/3 of those who should attend (UNCONFIRMED, configurable); other kinds and QR sign-in are not checked")
    func leadershipLifeAttendance() {
        func check(
            _ listed: Int, _ present: Int, kind: MeetingKind = .leadershipLifeMeeting, awaiting: Bool = false, rules: RuleBook? = nil
        )
            -> ValidationFailure?
        {
            LifeCompliance.leadershipLifeAttendance(
                kind: kind, listed: listed, present: present, awaitingCheckin: awaiting, rules: rules ?? self.rules)
        }
        #expect(check(9, 6) == nil && check(3, 2) == nil, "exactly 2/3 is enough")
        let short = check(9, 5)
        #expect(short?.ruleID == "LIFE-11" && short?.message.contains("至少 6 人") == true && short?.field == "attendance")
        #expect(check(10, 6)?.message.contains("至少 7 人") == true, "2/3 of 10 rounds up to 7")
        #expect(check(9, 0, kind: .generalMeeting) == nil && check(9, 0, awaiting: true) == nil && check(0, 0) == nil)
        var off = rules
        off.leadershipLifeAttendanceNumerator = 0
        #expect(check(9, 0, rules: off) == nil, "numerator 0 turns the UNCONFIRMED check off")
        var half = rules
        half.leadershipLifeAttendanceNumerator = 1
        half.leadershipLifeAttendanceDenominator = 2
        #expect(check(10, 5, rules: half) == nil && check(10, 4, rules: half)?.message.contains("1/2") == true)
        var bad = rules
        bad.leadershipLifeAttendanceNumerator = 4
        bad.leadershipLifeAttendanceDenominator = 3
        #expect(bad.problems().contains { $0.ruleID == "LIFE-11" })
        // Once a year for the leading body of a Party committee.
        #expect(LifeCompliance.requirements(for: .partyCommittee, fullMembers: 0, rules: rules).map(\.summary) == ["民主生活会每年至少 1 次（LIFE-11）"])
    }

    @Test("LIFE-13: a 临时党支部 is told to become a regular branch on the day it has existed 6 months, not the day before")
    func temporaryBranchSixMonths() {
        func life13(_ today: String, months: Int = 6) -> [String] {
            var book = rules
            book.temporaryBranchRegularMonths = months
            return OrganisationSetupCheck.warnings(
                type: .temporaryBranch, total: 5, full: 5, established: day("2026-01-15"), today: day(today), rules: book
            ).filter { $0.ruleID == "LIFE-13" }.map(\.fullMessage)
        }
        #expect(life13("2026-07-14").isEmpty)
        #expect(life13("2026-07-15").count == 1 && life13("2026-07-15")[0].contains("已满 6 个月") && life13("2026-07-15")[0].hasSuffix("（LIFE-13）"))
        #expect(life13("2026-04-15", months: 3).count == 1, "the months come from the rule book")
        #expect(
            OrganisationSetupCheck.warnings(type: .branch, total: 5, full: 5, established: day("2020-01-01"), today: day("2026-07-15"), rules: rules)
                .allSatisfy { $0.ruleID != "LIFE-13" }, "a regular branch is not told")
    }

    @Test(
        "MEM-05: a letter is valid up to 90 days in the province and 180 across provinces (UNCONFIRMED, configurable); MEM-06: across provinces the paper letter first"
    )
    func transferLetterValidity() {
        let dues = (year: 2026, month: 10)
        #expect(MembershipIdentity.transferLetter(validDays: 90, duesPaidUntil: dues, rules: rules) == nil)
        let long = MembershipIdentity.transferLetter(validDays: 91, duesPaidUntil: dues, rules: rules)
        #expect(long?.ruleID == "MEM-05" && long?.message.contains("1–90 天") == true && long?.message.contains("跨省") == true)
        #expect(MembershipIdentity.transferLetter(validDays: 180, duesPaidUntil: dues, crossProvince: true, rules: rules) == nil)
        #expect(
            MembershipIdentity.transferLetter(validDays: 181, duesPaidUntil: dues, crossProvince: true, rules: rules)?.message.contains("1–180 天")
                == true)
        #expect(MembershipIdentity.transferLetter(validDays: 0, duesPaidUntil: dues, rules: rules)?.ruleID == "MEM-05")
        var local = rules
        local.transferLetterMaxDays = 60
        #expect(MembershipIdentity.transferLetter(validDays: 61, duesPaidUntil: dues, rules: local) != nil)
        local.transferLetterMaxDaysCrossProvince = 30
        #expect(local.problems().contains { $0.ruleID == "MEM-05" }, "cross-province may not be shorter than within the province")
        #expect(MembershipIdentity.confirmingReceipt(crossProvince: true, letterPrinted: false)?.ruleID == "MEM-06")
        #expect(MembershipIdentity.confirmingReceipt(crossProvince: true, letterPrinted: true) == nil)
        #expect(MembershipIdentity.confirmingReceipt(crossProvince: false, letterPrinted: false) == nil)
        #expect(MembershipIdentity.startingInternalMove(crossProvince: true)?.ruleID == "MEM-06")
    }

    @Test("the new parameters survive a stored rule book that predates them, and round-trip")
    func storedRuleBook() throws {
        var book = rules
        book.transferLetterMaxDays = 60
        book.temporaryBranchRegularMonths = 9
        let data = try JSONEncoder().encode(book)
        let back = try JSONDecoder().decode(RuleBook.self, from: data)
        #expect(back.transferLetterMaxDays == 60 && back.temporaryBranchRegularMonths == 9 && back.leadershipLifeAttendanceDenominator == 3)
        let old = try JSONDecoder().decode(RuleBook.self, from: Data(#"{"version":"旧版本","effectiveFrom":"2020-01-01"}"#.utf8))
        #expect(old.transferLetterMaxDays == 90 && old.transferLetterMaxDaysCrossProvince == 180 && old.temporaryBranchRegularMonths == 6)
    }

    @Test(
        "LIFE-10: a leading cadre (by the rule book's 职务 words) absent from every activity of their branch last quarter is named; present once, or nothing held, is not"
    )
    func dualOrganisationalLife() {
        #expect(DualOrganisationalLife.isLeadingCadre(post: "县财政局局长", rules: rules))
        #expect(!DualOrganisationalLife.isLeadingCadre(post: "科员", rules: rules) && !DualOrganisationalLife.isLeadingCadre(post: nil, rules: rules))
        var local = rules
        local.leadingCadrePosts = ["科长"]
        #expect(
            DualOrganisationalLife.isLeadingCadre(post: "办公室科长", rules: local) && !DualOrganisationalLife.isLeadingCadre(post: "局长", rules: local))
        let today = day("2026-10-10")
        let missed = [AttendanceEntry(day: day("2026-07-12"), status: .absent), AttendanceEntry(day: day("2026-09-30"), status: .leave)]
        let finding = DualOrganisationalLife.finding(missed, today: today)
        #expect(finding?.contains("2026年第3季度列入的 2 次组织生活均未出席") == true && finding?.hasSuffix("LIFE-10）") == true)
        #expect(DualOrganisationalLife.finding(missed + [AttendanceEntry(day: day("2026-08-12"), status: .present)], today: today) == nil)
        #expect(
            DualOrganisationalLife.finding([AttendanceEntry(day: day("2026-10-01"), status: .absent)], today: today) == nil,
            "this quarter is not over")
        #expect(
            DualOrganisationalLife.finding([AttendanceEntry(day: day("2026-06-30"), status: .absent)], today: today) == nil, "only the last quarter")
        var p = MemberParticipation.empty
        p.dualLife = finding
        #expect(p.needsAttention && p.message == finding)
    }
}
