/// A rule of the domain, named once: its code as the documents cite it (`DEV-19`, `LIFE-02`, `ORG-E4`), a one-line
/// summary and where it is written (`rules.md §1.2`, `evaluation.md §2`, or the decision that made it the product's own).
/// Every refusal and every message that cites a rule takes it from the catalog (`RuleCatalog.swift`); the code
/// appears as a literal nowhere else in `Sources/` (RuleCatalogTests).
public struct RuleID: Sendable, Hashable, CustomStringConvertible {
    /// The code users see in messages, e.g. "（规则 DEV-19）".
    public let code: String
    /// What the rule says, in one line (English, with the Chinese term where it helps).
    public let summary: String
    /// The document section that defines the rule.
    public let source: String

    init(_ code: String, _ summary: String, source: String) {
        self.code = code
        self.summary = summary
        self.source = source
    }

    public var description: String { code }

    public static func == (lhs: RuleID, rhs: RuleID) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The catalog entry with this code, if any (for codes read back from the database or a request).
    public static func named(_ code: String) -> RuleID? { byCode[code] }

    private static let byCode: [String: RuleID] = Dictionary(catalog.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// Several rules of one family cited together as the documents do: `LIFE-03/04/06`.
    public static func citing(_ first: RuleID, _ others: RuleID...) -> String {
        others.reduce(first.code) { text, rule in text + "/" + rule.number }
    }

    /// A run of rules of one family: `DEV-03…30`.
    public static func span(_ first: RuleID, _ last: RuleID) -> String {
        first.code + "…" + last.number
    }

    /// The part after the family, e.g. "19" of `DEV-19`.
    var number: String {
        guard let dash = code.lastIndex(of: "-") else { return code }
        return String(code[code.index(after: dash)...])
    }
}
