import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension OrganisationsFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        try await fixture.addOrganisations(kit: setup.kit, console: setup.console)
        fixture.records[.unit] = fixture.unit
    }

    /// A unit registered under each position's organisation.
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for key in setup.keys {
            let org = setup.tree[key]
            let unit = try await setup.store.units.create(
                organisationID: org, name: "某单位（\(key)）", category: "机关", assessmentCategory: "党群政务", access: .maintenance,
                actor: setup.console)
            records.add(.unit, in: org, unit.id)
        }
    }
}

extension WebFixture {
    /// The organisations capability's records: a unit under A1a1 and a previewed organisation import.
    mutating func addOrganisations(kit: StoreKit, console: Actor) async throws {
        unit = try await kit.store.units.create(
            organisationID: tree["A1a1"], name: "某县某局", category: "机关", assessmentCategory: "党群政务", access: .maintenance, actor: console
        ).id
        let orgadmin = actors[.orgadmin]!
        let orgadminAccess = try await kit.accounts.principal(for: try await kit.accounts.find(orgadmin.userID)!).access(for: .organisationsWrite)
        organisationImportJob = try await kit.store.organisationImporter.preview(
            file: Data("组织名称,组织类型,上级组织\n导入党支部,党支部,甲县直机关工委\n".utf8), fileName: "orgs.csv", anchorID: tree["A1"], access: orgadminAccess,
            actor: Actor(userID: orgadmin.userID, name: "orgadmin", ip: "127.0.0.1", requestID: "fixture")
        ).jobID
    }
}
