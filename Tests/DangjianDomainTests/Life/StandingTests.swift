import Testing
import Foundation
@testable import DangjianDomain

/// Issue 17, items 1–2: one set of state definitions (decision 0032) for the board, heat-map, roll-up, report and
/// duty list.
@Suite("Standing: period, month, star and state now, defined once")
struct StandingTests {
    let rules = RuleBook.national2014
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    func requirement(_ id: String) -> LifeRequirement { rules.lifeRequirements.first { $0.ruleID == id }! }

    /// Every period of `requirements` begun in `year` by `today`, as the compliance service judges them.
    func judged(_ requirements: [LifeRequirement], held: [MeetingKind: [CivilDate]], year: Int, today: CivilDate) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        for r in requirements {
            var p = CompliancePeriod(r.length, containing: CalendarYear(clamping: year).firstDay)
            while p.start.year == year && p.start <= today {
                if let f = LifeCompliance.evaluate(r, period: p, heldOn: held[r.kind] ?? [], today: today, rules: rules) { findings.append(f) }
                p = CompliancePeriod(r.length, containing: p.end.adding(days: 1))
            }
        }
        return findings
    }

    @Test(
        "a month that met its own requirements is green with a star although the year's 组织生活会 is still ahead; the yearly item falls due in December only"
    )
    func yearlyItemsDoNotColourEveryMonth() {
        let requirements = ["LIFE-01", "LIFE-06", "LIFE-07"].map(requirement)
        var held: [MeetingKind: [CivilDate]] = [.themeDay: [], .generalMeeting: []]
        for m in 1...11 { held[.themeDay]!.append(CivilDate(year: 2026, month: m, day: 10)!) }
        for m in [3, 6, 9] { held[.generalMeeting]!.append(CivilDate(year: 2026, month: m, day: 20)!) }
        let today = day("2026-11-20")
        let findings = judged(requirements, held: held, year: 2026, today: today)
        let months = Standing.months(findings, year: 2026, today: today)
        #expect(months.count == 11)
        #expect(months.prefix(10).allSatisfy { $0.state == .met && $0.star }, "\(months)")
        #expect(months[10].state == .met && !months[10].star, "November held, but not over: no star yet")
        #expect(months.filter(\.star).map(\.month) == Array(1...10), "stars placed by month")
        // The 组织生活会 (LIFE-07) is judged once, in December: a past year shows it there, red when missed.
        let past = Standing.months(judged(requirements, held: held, year: 2026, today: day("2027-01-05")), year: 2026, today: day("2027-01-05"))
        #expect(past.count == 12 && past[11].state == .overdue && past[11].due == 3 && past[10].state == .met)
    }

    @Test("a miss stays red through the month after its period, no longer: last year's 组织生活会 is red in January, not in February")
    func stateNow() {
        let requirements = ["LIFE-06", "LIFE-07"].map(requirement)
        let held: [MeetingKind: [CivilDate]] = [.themeDay: [day("2026-12-10"), day("2027-01-10")]]
        func now(_ today: String) -> ComplianceState? {
            let d = day(today)
            let findings = LifeCompliance.current(requirements: requirements, heldOn: held, today: d, rules: rules)
            return Standing.now(findings, today: d)
        }
        #expect(now("2027-01-20") == .overdue, "2026's 组织生活会 ended last month")
        #expect(now("2027-02-05") == .pending, "February's theme day not held yet; January's was; 2026 no longer counts")
        #expect(Standing.countsNow(CompliancePeriod(.year, containing: day("2026-06-01")), today: day("2027-01-31")))
        #expect(!Standing.countsNow(CompliancePeriod(.year, containing: day("2026-06-01")), today: day("2027-02-01")))
        #expect(!Standing.countsNow(CompliancePeriod(.month, containing: day("2027-03-01")), today: day("2027-02-28")), "not begun")
    }

    @Test("over 300 random years: a star iff the finished month is green; red now iff what fell due last month was missed")
    func invariantsHoldForRandomRecords() {
        var generator = SeededGenerator(seed: 17)
        let requirements = ["LIFE-01", "LIFE-05", "LIFE-06", "LIFE-07", "LIFE-09"].map(requirement)
        for _ in 0..<300 {
            var held: [MeetingKind: [CivilDate]] = [:]
            for r in requirements {
                for m in 1...12 where Int.random(in: 0..<10, using: &generator) < 7 {
                    held[r.kind, default: []].append(CivilDate(year: 2026, month: m, day: Int.random(in: 1...28, using: &generator))!)
                }
            }
            let today = CivilDate(year: 2026, month: Int.random(in: 2...12, using: &generator), day: Int.random(in: 1...28, using: &generator))!
            let months = Standing.months(judged(requirements, held: held, year: 2026, today: today), year: 2026, today: today)
            for m in months {
                let ended = m.month < today.month
                #expect(m.star == (ended && m.state == .met), "month \(m.month) on \(today)")
            }
            let state = Standing.now(LifeCompliance.current(requirements: requirements, heldOn: held, today: today, rules: rules), today: today)
            let lastMonth = months[today.month - 2]
            #expect((state == .overdue) == (lastMonth.state == .overdue), "on \(today): now \(String(describing: state)), last month \(lastMonth)")
        }
    }

    @Test("a duty item naming a meeting is fed by the meeting records of that kind; the more specific name wins")
    func dutyItemsNamingMeetings() {
        #expect(MeetingKind(namedIn: "召开一次支部党员大会") == .generalMeeting)
        #expect(MeetingKind(namedIn: "每月召开支委会") == .committeeMeeting)
        #expect(MeetingKind(namedIn: "讲一次党课") == .partyLecture)
        #expect(MeetingKind(namedIn: "召开一次组织生活会") == .lifeMeeting)
        #expect(MeetingKind(namedIn: "参加一次民主生活会") == .leadershipLifeMeeting)
        #expect(MeetingKind(namedIn: "开展一次民主评议党员") == .democraticEvaluation)
        #expect(MeetingKind(namedIn: "签订一份党建目标责任书") == nil && MeetingKind(namedIn: "述职一次") == nil)
        // The same records, judged for the item, give the same state as for the rule.
        let item = DutyItem(id: 1, title: "每季度 召开一次支部党员大会", cadence: .quarter)
        let standing = DutyStanding(items: [item], year: 2026, records: [1: [day("2026-09-25")]], today: day("2026-10-10"), rules: rules)
        #expect(item.fedBy == .generalMeeting && standing.periods.map(\.state) == [.overdue, .overdue, .met, .pending])
        #expect(!standing.warnings.contains { $0.contains("第3季度") } && standing.state == .pending)
        // A list is judged from the organisation's establishment, as organisational life is: a branch set up on
        // 15 May is judged from June.
        let monthly = DutyItem(id: 2, title: "开展一次主题党日", cadence: .month)
        let young = DutyStanding(items: [monthly], year: 2026, records: [:], today: day("2026-07-10"), since: day("2026-05-15"), rules: rules)
        #expect(young.periods.map(\.period.start.month) == [6, 7] && young.state == .overdue)
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
