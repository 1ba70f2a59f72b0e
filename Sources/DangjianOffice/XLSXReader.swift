public import Foundation
import ZIPFoundation

/// Reads the first worksheet of an .xlsx (Office Open XML) as rows of text. Handles shared strings (including rich
/// text, skipping phonetic runs), inline strings, numbers, booleans and formula results; columns are placed by
/// their `r` reference so skipped cells stay empty. Every entry is inflated through a counter that stops at the
/// limits; DTDs are refused before parsing. The XML is read by `XMLTokenizer` (decision 0014).
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
        /// An entry's bytes, inflated through the limits (no copy afterwards: the tokenizer reads this array).
        func extract(_ path: String) throws -> [UInt8]? {
            guard let entry = entries[path] else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(min(Int(entry.uncompressedSize), limits.maxTotalInflatedBytes - inflatedTotal, 64 * 1024 * 1024))
            let compressed = max(1, Int(entry.compressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    out.append(contentsOf: chunk)
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
            if SpreadsheetParts.containsDeclaration(out) { throw SpreadsheetError.forbiddenDTD }
            return out
        }
        guard let workbook = try extract("xl/workbook.xml") else { throw SpreadsheetError.malformed("缺少 xl/workbook.xml") }
        let sheetRelID = try SpreadsheetParts.firstSheetRelationship(workbook)
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let rels = try extract("xl/_rels/workbook.xml.rels"), let relID = sheetRelID,
            let target = try SpreadsheetParts.relationships(rels)[relID]
        {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try extract("xl/sharedStrings.xml").map { try SpreadsheetParts.sharedStrings($0) } ?? []
        guard let sheet = try extract(sheetPath) else { throw SpreadsheetError.malformed("缺少工作表 \(sheetPath)") }
        return try SpreadsheetParts.sheet(sheet, sharedStrings: shared, limits: limits)
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

/// The parts of a workbook, parsed with `XMLTokenizer`.
enum SpreadsheetParts {
    /// A tokenizer over a part that must be UTF-8 without NUL bytes (every xlsx writer in use produces that).
    static func tokenizer(_ bytes: [UInt8]) throws -> XMLTokenizer {
        guard isValidUTF8WithoutNUL(bytes) else { throw SpreadsheetError.malformed("XML 不是有效的 UTF-8 文本") }
        if let head = String(bytes: bytes.prefix(200), encoding: .utf8), let range = head.range(of: "encoding=\""),
            !head[range.upperBound...].lowercased().hasPrefix("utf-8")
        {
            throw SpreadsheetError.malformed("XML 声明了不支持的编码")
        }
        return XMLTokenizer(bytes)
    }

    /// Whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF) without NUL,
    /// checked in place: building a String to validate a 50 MB sheet would copy it.
    static func isValidUTF8WithoutNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                let lead = b[i]
                if lead < 0x80 {
                    if lead == 0 { return false }
                    i += 1
                    continue
                }
                let length: Int, low: UInt8, high: UInt8  // allowed range of the second byte
                switch lead {
                case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
                case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
                case 0xED: (length, low, high) = (3, 0x80, 0x9F)
                case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
                case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
                case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
                default: return false
                }
                guard i + length <= n, b[i + 1] >= low, b[i + 1] <= high else { return false }
                for k in 2..<max(2, length) where b[i + k] & 0xC0 != 0x80 { return false }
                i += length
            }
            return true
        }
    }

    /// Whether the part declares a DTD or an entity (`<!DOCTYPE`, `<!ENTITY`), found by a scan of the bytes.
    static func containsDeclaration(_ bytes: [UInt8]) -> Bool {
        let doctype = Array("DOCTYPE".utf8), entity = Array("ENTITY".utf8)
        return bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i + 1 < b.count {
                if b[i] == UInt8(ascii: "<") && b[i + 1] == UInt8(ascii: "!") {
                    for word in [doctype, entity] where i + 2 + word.count <= b.count {
                        if (0..<word.count).allSatisfy({ b[i + 2 + $0] == word[$0] }) { return true }
                    }
                }
                i += 1
            }
            return false
        }
    }

    static func attribute(_ attributes: [(String, String)], _ name: String) -> String? {
        attributes.first { $0.0 == name }?.1
    }

    /// The relationship id of the first `<sheet>` in workbook.xml.
    static func firstSheetRelationship(_ data: [UInt8]) throws -> String? {
        var tokens = try tokenizer(data)
        var relID: String?
        while let event = try tokens.next() {
            if relID == nil, case .start("sheet", let attributes, _) = event {
                relID = attribute(attributes, "r:id") ?? attributes.first { $0.0.hasSuffix(":id") }?.1
            }
        }
        return relID
    }

    /// Relationship id → target.
    static func relationships(_ data: [UInt8]) throws -> [String: String] {
        var tokens = try tokenizer(data)
        var targets: [String: String] = [:]
        while let event = try tokens.next() {
            if case .start("Relationship", let attributes, _) = event, let id = attribute(attributes, "Id"),
                let target = attribute(attributes, "Target")
            {
                targets[id] = target
            }
        }
        return targets
    }

    /// The shared strings, rich-text runs joined, phonetic runs (rPh) skipped.
    static func sharedStrings(_ data: [UInt8]) throws -> [String] {
        var tokens = try tokenizer(data)
        var strings: [String] = []
        var current = ""
        var inSI = false, inT = false
        var phoneticDepth = 0
        while let event = try tokens.next() {
            switch event {
            case .start(let name, _, _):
                switch name {
                case "si": inSI = true; current = ""
                case "rPh": phoneticDepth += 1
                case "t": inT = inSI && phoneticDepth == 0
                default: break
                }
            case .end(let name):
                switch name {
                case "si": strings.append(current); inSI = false
                case "rPh": phoneticDepth -= 1
                case "t": inT = false
                default: break
                }
            case .text(let text):
                if inT { current += text }
            }
        }
        return strings
    }

    /// A worksheet's rows as text. Cells are placed by their `r` reference so skipped cells stay empty; shared and
    /// inline strings, numbers, booleans and formula results (the cached `<v>`) are read.
    static func sheet(_ data: [UInt8], sharedStrings shared: [String], limits: SpreadsheetLimits) throws -> [SheetRow] {
        var tokens = try tokenizer(data)
        var rows: [SheetRow] = []
        var currentRow: [String] = []
        var rowNumber = 0
        var cellColumn = 0
        var cellType = "n"
        var value = ""
        var inValue = false, inInlineText = false
        while let event = try tokens.next() {
            switch event {
            case .start(let name, let attributes, _):
                switch name {
                case "row":
                    rowNumber = attribute(attributes, "r").flatMap(Int.init) ?? rowNumber + 1
                    currentRow = []
                case "c":
                    cellColumn = attribute(attributes, "r").flatMap(XLSXReader.columnIndex) ?? currentRow.count
                    cellType = attribute(attributes, "t") ?? "n"
                    value = ""
                    if cellColumn >= limits.maxColumns { throw SpreadsheetError.tooManyColumns(limit: limits.maxColumns) }
                case "v": inValue = true
                case "t": inInlineText = cellType == "inlineStr"
                default: break
                }
            case .end(let name):
                switch name {
                case "v": inValue = false
                case "t": inInlineText = false
                case "c":
                    var text: String
                    switch cellType {
                    case "s": text = (Int(value) ?? Int(value.filter { $0 != " " })).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
                    case "b": text = value == "1" ? "TRUE" : "FALSE"
                    default: text = value
                    }
                    if cellType == "n" { text = plainNumber(text) }
                    if text.count > limits.maxCellCharacters { throw SpreadsheetError.cellTooLong(row: rowNumber) }
                    while currentRow.count < cellColumn { currentRow.append("") }
                    if currentRow.count == cellColumn { currentRow.append(text) } else { currentRow[cellColumn] = text }
                case "row":
                    while currentRow.last == "" { currentRow.removeLast() }
                    if !currentRow.isEmpty { rows.append(SheetRow(number: rowNumber, cells: currentRow)) }
                    if rows.count > limits.maxRows { throw SpreadsheetError.tooManyRows(limit: limits.maxRows) }
                default: break
                }
            case .text(let text):
                if inValue || inInlineText { value += text }
            }
        }
        return rows
    }

    /// "43647" stays; "43647.0" → "43647"; scientific notation is kept so the importer can explain lost digits.
    static func plainNumber(_ text: String) -> String {
        if text.hasSuffix(".0") { return String(text.dropLast(2)) }
        return text
    }
}
