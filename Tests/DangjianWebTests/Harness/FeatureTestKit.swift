import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

/// What a capability adds to the web tests, declared beside its tests as a conformance of its own `Feature`
/// (`extension LifeFeature: FeatureTestKit { … }` in `WebFixture+Life.swift` and `MatrixCalls+Life.swift`). The
/// harness finds the conformances through `Features.all`, so a new capability edits no central test file: the
/// fixture, the positioned records and the matrix's calls are the capability's own (docs/adding-a-capability.md).
protocol FeatureTestKit: Feature {
    /// The records the capability's routes act on in the core fixture (`fixture.records[kind]` for a record kind,
    /// `fixture.extras[name]` for anything else a call needs).
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws
    /// For each kind the capability's routes target, one record in every organisation a matrix position names
    /// (`setup.keys`), added with `records.add(kind, in: org, id)`.
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws
    /// The request that exercises `route` as the matrix cell `context` describes (nil: not one of this capability's).
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call?
}

extension FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {}
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {}
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? { nil }
}

/// The capabilities' test kits in `Features.all` order (a `Feature` without one adds nothing to the harness).
enum FeatureTestKits {
    static let all: [any FeatureTestKit.Type] = Features.all.compactMap { $0 as? any FeatureTestKit.Type }
}

/// What a capability's fixture records are made with.
struct FixtureSetup {
    var kit: StoreKit
    var clock: ManualClock
    var console: Actor
    var store: StoreServices { kit.store }
    var today: CivilDate { CivilDate(date: clock.now()) }
}

/// What a capability's positioned records are made with: the tree, its one member per organisation, and the
/// organisations the five positions name.
struct PositionSetup {
    var tree: FixtureTree
    var members: [String: Int64]
    var store: StoreServices
    var clock: ManualClock
    var console: Actor
    var keys: [String] { PositionedRecords.organisationKeys }
    var today: CivilDate { CivilDate(date: clock.now()) }
}
