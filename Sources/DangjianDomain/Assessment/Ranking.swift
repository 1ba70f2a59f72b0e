/// Ranking with ties (EVAL-09) and grades with quotas (EVAL-10, ASSESS-07).

/// What one object brings to a ranking.
public struct RankingEntry<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    /// The final score; compared on its 2-decimal value.
    public var score: Score
    /// 1) the score in the heaviest stage (higher first).
    public var heaviestStage: Score
    /// 2) the number of veto and deduction items (fewer first).
    public var penaltyCount: Int
    /// 3) the median sheet (higher first).
    public var medianSheet: Score

    public init(id: ID, score: Score, heaviestStage: Score, penaltyCount: Int, medianSheet: Score) {
        self.id = id
        self.score = score
        self.heaviestStage = heaviestStage
        self.penaltyCount = penaltyCount
        self.medianSheet = medianSheet
    }

    fileprivate var key: (Int64, Int64, Int, Int64) {
        (score.hundredths, heaviestStage.hundredths, -penaltyCount, medianSheet.hundredths)
    }
}

public struct RankedEntry<ID: Hashable & Sendable>: Sendable {
    public var entry: RankingEntry<ID>
    /// 1-based; shared by entries still tied after the tie-breaks (1, 2, 2, 4).
    public var rank: Int
    /// Whether another entry shares the rank.
    public var isTied: Bool
    /// Which tie-break decided against the entry above, if any ("同分比较实地考评得分" …).
    public var decidedBy: TieBreak?
}

public enum TieBreak: String, Sendable {
    case heaviestStage
    case penalties
    case median

    public var displayName: String {
        switch self {
        case .heaviestStage: "同分，比较权重最大阶段得分"
        case .penalties: "同分，比较否决和扣分项数量"
        case .median: "同分，比较评分表中位数"
        }
    }
}

public enum Ranking {
    /// EVAL-09: sort on the 2-decimal score, then the tie-breaks; entries equal on all share a rank. Ties that no
    /// tie-break separates keep their input order (stable), so the page is the same on every load.
    public static func rank<ID>(_ entries: [RankingEntry<ID>]) -> [RankedEntry<ID>] {
        let sorted = entries.enumerated().sorted { a, b in
            let (ka, kb) = (a.element.key, b.element.key)
            if ka != kb { return ka > kb }
            return a.offset < b.offset
        }.map(\.element)
        var result: [RankedEntry<ID>] = []
        for (index, entry) in sorted.enumerated() {
            var rank = index + 1
            var decidedBy: TieBreak?
            if index > 0 {
                let above = sorted[index - 1]
                if above.key == entry.key {
                    rank = result[index - 1].rank
                    result[index - 1].isTied = true
                } else if above.score.hundredths == entry.score.hundredths {
                    if above.heaviestStage.hundredths != entry.heaviestStage.hundredths {
                        decidedBy = .heaviestStage
                    } else if above.penaltyCount != entry.penaltyCount {
                        decidedBy = .penalties
                    } else {
                        decidedBy = .median
                    }
                }
            }
            result.append(RankedEntry(entry: entry, rank: rank, isTied: index > 0 && rank == result[index - 1].rank, decidedBy: decidedBy))
        }
        return result
    }

    /// EVAL-09: whether a cut after `places` (finalists, prizes, stars, a grade's quota) falls inside a tie — the
    /// panel then re-votes only among the tied. Returns the tied entries' ids, empty when the cut is clean.
    public static func tieAtCut<ID>(_ ranked: [RankedEntry<ID>], places: Int) -> [ID] {
        guard places > 0, places < ranked.count else { return [] }
        let last = ranked[places - 1].rank
        guard ranked[places].rank == last else { return [] }
        return ranked.filter { $0.rank == last }.map(\.entry.id)
    }
}

/// A grade band: its name and inclusive lower bound (EVAL-10).
public struct GradeBand: Sendable, Hashable, Codable {
    public var name: String
    public var lowerBound: Score
    /// Optional quota as whole percent of N (`max = floor(N × pct)`), filled by rank; nil = none.
    public var quotaPercent: Int?
    public init(name: String, lowerBound: Score, quotaPercent: Int? = nil) {
        self.name = name
        self.lowerBound = lowerBound
        self.quotaPercent = quotaPercent
    }
}

public struct GradeScale: Sendable, Hashable, Codable {
    /// Highest first; the last band's lower bound is usually 0.
    public var bands: [GradeBand]
    /// 达标 = at least this and no veto (ASSESS-07, def. 80).
    public var passMark: Score

    public init(bands: [GradeBand], passMark: Score) {
        self.bands = bands.sorted { $0.lowerBound > $1.lowerBound }
        self.passMark = passMark
    }

    /// ASSESS-07 defaults: 优秀 ≥ 90, 良好 80–89.99, 一般 60–79.99, 较差 < 60; 达标 ≥ 80.
    public static let assessmentDefault = GradeScale(
        bands: [
            GradeBand(name: "优秀", lowerBound: Score(points: 90)), GradeBand(name: "良好", lowerBound: Score(points: 80)),
            GradeBand(name: "一般", lowerBound: Score(points: 60)), GradeBand(name: "较差", lowerBound: .zero),
        ], passMark: Score(points: 80))

    /// REVIEW-06 bands: 好 ≥ 90, 较好 80–89.99, 一般 60–79.99, 差 < 60.
    public static let reviewDefault = GradeScale(
        bands: [
            GradeBand(name: "好", lowerBound: Score(points: 90)), GradeBand(name: "较好", lowerBound: Score(points: 80)),
            GradeBand(name: "一般", lowerBound: Score(points: 60)), GradeBand(name: "差", lowerBound: .zero),
        ], passMark: Score(points: 80))

    /// The band of the 2-decimal score; a veto gives the lowest band (EVAL-10).
    public func grade(_ score: Score, vetoed: Bool = false) -> String {
        let lowest = bands.last?.name ?? ""
        if vetoed { return lowest }
        let shown = score.rounded
        return bands.first { shown >= $0.lowerBound }?.name ?? lowest
    }

    /// 达标 (ASSESS-07).
    public func passes(_ score: Score, vetoed: Bool) -> Bool { !vetoed && score.rounded >= passMark }

    /// EVAL-10 with quotas: each entry (in rank order) gets its band; when a band's quota `floor(N × pct)` is full the
    /// entry drops one band (and on, if that is full too). A veto gives the lowest band and takes no quota place.
    public func grades<ID>(_ ranked: [RankedEntry<ID>], vetoed: Set<ID>) -> [ID: String] {
        let n = ranked.count
        var used: [String: Int] = [:]
        var result: [ID: String] = [:]
        for item in ranked {
            let id = item.entry.id
            if vetoed.contains(id) {
                result[id] = bands.last?.name ?? ""
                continue
            }
            let shown = item.entry.score.rounded
            var index = bands.firstIndex { shown >= $0.lowerBound } ?? max(bands.count - 1, 0)
            while index < bands.count - 1, let pct = bands[index].quotaPercent, used[bands[index].name, default: 0] >= n * pct / 100 {
                index += 1
            }
            guard index < bands.count else { continue }
            used[bands[index].name, default: 0] += 1
            result[id] = bands[index].name
        }
        return result
    }

    /// "优秀≥90；良好≥80；一般≥60；较差≥0".
    public var summary: String { bands.map { "\($0.name)≥\($0.lowerBound.plain)" }.joined(separator: "；") }
}
