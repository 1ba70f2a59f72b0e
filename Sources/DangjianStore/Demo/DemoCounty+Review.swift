import Foundation
import DangjianDomain

extension DemoCounty {
    /// 述职评议 for the county's organs (once): the 工委's annual round over its units' secretaries, held today, with
    /// one written report, the first reporter's report, comment and paper tally in and their ballot closed — so the
    /// round page shows every state a committee meets on the day.
    func seedReview(_ byShort: [String: Organisation]) async throws {
        let database = organisations.database, clock = organisations.clock
        guard
            try await database.read({ db in try await db.raw("SELECT COUNT(*) AS n FROM review_rounds").first()?.value("n", Int.self) ?? 0 }) == 0,
            let committee = byShort["县直机关工委"]
        else { return }
        let today = CivilDate(date: clock.now())
        let repo = store.review
        // The units' current terms (the demo county has none yet): a secretary elected two years ago from the
        // unit's own members, so each reporter is a named secretary.
        let units = try await database.read { db in
            try await db.raw("SELECT * FROM organisations WHERE parent_id = \(bind: committee.id) AND dissolved_at IS NULL ORDER BY sort_order, id")
                .all()
                .map(OrganisationRepository.decode)
        }
        for unit in units {
            let names = try await database.read { db in
                try await db.raw(
                    """
                    SELECT m.name FROM members m JOIN organisations o ON o.id = m.organisation_id
                    WHERE o.path >= \(bind: unit.path.value) AND o.path < \(bind: unit.path.upperBound)
                      AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) AND m.party_status = \(bind: PartyStatus.full.rawValue)
                    ORDER BY m.id LIMIT 12
                    """
                ).all().map { try $0.value("name", String.self) }
            }
            var distinct: [String] = []
            for name in names where !distinct.contains(name) && distinct.count < 2 { distinct.append(name) }
            guard distinct.count == 2 else { continue }
            _ = try? await store.terms.recordElection(
                organisationID: unit.id, heldOn: today.adding(years: -2), seats: 1, eligible: max(names.count, 2), present: max(names.count, 2),
                candidates: [.init(name: distinct[0], votes: max(names.count, 2)), .init(name: distinct[1], votes: 0)],
                posts: [(distinct[0], .secretary)], access: .maintenance, actor: actor)
        }
        let id = try await repo.openRound(
            ReviewRoundDraft(organiserID: committee.id, year: today.year, name: "\(today.year)年度书记抓基层党建工作述职评议", heldOn: today),
            access: .maintenance, actor: actor)
        let reporters = try await repo.round(id, access: .maintenance).1
        guard let first = reporters.first else { return }
        if let last = reporters.last, last.id != first.id {
            try await repo.setMode(reporterID: last.id, mode: .written, access: .maintenance, actor: actor)
        }
        if let report = try EvidenceFile(fileName: "述职报告.pdf", data: Data("%PDF-1.4\n% 述职报告（演示）\n".utf8)) {
            try await repo.uploadReport(
                reporterID: first.id, file: report, covered: Set(ReviewContentChecklist.standard.items), access: .maintenance,
                unitAccess: .maintenance,
                actor: actor)
        }
        try await repo.comment(
            reporterID: first.id, text: "履行第一责任人职责到位，“三会一课”规范；党员教育管理方式较单一，下一步要创新载体。", access: .maintenance, actor: actor)
        try await repo.recordPaperTally(
            reporterID: first.id, tally: BallotTally(counts: [28, 9, 3, 0]), attendees: 40, access: .maintenance, actor: actor)
        try await repo.closeBallot(reporterID: first.id, access: .maintenance, actor: actor)
    }
}

extension DemoCounty.DemoPart {
    public static let review = DemoCounty.DemoPart("review") { county, context in
        try await county.seedReview(context.byShort)
    }
}
