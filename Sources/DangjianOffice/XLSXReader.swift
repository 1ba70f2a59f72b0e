public import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the first worksheet of an .xlsx (Office Open XML) as rows of text. Handles shared strings (including rich
/// text, skipping phonetic runs), inline strings, numbers, booleans and formula results; columns are placed by
/// their `r` reference so skipped cells stay empty. Every entry is inflated through a counter that stops at the
/// limits; DTDs are refused before parsing.
public enum XLSXReader {
    public static func read(_ data: Data, limits: SpreadsheetLimits = SpreadsheetLimits()) throws -> [SheetRow] {
        guard data.count <= limits.maxFileBytes else { throw SpreadsheetError.tooLarge(limit: limits.maxFileBytes) }
        // Read from a private temporary file, not ZIPFoundation's in-memory archive: its memory reader traps on
        // offsets past the end of malformed files (found by the fuzz test), the file reader does not. The copy is
        // removed as soon as reading ends (residual-information protection).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dangjian-upload-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("upload.xlsx")
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SpreadsheetError.malformed("无法暂存上传文件")
        }
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch { throw SpreadsheetError.malformed("无法打开压缩包") }
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.maxEntries { throw SpreadsheetError.tooManyEntries(limit: limits.maxEntries) }
            entries[entry.path.hasPrefix("/") ? String(entry.path.dropFirst()) : entry.path] = entry
        }
        var inflatedTotal = 0
        func extract(_ path: String) throws -> Data? {
            guard let entry = entries[path] else { return nil }
            var out = Data()
            let compressed = max(1, Int(entry.compressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    out.append(chunk)
                    inflatedTotal += chunk.count
                    if inflatedTotal > limits.maxTotalInflatedBytes { throw SpreadsheetError.inflatedTooLarge }
                    if out.count > limits.ratioThreshold && out.count / compressed > limits.maxInflationRatio {
                        throw SpreadsheetError.suspiciousCompression(entry: path)
                    }
                }
            } catch let error as SpreadsheetError {
                throw error
            } catch {
                throw SpreadsheetError.malformed("\(path) 无法解压")
            }
            if out.range(of: Data("<!DOCTYPE".utf8)) != nil || out.range(of: Data("<!ENTITY".utf8)) != nil {
                throw SpreadsheetError.forbiddenDTD
            }
            return out
        }
        guard let workbook = try extract("xl/workbook.xml") else { throw SpreadsheetError.malformed("缺少 xl/workbook.xml") }
        let sheetRelID = try FirstSheetParser.parse(workbook)
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let rels = try extract("xl/_rels/workbook.xml.rels"), let relID = sheetRelID,
           let target = try RelationshipsParser.parse(rels)[relID] {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try extract("xl/sharedStrings.xml").map { try SharedStringsParser.parse($0) } ?? []
        guard let sheet = try extract(sheetPath) else { throw SpreadsheetError.malformed("缺少工作表 \(sheetPath)") }
        return try SheetParser.parse(sheet, sharedStrings: shared, limits: limits)
    }

    /// "C12" → column index 2 (0-based); nil when malformed.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 || letters > 3 ? nil : index - 1
    }
}

/// Base class: a parser with DTDs and external entities off.
class SafeXMLParserDelegate: NSObject, XMLParserDelegate {
    var failure: (any Error)?

    func run(_ data: Data) throws {
        // Foundation's XMLParser traps on names that are not valid UTF-8 (found by the fuzz test in CI). Spreadsheet
        // parts are UTF-8, so anything else is refused before parsing.
        guard String(validating: data, as: UTF8.self) != nil, !data.contains(0) else {
            throw SpreadsheetError.malformed("XML 不是有效的 UTF-8 文本")
        }
        if let head = String(data: data.prefix(200), encoding: .utf8), let range = head.range(of: "encoding=\""),
           !head[range.upperBound...].lowercased().hasPrefix("utf-8") {
            throw SpreadsheetError.malformed("XML 声明了不支持的编码")
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = self
        if !parser.parse() {
            if let failure { throw failure }
            throw SpreadsheetError.malformed(parser.parserError.map { "XML 错误：\($0.localizedDescription)" } ?? "XML 错误")
        }
        if let failure { throw failure }
    }

    func fail(_ error: any Error, _ parser: XMLParser) {
        failure = error
        parser.abortParsing()
    }

    // On Linux the delegate methods are witnessed where the conformance is declared, so the base class implements
    // them once and forwards to methods the subclasses override.
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        start(name, attributes, parser)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        end(name, parser)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

    func start(_ name: String, _ attributes: [String: String], _ parser: XMLParser) {}
    func end(_ name: String, _ parser: XMLParser) {}
    func text(_ string: String) {}
}

final class FirstSheetParser: SafeXMLParserDelegate {
    var relID: String?

    static func parse(_ data: Data) throws -> String? {
        let p = FirstSheetParser()
        try p.run(data)
        return p.relID
    }

    override func start(_ name: String, _ attributes: [String: String], _ parser: XMLParser) {
        if relID == nil, name == "sheet" || name.hasSuffix(":sheet") {
            relID = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value
        }
    }
}

final class RelationshipsParser: SafeXMLParserDelegate {
    var targets: [String: String] = [:]

    static func parse(_ data: Data) throws -> [String: String] {
        let p = RelationshipsParser()
        try p.run(data)
        return p.targets
    }

    override func start(_ name: String, _ attributes: [String: String], _ parser: XMLParser) {
        if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

final class SharedStringsParser: SafeXMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inSI = false
    var inT = false
    var phoneticDepth = 0

    static func parse(_ data: Data) throws -> [String] {
        let p = SharedStringsParser()
        try p.run(data)
        return p.strings
    }

    override func start(_ name: String, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "si": inSI = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inT = inSI && phoneticDepth == 0
        default: break
        }
    }

    override func end(_ name: String, _ parser: XMLParser) {
        switch name {
        case "si": strings.append(current); inSI = false
        case "rPh": phoneticDepth -= 1
        case "t": inT = false
        default: break
        }
    }

    override func text(_ string: String) { if inT { current += string } }
}

final class SheetParser: SafeXMLParserDelegate {
    let shared: [String]
    let limits: SpreadsheetLimits
    var rows: [SheetRow] = []
    var currentRow: [String] = []
    var rowNumber = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var inValue = false
    var inInlineText = false

    init(shared: [String], limits: SpreadsheetLimits) {
        self.shared = shared
        self.limits = limits
    }

    static func parse(_ data: Data, sharedStrings: [String], limits: SpreadsheetLimits) throws -> [SheetRow] {
        let p = SheetParser(shared: sharedStrings, limits: limits)
        try p.run(data)
        return p.rows
    }

    override func start(_ name: String, _ attributes: [String: String], _ parser: XMLParser) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            currentRow = []
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex) ?? currentRow.count
            cellType = attributes["t"] ?? "n"
            value = ""
            if cellColumn >= limits.maxColumns { fail(SpreadsheetError.tooManyColumns(limit: limits.maxColumns), parser) }
        case "v": inValue = true
        case "t": inInlineText = cellType == "inlineStr"
        default: break
        }
    }

    override func end(_ name: String, _ parser: XMLParser) {
        switch name {
        case "v": inValue = false
        case "t": inInlineText = false
        case "c":
            var text: String
            switch cellType {
            case "s": text = Int(value.trimmingCharacters(in: .whitespaces)).flatMap { $0 < shared.count ? shared[$0] : nil } ?? ""
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            default: text = value
            }
            if cellType == "n" { text = Self.plainNumber(text) }
            if text.count > limits.maxCellCharacters { fail(SpreadsheetError.cellTooLong(row: rowNumber), parser); return }
            while currentRow.count < cellColumn { currentRow.append("") }
            if currentRow.count == cellColumn { currentRow.append(text) } else { currentRow[cellColumn] = text }
        case "row":
            while currentRow.last == "" { currentRow.removeLast() }
            if !currentRow.isEmpty { rows.append(SheetRow(number: rowNumber, cells: currentRow)) }
            if rows.count > limits.maxRows { fail(SpreadsheetError.tooManyRows(limit: limits.maxRows), parser) }
        default: break
        }
    }

    override func text(_ string: String) {
        if inValue || inInlineText { value += string }
    }

    /// "43647" stays; "43647.0" → "43647"; scientific notation is kept so the importer can explain lost digits.
    static func plainNumber(_ text: String) -> String {
        if text.hasSuffix(".0") { return String(text.dropLast(2)) }
        return text
    }
}
