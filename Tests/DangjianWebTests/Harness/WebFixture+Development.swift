import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

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
