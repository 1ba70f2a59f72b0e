import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Issue 17, items 1–2: one ledger (duty items fulfilled by meeting records) and one set of states, the same on the
/// board, the heat-map, the roll-up, the report and the duty list.
@Suite("One ledger, one set of states, on both databases")
struct StandingStoreTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test(
        "a recorded 2026-09-25 支部党员大会 fulfils the duty list's Q3 item; board, roll-up, heat-map, duty list and report agree",
        arguments: TestBackend.enabled)
    func oneLedgerOneState(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_547_200))  // 2025-12-01: the tree is set up
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            clock.advance(seconds: 313 * 86_400)  // 2026-10-10
            #expect(CivilDate(date: clock.now()).description == "2026-10-10")
            let actor = Actor.console("t")
            let template = try await kit.store.duties.createTemplate(
                name: "党支部书记抓党建履职清单", post: "党支部书记", appliesTo: [.branch],
                items: "每季度 召开一次支部党员大会\n每年 签订一份党建目标责任书", organisationID: tree["A1"], access: .maintenance, actor: actor)
            _ = try await kit.store.duties.instantiate(templateID: template, year: 2026, access: .maintenance, actor: actor)
            func hold(_ kind: MeetingKind, _ date: String, _ key: String) async throws {
                var d = MeetingDraft(kind: kind, heldOn: day(date))
                d.topic = "\(kind.displayName) \(date)"
                d.lecturer = kind == .partyLecture ? "支部书记" : ""
                _ = try await kit.store.meetings.record(d, organisationID: tree[key], access: .maintenance, actor: actor)
            }
            // A1a1 keeps every month to September; A21 (no duty list) misses September's theme day; A1b holds nothing.
            for key in ["A1a1", "A21"] {
                for m in 1...9 where !(key == "A21" && m == 9) { try await hold(.themeDay, "2026-0\(m)-12", key) }
                for m in [3, 6] { try await hold(.generalMeeting, "2026-0\(m)-20", key); try await hold(.partyLecture, "2026-0\(m)-21", key) }
                try await hold(.partyLecture, "2026-09-21", key)
            }
            try await hold(.generalMeeting, "2026-09-25", "A1a1")
            try await hold(.generalMeeting, "2026-09-25", "A21")
            try await hold(.themeDay, "2026-10-08", "A1a1")

            // One ledger: the duty item is met by the meeting record; nothing says Q3 is undone.
            let lists = try await kit.store.duties.lists(anchorID: tree["A"], scope: .subtree, year: 2026, access: .maintenance)
            let a1a1 = try #require(lists.first { $0.organisationID == tree["A1a1"] })
            let q3 = try #require(a1a1.standing.periods.first { $0.item.fedBy == .generalMeeting && $0.period.description == "2026年第3季度" })
            #expect(q3.state == .met && q3.done == 1)
            #expect(!a1a1.standing.warnings.contains { $0.contains("第3季度") }, "\(a1a1.standing.warnings)")

            // One set of states: the tile, the roll-up and the duty list give the same state and stars.
            let board = try await kit.store.compliance.board(anchorID: tree["A"], scope: .subtree, access: .maintenance)
            let rollUp = try await kit.store.compliance.rollUp(anchorID: tree["A"], scope: .subtree, access: .maintenance)
            for tile in board {
                let line = try #require(rollUp.organisations.first { $0.organisation.id == tile.organisation.id })
                #expect(line.worst == tile.worst, "\(tile.organisation.name)")
                #expect(tile.months.allSatisfy { $0.star == ($0.month < 10 && $0.state == .met) })
                if let list = lists.first(where: { $0.organisationID == tile.organisation.id }) {
                    #expect(list.months == tile.months && list.stars == tile.stars, "one star count for \(tile.organisation.name)")
                }
                let year = try await kit.store.compliance.year(
                    CalendarYear(unchecked: 2026), organisationID: tile.organisation.id, access: .maintenance)
                #expect(year.months.prefix(10).compactMap(\.standing) == tile.months, "the heat-map's months are the tile's")
            }
            let a1a1Tile = try #require(board.first { $0.organisation.id == tree["A1a1"] })
            #expect(a1a1Tile.stars == 9 && a1a1Tile.worst == .pending, "\(a1a1Tile.months)")
            #expect(try #require(board.first { $0.organisation.id == tree["A1b"] }).worst == .overdue)
            // The roll-up names the missed duty item with its rule, beside the life requirements (one state).
            let a1b = try #require(rollUp.organisations.first { $0.organisation.id == tree["A1b"] })
            #expect(a1b.problems.contains("2026年第3季度责任清单“召开一次支部党员大会”未完成（LIST-09）"), "\(a1b.problems)")
            // The yearly items are not in January … November: they fall due in December.
            let a1a1Year = try await kit.store.compliance.year(CalendarYear(unchecked: 2026), organisationID: tree["A1a1"], access: .maintenance)
            #expect(a1a1Year.months.prefix(10).allSatisfy { m in m.findings.allSatisfy { $0.period.length != .year } })
            #expect(a1a1Year.yearly.map(\.requirement.ruleID).sorted() == ["LIFE-07", "LIFE-08", "LIFE-09"])
            #expect(a1a1Year.yearlyDuties.map(\.item.title) == ["签订一份党建目标责任书"])

            // The roll-up's red organisations without duty lists are those the September report found overdue.
            let september = try await kit.store.compliance.report(
                anchorID: tree["A"], scope: .subtree, access: .maintenance, period: try #require(CompliancePeriod(.month, year: 2026, number: 9)))
            let withLists = Set(lists.map(\.organisationID))
            let reportRed = Set(september.lines.filter { $0.state == .overdue }.map(\.organisation.id)).subtracting(withLists)
            let rollUpRed = Set(rollUp.organisations.filter { $0.worst == .overdue }.map(\.organisation.id)).subtracting(withLists)
            #expect(reportRed == rollUpRed && reportRed.contains(tree["A21"]), "report \(reportRed), roll-up \(rollUpRed)")
            #expect(september.lines.first { $0.organisation.id == tree["A1a1"] }?.state == .met)
        }
    }
}
