import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Operations endpoints")
struct OpsTests {
    @Test("healthz reports the schema and database; metrics count requests in Prometheus format", arguments: TestBackend.enabled)
    func healthAndMetrics(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        try await harness.withClient { client in
            let health = try await client.send(.get, "/healthz", as: nil)
            #expect(health.status == .ok)
            #expect(health.body == "{\"status\":\"ok\",\"schema\":\(Migrator.knownVersion),\"database\":\"\(backend.rawValue)\"}")
            let live = try await client.send(.get, "/livez", as: nil)
            #expect(live.status == .ok && live.body == "ok")
            _ = try await client.send(.get, "/login", as: nil)
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(WebHarness.metricsToken)"
            let metrics = try await client.send(.get, "/metrics", as: nil, headers: bearer)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains("# TYPE dangjian_http_requests_total counter"))
            #expect(metrics.body.contains("dangjian_http_requests_total{method=\"GET\",status=\"200\"}"))
        }
        await harness.close()
    }
}
