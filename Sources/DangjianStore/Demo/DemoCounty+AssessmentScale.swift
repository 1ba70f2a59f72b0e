import Foundation
import SQLKit
import DangjianDomain

extension DemoCounty {
    /// Issue 19's benchmark at the city's scale (`dangjian demo --assessment-scale`, after `--tier`): under the
    /// generated tree's root a 30-indicator scheme (27 scored on site, 3 automatic), a round over the root's first
    /// `units` organisations by depth (for the city: its 250 committees and 250 general branches, whose subtrees
    /// cover all 5,000 organisations), `assessors` assessor accounts (`scale_assessor_N`, no office role, printed
    /// with their passwords) each assigned to every unit, and every sheet submitted — so the results page aggregates
    /// and ranks units × indicators × assessors. Returns the round and the accounts; nil without a generated tree.
    public func seedAssessmentScale(units count: Int = 500, assessors: Int = 5) async throws -> (roundID: Int64, accounts: [Account])? {
        let database = organisations.database
        guard
            let rootRow = try await database.read({ db in
                try await db.raw("SELECT id FROM organisations WHERE parent_id IS NULL AND name LIKE '规模测试%' ORDER BY id DESC LIMIT 1").first()
            }),
            let root = try await organisations.find(try rootRow.value("id", Int64.self), access: .maintenance)
        else { return nil }
        let unitIDs = try await database.read { db in
            try await db.raw(
                """
                SELECT id FROM organisations WHERE path > \(bind: root.path.value) AND path < \(bind: root.path.upperBound) AND dissolved_at IS NULL
                ORDER BY depth, id LIMIT \(unsafeRaw: String(max(1, min(count, 10_000))))
                """
            ).all().map { try $0.value("id", Int64.self) }
        }
        var made: [Account] = []
        var ids: [Int64] = []
        for n in 1...max(1, min(assessors, 20)) {
            let account = try await account(username: "scale_assessor_\(n)", displayName: "规模测试评审员\(n)", role: .member, organisation: root)
            made.append(account)
            if let user = try await accounts.find(username: account.username) { ids.append(user.id) }
        }
        let today = CivilDate(date: organisations.clock.now())
        let repo = store.assessment
        let version = try await repo.saveScheme(
            Self.scaleScheme, sourceNote: "规模测试", organisationID: root.id, schemeID: nil, access: .maintenance, actor: actor)
        let round = try await repo.openRound(
            AssessmentRoundDraft(
                organiserID: root.id, year: today.year, name: "规模测试考评\(today.year)", schemeVersionID: version.id,
                timetable: AssessmentTimetable(
                    dataCutoff: today.adding(days: -16), selfOpens: today.adding(days: -30), selfCloses: today.adding(days: -16),
                    siteOpens: today.adding(days: -15), siteCloses: today.adding(days: 15), approveBy: today.adding(days: 25)),
                unitIDs: unitIDs), access: .maintenance, actor: actor)
        try await repo.setPanel(roundID: round.id, members: ids.map { ($0, PanelDuty.assessor) }, access: .maintenance, actor: actor)
        try await repo.assign(roundID: round.id, unitIDs: unitIDs, userIDs: ids, access: .maintenance, actor: actor)
        let indicators = Self.scaleScheme.sheetIndicators(category: nil)
        for (u, unitID) in unitIDs.enumerated() {
            for (a, userID) in ids.enumerated() {
                let entries = indicators.enumerated().map { i, indicator in
                    let off = Int64((u * 7 + a * 3 + i) % 4) * 50
                    return SheetEntry(code: indicator.code, text: max(indicator.maxPoints - Score(hundredths: off), .zero).plain)
                }
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: unitID, stage: .site, entries: entries, submit: true, expectedVersion: nil, userID: userID,
                    unitAccess: .maintenance, actor: actor)
            }
        }
        return (round.id, made)
    }

    /// 30 indicators: three site aspects of nine (30, 30 and 25 points) and three automatic ones (15).
    static let scaleScheme: IndicatorScheme = {
        let step = Score(hundredths: 50)
        func aspect(_ n: Int, _ points: [Int64]) -> Aspect {
            let indicators = points.enumerated().map { i, hundredths in
                Indicator(code: "\(n).\(i + 1)", name: "规模指标\(n)-\(i + 1)", maxPoints: Score(hundredths: hundredths), method: .manual(step: step))
            }
            return Aspect(code: "\(n)", name: "方面\(n)", maxPoints: indicators.map(\.maxPoints).total(), indicators: indicators)
        }
        let wide: [Int64] = Array(repeating: 350, count: 6) + Array(repeating: 300, count: 3)
        let narrow: [Int64] = Array(repeating: 300, count: 7) + Array(repeating: 200, count: 2)
        let auto = Aspect(
            code: "4", name: "日常工作", maxPoints: Score(points: 15),
            indicators: [
                Indicator(code: "4.1", name: "组织生活落实率", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .organisationalLife),
                Indicator(code: "4.2", name: "责任清单星级", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .dutyStars),
                Indicator(code: "4.3", name: "问题按期整改率", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .rectificationOnTime),
            ])
        return IndicatorScheme(
            name: "规模测试考评细则", aspects: [aspect(1, wide), aspect(2, wide), aspect(3, narrow), auto],
            deductionItems: [AdjustmentItem(code: "D1", name: "连续三年未发展党员", maxPoints: Score(points: 2), isAdmissionDrought: true)])
    }()
}
