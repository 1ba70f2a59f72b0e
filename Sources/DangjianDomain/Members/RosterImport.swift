/// Reading a roster spreadsheet as offices keep it (花名册导入): finds the header row under any title rows,
/// recognises columns by their common names in any order, and turns each data row into a `MemberDraft` plus the
/// organisation named in the row. Problems name the spreadsheet row and column.
public enum RosterImport {
    /// A roster column and the names it goes by.
    public enum Column: String, CaseIterable, Sendable {
        case name, idNumber, gender, birthDate, ethnicity, nativePlace, education, personnelCategory, partyStatus,
            membershipState, joinDate, fullMemberDate, organisation, workUnit, post, phone, address, isFloating,
            floatingDestination

        /// The name used in the template and the export.
        public var title: String {
            switch self {
            case .name: "姓名"
            case .idNumber: "身份证号"
            case .gender: "性别"
            case .birthDate: "出生日期"
            case .ethnicity: "民族"
            case .nativePlace: "籍贯"
            case .education: "学历"
            case .personnelCategory: "人员类别"
            case .partyStatus: "党员身份"
            case .membershipState: "党籍状态"
            case .joinDate: "入党日期"
            case .fullMemberDate: "转正日期"
            case .organisation: "所在党组织"
            case .workUnit: "工作单位"
            case .post: "职务"
            case .phone: "手机号"
            case .address: "家庭住址"
            case .isFloating: "流动党员"
            case .floatingDestination: "流入地"
            }
        }

        /// Other headers seen in real rosters.
        public var synonyms: [String] {
            switch self {
            case .name: ["姓名", "党员姓名", "名字"]
            case .idNumber: ["身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码", "身份证件号码"]
            case .gender: ["性别"]
            case .birthDate: ["出生日期", "出生年月", "出生年月日", "生日"]
            case .ethnicity: ["民族"]
            case .nativePlace: ["籍贯"]
            case .education: ["学历", "文化程度", "最高学历", "全日制学历"]
            case .personnelCategory: ["人员类别", "人员身份", "党员类别"]
            case .partyStatus: ["党员身份", "党员类型", "政治面貌", "正式/预备", "党员状态"]
            case .membershipState: ["党籍状态"]
            case .joinDate: ["入党日期", "入党时间", "加入党组织日期", "入党年月"]
            case .fullMemberDate: ["转正日期", "转正时间", "转为正式党员日期", "转正年月"]
            case .organisation: ["所在党组织", "所在党支部", "党支部", "所属支部", "所属党支部", "所在支部", "党组织名称", "所属党组织"]
            case .workUnit: ["工作单位", "单位", "工作单位及职务", "现工作单位"]
            case .post: ["职务", "岗位", "职务职级"]
            case .phone: ["手机号", "手机号码", "联系电话", "手机", "电话", "联系方式"]
            case .address: ["家庭住址", "现居住地", "住址", "家庭地址", "现住址"]
            case .isFloating: ["流动党员", "是否流动党员"]
            case .floatingDestination: ["流入地", "外出流向", "流动去向", "外出地点"]
            }
        }

        /// Headers are compared without spaces, full-width forms or trailing colons.
        static func normalise(_ header: String) -> String {
            header.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && $0 != ":" && $0 != "*" }
        }

        static let lookup: [String: Column] = {
            var map: [String: Column] = [:]
            for column in Column.allCases { for name in column.synonyms { map[normalise(name)] = column } }
            return map
        }()

        public static func match(_ header: String) -> Column? { lookup[normalise(header)] }
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
            let score = Set(row.cells.compactMap(Column.match)).count
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
            var column = Column.match(cell)
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
                switch column {
                case .name: draft.name = value
                case .idNumber:
                    if value.lowercased().contains("e+") || (value.contains(".") && !value.isEmpty) {
                        problems.append(
                            Problem(
                                row: row.number, column: headerText,
                                message: "身份证号“\(value)”被 Excel 存成了数字，末几位已经丢失。请把该列设置为“文本”格式后重新录入", ruleID: "GB 11643"))
                    }
                    draft.idNumber = value
                case .gender: draft.gender = value
                case .birthDate: draft.birthDate = value
                case .ethnicity: draft.ethnicity = value
                case .nativePlace: draft.nativePlace = value
                case .education: draft.education = value
                case .personnelCategory: draft.personnelCategory = value
                case .partyStatus: draft.partyStatus = value
                case .membershipState: draft.membershipState = value
                case .joinDate: draft.joinDate = value
                case .fullMemberDate: draft.fullMemberDate = value
                case .organisation: organisation = value
                case .workUnit: draft.workUnit = value
                case .post: draft.post = value
                case .phone: draft.phone = value
                case .address: draft.address = value
                case .isFloating: draft.isFloating = value
                case .floatingDestination: draft.floatingDestination = value
                }
            }
            // A roster without a 党员身份 column still says it through the conversion date.
            if draft.partyStatus.isEmpty && !seen.contains(.partyStatus) {
                draft.partyStatus = draft.fullMemberDate.isEmpty ? "" : PartyStatus.full.displayName
            }
            rows.append(Row(number: row.number, draft: draft, organisation: organisation, present: seen, problems: problems))
        }
        return Analysis(headerRow: header.number, columns: columns, rows: rows, fileProblems: fileProblems)
    }

    /// The header a problem about `field` (a `MemberDraft` field name) should point at in this file.
    public static func header(for field: String, in analysis: Analysis) -> String {
        let column: Column? =
            switch field {
            case "name": .name
            case "id_number": .idNumber
            case "gender": .gender
            case "birth_date": .birthDate
            case "ethnicity": .ethnicity
            case "native_place": .nativePlace
            case "education": .education
            case "personnel_category": .personnelCategory
            case "party_status": .partyStatus
            case "membership_state": .membershipState
            case "join_date": .joinDate
            case "full_member_date": .fullMemberDate
            case "organisation_id": .organisation
            case "work_unit": .workUnit
            case "post": .post
            case "phone": .phone
            case "address": .address
            case "floating_destination": .floatingDestination
            default: nil
            }
        guard let column else { return field }
        return analysis.columns.first { $0.column == column }?.header ?? column.title
    }
}
