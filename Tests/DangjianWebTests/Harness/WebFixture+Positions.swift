import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// Records at every position (issue 16): for each organisation that a matrix position names (`organisation(_:for:)`
/// of every role), one record of each kind a route can target (`RouteTarget`), so that every organisation-scoped
/// route is checked with its target at own, child, parent, sibling and other county. Each capability makes its own
/// (`FeatureTestKit.addPositioned`). Built once for the fixture template (the matrix and the fuzz test copy it), not
/// for every harness.
struct PositionedRecords: Sendable {
    /// Target kind → organisation ID → the record of that kind in that organisation.
    var records: [RouteTarget: [Int64: Int64]] = [:]

    func record(_ target: RouteTarget, in organisationID: Int64) -> Int64? { records[target]?[organisationID] }

    mutating func add(_ target: RouteTarget, in organisationID: Int64, _ id: Int64) { records[target, default: [:]][organisationID] = id }

    /// The organisations the five positions name for any role.
    static let organisationKeys = ["A", "A1", "A1a", "A1a1", "A1a1g", "A1a2", "A2", "B", "B1"]

    /// Each capability's records at every position (`FeatureTestKit.addPositioned`), in `Features.all` order.
    static func create(tree: FixtureTree, members: [String: Int64], store: StoreServices, clock: ManualClock) async throws -> PositionedRecords {
        let setup = PositionSetup(tree: tree, members: members, store: store, clock: clock, console: Actor.console("fixture"))
        var made = PositionedRecords()
        for capability in FeatureTestKits.all { try await capability.addPositioned(to: &made, setup) }
        return made
    }
}
