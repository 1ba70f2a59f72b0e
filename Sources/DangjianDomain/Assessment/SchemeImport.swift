import Foundation

/// Reading an indicator scheme from the table offices already keep (考核清单 / 创建指标): a title row or two, then a
/// header with 方面 / 指标 / 分值 / 评分细则, and optionally 编号, 计分方法, 来源, 佐证材料, 适用类别, 档次. A merged
/// 方面 cell is read down its rows; "党建引领（20分）" carries the aspect's points. Rows under an aspect named 加分项,
/// 扣分项 or 一票否决 fill those pools. Every problem names its row (EVAL-01/02); nothing is kept from a file with one.
public enum SchemeImport {
    public enum Column: String, CaseIterable, Sendable {
        case aspect, aspectPoints, code, indicator, points, guidance, method, source, evidence, categories, tiers

        public var title: String {
            switch self {
            case .aspect: "方面"
            case .aspectPoints: "方面分值"
            case .code: "编号"
            case .indicator: "指标"
            case .points: "分值"
            case .guidance: "评分细则"
            case .method: "计分方法"
            case .source: "来源"
            case .evidence: "佐证材料"
            case .categories: "适用类别"
            case .tiers: "档次"
            }
        }

        var synonyms: [String] {
            switch self {
            case .aspect: ["方面", "考核方面", "一级指标", "考核内容", "类别", "项目"]
            case .aspectPoints: ["方面分值", "一级指标分值", "方面分"]
            case .code: ["编号", "序号", "指标编号", "代码"]
            case .indicator: ["指标", "考核指标", "二级指标", "指标名称", "考核要点", "具体指标"]
            case .points: ["分值", "指标分值", "满分", "分数", "标准分"]
            case .guidance: ["评分细则", "评分标准", "考核标准", "计分标准", "扣分标准", "评分办法"]
            case .method: ["计分方法", "评分方法", "计分方式"]
            case .source: ["来源", "数据来源", "考评方式", "评分方式"]
            case .evidence: ["佐证材料", "佐证", "证明材料", "所需材料"]
            case .categories: ["适用类别", "适用范围", "适用单位类别"]
            case .tiers: ["档次", "分档", "评分档次"]
            }
        }

        static let lookup: [String: Column] = {
            var map: [String: Column] = [:]
            for c in Column.allCases { for s in c.synonyms { map[normalise(s)] = c } }
            return map
        }()

        static func normalise(_ header: String) -> String {
            header.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && $0 != ":" && $0 != "*" && $0 != "（" && $0 != "）" }
        }

        public static func match(_ header: String) -> Column? { lookup[normalise(header)] }
    }

    public struct Outcome: Sendable {
        public var scheme: IndicatorScheme?
        /// Each problem names its row ("第 7 行：…") and the rule.
        public var problems: [ValidationFailure]
    }

    /// Reads the rows of a sheet (`number` is the line in the file) into a scheme named `name` with base `baseTotal`
    /// (the rule book's), checked by `IndicatorScheme.problems()`.
    public static func read(_ sheet: [(number: Int, cells: [String])], name: String, baseTotal: Score, bonusCap: Score) -> Outcome {
        let rule = RuleID.eval01.code
        var problems: [ValidationFailure] = []
        func fail(_ row: Int?, _ message: String, _ ruleID: String = rule) {
            problems.append(
                ValidationFailure(field: row.map { "row_\($0)" } ?? "file", message: (row.map { "第 \($0) 行：" } ?? "") + message, ruleID: ruleID))
        }
        var best: (index: Int, score: Int) = (-1, 0)
        for (i, row) in sheet.prefix(10).enumerated() {
            let score = Set(row.cells.compactMap(Column.match)).count
            if score > best.score { best = (i, score) }
        }
        guard best.index >= 0, best.score >= 3 else {
            fail(nil, "没有找到列名行：前 10 行中应有一行写着“方面”“指标”“分值”“评分细则”。可以下载模板对照")
            return Outcome(scheme: nil, problems: problems)
        }
        var positions: [Column: Int] = [:]
        for (i, cell) in sheet[best.index].cells.enumerated() {
            guard let c = Column.match(cell), positions[c] == nil else { continue }
            positions[c] = i
        }
        for required in [Column.aspect, .indicator, .points] where positions[required] == nil {
            fail(nil, "缺少必需的列“\(required.title)”")
        }
        guard problems.isEmpty else { return Outcome(scheme: nil, problems: problems) }

        var aspects: [Aspect] = []
        var statedAspectPoints: [Int: Score] = [:]
        var bonus: [AdjustmentItem] = []
        var deductions: [AdjustmentItem] = []
        var vetoes: [VetoItem] = []
        var currentAspect: String?
        var serial = 0
        for row in sheet.dropFirst(best.index + 1) {
            func cell(_ c: Column) -> String {
                guard let i = positions[c], i < row.cells.count else { return "" }
                return row.cells[i].precomposedStringWithCompatibilityMapping.trimmed
            }
            if row.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            var aspectText = cell(.aspect)
            let indicatorName = cell(.indicator)
            if aspectText.isEmpty {
                guard let current = currentAspect else {
                    fail(row.number, "“方面”为空，且上方没有方面可沿用")
                    continue
                }
                aspectText = current
            }
            currentAspect = aspectText
            let (aspectName, pointsInName) = splitPoints(aspectText)
            if indicatorName.isEmpty {
                if cell(.points).isEmpty { continue }  // a subtotal or note row
                fail(row.number, "“指标”为空")
                continue
            }
            guard let points = Score.parse(cell(.points)), points > .zero else {
                fail(row.number, "指标“\(indicatorName)”的分值“\(cell(.points))”应为大于 0 的数字，最多两位小数", RuleID.eval02.code)
                continue
            }
            serial += 1
            let guidance = cell(.guidance)
            let codeText = cell(.code)
            if aspectName.contains("一票否决") {
                vetoes.append(VetoItem(code: codeText.isEmpty ? "V\(vetoes.count + 1)" : codeText, name: indicatorName))
                continue
            }
            if aspectName.contains("加分") || aspectName.contains("扣分") {
                let isBonus = aspectName.contains("加分")
                let code = codeText.isEmpty ? (isBonus ? "B\(bonus.count + 1)" : "D\(deductions.count + 1)") : codeText
                let drought = !isBonus && (indicatorName.contains("发展党员") || guidance.contains("未发展党员"))
                let item = AdjustmentItem(code: code, name: indicatorName, maxPoints: points, guidance: guidance, isAdmissionDrought: drought)
                if isBonus { bonus.append(item) } else { deductions.append(item) }
                continue
            }
            let aspectIndex: Int
            if let existing = aspects.firstIndex(where: { $0.name == aspectName }) {
                aspectIndex = existing
            } else {
                aspects.append(Aspect(code: "\(aspects.count + 1)", name: aspectName, maxPoints: .zero, indicators: []))
                aspectIndex = aspects.count - 1
            }
            if let stated = Score.parse(cell(.aspectPoints)) ?? pointsInName {
                if let earlier = statedAspectPoints[aspectIndex], earlier != stated {
                    fail(row.number, "方面“\(aspectName)”的分值前后不一致（\(earlier.plain) 与 \(stated.plain)）")
                }
                statedAspectPoints[aspectIndex] = stated
            }
            let code = codeText.isEmpty ? "\(aspectIndex + 1).\(aspects[aspectIndex].indicators.count + 1)" : codeText
            let sourceText = cell(.source)
            var source = IndicatorSource.site
            var autoKind: AutoIndicatorKind?
            if sourceText.contains("自动") || sourceText.contains("系统") {
                source = .auto
                autoKind = AutoIndicatorKind.named(sourceText) ?? AutoIndicatorKind.named(indicatorName)
                if autoKind == nil {
                    fail(row.number, "指标“\(indicatorName)”标为自动计分，但看不出取自哪项数据（组织生活、责任清单星级、整改、换届、党费）", RuleID.assess05.code)
                }
            } else if sourceText.contains("自评") {
                source = .selfVerify
            } else if !sourceText.isEmpty && !sourceText.contains("实地") && !sourceText.contains("现场") && !sourceText.contains("查阅") {
                fail(row.number, "无法识别来源“\(sourceText)”，应为 实地考评、自评核实 或 自动（组织生活等）")
            }
            let method: IndicatorMethod
            switch methodFrom(cell(.method), guidance: guidance, tiers: cell(.tiers), max: points) {
            case .success(let m): method = m
            case .failure(let message):
                fail(row.number, "指标“\(indicatorName)”：\(message.message)", RuleID.eval02.code)
                continue
            }
            let evidence = cell(.evidence).split(whereSeparator: { "、，,；;\n".contains($0) }).map { String($0).trimmed }.filter { !$0.isEmpty }
            let categories = cell(.categories).split(whereSeparator: { "、，,；; ".contains($0) }).map { String($0).trimmed }.filter {
                !$0.isEmpty && $0 != "全部" && $0 != "所有"
            }
            aspects[aspectIndex].indicators.append(
                Indicator(
                    code: code, name: indicatorName, maxPoints: points, method: method, source: source, autoKind: autoKind,
                    evidenceRequired: evidence,
                    guidance: guidance, categories: categories))
        }
        for index in aspects.indices {
            aspects[index].maxPoints = statedAspectPoints[index] ?? aspects[index].indicators.map(\.maxPoints).total()
        }
        if serial == 0 && problems.isEmpty { fail(nil, "表中没有指标行") }
        let categoryNames = Set(aspects.flatMap(\.indicators).flatMap(\.categories)).sorted()
        let scheme = IndicatorScheme(
            name: name, baseTotal: baseTotal, aspects: aspects, bonusItems: bonus, bonusCap: bonusCap, deductionItems: deductions, vetoItems: vetoes,
            categories: categoryNames.map { SchemeCategory(name: $0) })
        problems += scheme.problems()
        return Outcome(scheme: problems.isEmpty ? scheme : nil, problems: problems)
    }

    /// "党建引领（20分）" → ("党建引领", 20).
    static func splitPoints(_ text: String) -> (String, Score?) {
        for (open, close) in [("（", "）"), ("(", ")")] {
            guard text.hasSuffix(close), let start = text.range(of: open, options: .backwards) else { continue }
            let inner = text[start.upperBound..<text.index(before: text.endIndex)]
            guard inner.hasSuffix("分"), let points = Score.parse(String(inner)) else { continue }
            return (String(text[..<start.lowerBound]).trimmed, points)
        }
        return (text, nil)
    }

    /// The method from the 计分方法 column, or guessed from the 评分细则 text: "每少1次扣0.5分" → deduct_each 0.5;
    /// "按比例" → ratio; "档次" cells "好:5;较好:3;一般:1" → tiered; otherwise 评分 in steps of 0.5 (0.1 / 0.01 when
    /// the maximum needs them).
    static func methodFrom(_ methodText: String, guidance: String, tiers tierText: String, max: Score) -> Result<IndicatorMethod, MethodProblem> {
        let named = methodText.isEmpty ? nil : IndicatorMethodKind.named(methodText)
        if !methodText.isEmpty && named == nil {
            return .failure(MethodProblem("无法识别计分方法“\(methodText)”，可填：\(IndicatorMethodKind.allCases.map(\.displayName).joined(separator: "、"))"))
        }
        let perDeduction = deductionPer(guidance)
        let kind: IndicatorMethodKind =
            named
            ?? (!tierText.isEmpty
                ? .tiered : perDeduction != nil ? .deductEach : guidance.contains("比例") || guidance.contains("比率") ? .ratio : .manual)
        switch kind {
        case .deductEach:
            guard let per = perDeduction else { return .failure(MethodProblem("逐项扣分要在评分细则中写明每次扣几分，如“每少1次扣0.5分”")) }
            return .success(.deductEach(per: per))
        case .ratio: return .success(.ratio)
        case .binary: return .success(.binary)
        case .manual:
            let step = [Score(hundredths: 50), Score(hundredths: 10), Score(hundredths: 1)].first { max.isMultiple(of: $0) } ?? Score(hundredths: 1)
            return .success(.manual(step: step))
        case .tiered:
            var tiers: [IndicatorTier] = []
            for part in tierText.split(whereSeparator: { "；;，,\n".contains($0) }) {
                let pair = part.split(whereSeparator: { ":：=".contains($0) }).map { String($0).trimmed }
                guard pair.count == 2, let points = Score.parse(pair[1]) else {
                    return .failure(MethodProblem("档次“\(part)”应写成“名称:分值”，多个档次用分号隔开"))
                }
                tiers.append(IndicatorTier(label: pair[0], points: points))
            }
            return .success(.tiered(tiers))
        }
    }

    public struct MethodProblem: Error, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// "每少1次扣0.5分" / "缺一项扣1分" / "每发现一处扣 2 分" → the points per occurrence.
    static func deductionPer(_ guidance: String) -> Score? {
        guard let range = guidance.range(of: "扣") else { return nil }
        let after = guidance[range.upperBound...].drop { $0 == " " }
        var number = ""
        for ch in after {
            if ch.isASCII && (ch.isNumber || ch == ".") || ("０"..."９").contains(ch) || ch == "．" {
                number.append(ch)
            } else {
                break
            }
        }
        guard !number.isEmpty, after.dropFirst(number.count).first == "分" else { return nil }
        return Score.parse(number)
    }
}
