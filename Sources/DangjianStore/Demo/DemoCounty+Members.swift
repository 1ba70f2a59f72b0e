import Foundation
import DangjianDomain

extension DemoCounty {
    /// Adds a plausible roster to every branch (党支部, 联合党支部; not 临时党支部, LIFE-12): 6–30 members each, deterministic.
    func seedMembers(_ orgs: [Organisation]) async throws {
        guard let members else { return }
        var people = SyntheticPeople(seed: 2026)
        let today = CivilDate(date: organisations.clock.now())
        for org in orgs.sorted(by: { $0.id < $1.id }) where [.branch, .jointBranch].contains(org.type) {
            let size = people.int(6...30)
            var added = 0
            while added < size {
                let draft = people.draft(today: today, category: org.name.contains("离退休") ? .retired : nil)
                do {
                    _ = try await members.create(draft, organisationID: org.id, access: .maintenance, actor: actor)
                    added += 1
                } catch is ValidationFailure {
                    continue  // a rare duplicate ID number: draw another person
                }
            }
        }
    }
}

extension DemoCounty.DemoPart {
    /// 名册：每个组织的党员（新建组织树时）.
    public static let members = DemoCounty.DemoPart("members") { county, context in
        guard context.freshTree else { return }
        try await county.seedMembers(Array(context.byShort.values))
    }
}
