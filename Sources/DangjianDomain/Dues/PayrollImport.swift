public import Foundation

/// 党费基数批量核定 (issue 18, item 1; DUES-09/15): reading the payroll sheet an office gets from HR each year. The
/// header row is found under any title rows; columns are recognised by the names payroll sheets use, in any order.
/// A row gives its member's ID number, the category (在职 when not given) and the monthly base — either written as
/// the base, or computed from the gross pay less the components DUES-15 excludes (个税, 五险, 公积金, 年金, 补贴,
/// 奖励性绩效 …), each column it subtracted named in the explanation. Problems name the row, the column and the rule.

/// The components DUES-15 excludes from the base (a rule-book parameter; the default of 四川党的建设 2020-13). A column
/// is excluded when its header contains one of the words; 基础性绩效 is included (it is never listed here).
public struct DuesBaseRules: Sendable, Codable, Equatable {
    public var excludedComponents: [String]

    public init(excludedComponents: [String]) { self.excludedComponents = excludedComponents }

    /// DUES-15's default.
    public static let national = DuesBaseRules(excludedComponents: [
        "个人所得税", "个税", "所得税", "养老保险", "医疗保险", "失业保险", "工伤保险", "生育保险", "住房公积金", "公积金", "职业年金", "企业年金",
        "住房补贴", "交通补贴", "车补", "通讯补贴", "通信补贴", "加班", "误餐", "取暖", "防暑降温", "物业", "奖励性绩效", "奖金",
    ])

    /// The variant that subtracts income tax only (南通 2009).
    public static let taxOnly = DuesBaseRules(excludedComponents: ["个人所得税", "个税", "所得税"])
}

public enum PayrollImport {
    /// A recognised column.
    public enum Column: Sendable, Equatable {
        case name, idNumber, category, base, gross
        /// A component subtracted from the gross pay (DUES-15), with its header.
        case excluded(String)

        static let names: [(Column, [String])] = [
            (.name, ["姓名", "党员姓名", "职工姓名"]),
            (.idNumber, ["身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"]),
            (.category, ["类别", "缴费类别", "党费类别", "人员类别", "缴纳党费人员类别"]),
            (.base, ["月基数", "缴费基数", "党费基数", "月缴费基数", "计缴基数", "党费计算基数"]),
            (.gross, ["应发工资", "应发合计", "工资总额", "应发", "应发金额", "月工资收入", "离退休费", "月离退休费", "实发离退休费"]),
        ]

        static func match(_ header: String, rules: DuesBaseRules) -> Column? {
            let h = RosterImport.Headers.normalise(header)
            guard !h.isEmpty else { return nil }
            for (column, synonyms) in names where synonyms.contains(h) { return column }
            if rules.excludedComponents.contains(where: { h.contains($0) }) { return .excluded(h) }
            return nil
        }
    }

    /// One data row read.
    public struct Row: Sendable, Equatable {
        public var number: Int
        public var name: String
        /// Nil when the cell is empty or not a valid number (a problem says which).
        public var idNumber: IDNumber?
        public var idText: String
        public var category: DuesCategory?
        public var base: Fen?
        /// "应发 8000.00 − 个人所得税 120.00 − 养老保险 640.00 = 7240.00" when computed, "月基数 4321.57" when written.
        public var explanation: String
        public var problems: [RosterImport.Problem]
    }

    public struct Analysis: Sendable {
        public var headerRow: Int
        public var recognised: [String]
        public var ignored: [String]
        public var fileProblems: [String]
        public var rows: [Row]
    }

    /// Reads the sheet's rows (already parsed from .xlsx or .csv).
    public static func analyse(_ sheet: [(number: Int, cells: [String])], rules: DuesBaseRules = .national, now: Date) -> Analysis {
        var best: (index: Int, score: Int) = (-1, 0)
        for (i, row) in sheet.prefix(10).enumerated() {
            let score = row.cells.compactMap { Column.match($0, rules: rules) }.filter {
                $0 == .idNumber || $0 == .base || $0 == .gross || $0 == .name
            }
            .count
            if score > best.score { best = (i, score) }
        }
        guard best.index >= 0, best.score >= 2 else {
            return Analysis(
                headerRow: 0, recognised: [], ignored: [],
                fileProblems: ["没有找到列名行：前 10 行中应有一行写着“姓名”“身份证号”“月基数”（或“应发工资”及各扣除项）等列名"], rows: [])
        }
        let header = sheet[best.index]
        var columns: [(String, Column?)] = []
        var seen: [Column] = []
        var fileProblems: [String] = []
        for cell in header.cells {
            var column = Column.match(cell, rules: rules)
            if let c = column {
                if seen.contains(c) {
                    fileProblems.append("列“\(cell.trimmed)”重复出现，只使用第一列")
                    column = nil
                } else {
                    seen.append(c)
                }
            }
            columns.append((cell.trimmed, column))
        }
        if !seen.contains(.idNumber) { fileProblems.append("缺少必需的列“身份证号”：按身份证号找到名册中的党员") }
        if !seen.contains(.base) && !seen.contains(.gross) {
            fileProblems.append("缺少“月基数”列，也没有“应发工资”列：至少要有其中一列（\(RuleID.dues09)、\(RuleID.dues15)）")
        }
        let recognised = columns.compactMap { $0.1 == nil ? nil : $0.0 }
        let ignored = columns.compactMap { $0.1 == nil && !$0.0.isEmpty ? $0.0 : nil }
        guard fileProblems.allSatisfy({ $0.hasPrefix("列") }) else {
            return Analysis(headerRow: header.number, recognised: recognised, ignored: ignored, fileProblems: fileProblems, rows: [])
        }
        var rows: [Row] = []
        var firstRowOf: [String: Int] = [:]
        for sheetRow in sheet.dropFirst(best.index + 1) {
            if sheetRow.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            var row = Row(number: sheetRow.number, name: "", idNumber: nil, idText: "", category: nil, base: nil, explanation: "", problems: [])
            func problem(_ column: String, _ message: String, _ rule: String?) {
                row.problems.append(RosterImport.Problem(row: sheetRow.number, column: column, message: message, ruleID: rule))
            }
            var written: Fen?
            var gross: (header: String, amount: Fen)?
            var exclusions: [(String, Fen)] = []
            var categoryText = ""
            for (i, (headerText, column)) in columns.enumerated() {
                guard let column else { continue }
                let value = i < sheetRow.cells.count ? sheetRow.cells[i].trimmed : ""
                switch column {
                case .name: row.name = value
                case .idNumber: row.idText = value
                case .category: categoryText = value
                case .base, .gross, .excluded:
                    let amount: Fen?
                    do { amount = try Fen.parse(value, field: headerText, label: headerText) } catch {
                        problem(headerText, error.message, column == .base ? RuleID.dues09.code : RuleID.dues15.code)
                        continue
                    }
                    guard let amount else { continue }
                    switch column {
                    case .base: written = amount
                    case .gross: gross = (headerText, amount)
                    default: exclusions.append((headerText, amount))
                    }
                }
            }
            // The ID number.
            if row.idText.isEmpty {
                problem("身份证号", "身份证号为空：按身份证号找到名册中的党员", nil)
            } else if row.idText.lowercased().contains("e+") {
                problem("身份证号", "身份证号“\(row.idText)”被 Excel 存成了数字，末几位已经丢失。请把该列设置为“文本”格式后重新导出", "GB 11643")
            } else {
                switch IDNumber.parse(row.idText, today: now) {
                case .success(let id):
                    row.idNumber = id
                    if let first = firstRowOf[id.value] {
                        problem("身份证号", "与第 \(first) 行的身份证号相同：每名党员只能有一行", RuleID.dues09.code)
                    } else {
                        firstRowOf[id.value] = sheetRow.number
                    }
                case .failure(let p): problem("身份证号", p.message, "GB 11643")
                }
            }
            // The category: 在职 when the sheet does not say.
            if categoryText.isEmpty {
                row.category = .employed
            } else if let category = Self.category(categoryText) {
                row.category = category
            } else {
                problem(
                    "类别", "类别“\(categoryText)”不是缴纳党费人员类别之一（在职、年薪制、个体经营、离退休、农民、学生、下岗失业、抚恤救济、低保）",
                    "\(RuleID.dues02)…\(RuleID.dues06)")
            }
            // The base: as written, else the gross less the excluded components (DUES-15).
            if let written {
                row.base = written
                row.explanation = "月基数 \(written)"
            } else if let gross {
                let excluded = exclusions.reduce(Int64(0)) { $0 + $1.1.value }
                if excluded > gross.amount.value {
                    problem(
                        gross.header, "扣除项合计 \(Fen(clamping: excluded)) 元大于\(gross.header) \(gross.amount) 元，请核对", RuleID.dues15.code)
                } else {
                    let base = Fen(clamping: gross.amount.value - excluded)
                    row.base = base
                    row.explanation =
                        ([("\(gross.header) \(gross.amount)")] + exclusions.map { "\($0.0) \($0.1)" }).joined(separator: " − ") + " = \(base)"
                }
            }
            if row.base == nil && (row.category?.takesBase ?? false) && row.problems.allSatisfy({ $0.column == "身份证号" || $0.column == "类别" }) {
                problem("月基数", "本行没有月基数（也没有应发工资）", RuleID.dues09.code)
            }
            if let category = row.category, !category.takesBase {
                row.base = nil
                row.explanation = "\(category.displayName)，按固定金额"
            }
            rows.append(row)
        }
        return Analysis(headerRow: header.number, recognised: recognised, ignored: ignored, fileProblems: fileProblems, rows: rows)
    }

    /// A category as payroll sheets write it.
    public static func category(_ text: String) -> DuesCategory? {
        let t = RosterImport.Headers.normalise(text)
        if let exact = DuesCategory.allCases.first(where: { RosterImport.Headers.normalise($0.displayName) == t || $0.rawValue == t }) {
            return exact
        }
        let words: [(String, DuesCategory)] = [
            ("年薪", .annualSalary), ("个体", .selfEmployed), ("收入不固定", .selfEmployed), ("离休", .retired), ("退休", .retired),
            ("农民", .farmer), ("学生", .student), ("下岗", .unemployed), ("失业", .unemployed), ("抚恤", .relief), ("救济", .relief),
            ("低保", .minimumAllowance), ("最低生活", .minimumAllowance), ("在职", .employed), ("工资", .employed),
        ]
        return words.first { t.contains($0.0) }?.1
    }
}
