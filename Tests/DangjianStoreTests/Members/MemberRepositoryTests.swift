import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Member roster repository")
struct MemberRepositoryTests {
    static let actor = Actor(userID: 1, name: "tester", ip: "127.0.0.1", requestID: "t")

    struct World {
        var kit: StoreKit
        var members: MemberRepository
        var tree: FixtureTree
    }

    static func world(_ scratch: ScratchDatabase) async throws -> World {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))  // 2026-11-22
        let kit = StoreKit(database: scratch.database, clock: clock)
        let tree = try await FixtureTree.create(kit.organisations)
        return World(kit: kit, members: kit.store.members, tree: tree)
    }

    func access(_ w: World, _ key: String, _ scope: OrganisationScope) async throws -> OrganisationAccess {
        let org = try #require(try await w.kit.organisations.find(w.tree[key], access: .maintenance))
        return OrganisationAccess(permission: .membersWrite, reaches: [OrganisationReach(organisationID: org.id, path: org.path, scope: scope)])
    }

    @Test("sensitive fields are encrypted at rest, found by blind index, shown masked, revealed with an audit record", arguments: TestBackend.enabled)
    func encryption(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            var draft = MemberFixtures.draft(name: "李红", born: "1985-03-08", sequence: 22, phone: "13912345678")
            draft.address = "陕西省西安市雁塔区某路1号"
            let created = try await w.members.create(draft, organisationID: w.tree["A1a1"], access: .maintenance, actor: Self.actor)
            let id = try IDNumber.parse(draft.idNumber).get()
            #expect(created.idNumberMasked == id.masked && created.phoneMasked == "139****5678" && created.hasAddress)
            // Lists read only the shown columns: whether an address is on file still comes through, either way.
            _ = try await w.members.create(
                MemberFixtures.draft(name: "王五", born: "1980-01-02", sequence: 23), organisationID: w.tree["A1a1"],
                access: .maintenance, actor: Self.actor)
            var query = MemberQuery(anchorID: w.tree["A1a1"], scope: .own)
            query.nameContains = "李红"
            #expect(try await w.members.list(query, access: .maintenance).members.map(\.hasAddress) == [true])
            query.nameContains = "王五"
            #expect(try await w.members.list(query, access: .maintenance).members.map(\.hasAddress) == [false])
            // Nothing in the members table or the audit log holds the clear values.
            let dump = try await scratch.database.read { db in
                var text = ""
                for table in ["members", "audit_log"] {
                    for row in try await db.raw("SELECT * FROM \(ident: table)").all() {
                        for column in row.allColumns { text += ((try? row.decode(column: column, as: String.self)) ?? "") + "|" }
                    }
                }
                return text
            }
            #expect(!dump.contains(id.value) && !dump.contains("13912345678") && !dump.contains("雁塔区某路"))
            #expect(try await w.members.find(idNumber: id, access: .maintenance)?.id == created.id)
            let scoped = try await access(w, "A2", .subtree)
            #expect(try await w.members.find(idNumber: id, access: scoped) == nil)
            await #expect(throws: RecordNotFound.self) { try await w.members.reveal(.idNumber, of: created.id, access: scoped, actor: Self.actor) }
            #expect(try await w.members.reveal(.idNumber, of: created.id, access: .maintenance, actor: Self.actor) == id.value)
            #expect(try await w.members.reveal(.address, of: created.id, access: .maintenance, actor: Self.actor) == "陕西省西安市雁塔区某路1号")
            let reveals = try await w.kit.audit.search(AuditQuery(action: AuditAction.personalDataRevealed.rawValue), database: scratch.database)
            #expect(reveals.total == 2)
        }
    }

    @Test("a flipped byte in an encrypted cell is an integrity error, not wrong data", arguments: TestBackend.enabled)
    func integrity(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let created = try await w.members.create(
                MemberFixtures.draft(name: "赵敏", sequence: 44), organisationID: w.tree["A1a1"], access: .maintenance, actor: Self.actor)
            try await scratch.database.write { db in
                let sealed = try await db.raw("SELECT id_number_enc FROM members").first()!.decode(column: "id_number_enc", as: String.self)
                var bytes = Array(Data(base64Encoded: String(sealed.dropFirst(3)))!)
                bytes[20] ^= 0x01
                try await db.raw("UPDATE members SET id_number_enc = \(bind: "v1:" + Data(bytes).base64EncodedString())").run()
            }
            await #expect(throws: KeyringError.self) {
                try await w.members.reveal(.idNumber, of: created.id, access: .maintenance, actor: Self.actor)
            }
        }
    }

    @Test("one record per ID number; the message says so without naming another organisation", arguments: TestBackend.enabled)
    func duplicates(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let draft = MemberFixtures.draft(name: "张伟", sequence: 31)
            _ = try await w.members.create(draft, organisationID: w.tree["B1"], access: .maintenance, actor: Self.actor)
            let error = await #expect(throws: ValidationFailure.self) {
                try await w.members.create(draft, organisationID: w.tree["A1a1"], access: .maintenance, actor: Self.actor)
            }
            #expect(error?.field == "id_number" && error?.ruleID == "MEM-04" && error?.message.contains("乙县") == false)
        }
    }

    @Test("lists filter by scope, status, category, age band and 党龄 band, search names literally, and page", arguments: TestBackend.enabled)
    func listing(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let plan: [(String, String, String, PartyStatus, String)] = [
                ("A1a1", "王一", "1990-01-01", .full, "在职"), ("A1a1", "王二", "1960-11-22", .full, "离退休"),
                ("A1a1g", "王三", "2000-06-01", .probationary, "学生"), ("A1a2", "李四", "1975-02-02", .full, "在职"),
                ("A1b", "周五", "1988-08-08", .full, "在职"), ("A21", "吴六", "1970-03-03", .full, "农民"),
                ("B1", "郑七", "1982-12-12", .full, "在职"),
            ]
            for (i, (org, name, born, status, category)) in plan.enumerated() {
                var d = MemberFixtures.draft(name: name, born: born, sequence: 100 + i, status: status, category: category)
                if status == .probationary { d.joinDate = "2026-01-10"; d.fullMemberDate = "" }
                _ = try await w.members.create(d, organisationID: w.tree[org], access: .maintenance, actor: Self.actor)
            }
            let a1 = try await access(w, "A1", .subtree)
            var q = MemberQuery(anchorID: w.tree["A1a"], scope: .subtree)
            #expect(Set(try await w.members.list(q, access: a1).members.map(\.name)) == ["王一", "王二", "王三", "李四"])
            q.scope = .own
            #expect(try await w.members.list(q, access: a1).total == 0)
            q.anchorID = w.tree["A1a1"]; q.scope = .ownAndChildren
            #expect(Set(try await w.members.list(q, access: a1).members.map(\.name)) == ["王一", "王二", "王三"])
            q = MemberQuery(anchorID: w.tree["A1"], scope: .subtree)
            q.partyStatus = .probationary
            #expect(try await w.members.list(q, access: a1).members.map(\.name) == ["王三"])
            q = MemberQuery(anchorID: w.tree["A1"]); q.personnelCategory = .retired
            #expect(try await w.members.list(q, access: a1).members.map(\.name) == ["王二"])
            // Age band boundaries: 王二 turns 66 today (born 1960-11-22).
            q = MemberQuery(anchorID: w.tree["A1"]); q.minAge = Age(66)
            #expect(try await w.members.list(q, access: a1).members.map(\.name) == ["王二"])
            q.minAge = Age(67)
            #expect(try await w.members.list(q, access: a1).total == 0)
            q = MemberQuery(anchorID: w.tree["A1"]); q.maxAge = Age(65)
            #expect(!(try await w.members.list(q, access: a1).members.map(\.name)).contains("王二"))
            // 党龄 (DEV-32): 王二 converted 1986-11-22 → exactly 40 today; probationary members have none.
            q = MemberQuery(anchorID: w.tree["A1"]); q.minStanding = PartyStanding(40)
            #expect(try await w.members.list(q, access: a1).members.map(\.name) == ["王二"])
            q = MemberQuery(anchorID: w.tree["A1"]); q.maxStanding = PartyStanding(39)
            #expect(Set(try await w.members.list(q, access: a1).members.map(\.name)) == ["王一", "李四", "周五"])
            q = MemberQuery(anchorID: w.tree["A1"]); q.nameContains = "王"
            #expect(try await w.members.list(q, access: a1).total == 3)
            q.nameContains = "%"
            #expect(try await w.members.list(q, access: a1).total == 0)
            q = MemberQuery(anchorID: w.tree["A1"]); q.limit = 2; q.sort = .birthDate
            let page1 = try await w.members.list(q, access: a1)
            q.offset = 2
            let page2 = try await w.members.list(q, access: a1)
            #expect(page1.total == 5 && page1.members.map(\.name) == ["王二", "李四"] && page2.members.map(\.name) == ["周五", "王一"])
            // An anchor outside the access is refused.
            await #expect(throws: RecordNotFound.self) { try await w.members.list(MemberQuery(anchorID: w.tree["B"]), access: a1) }
        }
    }

    @Test(
        "an edit writes one audited change per changed field; an unchanged save writes nothing; stale versions conflict",
        arguments: TestBackend.enabled)
    func edits(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let created = try await w.members.create(
                MemberFixtures.draft(name: "陈明", sequence: 55, phone: "13700001111"), organisationID: w.tree["A1a1"], access: .maintenance,
                actor: Self.actor)
            var draft = created.editDraft
            draft.post = "科员"
            draft.phone = "13700002222"
            let updated = try await w.members.update(
                created.id, draft: draft, expectedVersion: created.version, access: .maintenance, actor: Self.actor)
            #expect(updated.version == created.version + 1 && updated.post == "科员" && updated.phoneMasked == "137****2222")
            let records = try await w.kit.audit.search(AuditQuery(action: "update", objectType: "member"), database: scratch.database).records
            #expect(records.count == 1)
            #expect(Set(records[0].changes.map(\.field)) == ["post", "phone"])
            #expect(records[0].changes.contains(FieldChange(field: "phone", old: "137****1111", new: "137****2222")))
            let again = try await w.members.update(
                created.id, draft: updated.editDraft, expectedVersion: updated.version, access: .maintenance, actor: Self.actor)
            #expect(again.version == updated.version)
            await #expect(throws: EditConflict.self) {
                try await w.members.update(created.id, draft: draft, expectedVersion: created.version, access: .maintenance, actor: Self.actor)
            }
            let outside = try await access(w, "B", .subtree)
            await #expect(throws: RecordNotFound.self) {
                try await w.members.update(created.id, draft: draft, expectedVersion: updated.version, access: outside, actor: Self.actor)
            }
            var bad = updated.editDraft
            bad.joinDate = "1999-01-01"
            bad.fullMemberDate = "1999-06-01"
            let errors = await #expect(throws: ValidationProblems.self) {
                try await w.members.update(created.id, draft: bad, expectedVersion: updated.version, access: .maintenance, actor: Self.actor)
            }
            #expect(errors?.problems.contains { $0.ruleID == "DEV-27" } == true)
        }
    }
}

@Suite("Temporary branches (LIFE-12)")
struct TemporaryBranchTests {
    @Test("a member cannot be registered in a temporary branch: relations are not transferred there", arguments: TestBackend.enabled)
    func refused(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await MemberRepositoryTests.world(scratch)
            let temporary = try await w.kit.organisations.create(
                type: .temporaryBranch, name: "某项目临时党支部", shortName: nil,
                parentID: w.tree["A2"], access: .maintenance, actor: MemberRepositoryTests.actor)
            let error = await #expect(throws: ValidationFailure.self) {
                try await w.members.create(
                    MemberFixtures.draft(name: "临时", sequence: 66), organisationID: temporary.id, access: .maintenance,
                    actor: MemberRepositoryTests.actor)
            }
            #expect(error?.ruleID == "LIFE-12")
        }
    }
}
