public import Foundation

/// Reads CSV as offices save it: comma separated, quoted fields with doubled quotes, CR/LF or LF, a UTF-8 BOM or
/// none, or GB18030 (Excel's "CSV" on a Chinese system).
public enum CSVReader {
    public static func read(_ data: Data, limits: SpreadsheetLimits = SpreadsheetLimits()) throws -> [SheetRow] {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text: String
        if let utf8 = String(data: bytes, encoding: .utf8) {
            text = utf8
        } else if let gb = String(data: bytes, encoding: String.Encoding(rawValue: 0x8000_0632)) {
            text = gb
        } else {
            throw SpreadsheetError.unknownEncoding
        }
        var rows: [SheetRow] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var rowNumber = 1
        var iterator = Array(text.unicodeScalars)[...]
        func endField() throws {
            if field.count > limits.maxCellCharacters { throw SpreadsheetError.cellTooLong(row: rowNumber) }
            row.append(field)
            field = ""
            if row.count > limits.maxColumns { throw SpreadsheetError.tooManyColumns(limit: limits.maxColumns) }
        }
        func endRow() throws {
            try endField()
            if !(row.count == 1 && row[0].isEmpty) { rows.append(SheetRow(number: rowNumber, cells: row)) }
            row = []
            rowNumber += 1
            if rows.count > limits.maxRows { throw SpreadsheetError.tooManyRows(limit: limits.maxRows) }
        }
        while let scalar = iterator.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if iterator.first == "\"" { field.unicodeScalars.append("\""); iterator.removeFirst() } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": try endField()
            case "\r":
                if iterator.first == "\n" { iterator.removeFirst() }
                try endRow()
            case "\n": try endRow()
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { try endRow() }
        return rows
    }
}
