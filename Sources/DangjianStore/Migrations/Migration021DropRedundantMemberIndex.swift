/// 021: drops `members_organisation(organisation_id)`: `members_org_state` (009) and `members_org_party` (013) begin
/// with the same column, so every lookup by organisation (lists, counts, foreign-key checks) is served by them, and
/// each member written no longer updates one index more (a 100,000-row import, docs/performance.md).
enum Migration021DropRedundantMemberIndex {
    static let migration = Migration(version: 21, name: "drop_redundant_member_index") { _ in
        ["DROP INDEX members_organisation"]
    }
}
