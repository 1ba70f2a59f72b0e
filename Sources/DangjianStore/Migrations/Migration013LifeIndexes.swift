/// 013: covering indexes for the compliance roll-up at city scale (docs/performance.md): full members per
/// organisation without reading member rows, and activities by organisation and date with their kind.
enum Migration013LifeIndexes {
    static let migration = Migration(version: 13, name: "life_indexes") { _ in
        [
            "CREATE INDEX members_org_party ON members(organisation_id, party_status, membership_state, deleted_at)",
            "CREATE INDEX meetings_org_held_kind ON meetings(organisation_id, held_on, kind)",
        ]
    }
}
