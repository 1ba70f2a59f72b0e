public import DangjianDomain

/// The deployment sizes of architecture.md §1, for `dangjian demo --tier` and the benchmarks: deterministic
/// synthetic organisations and members (valid ID check characters, dates consistent with the rules).
public enum DemoTier: String, Sendable, CaseIterable {
    case county, city, province

    /// Approximate organisations and members.
    public var size: (organisations: Int, members: Int) {
        switch self {
        case .county: (500, 15_000)
        case .city: (5_000, 300_000)
        case .province: (100_000, 3_000_000)
        }
    }
}

/// Generates a tier under a new root: committees → general branches → branches, members spread over branches.
public struct TierGenerator: Sendable {
    let organisations: OrganisationRepository
    let members: MemberRepository
    let actor = Actor.console("demo --tier")

    public init(organisations: OrganisationRepository, members: MemberRepository) {
        self.organisations = organisations
        self.members = members
    }

    /// Builds the tier; `progress` is told how many members exist so far.
    public func generate(_ tier: DemoTier, seed: UInt64, rootName: String, progress: @Sendable (Int) -> Void = { _ in }) async throws -> (organisations: Int, members: Int, root: Organisation) {
        var people = SyntheticPeople(seed: seed)
        let today = CivilDate(date: organisations.clock.now())
        let (targetOrgs, targetMembers) = tier.size
        let root = try await organisations.create(type: .partyCommittee, name: rootName, shortName: nil, parentID: nil, access: .maintenance, actor: actor)
        // Shape: ~5% committees, ~15% general branches, the rest branches.
        let committees = max(1, targetOrgs / 20)
        let generals = max(1, targetOrgs * 15 / 100)
        var committeeIDs: [Int64] = []
        var created = 1
        for i in 0..<committees {
            let org = try await organisations.create(type: .partyCommittee, name: "\(rootName)第\(i + 1)党委", shortName: nil, parentID: root.id, access: .maintenance, actor: actor)
            committeeIDs.append(org.id)
            created += 1
        }
        var parents: [Int64] = []
        for i in 0..<generals {
            let org = try await organisations.create(type: .generalBranch, name: "\(rootName)第\(i + 1)党总支", shortName: nil,
                                                     parentID: committeeIDs[i % committeeIDs.count], access: .maintenance, actor: actor)
            parents.append(org.id)
            created += 1
        }
        var branches: [Int64] = []
        var i = 0
        while created < targetOrgs {
            let parent = i % 3 == 0 ? committeeIDs[i % committeeIDs.count] : parents[i % parents.count]
            let org = try await organisations.create(type: .branch, name: "\(rootName)第\(i + 1)党支部", shortName: nil, parentID: parent, access: .maintenance, actor: actor)
            branches.append(org.id)
            created += 1
            i += 1
        }
        var batch: [(profile: MemberProfile, organisationID: Int64)] = []
        var total = 0
        var seen = Set<String>()
        while total < targetMembers {
            let draft = people.draft(today: today)
            guard case .success(let profile) = draft.validate(today: today), seen.insert(profile.idNumber.value).inserted else { continue }
            batch.append((profile, branches[total % max(1, branches.count)]))
            total += 1
            if batch.count == 1_000 {
                try await members.insertSynthetic(batch, actor: actor)
                batch.removeAll(keepingCapacity: true)
                progress(total)
            }
        }
        try await members.insertSynthetic(batch, actor: actor)
        progress(total)
        return (created, total, root)
    }
}
