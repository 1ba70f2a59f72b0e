import Foundation

/// Reading an organisation list spreadsheet (组织机构导入) as a county keeps it: a title row or two, then a header
/// naming at least 组织名称 and 组织类型, columns in any order under common synonyms.
public enum OrganisationImport {
    public enum Column: String, CaseIterable, Sendable {
        case name, shortName, type, parent, unitName, unitCategory, assessmentCategory, established

        /// The template's header.
        public var title: String {
            switch self {
            case .name: "组织名称"
            case .shortName: "简称"
            case .type: "组织类型"
            case .parent: "上级组织"
            case .unitName: "所在单位"
            case .unitCategory: "单位类别"
            case .assessmentCategory: "考核类别"
            case .established: "成立日期"
            }
        }

        var synonyms: [String] {
            switch self {
            case .name: ["组织名称", "党组织名称", "党组织全称", "组织全称", "名称"]
            case .shortName: ["简称", "组织简称", "党组织简称"]
            case .type: ["组织类型", "党组织类型", "组织类别", "党组织类别", "类型"]
            case .parent: ["上级组织", "上级党组织", "上级党组织名称", "隶属党组织", "上级"]
            case .unitName: ["所在单位", "单位名称", "单位"]
            case .unitCategory: ["单位类别", "单位性质", "单位类型"]
            case .assessmentCategory: ["考核类别", "考核分类", "考核序列"]
            case .established: ["成立日期", "成立时间", "建立日期", "建立时间"]
            }
        }

        static let lookup: [String: Column] = {
            var map: [String: Column] = [:]
            for c in Column.allCases { for s in c.synonyms { map[normalise(s)] = c } }
            return map
        }()

        static func normalise(_ header: String) -> String {
            header.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && $0 != ":" && $0 != "*" }
        }

        public static func match(_ header: String) -> Column? { lookup[normalise(header)] }
    }

    /// One data row with its cells by column, and its line number in the file.
    public struct Row: Sendable, Equatable {
        public var number: Int
        public var values: [Column: String]

        public func value(_ column: Column) -> String { values[column] ?? "" }
    }

    public struct Analysis: Sendable {
        public var headerRow: Int
        public var headers: [Column: String]
        public var rows: [Row]
        public var fileProblems: [String]

        /// The header as written in the file for a column, else the template's title.
        public func header(_ column: Column) -> String { headers[column] ?? column.title }
    }

    /// Finds the header among the first ten rows and reads the data rows below it (blank rows skipped).
    public static func analyse(_ sheet: [(number: Int, cells: [String])]) -> Analysis {
        var best: (index: Int, score: Int) = (-1, 0)
        for (i, row) in sheet.prefix(10).enumerated() {
            let score = Set(row.cells.compactMap(Column.match)).count
            if score > best.score { best = (i, score) }
        }
        guard best.index >= 0, best.score >= 2 else {
            return Analysis(headerRow: 0, headers: [:], rows: [], fileProblems: ["没有找到列名行：前 10 行中应有一行写着“组织名称”“组织类型”等列名。可以下载模板对照"])
        }
        let header = sheet[best.index]
        var positions: [(Int, Column)] = []
        var headers: [Column: String] = [:]
        var fileProblems: [String] = []
        for (i, cell) in header.cells.enumerated() {
            guard let c = Column.match(cell) else { continue }
            if headers[c] != nil { fileProblems.append("列“\(cell.trimmed)”重复出现，只使用第一列"); continue }
            headers[c] = cell.trimmed
            positions.append((i, c))
        }
        for required in [Column.name, .type] where headers[required] == nil {
            fileProblems.append("缺少必需的列“\(required.title)”")
        }
        var rows: [Row] = []
        for row in sheet.dropFirst(best.index + 1) {
            if row.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            var values: [Column: String] = [:]
            for (i, c) in positions where i < row.cells.count {
                values[c] = row.cells[i].precomposedStringWithCompatibilityMapping.trimmed
            }
            rows.append(Row(number: row.number, values: values))
        }
        return Analysis(headerRow: header.number, headers: headers, rows: rows, fileProblems: fileProblems)
    }
}
