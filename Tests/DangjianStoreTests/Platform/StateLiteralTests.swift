import Testing
import Foundation

/// Status and state columns are enums (issue 16 item 4): a query binds the enum's raw value
/// (`status = \(bind: DevelopmentCaseStatus.open.rawValue)`), so renaming a state cannot leave a query behind.
@Suite("State literals")
struct StateLiteralTests {
    static let store = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DangjianStore")

    /// Lines that compare or set a state-like column against a quoted SQL literal.
    static func quotedStates(in text: String) -> [Int] {
        let pattern = #/(?i)(^|[^A-Za-z0-9_])(status|state|membership_state|party_status|subject_type|role|org_type|kind)\s*(=|<>|IN\s*\()\s*'/#
        let valuesPattern = #/VALUES\s*\(.*'(pending|open|issued|draft|assigned|previewed)'/#
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line in
            line.contains(pattern) || line.contains(valuesPattern) ? number + 1 : nil
        }
    }

    @Test("no query in the Store writes a state as a quoted literal (migrations excepted)")
    func noQuotedStates() throws {
        var found: [String] = []
        var scanned = 0
        let files = FileManager.default.enumerator(at: Self.store, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Migrations/") else { continue }
            scanned += 1
            for line in Self.quotedStates(in: try String(contentsOf: url, encoding: .utf8)) { found.append("\(url.lastPathComponent):\(line)") }
        }
        #expect(scanned > 50)
        #expect(found.isEmpty, "quoted states: \(found)")
        #expect(
            Self.quotedStates(in: "WHERE status = 'open'\nWHERE status = \\(bind: x)\nm.membership_state IN ('normal')\nVALUES (1, 'pending')") == [
                1, 3, 4,
            ])
    }
}
