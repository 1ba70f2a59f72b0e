import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("组织生活 ledger and compliance roll-up")
struct MeetingTests {
    let actor = Actor(userID: nil, name: "t", ip: "127.0.0.1", requestID: "r")
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test(
        "LIFE-02 on one form: 实到 is the full members marked present (a different figure is refused), ballots add up to it; a member on leave cannot also sign in (issue 17 item 4)",
        arguments: TestBackend.enabled)
    func talliesAgainstAttendance(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            var ids: [Int64] = []
            for i in 0..<5 {
                ids.append(
                    try await kit.store.members.create(
                        MemberFixtures.draft(name: "表决\(i)", born: "1981-01-0\(i + 1)", sequence: 720 + i, status: i == 4 ? .probationary : .full),
                        organisationID: tree["A1a1"], access: .maintenance, actor: actor
                    ).id)
            }
            var draft = MeetingDraft(kind: .generalMeeting, heldOn: day("2026-11-20"))
            draft.topic = "表决核对"
            // Four full members: three present, one on leave; the probationary member present but without a vote.
            draft.attendance = [
                ids[0]: (.present, ""), ids[1]: (.present, ""), ids[2]: (.present, ""), ids[3]: (.leave, "出差"), ids[4]: (.present, ""),
            ]
            func record(_ vote: ResolutionVote, presentGiven: Bool = true) async throws -> MeetingRecord {
                var d = draft
                d.votes = [VoteDraft(motion: "事项", vote: vote, presentGiven: presentGiven)]
                return try await kit.store.meetings.record(d, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            }
            // The issue's case: 实到 typed as 4 while 3 full members were ticked present.
            do {
                _ = try await record(ResolutionVote(entitled: 4, present: 4, inFavour: 4, against: 0, abstaining: 0))
                Issue.record("a tally that contradicts the attendance was saved")
            } catch let errors as ValidationProblems {
                #expect(errors.problems.map(\.field) == ["vote_0_present"])
                #expect(errors.problems.first?.message.contains("到会的正式党员为 3 人") == true && errors.problems.first?.ruleID == "LIFE-02")
            }
            // Ballots that do not add up to those present.
            do {
                _ = try await record(ResolutionVote(entitled: 4, present: 3, inFavour: 3, against: 1, abstaining: 0))
                Issue.record("ballots that do not add up were saved")
            } catch let errors as ValidationProblems {
                #expect(errors.problems.map(\.field) == ["vote_0_votes"])
            }
            #expect(try await kit.store.meetings.list(organisationID: tree["A1a1"], year: 2026, access: .maintenance).isEmpty)
            // 实到 left empty is counted from the attendance: 3, with the written opinion of the member on leave.
            let counted = try await record(
                ResolutionVote(entitled: 4, present: 0, inFavour: 2, against: 1, abstaining: 0, writtenInFavour: 1), presentGiven: false)
            #expect(counted.votes.first?.vote.present == 3 && counted.votes.first?.passed == true)
        }
    }

    @Test("recording: attendance from the roster, votes judged by LIFE-02, refusals name the field", arguments: TestBackend.enabled)
    func record(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let roster = kit.store.members
            var ids: [Int64] = []
            for i in 0..<4 {
                ids.append(
                    try await roster.create(
                        MemberFixtures.draft(
                            name: "成员\(i)", born: "1980-01-0\(i + 1)", sequence: 700 + i,
                            status: i == 3 ? .probationary : .full), organisationID: tree["A1a1"], access: .maintenance, actor: actor
                    ).id)
            }
            let meetings = kit.store.meetings
            var draft = MeetingDraft(kind: .generalMeeting, heldOn: day("2026-11-20"))
            draft.topic = "接收预备党员"
            draft.attendance = [ids[0]: (.present, ""), ids[1]: (.present, ""), ids[2]: (.leave, "出差"), ids[3]: (.present, "")]
            draft.votes = [
                VoteDraft(
                    motion: "接收某某为预备党员", vote: ResolutionVote(entitled: 3, present: 2, inFavour: 1, against: 1, abstaining: 0, writtenInFavour: 1))
            ]
            let recorded = try await meetings.record(draft, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            #expect(recorded.shouldAttend == 4 && recorded.present == 3)
            #expect(recorded.attendance.first { $0.memberID == ids[2] }?.reason == "出差")
            #expect(recorded.votes.first?.passed == true && recorded.votes.first?.explanation.contains("含书面意见 1") == true)
            // DEV-18: only full members vote; the roster has 3.
            var tooMany = draft
            tooMany.votes = [VoteDraft(motion: "x", vote: ResolutionVote(entitled: 4, present: 4, inFavour: 4, against: 0, abstaining: 0))]
            await #expect(throws: ValidationFailure.self) {
                try await meetings.record(tooMany, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            }
            // A stranger in the attendance, a vote at a 党课, a lecture without lecturer, a date in the future.
            var stranger = draft
            stranger.attendance[99_999] = (.present, "")
            await #expect(throws: ValidationFailure.self) {
                try await meetings.record(stranger, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
            }
            var lecture = MeetingDraft(kind: .partyLecture, heldOn: day("2026-11-23"))
            lecture.votes = draft.votes
            do {
                _ = try await meetings.record(lecture, organisationID: tree["A1a1"], access: .maintenance, actor: actor)
                Issue.record("a bad lecture record was accepted")
            } catch let errors as ValidationProblems {
                #expect(Set(errors.problems.map(\.field)) == ["held_on", "topic", "lecturer", "votes"])
            }
            // Reads are limited to access.
            let a1a2 = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersRead, reaches: [OrganisationReach(organisationID: a1a2.id, path: a1a2.path, scope: .own)])
            #expect(try await meetings.find(recorded.id, access: other) == nil)
        }
    }

    @Test(
        "the roll-up recomputed from raw records: red, yellow and green branches, groups judged on LIFE-04, Party committees on LIFE-11 only",
        arguments: TestBackend.enabled)
    func rollUp(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            // The tree exists from 2025-12-01; today is 2026-06-25 (Q2 ends in 6 days: quarterly requirements are yellow).
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_547_200))  // 2025-12-01
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            clock.advance(seconds: 206 * 86_400)  // 2026-06-25
            #expect(CivilDate(date: clock.now()).description == "2026-06-25")
            let meetings = kit.store.meetings
            func hold(_ key: String, _ kind: MeetingKind, _ date: String) async throws {
                var d = MeetingDraft(kind: kind, heldOn: day(date))
                d.topic = "\(kind.displayName) \(date)"
                d.lecturer = kind == .partyLecture ? "支部书记" : ""
                _ = try await meetings.record(d, organisationID: tree[key], access: .maintenance, actor: actor)
            }
            // A1a1: everything due so far (Q1 and Q2 general meetings and lectures, May and June theme days).
            for date in ["2026-03-20", "2026-06-10"] {
                try await hold("A1a1", .generalMeeting, date)
                try await hold("A1a1", .partyLecture, date)
            }
            try await hold("A1a1", .themeDay, "2026-05-08")
            try await hold("A1a1", .themeDay, "2026-06-08")
            // A1a2: June theme day and Q1 only: Q2 meetings are yellow, May theme day is red.
            try await hold("A1a2", .themeDay, "2026-06-08")
            try await hold("A1a2", .generalMeeting, "2026-02-01")
            try await hold("A1a2", .partyLecture, "2026-02-01")
            // The group A1a1g: a group meeting in June, none in May → red (LIFE-04).
            try await hold("A1a1g", .groupMeeting, "2026-06-01")
            let service = kit.store.compliance
            let result = try await service.rollUp(anchorID: tree["A"], scope: .subtree, access: .maintenance)
            let worst = Dictionary(uniqueKeysWithValues: result.organisations.compactMap { o in o.worst.map { (o.organisation.id, $0) } })
            // Independent recomputation from the raw rows: for each organisation, which (kind, period) pairs are missing.
            let raw = try await kit.database.read { db in
                try await db.raw("SELECT organisation_id, kind, held_on FROM meetings").all().map {
                    (
                        try $0.decode(column: "organisation_id", as: Int64.self), try $0.decode(column: "kind", as: String.self),
                        try $0.decode(column: "held_on", as: String.self)
                    )
                }
            }
            func held(_ key: String, _ kind: String, from: String, to: String) -> Bool {
                raw.contains { $0.0 == tree[key] && $0.1 == kind && $0.2 >= from && $0.2 <= to }
            }
            #expect(
                held("A1a1", "theme_day", from: "2026-05-01", to: "2026-05-31") && worst[tree["A1a1"]] == ComplianceState.pending,
                "A1a1: LIFE-07/08/09 are still ahead in the year; 2025 is not judged (established in its last month)")
            #expect(!held("A1a2", "theme_day", from: "2026-05-01", to: "2026-05-31") && worst[tree["A1a2"]] == ComplianceState.overdue)
            #expect(!held("A1b", "general_meeting", from: "2026-04-01", to: "2026-06-30") && worst[tree["A1b"]] == ComplianceState.overdue)
            #expect(worst[tree["A1a1g"]] == ComplianceState.overdue)
            #expect(worst[tree["A1a"]] == nil && worst[tree["A1"]] == nil, "general branches and working committees have no requirements")
            #expect(worst[tree["A"]] == .pending && worst[tree["A2"]] == .pending, "Party committees: the year's 民主生活会 (LIFE-11), still ahead")
            let a1a2 = try #require(result.organisations.first { $0.organisation.id == tree["A1a2"] })
            #expect(a1a2.findings.contains { $0.requirement.ruleID == "LIFE-01" && $0.state == .dueSoon })
            #expect(a1a2.findings.contains { $0.requirement.ruleID == "LIFE-06" && $0.state == .overdue && $0.period.description == "2026年5月" })
            #expect(
                result.counts[.overdue] == 4 && result.counts[.pending] == 3, "A1a2, A1b, A21 and the group red; A1a1, A, A2 fine: \(result.counts)")
            // The board: stars only for finished months where everything due by their end was held.
            let board = try await service.board(anchorID: tree["A"], scope: .subtree, access: .maintenance)
            let a1a1 = try #require(board.first { $0.organisation.id == tree["A1a1"] })
            #expect(a1a1.months.count == 6 && a1a1.months.map(\.month) == Array(1...6))
            #expect(
                a1a1.months.map(\.star) == [false, false, false, false, true, false],
                "only May: theme days were held in May and June; Q1's meetings in March but no March theme day")
            #expect(board.first { $0.organisation.id == tree["A1b"] }?.stars == 0)
            let year = try await service.year(CalendarYear(unchecked: 2026), organisationID: tree["A1a2"], access: .maintenance)
            #expect(year.months[4].state == .overdue && year.months[5].held[.themeDay] == 1 && year.months[11].state == nil)
            #expect(year.months[11].standing == nil, "December has not begun")
            // The May report (月报, final): only requirements whose period ends in May count — LIFE-06 for the four
            // branches (A1a1 held its theme day), LIFE-04 for the group (missed); Q2's meetings are progress only.
            let may = try await service.report(
                anchorID: tree["A"], scope: .subtree, access: .maintenance, period: try #require(CompliancePeriod(.month, year: 2026, number: 5)))
            #expect(may.final && may.asOf.description == "2026-05-31" && may.judged == 5 && may.met == 1 && may.overdue == 4)
            let themeDays = try #require(may.requirements.first { $0.requirement.ruleID == "LIFE-06" })
            #expect(themeDays.organisations == 4 && themeDays.met == 1 && themeDays.held == 1 && themeDays.rate == 25)
            #expect(may.requirements.first { $0.requirement.ruleID == "LIFE-04" }.map { ($0.organisations, $0.met) } ?? (0, 0) == (1, 0))
            #expect(!may.requirements.contains { $0.requirement.ruleID == "LIFE-01" })
            let a1a2May = try #require(may.lines.first { $0.organisation.id == tree["A1a2"] })
            #expect(a1a2May.state == .overdue && a1a2May.findings.contains { $0.requirement.ruleID == "LIFE-01" && $0.state == .pending })
            #expect(may.groups.map { "\($0.organisation.id):\($0.organisations)/\($0.met)" } == ["\(tree["A1"]):4/1", "\(tree["A2"]):1/0"])
            // The second quarter's report is interim on 2026-06-25; every branch missed April's theme day.
            let q2 = try await service.report(
                anchorID: tree["A1"], scope: .subtree, access: .maintenance, period: try #require(CompliancePeriod(.quarter, year: 2026, number: 2)))
            #expect(!q2.final && q2.asOf.description == "2026-06-25" && q2.met == 0)
            #expect(q2.requirements.first { $0.requirement.ruleID == "LIFE-01" }.map { ($0.organisations, $0.met) } ?? (0, 0) == (3, 1))
            #expect(q2.groups.map(\.organisation.id) == [tree["A1a"], tree["A1b"]])
        }
    }
}

@Suite("Demo county with a year of organisational life")
struct DemoCountyLifeTests {
    @Test("the demo county has a past, a year of records, and a roll-up with green and red branches")
    func demoYear() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let demo = DemoCounty(store: kit.store)
            _ = try await demo.seed(parts: [.members, .life, .development, .lists])
            let root = try #require(try await kit.organisations.visible(access: .maintenance).first { $0.parentID == nil })
            #expect(try await kit.organisations.history(of: root.id, access: .maintenance).first?.effectiveDate.description == "2019-07-01")
            let held = try await kit.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM meetings").first()!.decode(column: "n", as: Int.self)
            }
            #expect(held > 100)
            let rollUp = try await kit.store.compliance.rollUp(anchorID: root.id, scope: .subtree, access: .maintenance)
            let counts = rollUp.counts
            let red: Int = counts[.overdue] ?? 0
            let notRed: Int = rollUp.organisations.filter { o in o.worst.map { $0 < .overdue } ?? false }.count
            #expect(red >= 1, "\(counts)")
            #expect(notRed >= 1, "\(counts)")
        }
    }
}
