import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// 党员积分's part of the web tests: one manual entry waiting for approval per organisation.
extension PointsFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        fixture.records[.pointEntry] = try await entry(
            memberID: fixture.memberIDs["A1a1"]!, store: setup.store, console: setup.console, today: setup.today)
    }

    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for key in setup.keys {
            guard let member = setup.members[key] else { continue }
            records.add(
                .pointEntry, in: setup.tree[key], try await entry(memberID: member, store: setup.store, console: setup.console, today: setup.today))
        }
    }

    /// A pending +3 for 岗位争先 (汇报情况 for a floating member) (the positioned records reuse the core fixture's members: one entry each).
    static func entry(memberID: Int64, store: StoreServices, console: Actor, today: CivilDate) async throws -> Int64 {
        if let existing = try await store.points.account(memberID: memberID, year: today.year, access: .maintenance).entries.first {
            return existing.id
        }
        let floating = try await store.members.find(memberID, access: .maintenance)?.isFloating ?? false
        return try await store.points.submit(
            memberID: memberID, item: floating ? .report : .excellence, on: today, points: Points(3), note: "受表彰", evidence: "表彰文件",
            access: .maintenance, actor: console)
    }

    static func matrixCall(_ route: String, _ c: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        let member = c.fixture.member(c.position, for: c.who)
        switch route {
        case "GET /points": return .init(method: .get, uri: "/points?org=\(c.org)")
        case "POST /points/recompute": return .init(method: .post, uri: "/points/recompute", form: ["org": String(c.org), "year": "2026"])
        case "GET /points/members/{id}": return .init(method: .get, uri: "/points/members/\(member)?year=2026")
        case "POST /points/members/{id}/entries":
            return .init(
                method: .post, uri: "/points/members/\(member)/entries",
                form: ["item": "community", "points": "2", "on": "2026-06-01", "note": "志愿服务", "evidence": "照片"])
        case "POST /points/members/{id}/standing":
            return .init(method: .post, uri: "/points/members/\(member)/standing", form: ["kind": "exempt", "text": "年满70周岁", "year": "2026"])
        case "GET /api/v1/members/{id}/points": return .init(method: .get, uri: "/api/v1/members/\(member)/points?year=2026")
        case "GET /api/v1/points": return .init(method: .get, uri: "/api/v1/points?org=\(c.org)")
        case "POST /api/v1/points/recompute":
            return .init(method: .post, uri: "/api/v1/points/recompute", json: "{\"org\":\(c.org),\"year\":2026}")
        case "POST /points/entries/{id}/decide":
            return .init(method: .post, uri: "/points/entries/\(c.target(.pointEntry))/decide", form: ["action": "approve"])
        default: return nil
        }
    }
}
