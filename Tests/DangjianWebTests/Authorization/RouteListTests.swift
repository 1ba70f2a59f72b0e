import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// The registered routes with their access and body limit, against the checked-in `routes.txt` (issue 16: the
/// restructuring must leave this list exactly as it is; a new route changes it on purpose, in the same commit).
/// `DANGJIAN_WRITE_ROUTE_LIST=1 swift test --filter RouteListTests` rewrites the file after an intended change.
@Suite("Route list")
struct RouteListTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("routes.txt")

    static func line(_ spec: RouteSpec) -> String {
        let access: String
        switch spec.access {
        case .anyone: access = "anyone"
        case .signingIn: access = "signing-in"
        case .signedInDuringPasswordChange: access = "signed-in-during-password-change"
        case .signedIn: access = "signed-in"
        case .permission(let permission): access = "permission:" + permission.rawValue
        }
        return "\(spec.method) \(spec.path) | \(access) | body:\(spec.body)"
    }

    @Test("the routes, their access and body limits are those of routes.txt")
    func routeList() async throws {
        let harness = try await WebHarness.make()
        let lines = harness.routes.map(Self.line).sorted()
        await harness.close()
        let text = lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["DANGJIAN_WRITE_ROUTE_LIST"] == "1" {
            try text.write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.file, encoding: .utf8)
        let added = Set(lines).subtracting(expected.split(separator: "\n").map(String.init)).sorted()
        let removed = Set(expected.split(separator: "\n").map(String.init)).subtracting(lines).sorted()
        #expect(added.isEmpty && removed.isEmpty, "routes added: \(added); routes removed or changed: \(removed)")
    }
}
