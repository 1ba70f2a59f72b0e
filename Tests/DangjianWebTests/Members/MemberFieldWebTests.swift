import Testing
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// The member field table drives the page form, the API document and the import template (issue 16, item 4).
@Suite("Member field table in the web layer")
struct MemberFieldWebTests {
    @Test("the form has an input for every field of the table, the API document a property, the import template a column")
    func everyLayerHasEveryField() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let fields = MemberField.allCases.filter { $0.draft != nil }
        try await harness.withClient { client in
            let form = try await client.send(.get, "/members/new?org=\(org)", as: worker)
            #expect(form.status == .ok)
            for field in fields { #expect(form.body.contains("name=\"\(field.key)\""), "the form has no \(field.key)") }
        }
        let data = try await harness.withClient { client in Data(try await client.send(.get, "/api/v1/openapi.json", as: nil).body.utf8) }
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let properties = try #require((schemas?["MemberInput"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(MemberField.allCases.map(\.key) + ["version"]))
        let template = try TableReader.read(try MemberImportService.template())
        #expect(template.first?.cells == MemberField.allCases.map(\.title))
        await harness.close()
    }
}
