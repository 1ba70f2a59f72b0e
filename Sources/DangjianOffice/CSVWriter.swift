public import Foundation

/// Writes CSV for spreadsheet users: UTF-8 with a byte-order mark (so Excel shows Chinese correctly), CRLF line
/// ends, quoting where needed, and formula neutralisation (CWE-1236, ASVS 5.0 1.2.10).
public struct CSVWriter: Sendable {
    private var lines: [String] = []

    public init(header: [String]) { lines.append(Self.line(header)) }

    /// Appends one row.
    public mutating func append(_ row: [String]) { lines.append(Self.line(row)) }

    /// Rows written, excluding the header.
    public var rowCount: Int { lines.count - 1 }

    /// The file's bytes.
    public var data: Data { Data((["\u{FEFF}"] + [lines.joined(separator: "\r\n"), "\r\n"]).joined().utf8) }

    static func line(_ cells: [String]) -> String { cells.map(escape).joined(separator: ",") }

    /// Quotes a cell and defuses formula triggers.
    public static func escape(_ raw: String) -> String {
        let cell = SpreadsheetSafety.neutralise(raw)
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }
}

/// Spreadsheet formula-injection defence shared by every export.
public enum SpreadsheetSafety {
    /// Characters that make a spreadsheet treat a cell as a formula.
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\0"]

    /// Prefixes `'` when the cell would start a formula.
    public static func neutralise(_ cell: String) -> String {
        guard let first = cell.first, triggers.contains(first) else { return cell }
        return "'" + cell
    }
}
