import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

/// Units, 升格/降格, 合并, by-elections, the floating-member register and rule-book versions, on both databases.
@Suite("Organisation changes, units, by-elections, floating certificates, rule versions")
struct OrganisationChangeTests {
    let actor = Actor(userID: nil, name: "t", ip: "127.0.0.1", requestID: "r")
    static let today = Date(timeIntervalSince1970: 1_795_305_600)  // 2026-11-22

    func members(_ kit: StoreKit) -> MemberRepository {
        kit.store.members
    }

    func auditCount(_ kit: StoreKit, objectType: String) async throws -> Int {
        try await kit.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object_type = \(bind: objectType)").first()?.value("n", Int.self) ?? 0
        }
    }

    @Test("ORG-T1: a branch covering a village serves 5 years; units validate the configured assessment category", arguments: TestBackend.enabled)
    func unitsAndVillageTerms(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Self.today))
            let tree = try await FixtureTree.create(kit.organisations)
            let units = kit.store.units
            let village = try await units.create(
                organisationID: tree["A21"], name: "东街村", category: "村", assessmentCategory: "社会服务", access: .maintenance, actor: actor)
            #expect(village.category == .village && village.assessmentCategory == "社会服务")
            await #expect(throws: ValidationProblems.self) {
                try await units.create(
                    organisationID: tree["A1a1"], name: "财政局", category: "机关", assessmentCategory: "不存在的类别", access: .maintenance, actor: actor)
            }
            await #expect(throws: ValidationFailure.self) {
                try await units.create(
                    organisationID: tree["A21"], name: "东街村", category: "村", assessmentCategory: "", access: .maintenance, actor: actor)
            }
            _ = try await units.create(
                organisationID: tree["A1a1"], name: "甲县财政局", category: "机关", assessmentCategory: "经济发展", access: .maintenance, actor: actor)
            let all = try await units.list(anchorID: tree["A"], scope: .subtree, access: .maintenance)
            #expect(all.count == 2)
            #expect(try await units.list(anchorID: tree["A"], scope: .subtree, access: .maintenance, category: .village).map(\.name) == ["东街村"])
            #expect(
                try await units.list(anchorID: tree["A"], scope: .subtree, access: .maintenance, assessmentCategory: "经济发展").map(\.name) == ["甲县财政局"])
            // Out of scope: a reach on A1 does not see A2's village.
            let a1 = try #require(try await kit.organisations.find(tree["A1"], access: .maintenance))
            let a1Access = OrganisationAccess(
                permission: .organisationsRead, reaches: [OrganisationReach(organisationID: a1.id, path: a1.path, scope: .subtree)])
            #expect(try await units.list(anchorID: tree["A1"], scope: .subtree, access: a1Access).map(\.name) == ["甲县财政局"])
            let edited = try await units.update(
                village.id, organisationID: tree["A21"], name: "东街社区", category: "社区", assessmentCategory: "社会服务",
                expectedVersion: village.version, access: .maintenance, actor: actor)
            #expect(edited.category == .community && edited.version == village.version + 1)
            await #expect(throws: EditConflict.self) {
                try await units.update(
                    village.id, organisationID: tree["A21"], name: "x", category: "村", assessmentCategory: "", expectedVersion: village.version,
                    access: .maintenance, actor: actor)
            }
            #expect(try await auditCount(kit, objectType: "unit") == 3)

            let terms = kit.store.terms
            let candidates = [
                ElectionCheck.Candidate(name: "甲", votes: 9), .init(name: "乙", votes: 8), .init(name: "丙", votes: 8), .init(name: "丁", votes: 2),
            ]
            let posts: [(name: String, post: LeaderPost)] = [("甲", .secretary), ("乙", .organisation), ("丙", .propaganda)]
            let villageTerm = try await terms.recordElection(
                organisationID: tree["A21"], heldOn: CivilDate(iso: "2026-01-10")!, seats: 3, eligible: 10, present: 9,
                candidates: candidates, posts: posts, access: .maintenance, actor: actor)
            #expect(villageTerm.endDate.description == "2031-01-10", "ORG-T1: 5 years for a community organisation")
            let organTerm = try await terms.recordElection(
                organisationID: tree["A1a1"], heldOn: CivilDate(iso: "2026-01-10")!, seats: 3, eligible: 10, present: 9,
                candidates: candidates, posts: posts, access: .maintenance, actor: actor)
            #expect(organTerm.endDate.description == "2029-01-10", "ORG-T1: 3 years for an organ branch")
        }
    }

    @Test("ORG-E9: a by-election fills vacated seats in the same term under the election rules", arguments: TestBackend.enabled)
    func byElection(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Self.today))
            let tree = try await FixtureTree.create(kit.organisations)
            let terms = kit.store.terms
            let org = tree["A1a1"]
            await #expect(throws: ValidationFailure.self, "no term yet") {
                try await terms.recordByElection(
                    organisationID: org, heldOn: CivilDate(iso: "2026-06-01")!, seats: 1, eligible: 10, present: 9,
                    candidates: [.init(name: "戊", votes: 8)], posts: [], vacated: [], reason: "", access: .maintenance, actor: actor)
            }
            let candidates = [
                ElectionCheck.Candidate(name: "甲", votes: 9), .init(name: "乙", votes: 8), .init(name: "丙", votes: 8), .init(name: "丁", votes: 2),
            ]
            let term = try await terms.recordElection(
                organisationID: org, heldOn: CivilDate(iso: "2025-03-01")!, seats: 3, eligible: 10, present: 9,
                candidates: candidates, posts: [("甲", .secretary), ("乙", .organisation), ("丙", .propaganda)], access: .maintenance, actor: actor)
            // Quorum (ORG-E3) applies: 8 of 10 is not more than four fifths.
            await #expect(throws: ValidationProblems.self) {
                try await terms.recordByElection(
                    organisationID: org, heldOn: CivilDate(iso: "2026-06-01")!, seats: 1, eligible: 10, present: 8,
                    candidates: [.init(name: "戊", votes: 8)], posts: [("戊", .secretary)], vacated: ["甲"], reason: "调离", access: .maintenance,
                    actor: actor)
            }
            // A vacated name must be a sitting leader.
            await #expect(throws: ValidationProblems.self) {
                try await terms.recordByElection(
                    organisationID: org, heldOn: CivilDate(iso: "2026-06-01")!, seats: 1, eligible: 10, present: 9,
                    candidates: [.init(name: "戊", votes: 8)], posts: [("戊", .secretary)], vacated: ["己"], reason: "调离", access: .maintenance,
                    actor: actor)
            }
            // ORG-E8: the secretary leaves and nobody replaces him.
            await #expect(throws: ValidationFailure.self) {
                try await terms.recordByElection(
                    organisationID: org, heldOn: CivilDate(iso: "2026-06-01")!, seats: 1, eligible: 10, present: 9,
                    candidates: [.init(name: "戊", votes: 8)], posts: [], vacated: ["甲"], reason: "调离", access: .maintenance, actor: actor)
            }
            // Outside the term.
            await #expect(throws: ValidationFailure.self) {
                try await terms.recordByElection(
                    organisationID: org, heldOn: CivilDate(iso: "2025-01-01")!, seats: 1, eligible: 10, present: 9,
                    candidates: [.init(name: "戊", votes: 8)], posts: [("戊", .secretary)], vacated: ["甲"], reason: "调离", access: .maintenance,
                    actor: actor)
            }
            let after = try await terms.recordByElection(
                organisationID: org, heldOn: CivilDate(iso: "2026-06-01")!, seats: 1, eligible: 10, present: 9,
                candidates: [.init(name: "戊", votes: 8)], posts: [("戊", .secretary)], vacated: ["甲"], reason: "调离", access: .maintenance, actor: actor
            )
            #expect(after.id == term.id && after.endDate == term.endDate, "same term, same end")
            #expect(Set(after.leaders.map { "\($0.post) \($0.name)" }) == ["书记 戊", "组织委员 乙", "宣传委员 丙"])
            let kinds = try await kit.database.read { db in
                try await db.raw("SELECT kind FROM elections WHERE organisation_id = \(bind: org) ORDER BY id").all().map {
                    try $0.value("kind", String.self)
                }
            }
            #expect(kinds == ["regular", "by_election"])
        }
    }

    @Test("升格/降格 and 合并: type rules, members, units and children move, history and the as-of tree follow", arguments: TestBackend.enabled)
    func retypeAndMerge(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            // The tree is set up on 2026-01-01, the changes are recorded on 2026-11-22 with earlier effective dates.
            let clock = ManualClock(Self.today.addingTimeInterval(-325 * 86_400))
            let kit = StoreKit(database: scratch.database, clock: clock)
            let tree = try await FixtureTree.create(kit.organisations)
            clock.advance(seconds: 325 * 86_400)
            let orgs = kit.organisations
            let roster = members(kit)
            for (i, key) in ["A1a2", "A1a2", "A1b"].enumerated() {
                _ = try await roster.create(
                    MemberFixtures.draft(name: "成员\(i)", born: "1980-05-01", sequence: 300 + i), organisationID: tree[key], access: .maintenance,
                    actor: actor)
            }
            // A branch holding a Party group cannot become a temporary branch with members …
            let a1b = try #require(try await orgs.find(tree["A1b"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await orgs.changeType(
                    a1b.id, to: .temporaryBranch, approval: "批复", expectedVersion: a1b.version, access: .maintenance, actor: actor)
            }
            // … a general branch under a working committee is fine (升格), and needs an approval.
            await #expect(throws: ValidationFailure.self) {
                try await orgs.changeType(a1b.id, to: .generalBranch, approval: " ", expectedVersion: a1b.version, access: .maintenance, actor: actor)
            }
            let upgraded = try await orgs.changeType(
                a1b.id, to: .generalBranch, approval: "甲组〔2026〕7号", expectedVersion: a1b.version, access: .maintenance, actor: actor,
                effectiveDate: CivilDate(iso: "2026-03-01"))
            #expect(upgraded.type == .generalBranch)
            let history = try await orgs.history(of: a1b.id, access: .maintenance)
            #expect(history.last?.kind == .retyped && history.last?.note?.contains("升格") == true)
            // A1a1 holds a Party group: it cannot become a Party group itself.
            let a1a1 = try #require(try await orgs.find(tree["A1a1"], access: .maintenance))
            await #expect(throws: ValidationFailure.self) {
                try await orgs.changeType(a1a1.id, to: .partyGroup, approval: "批复", expectedVersion: a1a1.version, access: .maintenance, actor: actor)
            }

            // Merge A1a2 (2 members, 1 unit) into A1a1.
            _ = try await kit.store.units
                .create(organisationID: tree["A1a2"], name: "二科", category: "机关", assessmentCategory: "", access: .maintenance, actor: actor)
            let a1a2 = try #require(try await orgs.find(tree["A1a2"], access: .maintenance))
            await #expect(throws: ValidationFailure.self, "not into itself") {
                try await orgs.merge(a1a2.id, into: a1a2.id, approval: "批复", expectedVersion: a1a2.version, access: .maintenance, actor: actor)
            }
            let outcome = try await orgs.merge(
                a1a2.id, into: a1a1.id, approval: "甲组〔2026〕8号", expectedVersion: a1a2.version, access: .maintenance, actor: actor,
                effectiveDate: CivilDate(iso: "2026-04-01"))
            #expect(outcome.membersMoved == 2 && outcome.unitsMoved == 1 && outcome.childrenMoved == 0)
            #expect(try await roster.rosterCounts(of: a1a1.id, access: .maintenance)?.total == 2)
            #expect(try await roster.rosterCounts(of: a1a2.id, access: .maintenance)?.total == 0)
            let merged = try #require(try await orgs.find(a1a2.id, access: .maintenance))
            #expect(merged.isDissolved && merged.dissolvedReason?.contains("甲财政局一支部") == true)
            #expect(try await orgs.history(of: a1a1.id, access: .maintenance).last?.kind == .absorbed)
            let before = try await orgs.asOf(CivilDate(iso: "2026-03-31")!, access: .maintenance).map(\.organisationID)
            let after = try await orgs.asOf(CivilDate(iso: "2026-04-01")!, access: .maintenance).map(\.organisationID)
            #expect(before.contains(a1a2.id) && !after.contains(a1a2.id))

            // Merging a general branch moves its children: A1a (now with A1a1) into A1b (upgraded to a general branch).
            let a1a = try #require(try await orgs.find(tree["A1a"], access: .maintenance))
            let second = try await orgs.merge(
                a1a.id, into: a1b.id, approval: "甲组〔2026〕9号", expectedVersion: a1a.version, access: .maintenance, actor: actor)
            #expect(second.childrenMoved == 1)
            let moved = try #require(try await orgs.find(a1a1.id, access: .maintenance))
            let group = try #require(try await orgs.find(tree["A1a1g"], access: .maintenance))
            #expect(moved.parentID == a1b.id && moved.path.value.hasPrefix(upgraded.path.value))
            #expect(group.path.value.hasPrefix(moved.path.value) && group.depth == moved.depth + 1)
        }
    }

    @Test(
        "MEM-03: issuing registers the certificate and marks the member floating; taking it back clears it; MEM-02 warns on long absences",
        arguments: TestBackend.enabled)
    func floatingRegister(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Self.today))
            let tree = try await FixtureTree.create(kit.organisations)
            let roster = members(kit)
            let m = try await roster.create(
                MemberFixtures.draft(name: "流动者", born: "1985-03-01", sequence: 401), organisationID: tree["A1a1"], access: .maintenance, actor: actor
            )
            let register = kit.store.floating
            await #expect(throws: ValidationProblems.self) {
                try await register.issue(
                    memberID: m.id, number: "", issuedOn: CivilDate(iso: "2026-10-01")!, reason: "", destination: "",
                    validUntil: CivilDate(iso: "2026-09-01")!, access: .maintenance, actor: actor)
            }
            let short = try await register.issue(
                memberID: m.id, number: "", issuedOn: CivilDate(iso: "2026-05-01")!, reason: "外出务工", destination: "广东省东莞市",
                validUntil: CivilDate(iso: "2026-10-31")!, access: .maintenance, actor: actor)
            #expect(short.warnings.isEmpty && short.certificate.certificateNumber == "流〔2026〕1号")
            #expect(short.certificate.status(on: CivilDate(iso: "2026-11-22")!) == .expired)
            let floating = try #require(try await roster.find(m.id, access: .maintenance))
            #expect(floating.isFloating && floating.floatingDestination == "广东省东莞市")
            await #expect(throws: ValidationFailure.self, "one open certificate at a time") {
                try await register.issue(
                    memberID: m.id, number: "", issuedOn: CivilDate(iso: "2026-11-01")!, reason: "务工", destination: "某地",
                    validUntil: CivilDate(iso: "2027-01-01")!, access: .maintenance, actor: actor)
            }
            let open = try await register.register(anchorID: tree["A1"], scope: .subtree, access: .maintenance, openOnly: true)
            #expect(open.map(\.memberName) == ["流动者"])
            // Out of scope: a worker of A1a2 does not see it.
            let a1a2 = try #require(try await kit.organisations.find(tree["A1a2"], access: .maintenance))
            let other = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: a1a2.id, path: a1a2.path, scope: .own)])
            await #expect(throws: RecordNotFound.self) {
                try await register.takeBack(short.certificate.id, on: CivilDate(iso: "2026-11-20")!, access: other, actor: actor)
            }
            let back = try await register.takeBack(short.certificate.id, on: CivilDate(iso: "2026-11-20")!, access: .maintenance, actor: actor)
            #expect(back.returnedOn?.description == "2026-11-20")
            #expect(try await roster.find(m.id, access: .maintenance)?.isFloating == false)
            #expect(try await register.register(anchorID: tree["A1"], scope: .subtree, access: .maintenance, openOnly: true).isEmpty)
            // MEM-02: six months or more → the issuer is told to consider a formal transfer.
            let long = try await register.issue(
                memberID: m.id, number: "粤流 0001", issuedOn: CivilDate(iso: "2026-11-21")!, reason: "外出务工", destination: "深圳",
                validUntil: CivilDate(iso: "2027-05-21")!, access: .maintenance, actor: actor)
            #expect(long.warnings.count == 1 && long.warnings[0].contains("MEM-02"))
            #expect(try await auditCount(kit, objectType: "floating_certificate") == 3)
        }
    }

    @Test("rule versions: saved with an effective date, never edited, the one in force picked by day", arguments: TestBackend.enabled)
    func ruleVersions(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Self.today))
            let rules = kit.store.rules
            #expect(try await rules.inForce() == .national2014)
            var local = RuleBook.national2014
            local.version = "某县-2027"
            local.effectiveFrom = CivilDate(iso: "2027-01-01")!
            local.lostContactMonths = 12
            local.assessmentCategories = ["党群", "执法"]
            try await rules.save(local, previous: .national2014, actor: actor)
            #expect(try await rules.inForce().version == "national-2014", "not yet effective")
            #expect(try await rules.inForce(on: CivilDate(iso: "2027-01-01")!).lostContactMonths == 12)
            await #expect(throws: ValidationFailure.self, "a version name is used once") {
                try await rules.save(local, previous: .national2014, actor: actor)
            }
            var past = local
            past.version = "倒签"
            past.effectiveFrom = CivilDate(iso: "2026-01-01")!
            await #expect(throws: ValidationProblems.self, "past periods keep their rules") {
                try await rules.save(past, previous: .national2014, actor: actor)
            }
            #expect(try await rules.versions().map(\.book.version) == ["某县-2027", "national-2014"])
            #expect(try await auditCount(kit, objectType: "rule_book") == 1)
        }
    }

    @Test(
        "bulk linking: a 党员 account is linked to the one roster member of its name; namesakes and strangers are listed, not guessed",
        arguments: TestBackend.enabled)
    func bulkLinking(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Self.today))
            let tree = try await FixtureTree.create(kit.organisations)
            let roster = members(kit)
            let org = tree["A1a1"]
            var ids: [String: Int64] = [:]
            for (i, name) in ["张三", "李四", "李四", "王五"].enumerated() {
                ids["\(name)\(i)"] = try await roster.create(
                    MemberFixtures.draft(name: name, born: "1981-03-03", sequence: 600 + i), organisationID: org, access: .maintenance, actor: actor
                ).id
            }
            for (username, name, grantOrg) in [("zhangsan", "张三", org), ("lisi", "李四", org), ("zhaoliu", "赵六", org), ("wangwu", "王五", tree["A1a2"])] {
                let user = try await kit.accounts.create(
                    username: username, displayName: name, organisationID: grantOrg, policy: .mlps, actor: .console("t")
                ).user
                _ = try await kit.accounts.grant(role: .member, to: user.id, organisationID: grantOrg, scope: nil, actor: .console("t"))
            }
            let result = try await roster.linkAccountsByName(organisationID: org, access: .maintenance, actor: actor)
            #expect(result.linked == ["zhangsan → 张三"])
            #expect(result.ambiguous.count == 1 && result.ambiguous[0].hasPrefix("lisi"))
            #expect(result.unmatched == ["zhaoliu（赵六）"], "王五's account holds its role elsewhere and is not considered")
            let zhangsan = try #require(try await kit.accounts.find(username: "zhangsan"))
            #expect(try await roster.linkedMember(userID: zhangsan.id)?.id == ids["张三0"])
            let again = try await roster.linkAccountsByName(organisationID: org, access: .maintenance, actor: actor)
            #expect(again.linked.isEmpty, "already linked accounts are left alone")
        }
    }
}
