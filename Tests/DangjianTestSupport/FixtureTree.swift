public import DangjianDomain
public import DangjianStore

/// The authorization fixture: two counties and actors of every role, so every record has a known position
/// relative to each actor (own organisation, child, parent, sibling, another county).
///
/// ```
/// 甲县委 (A, 党委)                      乙县委 (B, 党委)
/// ├─ 甲县直机关工委 (A1, 党工委)         └─ 乙县某支部 (B1, 党支部)
/// │  ├─ 甲财政局党总支 (A1a, 党总支)
/// │  │  ├─ 甲财政局一支部 (A1a1, 党支部)
/// │  │  │  └─ 一支部第一党小组 (A1a1g, 党小组)
/// │  │  └─ 甲财政局二支部 (A1a2, 党支部)
/// │  └─ 甲教育局支部 (A1b, 党支部)
/// └─ 甲城关镇党委 (A2, 党委)
///    └─ 东街村支部 (A21, 党支部)
/// ```
public struct FixtureTree: Sendable {
    public var ids: [String: Int64] = [:]

    public subscript(_ key: String) -> Int64 { ids[key]! }

    /// Creates the tree.
    public static func create(_ organisations: OrganisationRepository) async throws -> FixtureTree {
        var tree = FixtureTree()
        let actor = Actor.console("fixture")
        func add(_ key: String, _ type: OrganisationType, _ name: String, _ parent: String?) async throws {
            let org = try await organisations.create(
                type: type, name: name, shortName: nil, parentID: parent.map { tree[$0] }, access: .maintenance, actor: actor)
            tree.ids[key] = org.id
        }
        try await add("A", .partyCommittee, "甲县委", nil)
        try await add("A1", .workingCommittee, "甲县直机关工委", "A")
        try await add("A1a", .generalBranch, "甲财政局党总支", "A1")
        try await add("A1a1", .branch, "甲财政局一支部", "A1a")
        try await add("A1a1g", .partyGroup, "一支部第一党小组", "A1a1")
        try await add("A1a2", .branch, "甲财政局二支部", "A1a")
        try await add("A1b", .branch, "甲教育局支部", "A1")
        try await add("A2", .partyCommittee, "甲城关镇党委", "A")
        try await add("A21", .branch, "东街村支部", "A2")
        try await add("B", .partyCommittee, "乙县委", nil)
        try await add("B1", .branch, "乙县某支部", "B")
        return tree
    }
}
