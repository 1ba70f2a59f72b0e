import Testing
import Foundation
@testable import DangjianDomain

/// The rule catalog (issue 16, item 4): one entry per rule of the rule documents, and rule codes written nowhere else.
@Suite("Rule catalog")
struct RuleCatalogTests {
    /// The package root: the nearest folder above this file that holds `Package.swift`.
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The rule codes a document defines: a table row that starts with the code, or a bullet that starts with it in bold.
    static func definedCodes(in text: String) -> Set<String> {
        var codes: Set<String> = []
        for line in text.split(separator: "\n") {
            let pattern = #"^(\| *|- \*\*)([A-Z]{2,8}-[A-Z]?[0-9]{1,3})\b"#
            guard let range = line.range(of: pattern, options: .regularExpression) else { continue }
            let match = String(line[range])
            if let code = match.range(of: #"[A-Z]{2,8}-[A-Z]?[0-9]{1,3}"#, options: .regularExpression) { codes.insert(String(match[code])) }
        }
        return codes
    }

    @Test("every catalog entry is defined in docs/domain/rules.md, evaluation.md or a decision, and vice versa")
    func catalogMatchesDocuments() throws {
        var defined = Self.definedCodes(in: try Self.read("docs/domain/rules.md"))
            .union(Self.definedCodes(in: try Self.read("docs/domain/evaluation.md")))
        let decisions = Self.root.appendingPathComponent("docs/decisions")
        var decisionText = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: decisions.path) where name.hasSuffix(".md") {
            let text = try String(contentsOf: decisions.appendingPathComponent(name), encoding: .utf8)
            decisionText += text
            defined.formUnion(Self.definedCodes(in: text))
        }
        let catalog = RuleID.catalog.map(\.code)
        #expect(Set(catalog).count == catalog.count, "a code is listed twice")
        // The product's own rules of decision 0018 are defined in its prose.
        let own = Set(catalog).subtracting(defined)
        #expect(own.allSatisfy { decisionText.contains("**\($0)**") }, "in the catalog but defined nowhere: \(own.sorted())")
        #expect(
            defined.subtracting(catalog).isEmpty, "defined in the documents but missing from the catalog: \(defined.subtracting(catalog).sorted())")
        #expect(catalog.count > 200)
        for rule in RuleID.catalog {
            #expect(!rule.summary.isEmpty && !rule.source.isEmpty, "\(rule.code)")
            #expect(RuleID.named(rule.code) == rule)
        }
        // The scanner must find what it looks for.
        #expect(Self.definedCodes(in: "| DEV-01 | x |\n- **EVAL-02 Methods.**\nsee DEV-03") == ["DEV-01", "EVAL-02"])
    }

    @Test("the snapshot in docs/domain equals ../shared/domain where that folder is present")
    func snapshotIsCurrent() throws {
        let shared = Self.root.deletingLastPathComponent().appendingPathComponent("shared/domain")
        guard FileManager.default.fileExists(atPath: shared.path) else { return }
        for name in ["rules.md", "evaluation.md"] {
            let original = try String(contentsOf: shared.appendingPathComponent(name), encoding: .utf8)
            #expect(original == (try Self.read("docs/domain/" + name)), "docs/domain/\(name) differs from ../shared/domain/\(name)")
        }
    }

    /// A rule code written in the code part of a line (not in a comment).
    static func literalCodes(in text: String, families: Set<String>) -> [Int] {
        var lines: [Int] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var code = String(raw)
            // The comment starts at `//` after whitespace with an even number of quotes before it.
            var searchStart = code.startIndex
            while let slash = code.range(of: "//", range: searchStart..<code.endIndex) {
                let before = code[..<slash.lowerBound]
                if (before.isEmpty || before.last?.isWhitespace == true) && before.filter({ $0 == "\"" }).count % 2 == 0 {
                    code = String(before)
                    break
                }
                searchStart = slash.upperBound
            }
            var found = false
            var rest = code[...]
            while let hit = rest.range(of: #"[A-Z]{2,8}-[A-Z]?[0-9]"#, options: .regularExpression) {
                let family = rest[hit].prefix { $0 != "-" }
                if families.contains(String(family)) { found = true; break }
                rest = rest[hit.upperBound...]
            }
            if found { lines.append(number + 1) }
        }
        return lines
    }

    @Test("no rule code is written in Sources/ outside the catalog (comments may cite rules)")
    func noRuleLiterals() throws {
        let families = Set(RuleID.catalog.map { String($0.code.prefix { $0 != "-" }) })
        let sources = Self.root.appendingPathComponent("Sources")
        var found: [String] = []
        var scanned = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.lastPathComponent.hasPrefix("RuleCatalog") else { continue }
            scanned += 1
            for line in Self.literalCodes(in: try String(contentsOf: url, encoding: .utf8), families: families) {
                found.append("\(url.lastPathComponent):\(line)")
            }
        }
        #expect(scanned > 100)
        #expect(found.isEmpty, "rule codes outside the catalog: \(found)")
        #expect(Self.literalCodes(in: "a(\"DEV-19\")\n// DEV-19\nlet s = \"SHA-256\"\nx // LIFE-02\n\"（LIFE-02）\"", families: families) == [1, 5])
    }
}
