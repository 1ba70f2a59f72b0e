import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Synthetic demo and scale data")
struct SyntheticDataTests {
    @Test("the same seed gives the same people; every generated person passes the roster rules")
    func deterministicAndValid() {
        let today = CivilDate(year: 2026, month: 11, day: 22)!
        var a = SyntheticPeople(seed: 42), b = SyntheticPeople(seed: 42), c = SyntheticPeople(seed: 43)
        var invalid: [String] = []
        var same = 0, different = 0
        for _ in 0..<2_000 {
            let x = a.draft(today: today), y = b.draft(today: today), z = c.draft(today: today)
            if x == y { same += 1 }
            if x.idNumber != z.idNumber { different += 1 }
            if case .failure(let e) = x.validate(today: today) { invalid.append("\(x.name): \(e.problems.map(\.fullMessage))") }
        }
        #expect(same == 2_000 && different > 1_900)
        #expect(invalid.isEmpty, "\(invalid.prefix(3))")
    }

    @Test("tier sizes follow architecture.md §1")
    func sizes() {
        #expect(DemoTier.county.size == (500, 15_000))
        #expect(DemoTier.city.size == (5_000, 300_000))
        #expect(DemoTier.province.size == (100_000, 3_000_000))
    }

    @Test("generated organisational life: only the given branches, only before today, the kinds each month requires")
    func generatedMeetings() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let generator = TierGenerator(store: kit.store)
            try await generator.generateMeetings(
                branches: [tree["A1a1"], tree["A1b"]], membersPerBranch: 20, seed: 3, today: CivilDate(date: clock.now()))
            let rows = try await kit.database.read { db in
                try await db.raw("SELECT organisation_id, kind, held_on, should_attend, present FROM meetings").all().map {
                    (
                        try $0.decode(column: "organisation_id", as: Int64.self), try $0.decode(column: "kind", as: String.self),
                        try $0.decode(column: "held_on", as: String.self), try $0.decode(column: "present", as: Int.self)
                    )
                }
            }
            #expect(Set(rows.map(\.0)) == [tree["A1a1"], tree["A1b"]])
            #expect(rows.allSatisfy { $0.2 >= "2025-01-01" && $0.2 < "2026-11-22" && $0.3 <= 20 })
            #expect(rows.filter { $0.1 == "general_meeting" }.allSatisfy { ["02", "05", "08", "11"].contains($0.2.dropFirst(5).prefix(2)) })
            #expect(rows.filter { $0.1 == "life_meeting" }.allSatisfy { $0.2.dropFirst(5).hasPrefix("12") })
            // 23 months × 2 + 8 quarters × 2 (the last partly ahead) + 3 in December: held 75–100 % of the time.
            let perBranch = Dictionary(grouping: rows, by: \.0).mapValues(\.count)
            #expect(perBranch.values.allSatisfy { (35...65).contains($0) }, "\(perBranch)")
        }
    }

    @Test(
        "generated dues and attendance: nine in ten paid every finished quarter and this quarter's months; the accounts balance",
        arguments: TestBackend.enabled)
    func generatedDues(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            var ids: [Int64] = []
            for i in 0..<20 {
                ids.append(
                    try await kit.store.members.create(
                        MemberFixtures.draft(name: "合成\(i)", born: "1980-01-01", sequence: 700 + i), organisationID: tree["A1a1"],
                        access: .maintenance,
                        actor: .console("t")
                    ).id)
            }
            let generator = TierGenerator(store: kit.store)
            let today = CivilDate(date: clock.now())
            try await generator.generateMeetings(branches: [tree["A1a1"]], membersPerBranch: 20, seed: 3, today: today)
            let root = try #require(try await kit.organisations.find(tree["A"], access: .maintenance))
            try await generator.generateDues(root: root, today: today)
            let counts = try await kit.database.read { db in
                (
                    try await db.raw("SELECT COUNT(*) AS n FROM dues_bases").first()?.value("n", Int.self),
                    try await db.raw("SELECT COUNT(*) AS n FROM dues_payments").first()?.value("n", Int.self),
                    try await db.raw("SELECT COUNT(*) AS n FROM dues_settlements").first()?.value("n", Int.self),
                    try await db.raw("SELECT CAST(SUM(amount_fen) AS BIGINT) AS n FROM dues_payments").first()?.value("n", Int64.self),
                    try await db.raw("SELECT COUNT(*) AS n FROM meeting_attendance").first()?.value("n", Int.self),
                    try await db.raw(
                        "SELECT COUNT(*) AS n FROM meetings WHERE kind = \(bind: MeetingKind.themeDay.rawValue) AND held_on >= \(bind: "2026-01-01")"
                    ).first()?.value("n", Int.self)
                )
            }
            // 18 payers × (Q1, Q2, Q3 quarterly + October) = 72 entries settling 10 months each.
            #expect(counts.0 == 20 && counts.1 == 72 && counts.2 == 180)
            #expect(counts.4 == (counts.5 ?? 0) * 20)
            // What the pages read agrees: a payer is paid up to October, the first member (no payments) is in arrears,
            // and the county's account splits every fen.
            let payer = try await kit.store.dues.payments(memberID: ids[1], access: .maintenance)
            #expect(DuesCollection.paidUpTo(payer.settled) == DuesMonth(year: 2026, month: 10))
            #expect(try await kit.store.dues.arrears(memberID: ids[0], access: .maintenance).level == .lapseReview)
            let statement = try await kit.store.dues.accountStatement(organisationID: tree["A"], year: CalendarYear(2026)!, access: .maintenance)
            #expect(statement.balances && statement.subtreeCollected == counts.3)
        }
    }
}
