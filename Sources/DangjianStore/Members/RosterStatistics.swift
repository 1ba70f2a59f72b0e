public import DangjianDomain
import SQLKit

/// The standard roster statistics of a subtree (党员队伍统计): counts by gender, ethnicity, education, age band,
/// 党龄 band, personnel category and party status, computed in SQL over the same filter as the list.
public struct RosterStatistics: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var label: String
        public var value: Int
    }

    public var total: Int
    public var gender: [Count]
    public var ethnicity: [Count]
    public var education: [Count]
    public var ageBands: [Count]
    public var standingBands: [Count]
    public var category: [Count]
    public var partyStatus: [Count]

    /// Age bands (years, inclusive).
    public static let ageBandLimits: [(String, Int, Int?)] = [
        ("30岁及以下", 0, 30), ("31—40岁", 31, 40), ("41—50岁", 41, 50), ("51—60岁", 51, 60), ("61—70岁", 61, 70), ("71岁及以上", 71, nil),
    ]
    /// 党龄 bands (years from the full-member date, DEV-32, inclusive).
    public static let standingBandLimits: [(String, Int, Int?)] = [
        ("5年以下", 0, 4), ("5—10年", 5, 10), ("11—20年", 11, 20), ("21—30年", 21, 30), ("31—40年", 31, 40), ("41—49年", 41, 49), ("50年及以上", 50, nil),
    ]
}

extension MemberRepository {
    /// Statistics for the members matching `query` (paging ignored).
    public func statistics(_ query: MemberQuery, access: OrganisationAccess) async throws -> RosterStatistics {
        let today = self.today
        return try await database.read { db in
            let filter = try await where_(query, access: access, db: db)
            let from: SQLQueryString = "FROM members m JOIN organisations o ON o.id = m.organisation_id WHERE \(filter)"
            func grouped(_ column: String) async throws -> [String: Int] {
                var result: [String: Int] = [:]
                for row in try await db.raw(
                    "SELECT COALESCE(\(unsafeRaw: column), '') AS k, COUNT(*) AS n " + from + " GROUP BY COALESCE(\(unsafeRaw: column), '')"
                ).all() {
                    result[try row.value("k")] = try row.value("n", Int.self)
                }
                return result
            }
            /// Counts per band of a date column: a band [lo, hi] in years ⇔ date in (today − (hi+1) years, today − lo years].
            func banded(_ column: String, _ limits: [(String, Int, Int?)]) async throws -> [RosterStatistics.Count] {
                var cases: [SQLQueryString] = []
                for (i, (_, lo, hi)) in limits.enumerated() {
                    var condition: SQLQueryString = "\(unsafeRaw: column) <= \(bind: today.adding(years: -lo).description)"
                    if let hi { condition = condition + " AND \(unsafeRaw: column) > \(bind: today.adding(years: -(hi + 1)).description)" }
                    cases.append("WHEN " + condition + " THEN \(literal: i)")
                }
                let expression: SQLQueryString = "CASE " + cases.joined(separator: " ") + " ELSE -1 END"
                var counts = Array(repeating: 0, count: limits.count)
                for row in try await db.raw(
                    "SELECT " + expression + " AS b, COUNT(*) AS n " + from + " AND \(unsafeRaw: column) IS NOT NULL GROUP BY " + expression
                ).all() {
                    let band: Int = try row.value("b")
                    if band >= 0 { counts[band] = try row.value("n", Int.self) }
                }
                return zip(limits, counts).map { RosterStatistics.Count(label: $0.0.0, value: $0.1) }
            }
            let total = try await db.raw("SELECT COUNT(*) AS n " + from).first()?.value("n", Int.self) ?? 0
            let gender = try await grouped("m.gender")
            let ethnicity = try await grouped("m.ethnicity")
            let education = try await grouped("m.education")
            let category = try await grouped("m.personnel_category")
            let status = try await grouped("m.party_status")
            let han = ethnicity["汉族"] ?? 0
            let unknownEthnicity = ethnicity[""] ?? 0
            return RosterStatistics(
                total: total,
                gender: Gender.allCases.map { .init(label: $0.displayName, value: gender[$0.rawValue] ?? 0) },
                ethnicity: [
                    .init(label: "汉族", value: han), .init(label: "少数民族", value: total - han - unknownEthnicity),
                    .init(label: "未填写", value: unknownEthnicity),
                ],
                education: Education.allCases.map { .init(label: $0.displayName, value: education[$0.rawValue] ?? 0) } + [
                    .init(label: "未填写", value: education[""] ?? 0)
                ],
                ageBands: try await banded("m.birth_date", RosterStatistics.ageBandLimits),
                standingBands: try await banded("m.full_member_date", RosterStatistics.standingBandLimits),
                category: PersonnelCategory.allCases.map { .init(label: $0.displayName, value: category[$0.rawValue] ?? 0) },
                partyStatus: PartyStatus.allCases.reversed().map { .init(label: $0.displayName, value: status[$0.rawValue] ?? 0) })
        }
    }
}
