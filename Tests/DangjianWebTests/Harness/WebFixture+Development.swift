import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension RouteTarget {
    /// The scan on a development case's first step (a test-only kind: the routes declare `.developmentCase`).
    static let developmentMaterial = RouteTarget("developmentMaterial")
}

extension DevelopmentFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        try await fixture.addDevelopment(store: setup.store, console: setup.console)
        fixture.records[.developmentCase] = fixture.developmentCase
        fixture.records[.developmentMaterial] = fixture.developmentMaterial
    }

    /// In each position's organisation a case designated an activist (steps 1–3) with its application's scan.
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        let (store, console) = (setup.store, setup.console)
        for (index, key) in setup.keys.enumerated() {
            let org = setup.tree[key]
            let developmentCase = try await store.development.open(
                applicantName: "申请人\(key)", idNumber: MemberFixtures.idNumber(born: "2000-03-04", sequence: 800 + index), organisationID: org,
                access: .maintenance, actor: console)
            for step in DevelopmentFixtures.records(through: .activistDesignation) {
                let (_, refusals) = try await store.development.record(caseID: developmentCase, step, access: .maintenance, actor: console)
                guard refusals.isEmpty else { throw ValidationFailure(field: "fixture", message: "\(key) step \(step.step.rawValue): \(refusals)") }
            }
            let entry = try await store.development.find(developmentCase, access: .maintenance)!.entries[0].id
            try await store.development.addMaterial(
                caseID: developmentCase, entryID: entry, try EvidenceFile(fileName: "入党申请书.png", data: WebFixture.png)!, access: .maintenance,
                actor: console)
            records.add(.developmentCase, in: org, developmentCase)
            let material = try await store.development.find(developmentCase, access: .maintenance)!.entries[0].attachments[0].id
            records.add(.developmentMaterial, in: org, material)
        }
    }
}

extension WebFixture {
    /// The development capability's records: a case in A1a1 designated an activist (steps 1–3, so it has a
    /// document to download and step 4 is next), with a scan on its application.
    mutating func addDevelopment(store: StoreServices, console: Actor) async throws {
        let development = store.development
        developmentCase = try await development.open(
            applicantName: "申请人甲", idNumber: MemberFixtures.idNumber(born: "2001-02-03", sequence: 990), organisationID: tree["A1a1"],
            access: .maintenance, actor: console)
        for record in DevelopmentFixtures.records(through: .activistDesignation) {
            let (_, refusals) = try await development.record(caseID: developmentCase, record, access: .maintenance, actor: console)
            guard refusals.isEmpty else {
                throw ValidationFailure(field: "fixture", message: "development step \(record.step.rawValue): \(refusals)")
            }
        }
        let applicationEntry = try await development.find(developmentCase, access: .maintenance)!.entries[0].id
        try await development.addMaterial(
            caseID: developmentCase, entryID: applicationEntry, try EvidenceFile(fileName: "入党申请书.png", data: Self.png)!,
            access: .maintenance, actor: console)
        developmentMaterial = try await development.find(developmentCase, access: .maintenance)!.entries[0].attachments[0].id
    }
}
