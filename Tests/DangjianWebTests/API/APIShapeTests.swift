import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
@testable import DangjianWeb
import DangjianTestSupport

/// The JSON of the account, user and audit operations (typed DTOs since issue 16): field names as the OpenAPI
/// document gives them, `organisation_id` null for a system-wide role.
@Suite("API shapes")
struct APIShapeTests {
    @Test("GET /api/v1/me, /users and /audit answer with the documented fields")
    func shapes() async throws {
        let harness = try await WebHarness.make()
        let sysadmin = try #require(harness.fixture.actors[.sysadmin])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let auditor = try #require(harness.fixture.actors[.auditor])
        @Sendable func bearer(_ token: String) -> HTTPFields {
            var fields = HTTPFields()
            fields[.authorization] = "Bearer \(token)"
            return fields
        }
        try await harness.withClient { client in
            let me = try await client.send(.get, "/api/v1/me", as: nil, headers: bearer(sysadmin.apiToken))
            let meJSON = try #require(try JSONSerialization.jsonObject(with: Data(me.body.utf8)) as? [String: Any])
            #expect(meJSON["username"] as? String == "sysadmin" && meJSON["display_name"] is String)
            let roles = try #require(meJSON["roles"] as? [[String: Any]])
            #expect(roles.count == 1 && roles[0]["role"] as? String == "system_admin")
            #expect(roles[0].keys.contains("organisation_id") && roles[0]["organisation_id"] is NSNull, "a system-wide role has a null organisation")
            let scoped = try await client.send(.get, "/api/v1/me", as: nil, headers: bearer(orgadmin.apiToken))
            let scopedRoles = try #require(
                (try JSONSerialization.jsonObject(with: Data(scoped.body.utf8)) as? [String: Any])?["roles"] as? [[String: Any]])
            #expect(
                scopedRoles.first?["organisation_id"] as? Int64 == harness.fixture.tree["A1"]
                    || scopedRoles.first?["organisation_id"] as? Int == Int(harness.fixture.tree["A1"]))

            let users = try await client.send(.get, "/api/v1/users", as: nil, headers: bearer(sysadmin.apiToken))
            let items = try #require((try JSONSerialization.jsonObject(with: Data(users.body.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
            #expect(
                items.contains {
                    $0["username"] as? String == "orgadmin" && $0["disabled"] as? Bool == false && $0["locked"] is Bool
                        && $0["display_name"] is String
                })

            let audit = try await client.send(.get, "/api/v1/audit?limit=5", as: nil, headers: bearer(auditor.apiToken))
            let auditJSON = try #require(try JSONSerialization.jsonObject(with: Data(audit.body.utf8)) as? [String: Any])
            let records = try #require(auditJSON["items"] as? [[String: Any]])
            #expect((auditJSON["total"] as? Int ?? 0) >= records.count && !records.isEmpty)
            #expect(
                records.allSatisfy {
                    ["id", "at", "actor", "ip", "action", "object_type", "object_id", "result", "summary", "request_id"].allSatisfy($0.keys.contains)
                })
        }
        await harness.close()
    }
}
