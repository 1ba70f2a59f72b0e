public import Foundation

/// Writes an .xlsx (one sheet, or several with `workbook`): a bold, frozen header row and text cells (inline strings, so ID numbers keep every
/// digit and leading zeros), column widths from the content. Cells that would start a formula are neutralised.
public struct XLSXWriter: Sendable {
    public var sheetName: String
    public var header: [String]
    /// Columns (0-based) whose figures are written as numbers, so a sheet can sum and sort them (issue 17 item 3):
    /// “12” as 12, “77.8%” as 0.778 shown as 77.8 %. Anything else in them (“—”, a note) stays text.
    public var numericColumns: Set<Int> = []
    var rows: [[String]] = []
    /// Rows produced on demand instead of `rows` (large exports).
    var source: (count: Int, row: @Sendable (Int) -> [String])?

    public init(sheetName: String, header: [String]) {
        self.sheetName = String(sheetName.prefix(31))
        self.header = header
    }

    /// A sheet whose `rowCount` rows come from `row(i)`, asked twice per row (for the column widths and the part's
    /// size, then for writing): the sheet's XML is streamed into the zip and never held whole, so a 100,000-row
    /// roster export needs memory for its records, not for ~150 MB of XML. `row` must give the same cells each time.
    public init(sheetName: String, header: [String], rowCount: Int, row: @escaping @Sendable (Int) -> [String]) {
        self.init(sheetName: sheetName, header: header)
        source = (rowCount, row)
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    var rowCount: Int { source?.count ?? rows.count }
    func cells(_ index: Int) -> [String] { source.map { $0.row(index) } ?? rows[index] }

    /// The file's bytes.
    public func data() throws -> Data { try Self.workbook([self]) }

    /// A workbook of several sheets, in order (e.g. a report's 汇总, 分组 and 明细); sheet names must differ.
    public static func workbook(_ sheets: [XLSXWriter]) throws -> Data {
        var parts: [OOXMLPackage.Part] = []
        func add(_ path: String, _ text: String) { parts.append(.text(path: path, xml: text)) }
        let numbers = Array(1...max(1, sheets.count))
        let overrides = numbers.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        add(
            "[Content_Types].xml",
            """
            \(OOXMLPackage.declaration)
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\(overrides)<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
            """)
        add("_rels/.rels", OOXMLPackage.rootRelationships(target: "xl/workbook.xml"))
        let sheetEntries = sheets.enumerated().map {
            "<sheet name=\"\(escape($0.element.sheetName))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>"
        }.joined()
        add(
            "xl/workbook.xml",
            """
            \(OOXMLPackage.declaration)
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetEntries)</sheets></workbook>
            """)
        let sheetRelations = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        add(
            "xl/_rels/workbook.xml.rels",
            """
            \(OOXMLPackage.declaration)
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(sheetRelations)<Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """)
        add(
            "xl/styles.xml",
            """
            \(OOXMLPackage.declaration)
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """)
        for (i, sheet) in sheets.enumerated() { parts.append(.streamed(path: "xl/worksheets/sheet\(i + 1).xml", stream: sheet.sheetStream())) }
        return try OOXMLPackage.zip(parts)
    }

    /// The worksheet's XML as a stream: a first pass over the rows finds the column widths and the exact size, the
    /// second writes row by row as the zip asks for bytes.
    func sheetStream() -> PartStream {
        var widths = header.map { Self.width($0) }
        var scratch: [UInt8] = []
        var rowBytes = 0
        for index in 0..<rowCount {
            let row = cells(index)
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(cell)) }
            scratch.removeAll(keepingCapacity: true)
            Self.appendRow(index + 2, row, style: 2, numeric: numericColumns, to: &scratch)
            rowBytes += scratch.count
        }
        var head =
            OOXMLPackage.declaration + "\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        head +=
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        if !widths.isEmpty {
            head +=
                "<cols>"
                + widths.enumerated().map {
                    "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\(min(60, max(6, $0.element + 2)))\" customWidth=\"1\"/>"
                }.joined() + "</cols>"
        }
        head += "<sheetData>"
        var first = Array(head.utf8)
        Self.appendRow(1, header, style: 1, to: &first)
        let tail = Array("</sheetData></worksheet>".utf8)
        var next = -1  // -1: the head and header row; 0..<rowCount: data rows; then the tail
        let count = rowCount
        return PartStream(size: first.count + rowBytes + tail.count) { [self] in
            defer { next += 1 }
            switch next {
            case -1: return first
            case 0..<count:
                var bytes: [UInt8] = []
                Self.appendRow(next + 2, cells(next), style: 2, numeric: numericColumns, to: &bytes)
                return bytes
            case count: return tail
            default: return nil
            }
        }
    }

    /// The XML of the whole sheet as text (small sheets, tests).
    func sheetXML() throws -> String {
        let stream = sheetStream()
        return String(decoding: try stream.read(at: 0, count: stream.size), as: UTF8.self)
    }

    /// A figure as a sheet stores it: (value, style) for “12” (general), “77%” (0 %) and “77.8%” (0.0 %); nil for
    /// anything else. Only plain decimals of up to 15 digits, so an ID number or a phone never becomes a number.
    static func figure(_ text: String) -> (value: String, style: Int)? {
        let percent = text.hasSuffix("%")
        let digits = percent ? String(text.dropLast()) : text
        let body = digits.hasPrefix("-") ? digits.dropFirst() : Substring(digits)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            body.count <= 15, parts[0] == "0" || !parts[0].hasPrefix("0"), let value = Double(digits)
        else { return nil }
        guard percent else { return (digits, 0) }
        return (String(value / 100), parts.count == 2 ? 4 : 3)
    }

    /// One `<row>` with inline-string cells (empty cells omitted), figures in `numeric` columns as numbers, appended
    /// as UTF-8.
    static func appendRow(_ number: Int, _ cells: [String], style: Int, numeric: Set<Int> = [], to out: inout [UInt8]) {
        let rowNumber = String(number).utf8
        out.append(contentsOf: #"<row r=""#.utf8)
        out.append(contentsOf: rowNumber)
        out.append(contentsOf: #"">"#.utf8)
        for (i, cell) in cells.enumerated() where !cell.isEmpty {
            out.append(contentsOf: #"<c r=""#.utf8)
            out.append(contentsOf: columnName(i).utf8)
            out.append(contentsOf: rowNumber)
            if numeric.contains(i), let figure = figure(cell) {
                out.append(contentsOf: #"" s=""#.utf8)
                out.append(contentsOf: String(figure.style).utf8)
                out.append(contentsOf: #""><v>"#.utf8)
                out.append(contentsOf: figure.value.utf8)
                out.append(contentsOf: "</v></c>".utf8)
                continue
            }
            out.append(contentsOf: #"" t="inlineStr" s=""#.utf8)
            out.append(contentsOf: String(style).utf8)
            out.append(contentsOf: #""><is><t xml:space="preserve">"#.utf8)
            appendEscaped(SpreadsheetSafety.neutralise(cell), to: &out)
            out.append(contentsOf: "</t></is></c>".utf8)
        }
        out.append(contentsOf: "</row>".utf8)
    }

    /// `escape` written straight into UTF-8 bytes.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: out.append(byte)
            case ..<0x20: continue
            default: out.append(byte)
            }
        }
    }

    /// 0 → "A", 25 → "Z", 26 → "AA".
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name  // r is 0…25
            n = (n - 1) / 26
        }
        return name
    }

    static func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }

    /// XML text escaping; C0 control characters (illegal in XML 1.0) are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
