import Foundation
import DangjianDomain

extension DemoCounty {
    /// 考评验收 for the county's organs (once): the 工委's 模范机关创建考评细则 (85 site points in five aspects, 15
    /// automatic, the three-years deduction, a bonus and a veto), this year's round over its four units in the site
    /// stage, a panel of four (each kept off the unit they belong to, EVAL-04), most sheets submitted and one still a
    /// draft — so the board shows who is behind and the results wait for the last sheet — 财政局's self-assessment and
    /// the automatic indicators computed.
    func seedAssessment(_ byShort: [String: Organisation]) async throws {
        let database = organisations.database, clock = organisations.clock
        guard
            try await database.read({ db in try await db.raw("SELECT COUNT(*) AS n FROM assessment_rounds").first()?.value("n", Int.self) ?? 0 })
                == 0,
            let committee = byShort["县直机关工委"]
        else { return }
        var panel: [(String, PanelDuty)] = []
        var ids: [String: Int64] = [:]
        for (username, duty) in [("zzb", PanelDuty.chair), ("jggw", .assessor), ("czj", .assessor), ("zhibu1", .assessor)] {
            guard let user = try await accounts.find(username: username) else { return }
            ids[username] = user.id
            panel.append((username, duty))
        }
        let today = CivilDate(date: clock.now())
        let repo = store.assessment
        let version = try await repo.saveScheme(
            Self.modelOrganScheme, sourceNote: "县直机关工委印发", organisationID: committee.id, schemeID: nil, access: .maintenance, actor: actor)
        let round = try await repo.openRound(
            AssessmentRoundDraft(
                organiserID: committee.id, year: today.year, name: "\(today.year)年度模范机关创建考评验收", schemeVersionID: version.id,
                timetable: AssessmentTimetable(
                    dataCutoff: today.adding(days: -6), selfOpens: today.adding(days: -20), selfCloses: today.adding(days: -6),
                    siteOpens: today.adding(days: -5), siteCloses: today.adding(days: 10), approveBy: today.adding(days: 20))),
            access: .maintenance, actor: actor)
        try await repo.setPanel(roundID: round.id, members: panel.compactMap { p in ids[p.0].map { ($0, p.1) } }, access: .maintenance, actor: actor)
        let (_, units, _) = try await repo.progress(roundID: round.id, access: .maintenance)
        let sheetIndicators = Self.modelOrganScheme.sheetIndicators(category: nil)
        for (u, progress) in units.enumerated() {
            let unit = progress.unit
            // Everyone who need not recuse from the unit.
            var assigned: [Int64] = []
            for username in ["zzb", "jggw", "czj", "zhibu1"] {
                guard let id = ids[username] else { continue }
                do {
                    try await repo.assign(roundID: round.id, unitIDs: [unit.organisationID], userIDs: [id], access: .maintenance, actor: actor)
                    assigned.append(id)
                } catch is ValidationProblems { continue }
            }
            for (a, id) in assigned.enumerated() {
                // Each assessor a little apart; the last unit's last sheet is still a draft.
                let entries = sheetIndicators.enumerated().map { i, indicator in
                    let off = Int64((u * 3 + a * 5 + i) % 5) * 50  // 0–2 points off in 0.5 steps
                    let points = max(indicator.maxPoints - Score(hundredths: off), .zero)
                    return SheetEntry(code: indicator.code, text: points.plain, verifiedOnSite: !indicator.evidenceRequired.isEmpty)
                }
                let draft = u == units.count - 1 && a == assigned.count - 1
                _ = try await repo.saveSheet(
                    roundID: round.id, organisationID: unit.organisationID, stage: .site, entries: entries, submit: !draft, expectedVersion: nil,
                    userID: id, unitAccess: .maintenance, actor: actor)
            }
        }
        try await repo.computeAutoIndicators(roundID: round.id, access: .maintenance, actor: actor)
    }

    /// The illustrative 模范机关创建考评细则 (evaluation.md §2's shape: 85 site + 15 automatic points).
    static let modelOrganScheme: IndicatorScheme = {
        let half = Score(hundredths: 50)
        func site(_ code: String, _ name: String, _ points: Int, _ guidance: String, evidence: [String] = []) -> Indicator {
            Indicator(
                code: code, name: name, maxPoints: Score(points: points), method: .manual(step: half), evidenceRequired: evidence, guidance: guidance)
        }
        let aspects = [
            Aspect(
                code: "1", name: "政治建设", maxPoints: Score(points: 20),
                indicators: [
                    site("1.1", "落实“第一议题”制度", 10, "查阅会议记录，每少一次扣 1 分", evidence: ["会议记录"]),
                    site("1.2", "理论学习中心组学习", 10, "年度计划、学习记录、研讨材料齐全"),
                ]),
            Aspect(
                code: "2", name: "思想建设", maxPoints: Score(points: 15),
                indicators: [site("2.1", "青年理论学习小组", 8, "每季度至少开展一次"), site("2.2", "意识形态工作责任制", 7, "专题研究、分析研判")]),
            Aspect(
                code: "3", name: "组织建设", maxPoints: Score(points: 20),
                indicators: [site("3.1", "“三会一课”质量", 10, "现场查看、查阅资料"), site("3.2", "支部标准化规范化", 10, "对照标准逐项查看")]),
            Aspect(
                code: "4", name: "作风建设", maxPoints: Score(points: 15),
                indicators: [site("4.1", "“双报到”志愿服务", 8, "听取汇报、座谈交流"), site("4.2", "为民办实事", 7, "个别谈话、查阅台账")]),
            Aspect(
                code: "5", name: "纪律建设", maxPoints: Score(points: 15),
                indicators: [site("5.1", "廉政警示教育", 8, "查阅记录"), site("5.2", "谈心谈话", 7, "查阅谈话记录")]),
            Aspect(
                code: "6", name: "日常工作", maxPoints: Score(points: 15),
                indicators: [
                    Indicator(
                        code: "6.1", name: "组织生活落实率", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .organisationalLife),
                    Indicator(code: "6.2", name: "责任清单星级", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .dutyStars),
                    Indicator(
                        code: "6.3", name: "问题按期整改率", maxPoints: Score(points: 5), method: .ratio, source: .auto, autoKind: .rectificationOnTime),
                ]),
        ]
        return IndicatorScheme(
            name: "模范机关创建考评细则", aspects: aspects, bonusItems: [AdjustmentItem(code: "B1", name: "创新项目获县级以上表彰", maxPoints: Score(points: 3))],
            deductionItems: [AdjustmentItem(code: "D1", name: "连续三年未发展党员", maxPoints: Score(points: 2), isAdmissionDrought: true)],
            vetoItems: [VetoItem(code: "V1", name: "发生严重违纪违法问题")])
    }()
}

extension DemoCounty.DemoPart {
    public static let assessment = DemoCounty.DemoPart("assessment") { county, context in
        try await county.seedAssessment(context.byShort)
    }
}
