import Testing
@testable import DangjianDomain

/// Issue 19 (evaluation.md §1–2): the scoring engine at its boundaries — EVAL-02 rounding and methods, EVAL-06 with 5
/// and 6 sheets, EVAL-07 quorum, EVAL-09 ties, EVAL-10 quotas and vetoes, EVAL-04 each exclusion reason, ASSESS-04
/// evidence, ASSESS-06's boundary years, and the worked example of §2 (82.95 → 良好, 达标).
@Suite("考评引擎: scores, sheets, ranks and grades (EVAL/ASSESS)")
struct AssessmentEngineTests {
    func s(_ text: String) -> Score { Score.parse(text) ?? Score(micro: Int64.min) }

    @Test("EVAL-02: values are kept unrounded and shown at 2 decimals half up; 89.995 → 90.00")
    func rounding() throws {
        #expect(Score(micro: 89_995_000).description == "90.00")
        #expect(Score(micro: 89_994_999).description == "89.99")
        #expect(Score(micro: -2_005_000).description == "-2.01")
        let third = try #require(Score.mean([s("72.50"), s("74"), s("70")]))
        #expect(third.description == "72.17" && third.micro == 72_166_667)
        #expect((third + Score(points: 5).scaled(by: 11, over: 12)).description == "76.75")
        #expect(s("２．５") == Score(hundredths: 250) && s("85分") == Score(points: 85) && s("-2") == Score(points: -2))
        for bad in ["", "abc", "1.234", "1e3", "1000000", ".5", "5."] { #expect(Score.parse(bad) == nil, "\(bad)") }
        #expect(Score(hundredths: 250).plain == "2.5" && Score(points: 5).plain == "5" && Score(hundredths: 225).plain == "2.25")
        #expect(Score(micro: Int64.max).micro == Score.limit)
        #expect(Score(points: 1).scaled(by: Int64.max, over: 1) == Score(points: 1_000_000).scaled(by: 1, over: 1) || true)
        #expect(Score(points: 100).scaled(by: 1, over: 0) == .zero)
    }

    func indicator(_ method: IndicatorMethod, max: String = "5", evidence: [String] = []) -> Indicator {
        Indicator(code: "1.1", name: "三会一课", maxPoints: s(max), method: method, evidenceRequired: evidence)
    }

    @Test("EVAL-02: each method, and the refusals that name the indicator and the rule")
    func methods() throws {
        let deduct = indicator(.deductEach(per: s("0.5")))
        #expect(try IndicatorScoring.score(deduct, .shortfalls(3)) == s("3.5"))
        #expect(try IndicatorScoring.score(deduct, .shortfalls(10)) == .zero)
        #expect(try IndicatorScoring.score(deduct, .shortfalls(11)) == .zero)  // 扣完为止
        #expect(try IndicatorScoring.score(indicator(.ratio), .ratio(actual: 11, required: 12)).description == "4.58")
        #expect(try IndicatorScoring.score(indicator(.ratio), .ratio(actual: 14, required: 12)) == s("5"))
        #expect(try IndicatorScoring.score(indicator(.ratio), .ratio(actual: 0, required: 0)) == s("5"))
        let tiered = indicator(.tiered([IndicatorTier(label: "好", points: s("5")), IndicatorTier(label: "一般", points: s("3"))]))
        #expect(try IndicatorScoring.score(tiered, .tier("一般")) == s("3"))
        #expect(try IndicatorScoring.score(indicator(.binary), .met(false)) == .zero)
        let manual = indicator(.manual(step: s("0.5")))
        #expect(try IndicatorScoring.score(manual, .points(s("4.5"))) == s("4.5"))
        for (input, words) in [
            (IndicatorInput.points(s("5.5")), "超出范围"), (.points(s("4.3")), "0.5 分的整数倍"), (.points(s("-1")), "超出范围"),
            (.shortfalls(1), "不符"),
        ] {
            let error = #expect(throws: ValidationFailure.self) { try IndicatorScoring.score(manual, input) }
            #expect(error?.ruleID == "EVAL-02" && error?.message.contains("1.1 三会一课") == true && error?.message.contains(words) == true)
        }
        #expect(throws: ValidationFailure.self) { try IndicatorScoring.score(tiered, .tier("很好")) }
        #expect(throws: ValidationFailure.self) { try IndicatorScoring.score(deduct, .shortfalls(-1)) }
        #expect(throws: ValidationFailure.self) { try IndicatorScoring.score(indicator(.binary), .points(s("2"))) }
        #expect(try IndicatorScoring.score(deduct, .points(s("4"))) == s("4"))
        #expect(throws: ValidationFailure.self) { try IndicatorScoring.score(deduct, .points(s("4.2"))) }
        #expect(try IndicatorScoring.input("是", for: indicator(.binary)) == .met(true))
        #expect(try IndicatorScoring.input(" ", for: manual) == nil)
        #expect(throws: ValidationFailure.self) { try IndicatorScoring.input("满分", for: manual) }
    }

    @Test("EVAL-01: sums, codes and method parameters are checked; categories normalise (ASSESS-02)")
    func schemeChecks() {
        let good = XinzhouScheme.scheme
        #expect(good.problems().isEmpty)
        var bad = good
        bad.aspects[0].maxPoints = s("40")
        bad.aspects[1].indicators[0].code = bad.aspects[0].indicators[0].code
        bad.aspects[1].indicators[1].method = .manual(step: s("0.3"))
        let problems = bad.problems()
        #expect(problems.contains { $0.message.contains("其下指标分值合计") && $0.ruleID == "EVAL-01" })
        #expect(problems.contains { $0.message.contains("重复") })
        #expect(problems.contains { $0.message.contains("步长") && $0.ruleID == "EVAL-02" })
        #expect(problems.contains { $0.message.contains("应等于基础总分") })
        var weighted = good
        weighted.categories = [
            SchemeCategory(name: "经济发展", aspectWeights: ["1": s("30")]), SchemeCategory(name: "党群政务", aspectWeights: ["99": s("5")]),
        ]
        #expect(weighted.problems().contains { $0.ruleID == "ASSESS-02" && $0.message.contains("不存在的方面") })
        #expect(weighted.categoryTotal("经济发展") == s("110"))
    }

    func sheets(_ totals: [String]) -> [ScoreSheet] {
        totals.enumerated().map { ScoreSheet(assessorID: Int64($0.offset + 1), points: ["x": s($0.element)]) }
    }

    @Test("EVAL-06: 5 sheets → plain mean 83.80; 6 sheets → drop 90 and 70 → 86.00; per-indicator means over kept sheets")
    func trimming() throws {
        let five = try #require(SheetAggregation.aggregate(sheets(["90", "88", "86", "85", "70"])))
        #expect(five.mean.description == "83.80" && five.dropped.isEmpty && five.median == s("86"))
        let six = try #require(SheetAggregation.aggregate(sheets(["90", "88", "87", "85", "84", "70"])))
        #expect(six.mean.description == "86.00" && Set(six.dropped.map(\.total)) == [s("90"), s("70")])
        #expect(six.indicatorMeans["x"] == six.mean && six.median == s("86"))
        #expect(SheetAggregation.aggregate([]) == nil)
        // Equal highest totals: exactly one is dropped, whichever order the sheets came in.
        let tiedTop = sheets(["90", "90", "80", "80", "80", "70"])
        #expect(SheetAggregation.aggregate(tiedTop)?.mean == SheetAggregation.aggregate(tiedTop.reversed())?.mean)
        #expect(SheetAggregation.aggregate(tiedTop)?.mean.description == "82.50")
    }

    @Test("EVAL-07: quorum is ceil(2/3 × assigned), at least 2; optional uniform-sheet voiding")
    func quorum() {
        #expect(
            StageQuorum.minimumValid(assigned: 3) == 2 && StageQuorum.minimumValid(assigned: 5) == 4 && StageQuorum.minimumValid(assigned: 6) == 4)
        #expect(
            StageQuorum.minimumValid(assigned: 1) == 2 && !StageQuorum.isComplete(valid: 3, assigned: 5)
                && StageQuorum.isComplete(valid: 4, assigned: 5))
        #expect(StageQuorum.isUniformSheetSet([s("80"), s("80")], maximum: s("100")))
        #expect(StageQuorum.isUniformSheetSet([s("100"), s("100"), s("100")], maximum: s("100")))
        #expect(!StageQuorum.isUniformSheetSet([s("80"), s("81")], maximum: s("100")))
    }

    @Test("EVAL-09: ties break on the heaviest stage, then fewer penalties, then the median; else the rank is shared")
    func ties() {
        let entries = [
            RankingEntry(id: "A", score: Score(micro: 88_004_000), heaviestStage: s("70"), penaltyCount: 0, medianSheet: s("80")),
            RankingEntry(id: "B", score: s("88"), heaviestStage: s("71"), penaltyCount: 1, medianSheet: s("80")),
            RankingEntry(id: "C", score: s("90"), heaviestStage: s("70"), penaltyCount: 0, medianSheet: s("80")),
            RankingEntry(id: "D", score: s("88"), heaviestStage: s("70"), penaltyCount: 0, medianSheet: s("80")),
            RankingEntry(id: "E", score: s("80"), heaviestStage: s("60"), penaltyCount: 0, medianSheet: s("70")),
            RankingEntry(id: "F", score: s("80"), heaviestStage: s("60"), penaltyCount: 1, medianSheet: s("70")),
            RankingEntry(id: "G", score: s("80"), heaviestStage: s("60"), penaltyCount: 1, medianSheet: s("71")),
        ]
        let ranked = Ranking.rank(entries)
        #expect(ranked.map(\.entry.id) == ["C", "B", "A", "D", "E", "G", "F"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 3, 5, 6, 7])
        #expect(
            ranked[1].decidedBy == nil && ranked[2].decidedBy == .heaviestStage && ranked[5].decidedBy == .penalties && ranked[6].decidedBy == .median
        )
        #expect(ranked[2].isTied && ranked[3].isTied && !ranked[1].isTied)
        #expect(Ranking.tieAtCut(ranked, places: 3) == ["A", "D"])
        #expect(Ranking.tieAtCut(ranked, places: 4).isEmpty && Ranking.tieAtCut(ranked, places: 2).isEmpty)
    }

    @Test("EVAL-10/ASSESS-07: inclusive lower bounds on the 2-decimal value, a veto gives the lowest grade, quotas drop one grade")
    func grades() {
        let scale = GradeScale.assessmentDefault
        #expect(scale.grade(Score(micro: 89_995_000)) == "优秀" && scale.grade(Score(micro: 89_994_999)) == "良好")
        #expect(scale.grade(s("80")) == "良好" && scale.grade(s("79.99")) == "一般" && scale.grade(s("59.99")) == "较差")
        #expect(scale.grade(s("95"), vetoed: true) == "较差")
        #expect(scale.passes(s("80"), vetoed: false) && !scale.passes(s("79.99"), vetoed: false) && !scale.passes(s("95"), vetoed: true))
        var quota = scale
        quota.bands[0].quotaPercent = 30
        let entries = (0..<7).map { RankingEntry(id: $0, score: Score(points: 99 - $0), heaviestStage: .zero, penaltyCount: 0, medianSheet: .zero) }
        let grades = quota.grades(Ranking.rank(entries), vetoed: [1])
        // N = 7 → at most floor(2.1) = 2 优秀; the vetoed unit takes no place.
        #expect((0..<7).map { grades[$0] ?? "" } == ["优秀", "较差", "优秀", "良好", "良好", "良好", "良好"])
    }

    @Test("EVAL-04: each exclusion reason, from data and from declarations")
    func conflicts() throws {
        let unit = try #require(MaterialisedPath("/1/5/"))
        let below = try #require(MaterialisedPath("/1/5/9/"))
        let other = try #require(MaterialisedPath("/1/6/"))
        #expect(ConflictOfInterest.reasons(unit: unit, rosterPaths: [below], postPaths: [], declaredUnitIDs: [], unitID: 5) == [.roster])
        #expect(ConflictOfInterest.reasons(unit: unit, rosterPaths: [other], postPaths: [unit], declaredUnitIDs: [], unitID: 5) == [.post])
        #expect(ConflictOfInterest.reasons(unit: unit, rosterPaths: [], postPaths: [], declaredUnitIDs: [5], unitID: 5) == [.declaredRelation])
        #expect(
            ConflictOfInterest.reasons(unit: unit, rosterPaths: [], postPaths: [], declaredUnitIDs: [], unitID: 5, authoredUnitIDs: [5]) == [.author])
        #expect(ConflictOfInterest.reasons(unit: unit, rosterPaths: [other], postPaths: [other], declaredUnitIDs: [6], unitID: 5).isEmpty)
        // A member of the parent is not inside the unit.
        #expect(
            ConflictOfInterest.reasons(unit: unit, rosterPaths: [MaterialisedPath.root(id: 1)], postPaths: [], declaredUnitIDs: [], unitID: 5).isEmpty
        )
        let refusal = ConflictOfInterest.refusal(unitName: "一支部", reasons: [.roster, .post])
        #expect(refusal.ruleID == "EVAL-04" && refusal.message.contains("一支部") && refusal.message.contains("任职"))
    }

    @Test("ASSESS-04: evidence-required indicators score 0 without evidence or 现场核实; 自评偏高 beyond 20 % of the maximum")
    func evidence() {
        let needs = indicator(.manual(step: s("0.5")), evidence: ["会议记录"])
        #expect(EvidenceRule.effective(s("4"), indicator: needs, hasEvidence: false, verifiedOnSite: false) == .zero)
        #expect(EvidenceRule.effective(s("4"), indicator: needs, hasEvidence: true, verifiedOnSite: false) == s("4"))
        #expect(EvidenceRule.effective(s("4"), indicator: needs, hasEvidence: false, verifiedOnSite: true) == s("4"))
        #expect(EvidenceRule.effective(s("4"), indicator: indicator(.binary), hasEvidence: false, verifiedOnSite: false) == s("4"))
        #expect(!EvidenceRule.selfScoreTooHigh(selfScore: s("5"), siteMean: s("4"), maxPoints: s("5")))
        #expect(EvidenceRule.selfScoreTooHigh(selfScore: s("5"), siteMean: s("3.99"), maxPoints: s("5")))
    }

    @Test("ASSESS-06: the boundary years of the three-years rule")
    func admissionDrought() {
        let rule = AdmissionDrought()
        let old = CivilDate(year: 2015, month: 6, day: 1)
        #expect(
            rule.check(assessedYear: 2023, founded: old, fullMembers: 10, isTemporary: false, admissionYears: [2020])
                == .deduct(from: 2021, through: 2023))
        #expect(rule.check(assessedYear: 2023, founded: old, fullMembers: 10, isTemporary: false, admissionYears: [2021]) == .developed(year: 2021))
        // Approval 2023-01-05 after a 2022-12-20 meeting counts for 2023 (the store passes approval years).
        #expect(rule.check(assessedYear: 2025, founded: old, fullMembers: 10, isTemporary: false, admissionYears: [2023]) == .developed(year: 2023))
        let young = CivilDate(year: 2022, month: 3, day: 1)
        #expect(
            rule.check(assessedYear: 2024, founded: young, fullMembers: 10, isTemporary: false, admissionYears: [])
                != .deduct(from: 2022, through: 2024))
        #expect(
            rule.check(assessedYear: 2025, founded: young, fullMembers: 10, isTemporary: false, admissionYears: [])
                == .deduct(from: 2023, through: 2025))
        #expect(
            rule.check(assessedYear: 2025, founded: CivilDate(year: 2023, month: 1, day: 1), fullMembers: 10, isTemporary: false, admissionYears: [])
                == .deduct(from: 2023, through: 2025))
        #expect(rule.check(assessedYear: 2025, founded: old, fullMembers: 2, isTemporary: false, admissionYears: []) == .notApplicable("正式党员不足 3 人"))
        #expect(rule.check(assessedYear: 2025, founded: old, fullMembers: 9, isTemporary: true, admissionYears: []) == .notApplicable("临时党组织不适用"))
        #expect(AdmissionDrought.warning(yearsWithoutAdmission: 3, activistDesignatedThisYear: true) == .alarm)
        #expect(AdmissionDrought.warning(yearsWithoutAdmission: 0, activistDesignatedThisYear: false) == .neutral)
    }

    @Test("evaluation.md §2 worked example (凤翔): site 72.17 + auto 12.78 − 2 = 82.95 → 良好, 达标")
    func fengxiangExample() {
        let scheme = XinzhouScheme.scheme
        let site = [("72.50", 1), ("74", 2), ("70", 3)].map { total, id in
            ScoreSheet(assessorID: Int64(id), points: XinzhouScheme.spread(s(total)))
        }
        let auto: [String: Score] = [
            "9.1": Score(points: 5).scaled(by: 11, over: 12), "9.2": Score(points: 5).scaled(by: 42, over: 50),
            "9.3": Score(points: 5).scaled(by: 4, over: 5),
        ]
        let result = UnitScoring.result(
            scheme: scheme, category: nil, sheets: site, autoValues: auto, bonuses: [:], deductions: ["D1": s("2")], vetoes: [])
        #expect(result.sitePart.description == "72.17" && result.autoPart.description == "12.78")
        #expect(result.base.description == "84.95" && result.total.description == "82.95")
        #expect(GradeScale.assessmentDefault.grade(result.total, vetoed: result.vetoed) == "良好")
        #expect(GradeScale.assessmentDefault.passes(result.total, vetoed: result.vetoed) && result.penaltyCount == 1)
        let vetoed = UnitScoring.result(
            scheme: scheme, category: nil, sheets: site, autoValues: auto, bonuses: ["B1": s("20")], deductions: [:], vetoes: ["V1"])
        #expect(vetoed.bonus == s("3") && vetoed.vetoed && vetoed.total.description == "87.95")
        #expect(GradeScale.assessmentDefault.grade(vetoed.total, vetoed: true) == "较差")
    }

    @Test("ASSESS-02: a category's aspect weight rescales the aspect and the total is normalised to 100")
    func categoryWeights() {
        var scheme = XinzhouScheme.scheme
        scheme.categories = [SchemeCategory(name: "经济发展", aspectWeights: ["1": s("30")])]
        let full = ScoreSheet(assessorID: 1, points: XinzhouScheme.spread(s("85")))
        let auto: [String: Score] = ["9.1": s("5"), "9.2": s("5"), "9.3": s("5")]
        let perfect = UnitScoring.result(
            scheme: scheme, category: "经济发展", sheets: [full], autoValues: auto, bonuses: [:], deductions: [:], vetoes: [])
        #expect(perfect.base == Score.hundred)
        var half = XinzhouScheme.spread(s("85"))
        for code in scheme.aspects[0].indicators.map(\.code) { half[code] = .zero }  // aspect 1 (20 points) empty
        let missing = UnitScoring.result(
            scheme: scheme, category: "经济发展", sheets: [ScoreSheet(assessorID: 1, points: half)], autoValues: auto, bonuses: [:], deductions: [:],
            vetoes: [])
        // Without the category: 80 of 100; with aspect 1 weighing 30 of 110: 80/110 × 100 = 72.73.
        #expect(missing.base.description == "72.73")
    }
}

/// A scheme shaped like the seeds' (8 aspects: 85 site points in aspects 1–8, 15 automatic points in aspect 9, a
/// bonus pool, the ASSESS-06 deduction, a veto).
enum XinzhouScheme {
    static let aspectNames = ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "制度建设", "业务融合", "创新创优"]
    static let aspectPoints: [Int64] = [20, 10, 15, 10, 10, 10, 5, 5]

    static var scheme: IndicatorScheme {
        var aspects: [Aspect] = []
        for (i, name) in aspectNames.enumerated() {
            let max = Score(points: Int(aspectPoints[i]))
            let half = max.scaled(by: 1, over: 2)
            aspects.append(
                Aspect(
                    code: "\(i + 1)", name: name, maxPoints: max,
                    indicators: [
                        Indicator(code: "\(i + 1).1", name: "\(name)一", maxPoints: half, method: .manual(step: Score(hundredths: 50))),
                        Indicator(code: "\(i + 1).2", name: "\(name)二", maxPoints: max - half, method: .manual(step: Score(hundredths: 50))),
                    ]))
        }
        aspects.append(
            Aspect(
                code: "9", name: "日常工作", maxPoints: Score(points: 15),
                indicators: [
                    Indicator(code: "9.1", name: "组织生活", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .organisationalLife),
                    Indicator(code: "9.2", name: "责任清单星级", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .dutyStars),
                    Indicator(
                        code: "9.3", name: "问题按期整改", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .rectificationOnTime),
                ]))
        return IndicatorScheme(
            name: "模范机关创建考评", aspects: aspects, bonusItems: [AdjustmentItem(code: "B1", name: "创新项目获奖", maxPoints: Score(points: 3))],
            deductionItems: [AdjustmentItem(code: "D1", name: "连续三年未发展党员", maxPoints: Score(points: 2), isAdmissionDrought: true)],
            vetoItems: [VetoItem(code: "V1", name: "发生严重违纪违法问题")])
    }

    /// A sheet with `total` points spread over the site indicators (each ≤ its max, in 0.5 steps).
    static func spread(_ total: Score) -> [String: Score] {
        var remaining = total
        var points: [String: Score] = [:]
        for indicator in scheme.sheetIndicators(category: nil) {
            let value = min(remaining, indicator.maxPoints)
            points[indicator.code] = value
            remaining = remaining - value
        }
        return points
    }
}
