/// Reading a roster spreadsheet as offices keep it (花名册导入): finds the header row under any title rows,
/// recognises columns by their common names in any order, and turns each data row into a `MemberDraft` plus the
/// organisation named in the row. Problems name the spreadsheet row and column.
public enum RosterImport {
    /// A roster column: one of the member's fields (`MemberField`, the one table of them).
    public typealias Column = MemberField

    /// Recognising a column by its header.
    enum Headers {
        /// Headers are compared without spaces, full-width forms or trailing colons.
        static func normalise(_ header: String) -> String {
            header.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && $0 != ":" && $0 != "*" }
        }

        static let lookup: [String: Column] = {
            var map: [String: Column] = [:]
            for column in Column.allCases { for name in column.synonyms { map[normalise(name)] = column } }
            return map
        }()

        static func match(_ header: String) -> Column? { lookup[normalise(header)] }
    }

    /// One problem of one row.
    public struct Problem: Sendable, Equatable {
        public var row: Int
        /// The column header as written in the file, or the template title.
        public var column: String
        public var message: String
        public var ruleID: String?

        public var fullMessage: String { ruleID.map { "\(message)（规则 \($0)）" } ?? message }

        public init(row: Int, column: String, message: String, ruleID: String?) {
            self.row = row
            self.column = column
            self.message = message
            self.ruleID = ruleID
        }
    }

    /// A data row turned into a draft.
    public struct Row: Sendable {
        public var number: Int
        public var draft: MemberDraft
        public var organisation: String
        /// Which columns the file has (absent columns keep existing values on update).
        public var present: Set<Column>
        public var problems: [Problem]
    }

    /// The whole file.
    public struct Analysis: Sendable {
        public var headerRow: Int
        public var columns: [(header: String, column: Column?)]
        public var rows: [Row]
        public var fileProblems: [String]

        public var present: Set<Column> { Set(columns.compactMap(\.column)) }
    }

    /// Reads rows (already parsed from .xlsx or .csv) into drafts.
    public static func analyse(_ sheet: [(number: Int, cells: [String])]) -> Analysis {
        // The header is the row, among the first ten, that names the most known columns.
        var best: (index: Int, score: Int) = (-1, 0)
        for (i, row) in sheet.prefix(10).enumerated() {
            let score = Set(row.cells.compactMap(Headers.match)).count
            if score > best.score { best = (i, score) }
        }
        guard best.index >= 0, best.score >= 2 else {
            return Analysis(headerRow: 0, columns: [], rows: [], fileProblems: ["没有找到列名行：前 10 行中应有一行写着“姓名”“身份证号”等列名。可以下载模板对照"])
        }
        let header = sheet[best.index]
        var columns: [(String, Column?)] = []
        var seen = Set<Column>()
        var fileProblems: [String] = []
        for cell in header.cells {
            var column = Headers.match(cell)
            if let c = column {
                if seen.contains(c) {
                    fileProblems.append("列“\(cell.trimmed)”重复出现，只使用第一列")
                    column = nil
                } else {
                    seen.insert(c)
                }
            }
            columns.append((cell.trimmed, column))
        }
        for required in [Column.name, .idNumber, .joinDate] where !seen.contains(required) {
            fileProblems.append("缺少必需的列“\(required.title)”")
        }
        var rows: [Row] = []
        for row in sheet.dropFirst(best.index + 1) {
            if row.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            var draft = MemberDraft()
            var organisation = ""
            var problems: [Problem] = []
            for (i, (headerText, column)) in columns.enumerated() {
                guard let column else { continue }
                let raw = i < row.cells.count ? row.cells[i] : ""
                let value = raw.trimmed
                if column == .idNumber, value.lowercased().contains("e+") || (value.contains(".") && !value.isEmpty) {
                    problems.append(
                        Problem(
                            row: row.number, column: headerText,
                            message: "身份证号“\(value)”被 Excel 存成了数字，末几位已经丢失。请把该列设置为“文本”格式后重新录入", ruleID: "GB 11643"))
                }
                if let path = column.draft { draft[keyPath: path] = value } else { organisation = value }
            }
            // A roster without a 党员身份 column still says it through the conversion date.
            if draft.partyStatus.isEmpty && !seen.contains(.partyStatus) {
                draft.partyStatus = draft.fullMemberDate.isEmpty ? "" : PartyStatus.full.displayName
            }
            rows.append(Row(number: row.number, draft: draft, organisation: organisation, present: seen, problems: problems))
        }
        // A masked export (身份证号 “6101**************”, 姓名 “张*明”) has lost what an import needs: say so once
        // instead of a problem in every cell (issue 17 item 10).
        let masked = rows.filter { Self.isMasked($0.draft.idNumber) || Self.isMasked($0.draft.name) }
        if !masked.isEmpty && masked.count * 2 >= rows.count {
            return Analysis(headerRow: header.number, columns: columns, rows: [], fileProblems: fileProblems + [Self.maskedFileMessage])
        }
        for i in rows.indices where Self.isMasked(rows[i].draft.idNumber) || Self.isMasked(rows[i].draft.name) {
            rows[i].problems.append(
                Problem(row: rows[i].number, column: Column.idNumber.title, message: "本行的姓名或身份证号是脱敏后的值（含“*”），请填写完整信息", ruleID: nil))
        }
        return Analysis(headerRow: header.number, columns: columns, rows: rows, fileProblems: fileProblems)
    }

    /// What the preview says about a masked export.
    public static let maskedFileMessage =
        "这是脱敏导出的名册：身份证号、姓名等已部分隐去（如“6101**************”），不能用来导入或更新。请使用经审批的完整导出（“申请导出完整信息”），或下载模板填写完整信息后导入"

    /// A value with the masking mark (`*`), as `Masking` writes it.
    static func isMasked(_ value: String) -> Bool { value.contains("*") || value.contains("＊") }

    /// The header a problem about `field` (a `MemberDraft` field name) should point at in this file.
    public static func header(for field: String, in analysis: Analysis) -> String {
        let column = Column(key: field)
        guard let column else { return field }
        return analysis.columns.first { $0.column == column }?.header ?? column.title
    }
}
