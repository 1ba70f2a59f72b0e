public import Foundation

/// Limits applied to every uploaded spreadsheet before and while it is unpacked (ASVS 12.1.1–12.1.2; the
/// Apache POI ZipSecureFile defaults): uploads are small, entries few, inflation bounded and checked while
/// inflating — header sizes are never trusted.
public struct SpreadsheetLimits: Sendable {
    public var maxFileBytes = 10 * 1024 * 1024
    public var maxEntries = 1_000
    public var maxTotalInflatedBytes = 100 * 1024 * 1024
    /// An entry may inflate at most this many times its compressed size (once past `ratioThreshold` bytes).
    public var maxInflationRatio = 100
    public var ratioThreshold = 100 * 1024
    public var maxRows = 200_000
    public var maxColumns = 200
    public var maxCellCharacters = 32 * 1024

    public init() {}
}

/// Why an uploaded file was refused, in Chinese.
public enum SpreadsheetError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case notSpreadsheet
    case tooManyEntries(limit: Int)
    case inflatedTooLarge
    case suspiciousCompression(entry: String)
    case forbiddenDTD
    case malformed(String)
    case tooManyRows(limit: Int)
    case tooManyColumns(limit: Int)
    case cellTooLong(row: Int)
    case unknownEncoding

    public var description: String {
        switch self {
        case .tooLarge(let limit): "文件超过 \(limit / 1024 / 1024) MB，请拆分后再导入"
        case .notSpreadsheet: "文件不是 Excel（.xlsx）或 CSV 表格。老版本 .xls 请先在 Excel 中“另存为 .xlsx”"
        case .tooManyEntries: "文件结构异常（压缩包内文件过多），已拒绝"
        case .inflatedTooLarge: "文件解压后过大，已拒绝（可能是压缩炸弹）"
        case .suspiciousCompression(let entry): "文件中的 \(entry) 压缩比异常，已拒绝（可能是压缩炸弹）"
        case .forbiddenDTD: "文件包含不允许的 XML 声明（DTD/外部实体），已拒绝"
        case .malformed(let why): "文件已损坏或不是有效的 .xlsx：\(why)"
        case .tooManyRows(let limit): "表格超过 \(limit) 行，请拆分后再导入"
        case .tooManyColumns(let limit): "表格超过 \(limit) 列"
        case .cellTooLong(let row): "第 \(row) 行有单元格内容过长"
        case .unknownEncoding: "CSV 文件的编码无法识别，请另存为“CSV UTF-8”"
        }
    }
}

/// One row read from a sheet, with its row number as the spreadsheet shows it (1-based).
public struct SheetRow: Sendable, Equatable {
    public var number: Int
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}

/// Reads an uploaded table: .xlsx by its magic bytes, otherwise CSV (UTF-8 with or without BOM, or GB18030 as
/// Excel saves Chinese CSV).
public enum TableReader {
    public static func read(_ data: Data, limits: SpreadsheetLimits = SpreadsheetLimits()) throws -> [SheetRow] {
        guard data.count <= limits.maxFileBytes else { throw SpreadsheetError.tooLarge(limit: limits.maxFileBytes) }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try XLSXReader.read(data, limits: limits) }
        // Other binary formats (old .xls, images, PDFs) are refused by content, not by name.
        // Text has no control bytes other than tab, CR and LF; anything else in the first kilobyte is binary.
        let head = data.prefix(1024)
        if head.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) || head.starts(with: [0x25, 0x50, 0x44, 0x46]) {
            throw SpreadsheetError.notSpreadsheet
        }
        return try CSVReader.read(data, limits: limits)
    }
}
