import Testing
@testable import DangjianDomain

@Suite("指标体系导入: the office's 方面/指标/分值/评分细则 table (EVAL-01/02)")
struct SchemeImportTests {
    func rows(_ lines: [[String]]) -> [(number: Int, cells: [String])] {
        lines.enumerated().map { (number: $0.offset + 1, cells: $0.element) }
    }

    static let header = ["序号", "考核内容", "考核指标", "分值", "评分标准", "来源", "佐证材料"]

    @Test("a table with a title, merged aspects, points in the aspect's name, pools, an automatic indicator")
    func reads() throws {
        let table = rows([
            ["2026年度模范机关创建考评细则"],
            Self.header,
            ["1.1", "政治建设（60分）", "理论学习中心组学习", "30", "每少1次扣2分，扣完为止", "实地", "学习记录"],
            ["1.2", "", "第一议题制度", "30", "按比例计分", "", ""],
            ["2.1", "日常工作", "组织生活落实率", "40", "", "自动：组织生活", ""],
            ["", "加分项", "创新项目获市级以上表彰", "3", "", "", ""],
            ["", "扣分项", "连续三年未发展党员", "2", "", "", ""],
            ["", "一票否决", "发生严重违纪违法问题", "0.5", "", "", ""],
            ["", "", "", "", "", "", ""],
        ])
        let outcome = SchemeImport.read(table, name: "创建考评", baseTotal: .hundred, bonusCap: Score(points: 10))
        #expect(outcome.problems.isEmpty, "\(outcome.problems.map(\.message))")
        let scheme = try #require(outcome.scheme)
        #expect(scheme.aspects.map(\.name) == ["政治建设", "日常工作"] && scheme.aspects[0].maxPoints == Score(points: 60))
        #expect(scheme.indicators.map(\.code) == ["1.1", "1.2", "2.1"])
        #expect(scheme.indicators[0].method == .deductEach(per: Score(points: 2)) && scheme.indicators[0].evidenceRequired == ["学习记录"])
        #expect(scheme.indicators[1].method == .ratio && scheme.indicators[2].source == .auto && scheme.indicators[2].autoKind == .organisationalLife)
        #expect(
            scheme.bonusItems.count == 1 && scheme.deductionItems.first?.isAdmissionDrought == true && scheme.vetoItems.map(\.name) == ["发生严重违纪违法问题"])
    }

    @Test("every problem names its row and the rule; nothing is returned from a file with one")
    func refusals() {
        let table = rows([
            Self.header,
            ["1.1", "政治建设（50分）", "理论学习", "30", "", "", ""],
            ["1.2", "", "第一议题", "三十", "", "", ""],
            ["1.3", "", "谈心谈话", "25", "", "遥感", ""],
            ["2.1", "日常工作", "某项数据", "40", "", "自动", ""],
            ["2.2", "", "民主评议", "10", "", "", ""],
        ])
        let outcome = SchemeImport.read(table, name: "创建考评", baseTotal: .hundred, bonusCap: Score(points: 10))
        #expect(outcome.scheme == nil)
        let messages = outcome.problems.map(\.message)
        #expect(messages.contains { $0.hasPrefix("第 3 行：") && $0.contains("分值“三十”") })
        #expect(messages.contains { $0.hasPrefix("第 4 行：") && $0.contains("无法识别来源“遥感”") })
        #expect(outcome.problems.contains { $0.message.hasPrefix("第 5 行：") && $0.ruleID == "ASSESS-05" })
        #expect(messages.contains { $0.contains("方面“政治建设”分值 50 分，其下指标分值合计") })
        #expect(outcome.problems.allSatisfy { $0.ruleID != nil })
        let noHeader = SchemeImport.read(rows([["a", "b"], ["1", "2"]]), name: "x", baseTotal: .hundred, bonusCap: .zero)
        #expect(noHeader.scheme == nil && noHeader.problems.first?.message.contains("没有找到列名行") == true)
        let badMethod = SchemeImport.read(
            rows([["方面", "指标", "分值", "计分方法"], ["甲", "乙", "100", "抽签"]]), name: "x", baseTotal: .hundred, bonusCap: .zero)
        #expect(badMethod.problems.first?.message.contains("无法识别计分方法“抽签”") == true && badMethod.problems.first?.ruleID == "EVAL-02")
    }

    @Test("tiers and methods by name")
    func tiers() throws {
        let table = rows([
            ["方面", "指标", "分值", "计分方法", "档次"],
            ["甲（100分）", "乙", "60", "分档", "好:60;较好:40;一般:20"],
            ["", "丙", "40", "达标计分", ""],
        ])
        let scheme = try #require(SchemeImport.read(table, name: "x", baseTotal: .hundred, bonusCap: .zero).scheme)
        #expect(
            scheme.indicators[0].method
                == .tiered([
                    IndicatorTier(label: "好", points: Score(points: 60)), IndicatorTier(label: "较好", points: Score(points: 40)),
                    IndicatorTier(label: "一般", points: Score(points: 20)),
                ]))
        #expect(scheme.indicators[1].method == .binary)
    }
}
