import Testing
import Foundation
@testable import DangjianWeb

/// Templates link through the capabilities' path constants (`Feature.paths`, issue 16 item 3): no URL literal is
/// written twice, and every `{{paths.…}}` a template uses is one a capability declares.
@Suite("Template paths")
struct TemplatePathTests {
    /// Every template's text, by its name under `Resources/templates`.
    static func templates() throws -> [(name: String, text: String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DangjianWeb/Resources/templates")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "mustache" }.map {
            (String($0.path.dropFirst(root.path.count + 1)), try String(contentsOf: $0, encoding: .utf8))
        }
    }

    /// The literal URL values of `href`, `action`, `src` and `formaction` attributes.
    static func literalURLs(in text: String) -> [String] {
        let pattern = #/(?:href|action|src|formaction)="(/[^"]*)"/#
        return text.matches(of: pattern).map { String($0.output.1) }
    }

    @Test("no URL literal appears twice across the templates")
    func noRepeatedLiteral() throws {
        let templates = try Self.templates()
        #expect(templates.count > 40)
        var seen: [String: [String]] = [:]
        for template in templates {
            for url in Self.literalURLs(in: template.text) { seen[url, default: []].append(template.name) }
        }
        let repeated = seen.filter { $0.value.count > 1 }
        #expect(repeated.isEmpty, "repeated path literals (use {{paths.…}}): \(repeated.sorted { $0.key < $1.key })")
    }

    @Test("every {{paths.name}} in a template is declared by exactly one capability, and resolves to a route")
    func pathsAreDeclared() throws {
        var owners: [String: [String]] = [:]
        for feature in Features.all {
            for name in feature.paths.keys { owners[name, default: []].append(String(describing: feature)) }
        }
        #expect(owners.filter { $0.value.count > 1 }.isEmpty, "names claimed twice: \(owners.filter { $0.value.count > 1 })")
        let used = try Self.templates().flatMap { t in t.text.matches(of: #/\{\{paths\.([A-Za-z]+)\}\}/#).map { String($0.output.1) } }
        #expect(Set(used).count >= 15)
        for name in Set(used) { #expect(Features.templatePaths[name] != nil, "{{paths.\(name)}} is not declared") }
        // Each declared path is a route's path or the prefix of one (`/meetings` of `/meetings/{id}`).
        let routes = try RouteListTests.checkedIn().values.joined().joined(separator: "\n")
        for (name, path) in Features.templatePaths {
            #expect(routes.contains(" \(path) |") || routes.contains(" \(path)/"), "\(name) = \(path) is no route")
        }
    }
}
