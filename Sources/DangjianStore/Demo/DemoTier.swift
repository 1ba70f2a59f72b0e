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
    let meetings: MeetingRepository
    let actor = Actor.console("demo --tier")

    public init(store: StoreServices) {
        organisations = store.organisations
        members = store.members
        meetings = store.meetings
    }

    /// Builds the tier; `progress` is told how many members exist so far.
    public func generate(
        _ tier: DemoTier, seed: UInt64, rootName: String, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> (organisations: Int, members: Int, root: Organisation) {
        var people = SyntheticPeople(seed: seed)
        let today = CivilDate(date: organisations.clock.now())
        let (targetOrgs, targetMembers) = tier.size
        // Established two years back, so that a full year of organisational life is judged.
        let established = CivilDate(year: today.year - 2, month: 1, day: 1) ?? .earliest
        let root = try await organisations.create(
            type: .partyCommittee, name: rootName, shortName: nil, parentID: nil, access: .maintenance,
            actor: actor, effectiveDate: established)
        // Shape: ~5% committees, ~15% general branches, the rest branches.
        let committees = max(1, targetOrgs / 20)
        let generals = max(1, targetOrgs * 15 / 100)
        var committeeIDs: [Int64] = []
        var created = 1
        for i in 0..<committees {
            let org = try await organisations.create(
                type: .partyCommittee, name: "\(rootName)第\(i + 1)党委", shortName: nil, parentID: root.id, access: .maintenance, actor: actor,
                effectiveDate: established)
            committeeIDs.append(org.id)
            created += 1
        }
        var parents: [Int64] = []
        for i in 0..<generals {
            let org = try await organisations.create(
                type: .generalBranch, name: "\(rootName)第\(i + 1)党总支", shortName: nil,
                parentID: committeeIDs[i % committeeIDs.count], access: .maintenance, actor: actor, effectiveDate: established)
            parents.append(org.id)
            created += 1
        }
        var branches: [Int64] = []
        var i = 0
        while created < targetOrgs {
            let parent = i % 3 == 0 ? committeeIDs[i % committeeIDs.count] : parents[i % parents.count]
            let org = try await organisations.create(
                type: .branch, name: "\(rootName)第\(i + 1)党支部", shortName: nil, parentID: parent, access: .maintenance, actor: actor,
                effectiveDate: established)
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
        try await generateMeetings(branches: branches, membersPerBranch: total / max(1, branches.count), seed: seed, today: today)
        try await generateDues(root: root, today: today)
        return (created, total, root)
    }

    /// Organisational life from January of last year to yesterday for every branch: each required activity held with
    /// a branch-specific probability (75–100 %), so that the roll-up shows green, yellow and red. Meeting rows only
    /// (attendance counts, no per-member lines); the compliance engine reads dates and kinds.
    func generateMeetings(branches: [Int64], membersPerBranch: Int, seed: UInt64, today: CivilDate) async throws {
        var random = SyntheticPeople(seed: seed &+ 7)
        let first = CivilDate(year: today.year - 1, month: 1, day: 1) ?? .earliest
        let meetings = meetings
        var batch: [SyntheticMeeting] = []
        for branch in branches {
            let reliability = random.int(75...100)
            func held() -> Bool { random.int(1...100) <= reliability }
            func day(_ year: Int, _ month: Int) -> CivilDate? {
                let d = CivilDate(year: year, month: month, day: random.int(1...28)) ?? .earliest
                return d < today ? d : nil
            }
            var month = CompliancePeriod(.month, containing: first)
            while month.start < today {
                let (y, m) = (month.start.year, month.start.month)
                var kinds: [MeetingKind] = [.themeDay, .committeeMeeting]
                if m % 3 == 2 { kinds += [.generalMeeting, .partyLecture] }
                if m == 12 { kinds += [.lifeMeeting, .democraticEvaluation, .heartTalk] }
                for kind in kinds where held() {
                    if let d = day(y, m) {
                        batch.append(
                            SyntheticMeeting(
                                organisationID: branch, kind: kind, heldOn: d, shouldAttend: membersPerBranch,
                                present: membersPerBranch * random.int(70...100) / 100))
                    }
                }
                month = CompliancePeriod(.month, containing: month.end.adding(days: 1))
            }
            if batch.count >= 5_000 {
                try await meetings.insertSynthetic(batch, actor: actor)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await meetings.insertSynthetic(batch, actor: actor)
    }
}
