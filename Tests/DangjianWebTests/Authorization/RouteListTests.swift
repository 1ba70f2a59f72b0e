import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// The registered routes with their access and body limit, against the checked-in lists in `Routes/<slug>.txt`, one
/// file per capability (issue 16: the restructuring must leave this list exactly as it is; a new route changes its
/// capability's file on purpose, in the same commit, and a new capability adds its own file).
/// `DANGJIAN_WRITE_ROUTE_LIST=1 swift test --filter RouteListTests` rewrites the files after an intended change.
@Suite("Route list")
struct RouteListTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Routes")

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

    /// Every checked-in route line, by capability slug.
    static func checkedIn() throws -> [String: [String]] {
        var lists: [String: [String]] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) where file.pathExtension == "txt" {
            lists[file.deletingPathExtension().lastPathComponent] = try String(contentsOf: file, encoding: .utf8)
                .split(separator: "\n").map(String.init)
        }
        return lists
    }

    @Test("the routes, their access and body limits are those of Routes/<slug>.txt, each in its capability's file")
    func routeList() async throws {
        let harness = try await WebHarness.make()
        let routes = harness.routes
        await harness.close()
        let registered = Dictionary(grouping: routes, by: \.feature).mapValues { $0.map(Self.line).sorted() }
        if ProcessInfo.processInfo.environment["DANGJIAN_WRITE_ROUTE_LIST"] == "1" {
            for (slug, lines) in registered {
                try (lines.joined(separator: "\n") + "\n").write(
                    to: Self.directory.appendingPathComponent(slug + ".txt"), atomically: true, encoding: .utf8)
            }
        }
        let expected = try Self.checkedIn()
        for slug in Set(registered.keys).union(expected.keys).sorted() {
            let now = Set(registered[slug] ?? []), then = Set(expected[slug] ?? [])
            let added = now.subtracting(then).sorted(), removed = then.subtracting(now).sorted()
            #expect(added.isEmpty && removed.isEmpty, "\(slug): routes added: \(added); routes removed or changed: \(removed)")
        }
        #expect(!registered.keys.contains(""), "every route is registered by a capability")
    }
}
