import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// 党费's part of the web tests: its routes act on the members and organisations the core fixture already has, and
/// on one payment per organisation (a base of 4,321.57 for the year and this month paid).
extension DuesFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        fixture.records[.duesPayment] = try await payment(
            memberID: fixture.memberIDs["A1a1"]!, store: setup.store, console: setup.console, today: setup.today)
        // A previewed payroll import per writing role (its one row names nobody on the roster: committing it is refused).
        for who in [Who.orgadmin, .worker] {
            let actor = fixture.actors[who]!
            let user = try await setup.kit.accounts.find(actor.userID)!
            let access = try await setup.kit.accounts.principal(for: user).access(for: .membersWrite)
            let csv = "姓名,身份证号,月基数\n无此人,\(MemberFixtures.idNumber(born: "1966-06-06", sequence: 661)),5000\n"
            let job = try await setup.store.duesPayroll.preview(
                file: Data(csv.utf8), fileName: "p.csv", organisationID: fixture.tree["A1a1"], year: CalendarYear(of: setup.today), access: access,
                actor: Actor(userID: actor.userID, name: who.rawValue, ip: "127.0.0.1", requestID: "fixture"))
            fixture.extras["duesPayrollJob.\(who)"] = job.jobID
        }
        fixture.records[.duesReduction] = try await reduction(memberID: fixture.memberIDs["A1a1"]!, store: setup.store, console: setup.console)
        fixture.records[.lapseCase] = try await lapseCase(memberID: fixture.memberIDs["A1a1"]!, store: setup.store, console: setup.console)
        fixture.records[.duesAccountEntry] = try await accountEntry(
            in: fixture.tree["A1a1"], store: setup.store, console: setup.console, today: setup.today)
    }

    /// An open 自行脱党审查 case, as if the participation service had found six months without organisational life.
    static func lapseCase(memberID: Int64, store: StoreServices, console: Actor) async throws -> Int64 {
        if let open = try await store.dues.lapseCases(memberID: memberID, access: .maintenance).first(where: { $0.state != .decided }) {
            return open.id
        }
        return try await store.dues.openLapseCase(memberID: memberID, lifeMonths: 6, note: "矩阵立案", access: .maintenance, actor: console).id
    }

    /// An interest entry (1.00 yuan) in an organisation's dues account; nil for a Party group, which keeps none.
    static func accountEntry(in organisationID: Int64, store: StoreServices, console: Actor, today: CivilDate) async throws -> Int64 {
        try await store.dues.recordAccountEntry(
            organisationID: organisationID, DuesAccountEntryDraft(kind: .interest, amount: Fen(100)!, occurredOn: today, note: "矩阵利息"),
            access: .maintenance, actor: console
        ).id
    }

    /// A 免交 application for this month, as recorded (waiting for the branch).
    static func reduction(memberID: Int64, store: StoreServices, console: Actor) async throws -> Int64 {
        if let existing = try await store.dues.reductions(memberID: memberID, access: .maintenance).first { return existing.id }
        let month = DuesMonth(containing: CivilDate(date: Date()))
        return try await store.dues.applyReduction(
            memberID: memberID, DuesReductionDraft(exempt: true, monthly: .zero, from: month, months: 1, reason: "矩阵申请"), access: .maintenance,
            actor: console
        ).id
    }

    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for key in setup.keys {
            guard let member = setup.members[key] else { continue }
            records.add(
                .duesPayment, in: setup.tree[key], try await payment(memberID: member, store: setup.store, console: setup.console, today: setup.today)
            )
            records.add(.duesReduction, in: setup.tree[key], try await reduction(memberID: member, store: setup.store, console: setup.console))
            records.add(.lapseCase, in: setup.tree[key], try await lapseCase(memberID: member, store: setup.store, console: setup.console))
        }
        // Party groups keep no account (their reversal call then names no entry: 404).
        for key in setup.keys where key != "A1a1g" {
            records.add(
                .duesAccountEntry, in: setup.tree[key],
                try await accountEntry(in: setup.tree[key], store: setup.store, console: setup.console, today: setup.today))
        }
    }

    /// Sets the member's base for `today`'s year and records this month's regular payment.
    /// (The positioned records reuse the core fixture's members: a member already paid keeps its payment.)
    static func payment(memberID: Int64, store: StoreServices, console: Actor, today: CivilDate) async throws -> Int64 {
        if let existing = try await store.dues.payments(memberID: memberID, access: .maintenance).entries.first { return existing.id }
        _ = try await store.dues.setBase(
            memberID: memberID, year: CalendarYear(of: today), category: .employed, base: Fen(432_157), expectedVersion: 0, access: .maintenance,
            actor: console)
        let paid = try await store.dues.record(
            memberID: memberID, DuesEntryDraft(kind: .regular, months: [DuesMonth(containing: today)], amount: Fen(4_322)!, paidOn: today),
            method: .cash, access: .maintenance, actor: console)
        return paid.payment.id
    }

    static func matrixCall(_ route: String, _ c: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        let member = c.fixture.member(c.position, for: c.who)
        switch route {
        case "GET /dues": return .init(method: .get, uri: "/dues?org=\(c.org)&year=2026")
        case "GET /dues/members/{id}": return .init(method: .get, uri: "/dues/members/\(member)?year=2026")
        case "POST /dues/members/{id}":
            // The base exists (the fixture's payment needed it): version 1.
            return .init(
                method: .post, uri: "/dues/members/\(member)", form: ["year": "2026", "category": "employed", "base": "5000", "version": "1"])
        case "GET /dues/collection": return .init(method: .get, uri: "/dues/collection?org=\(c.org)")
        case "GET /dues/members/{id}/payments": return .init(method: .get, uri: "/dues/members/\(member)/payments")
        case "POST /dues/members/{id}/payments":
            return .init(method: .post, uri: "/dues/members/\(member)/payments", form: ["kind": "voluntary", "amount": "10", "method": "cash"])
        case "POST /dues/payments/{id}/reverse":
            return .init(method: .post, uri: "/dues/payments/\(c.target(.duesPayment))/reverse", form: ["reason": "矩阵冲正"])
        case "GET /dues/import": return .init(method: .get, uri: "/dues/import?org=\(c.org)")
        case "POST /dues/import":
            let csv = "姓名,身份证号,月基数\n矩阵,\(MemberFixtures.idNumber(born: "1967-07-07", sequence: 671)),5000\n"
            return .init(method: .post, uri: "/dues/import?org=\(c.org)", form: ["year": "2026"], upload: ("p.csv", Data(csv.utf8)))
        case "POST /dues/import/{job}/commit":
            // (Harnesses without the capability fixtures get a job nobody has: 404.)
            let job = c.fixture.extras["duesPayrollJob.\(c.who)"] ?? c.fixture.extras["duesPayrollJob.\(Who.orgadmin)"] ?? 0
            return .init(method: .post, uri: "/dues/import/\(job)/commit", form: ["year": "2026"])
        case "GET /api/v1/dues/collection": return .init(method: .get, uri: "/api/v1/dues/collection?org=\(c.org)")
        case "GET /api/v1/members/{id}/dues": return .init(method: .get, uri: "/api/v1/members/\(member)/dues")
        case "POST /api/v1/members/{id}/dues":
            return .init(method: .post, uri: "/api/v1/members/\(member)/dues", json: "{\"kind\":\"voluntary\",\"amount\":\"10\",\"method\":\"cash\"}")
        case "POST /api/v1/dues/payments/{id}/reverse":
            return .init(method: .post, uri: "/api/v1/dues/payments/\(c.target(.duesPayment))/reverse", json: "{\"reason\":\"接口冲正\"}")
        case "POST /dues/members/{id}/reductions":
            return .init(method: .post, uri: "/dues/members/\(member)/reductions", form: ["exempt": "1", "months": "1", "reason": "矩阵"])
        case "POST /dues/reductions/{id}/decide":
            return .init(method: .post, uri: "/dues/reductions/\(c.target(.duesReduction))/decide", form: ["action": "branch_agree", "version": "1"])
        case "GET /dues/report": return .init(method: .get, uri: "/dues/report?org=\(c.org)")
        case "GET /dues/reductions": return .init(method: .get, uri: "/dues/reductions?org=\(c.org)")
        case "GET /dues/payments/{id}/receipt": return .init(method: .get, uri: "/dues/payments/\(c.target(.duesPayment))/receipt")
        case "POST /dues/members/{id}/changes":
            return .init(
                method: .post, uri: "/dues/members/\(member)/changes",
                form: ["from": "2026-07", "category": "employed", "base": "6000", "reason": "矩阵"])
        case "POST /dues/members/{id}/lapse": return .init(method: .post, uri: "/dues/members/\(member)/lapse", form: ["note": "矩阵"])
        case "POST /dues/lapse/{id}/steps":
            return .init(
                method: .post, uri: "/dues/lapse/\(c.target(.lapseCase))/steps",
                form: ["step": "education", "on": CivilDate(date: Date()).description, "note": "谈话", "version": "1"])
        case "GET /dues/ledger": return .init(method: .get, uri: "/dues/ledger?org=\(c.org)")
        case "GET /dues/ledger/publication": return .init(method: .get, uri: "/dues/ledger/publication?org=\(c.org)")
        case "POST /dues/ledger/entries":
            return .init(
                method: .post, uri: "/dues/ledger/entries?org=\(c.org)",
                form: ["kind": "interest", "amount": "0.50", "occurred_on": CivilDate(date: Date()).description])
        case "POST /dues/ledger/entries/{id}/reverse":
            return .init(method: .post, uri: "/dues/ledger/entries/\(accountEntry(c))/reverse", form: ["reason": "矩阵冲正"])
        case "GET /api/v1/dues/ledger": return .init(method: .get, uri: "/api/v1/dues/ledger?org=\(c.org)")
        case "POST /api/v1/dues/ledger/entries":
            return .init(
                method: .post, uri: "/api/v1/dues/ledger/entries?org=\(c.org)",
                json: "{\"kind\":\"interest\",\"amount\":\"0.50\",\"occurred_on\":\"\(CivilDate(date: Date()))\"}")
        case "POST /api/v1/dues/ledger/entries/{id}/reverse":
            return .init(method: .post, uri: "/api/v1/dues/ledger/entries/\(accountEntry(c))/reverse", json: "{\"reason\":\"接口冲正\"}")
        default: return nil
        }
    }

    /// The account entry at the cell's position (none in a Party group: 0, which names nothing).
    static func accountEntry(_ c: AuthorizationMatrix.MatrixCallContext) -> Int64 {
        guard let positioned = c.fixture.positioned else { return c.fixture.coreRecord(.duesAccountEntry) }
        return positioned.record(.duesAccountEntry, in: c.org) ?? 0
    }
}
