import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Terms and the 换届 ledger")
struct TermRepositoryTests {
    @Test(
        "an election starts a term of the right length; only the higher organisation approves a postponement; the ledger lists what is due",
        arguments: TestBackend.enabled)
    func flow(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            let terms = kit.store.terms
            let actor = Actor(userID: nil, name: "t", ip: "127.0.0.1", requestID: "r")
            let candidates = [
                ElectionCheck.Candidate(name: "甲", votes: 15), .init(name: "乙", votes: 14), .init(name: "丙", votes: 12), .init(name: "丁", votes: 5),
            ]
            let posts: [(name: String, post: LeaderPost)] = [("甲", .secretary), ("乙", .organisation), ("丙", .propaganda)]
            let term = try await terms.recordElection(
                organisationID: tree["A1a1"], heldOn: CivilDate(year: 2023, month: 12, day: 20)!, seats: 3,
                eligible: 20, present: 18, candidates: candidates, posts: posts, access: .maintenance, actor: actor)
            #expect(term.endDate.description == "2026-12-20" && term.leaders.count == 3)
            #expect(term.status(on: CivilDate(date: clock.now())).ruleID == "ORG-T3")
            await #expect(throws: ValidationFailure.self) {
                try await terms.recordElection(
                    organisationID: tree["A1a2"], heldOn: CivilDate(year: 2024, month: 1, day: 1)!, seats: 3, eligible: 20, present: 18,
                    candidates: candidates, posts: [("丁", .secretary)], access: .maintenance, actor: actor)
            }
            // Postponement: the branch's own access is not enough; its parent's is.
            let a1a1 = try #require(try await kit.organisations.find(tree["A1a1"], access: .maintenance))
            let own = OrganisationAccess(
                permission: .organisationsWrite, reaches: [OrganisationReach(organisationID: a1a1.id, path: a1a1.path, scope: .subtree)])
            await #expect(throws: AccessDenied.self) {
                try await terms.approvePostponement(
                    termID: term.id, until: CivilDate(year: 2027, month: 6, day: 1)!, approval: "批复", higherAccess: own, actor: actor)
            }
            await #expect(throws: ValidationFailure.self) {
                try await terms.approvePostponement(
                    termID: term.id, until: CivilDate(year: 2028, month: 1, day: 1)!, approval: "批复", higherAccess: .maintenance, actor: actor)
            }
            let postponed = try await terms.approvePostponement(
                termID: term.id, until: CivilDate(year: 2027, month: 6, day: 1)!, approval: "甲组〔2026〕5号", higherAccess: .maintenance, actor: actor)
            #expect(postponed.postponedUntil?.description == "2027-06-01")
            let ledger = try await terms.ledger(anchorID: tree["A1"], scope: .subtree, months: 6, access: .maintenance)
            let names = Dictionary(uniqueKeysWithValues: ledger.map { ($0.organisation.name, $0.status?.ruleID ?? "none") })
            #expect(names["甲财政局一支部"] == "ORG-T3")
            #expect(names["甲财政局二支部"] == "none" && names["甲县直机关工委"] == "none")
            #expect(names["一支部第一党小组"] == nil, "party groups have no term")
        }
    }
}
