/// 009: a covering index for counting a subtree's roster (organisation, state, deletion) without reading rows —
/// the total on a city-wide member list (bench/, docs/performance.md).
enum Migration009RosterIndexes {
    static let migration = Migration(version: 9, name: "roster_indexes") { _ in
        ["CREATE INDEX members_org_state ON members(organisation_id, membership_state, deleted_at)"]
    }
}
