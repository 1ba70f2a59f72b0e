import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 考评验收 for the organising office (`ledger.manage`): schemes imported from its own table, rounds with their
/// timetable, the panel and who scores which unit (EVAL-03/04), automatic indicators (ASSESS-05/06) and the board.
struct AssessmentController {
    let services: AppServices
    var assessment: AssessmentRepository { services.store.assessment }

    func addRoutes(to site: Site) {
        site.add(.get, AssessmentPaths.overview, access: .signedIn) { request, context in
            try await overview(request, context, error: nil, status: .ok)
        }
        site.add(.get, AssessmentPaths.template, access: .permission(.ledgerManage)) { _, _ in
            Download.response(try Self.templateWorkbook(), type: Download.xlsx, name: "assessment-scheme-template.xlsx", chineseName: "考评指标体系模板.xlsx")
        }
        site.add(.post, AssessmentPaths.schemes, access: .permission(.ledgerManage), target: .organisation, body: .upload) { request, context in
            var request = request
            let access = try context.access(for: .ledgerManage)
            let multipart = try await MultipartForm.read(&request, limit: RouteBody.upload.limit)
            var fields: [String: [String]] = [:]
            for part in multipart.parts where part.fileName == nil {
                fields[part.name, default: []].append(String(decoding: part.data, as: UTF8.self))
            }
            let form = FormData(fields: fields)
            let organisationID = try await services.anchorID(FormData.query(request).int64("org") ?? form.int64("org"), access)
            // Out of reach: 404 before the file is read or checked.
            guard try await services.organisations.find(organisationID, access: access) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            do {
                guard let file = multipart.file("file"), !file.data.isEmpty else {
                    throw ValidationFailure(field: "file", message: "请选择指标体系表格（.xlsx 或 .csv，列为 方面、指标、分值、评分细则）", ruleID: RuleID.eval01.code)
                }
                let version = try await assessment.importScheme(
                    name: form.text("name"), file: file.data, fileName: file.fileName ?? "", organisationID: organisationID,
                    schemeID: form.int64("scheme"), access: access, actor: context.actor)
                return PageRenderer.redirect(AssessmentPaths.scheme(version.id))
            } catch let p as any ProblemList {
                return try await overview(
                    request, context, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
            } catch let f as ValidationFailure {
                return try await overview(request, context, error: f.fullMessage, status: .unprocessableContent)
            }
        }
        site.add(.get, AssessmentPaths.schemePattern, access: .permission(.ledgerManage), target: .assessmentScheme) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let version = try await assessment.schemeVersion(id, access: try context.access(for: .ledgerManage))
            if FormData.query(request).text("format") == "xlsx" {
                return Download.response(
                    try Self.schemeWorkbook(version.scheme), type: Download.xlsx, name: "assessment-scheme-\(id).xlsx",
                    chineseName: "\(version.scheme.name)（第\(version.number)版）.xlsx")
            }
            return services.renderer.page(
                "assessment/scheme", title: version.scheme.name, model: Self.schemePage(version), context: context, request: request)
        }
        site.add(.post, AssessmentPaths.rounds, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            let organiserID = try await services.anchorID(form.int64("org"), access)
            guard try await services.organisations.find(organiserID, access: access) != nil else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organiserID))
            }
            do {
                var round = try AssessmentRoundForm(form)
                round.draft.organiserID = organiserID
                let opened = try await assessment.openRound(round.draft, access: access, actor: context.actor)
                return PageRenderer.redirect(AssessmentPaths.round(opened.id))
            } catch let p as any ProblemList {
                return try await overview(
                    request, context, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
            } catch let f as ValidationFailure {
                return try await overview(request, context, error: f.fullMessage, status: .unprocessableContent)
            }
        }
        site.add(.get, AssessmentPaths.roundPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, AssessmentPaths.panelPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundAction(request, context) { id, form, access in
                let panel = try PanelForm(form)
                var members: [(userID: Int64, duty: PanelDuty)] = []
                for line in panel.lines {
                    guard let user = try await services.accountInside(access, username: line.username) else {
                        throw ValidationFailure(
                            field: "members", message: "第 \(line.line) 行：“\(line.username)”不是本单位管理范围内的用户，请核对登录名", ruleID: RuleID.eval03.code)
                    }
                    members.append((user.id, line.duty))
                }
                try await assessment.setPanel(roundID: id, members: members, access: access, actor: context.actor)
            }
        }
        site.add(.post, AssessmentPaths.assignPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundAction(request, context) { id, form, access in
                try await assessment.assign(
                    roundID: id, unitIDs: form.ids("units"), userIDs: form.ids("assessors"), access: access, actor: context.actor)
            }
        }
        site.add(.post, AssessmentPaths.timetablePattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundAction(request, context) { id, form, access in
                let timetable = try TimetableForm(form).timetable
                try await assessment.changeTimetable(roundID: id, timetable, reason: form.text("reason"), access: access, actor: context.actor)
            }
        }
        site.add(.post, AssessmentPaths.adjustmentsPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundAction(request, context) { id, form, access in
                let text = form.text("points")
                var points: Score?
                if !text.isEmpty {
                    guard let parsed = Score.parse(text) else {
                        throw ValidationFailure(field: "points", message: "分值“\(text.prefix(20))”应为数字，最多两位小数", ruleID: RuleID.eval01.code)
                    }
                    points = parsed
                }
                try await assessment.recordAdjustment(
                    roundID: id, organisationID: form.int64("unit") ?? -1, itemCode: form.text("item"), points: points,
                    remove: form.text("remove") == "1",
                    reason: form.text("reason"), access: access, actor: context.actor)
            }
        }
        site.add(.post, AssessmentPaths.autoPattern, access: .permission(.ledgerManage), target: .assessmentRound) { request, context in
            try await roundAction(request, context) { id, _, access in
                try await assessment.computeAutoIndicators(roundID: id, access: access, actor: context.actor)
            }
        }
    }

    /// A POST on a round the caller organises: the action, then back to the round (or the round with the refusal).
    func roundAction(
        _ request: Request, _ context: AppRequestContext, _ action: (Int64, FormData, OrganisationAccess) async throws -> Void
    ) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .ledgerManage)
        _ = try await assessment.organisedRound(id, access: access)  // out of reach: 404 before anything is checked
        do {
            try await action(id, form, access)
            return PageRenderer.redirect(AssessmentPaths.round(id))
        } catch let p as any ProblemList {
            return try await roundPage(
                request, context, id: id, error: p.problems.map(\.fullMessage).joined(separator: "；"), status: .unprocessableContent)
        } catch let f as ValidationFailure {
            return try await roundPage(request, context, id: id, error: f.fullMessage, status: .unprocessableContent)
        }
    }

    func overview(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let manage = try context.access(for: .ledgerManage)
        let write = try context.access(for: .ledgerWrite)
        let userID = context.identity?.user.id
        let today = CivilDate(date: services.clock.now())
        let schemes = manage.isEmpty ? [] : try await assessment.schemes(access: manage)
        let rounds = try await assessment.rounds(userID: userID, access: manage, unitAccess: write)
        var organised: Set<Int64> = []
        for round in rounds where !manage.isEmpty {
            if (try? await assessment.organisedRound(round.id, access: manage)) != nil { organised.insert(round.id) }
        }
        let mine = try await assessment.assessorUnits(userID: userID ?? -1)
        let selfUnits = try await assessment.selfUnits(unitAccess: write)
        let book = try await services.rules.inForce()
        let calendar = try await services.store.holidays.calendar()
        let model = AssessmentOverviewPage(
            error: error, canManage: !manage.isEmpty,
            orgs: manage.isEmpty ? [] : try await services.unitChoices(manage, includingAnchors: true),
            schemes: schemes.map { s in
                .init(
                    id: s.id, name: s.name, organisation: s.organisationName,
                    versions: s.versions.map { .init(id: $0.id, number: $0.number, note: $0.sourceNote, rounds: $0.rounds, frozen: $0.rounds > 0) })
            }, hasSchemes: !schemes.isEmpty,
            versionOptions: schemes.flatMap { s in
                s.versions.map { SelectOption(value: String($0.id), label: "\(s.name)（第\($0.number)版）", selected: false) }
            },
            unitChoices: manage.isEmpty ? [] : try await services.unitChoices(manage, includingAnchors: false),
            rounds: rounds.map {
                .init(
                    id: $0.id, name: $0.name, year: $0.year, organiser: $0.organiserName,
                    phase: $0.timetable.phase(on: today, state: $0.state).displayName,
                    manage: organised.contains($0.id))
            }, hasRounds: !rounds.isEmpty,
            myUnits: mine.map { Self.unitRow($0, today: today, state: $0.sheetState?.displayName ?? "未开始") }, hasMyUnits: !mine.isEmpty,
            selfUnits: selfUnits.map { Self.unitRow($0, today: today, state: $0.sheetState?.displayName ?? "未开始") }, hasSelfUnits: !selfUnits.isEmpty,
            year: today.year,
            proposed: AssessmentTimetableText(AssessmentTimetable.proposed(year: today.year, parameters: book.evaluation, calendar: calendar)))
        return services.renderer.page("assessment/index", title: "考评验收", model: model, context: context, request: request, status: status)
    }

    static func unitRow(_ u: AssessorUnit, today: CivilDate, state: String) -> AssessmentOverviewPage.UnitRow {
        .init(
            unitID: u.unit.id, round: u.round.name, unit: u.unit.name, state: state,
            phase: u.round.timetable.phase(on: today, state: u.round.state).displayName)
    }

    func roundPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response
    {
        let access = try context.access(for: .ledgerManage)
        let (round, progress, panel) = try await assessment.progress(roundID: id, access: access)
        let version = try await assessment.schemeVersion(round.schemeVersionID, access: .maintenance)
        let auto = try await assessment.autoInputs(roundID: id, access: access)
        let today = CivilDate(date: services.clock.now())
        let names = Dictionary(uniqueKeysWithValues: version.scheme.indicators.map { ($0.code, $0.name) })
        let model = RoundPage(
            error: error, id: id, name: round.name, year: round.year, organiser: round.organiserName, schemeVersion: version.id,
            schemeName: "\(version.scheme.name)（第\(version.number)版）", timetable: AssessmentTimetableText(round.timetable),
            phase: round.timetable.phase(on: today, state: round.state).displayName, isOpen: round.state == .open,
            units: progress.map { p in
                .init(
                    id: p.unit.id, name: p.unit.name, category: p.unit.category ?? "", selfState: p.selfState?.displayName ?? "未提交",
                    site: "\(p.siteSubmitted)/\(p.assigned)", missing: p.missing.joined(separator: "、"), quorum: p.quorumMet,
                    auto: (auto[p.unit.organisationID] ?? [:]).sorted { $0.key < $1.key }.map { "\(names[$0.key] ?? $0.key) \($0.value.0)" }.joined(
                        separator: "；"))
            },
            panel: panel.map { .init(name: $0.name, username: $0.username, duty: $0.duty.displayName) }, hasPanel: !panel.isEmpty,
            unitOptions: progress.map { SelectOption(value: String($0.unit.organisationID), label: $0.unit.name, selected: false) },
            assessorOptions: panel.filter(\.duty.scores).map {
                SelectOption(value: String($0.userID), label: "\($0.name)（\($0.duty.displayName)）", selected: false)
            },
            submitted: progress.reduce(0) { $0 + $1.siteSubmitted }, expected: progress.reduce(0) { $0 + $1.assigned },
            itemOptions: (version.scheme.bonusItems.map { ("加分", $0.code, $0.name, $0.maxPoints.plain) }
                + version.scheme.deductionItems.filter { !$0.isAdmissionDrought }.map { ("扣分", $0.code, $0.name, $0.maxPoints.plain) }
                + version.scheme.vetoItems.map { ("一票否决", $0.code, $0.name, "") }).map {
                    SelectOption(value: $0.1, label: "\($0.0)：\($0.2)\($0.3.isEmpty ? "" : "（最多 \($0.3) 分）")", selected: false)
                },
            adjustments: progress.flatMap { p in
                p.unit.bonuses.sorted { $0.key < $1.key }.map { "\(p.unit.name)：加分 \($0.key) \($0.value)" }
                    + p.unit.deductions.sorted { $0.key < $1.key }.map { "\(p.unit.name)：扣分 \($0.key) \($0.value)" }
                    + p.unit.vetoes.sorted().map { "\(p.unit.name)：一票否决 \($0)" }
            })
        return services.renderer.page("assessment/round", title: round.name, model: model, context: context, request: request, status: status)
    }

    static func schemePage(_ version: StoredSchemeVersion) -> SchemePage {
        let s = version.scheme
        func item(_ i: AdjustmentItem) -> SchemePage.ItemRow { .init(code: i.code, name: i.name, max: i.maxPoints.plain) }
        return SchemePage(
            id: version.id, name: s.name, number: version.number, baseTotal: s.baseTotal.plain, bonusCap: s.bonusCap.plain,
            aspects: s.aspects.map { a in
                .init(
                    code: a.code, name: a.name, max: a.maxPoints.plain,
                    indicators: a.indicators.map { i in
                        .init(
                            code: i.code, name: i.name, max: i.maxPoints.plain, method: methodText(i.method), source: sourceText(i),
                            guidance: i.guidance, evidence: i.evidenceRequired.joined(separator: "、"),
                            categories: i.categories.joined(separator: "、"),
                            hasCategories: !i.categories.isEmpty)
                    })
            },
            bonus: s.bonusItems.map(item), hasBonus: !s.bonusItems.isEmpty, deductions: s.deductionItems.map(item),
            hasDeductions: !s.deductionItems.isEmpty,
            vetoes: s.vetoItems.map { .init(code: $0.code, name: $0.name, max: "") }, hasVetoes: !s.vetoItems.isEmpty, note: version.sourceNote,
            rounds: version.rounds, frozen: version.rounds > 0, indicatorCount: s.indicators.count)
    }

    static func methodText(_ method: IndicatorMethod) -> String {
        switch method {
        case .deductEach(let per): "逐项扣分（每次 \(per.plain) 分）"
        case .tiered(let tiers): "分档：" + tiers.map { "\($0.label) \($0.points.plain)" }.joined(separator: "；")
        case .manual(let step): "评分（步长 \(step.plain)）"
        default: method.kind.displayName
        }
    }

    static func sourceText(_ i: Indicator) -> String {
        i.source == .auto ? "系统自动：\(i.autoKind?.displayName ?? "")" : i.source.displayName
    }

    /// The scheme as the office's own table: one row per indicator, then the pools (re-importable).
    static func schemeWorkbook(_ scheme: IndicatorScheme) throws -> Data {
        var sheet = XLSXWriter(sheetName: "指标体系", header: ["编号", "方面", "指标", "分值", "评分细则", "计分方法", "来源", "佐证材料", "适用类别", "档次"])
        sheet.numericColumns = [3]
        for aspect in scheme.aspects {
            for (n, i) in aspect.indicators.enumerated() {
                var tiers = ""
                if case .tiered(let list) = i.method { tiers = list.map { "\($0.label):\($0.points.plain)" }.joined(separator: ";") }
                sheet.append([
                    i.code, n == 0 ? "\(aspect.name)（\(aspect.maxPoints.plain)分）" : "", i.name, i.maxPoints.plain, i.guidance,
                    i.method.kind.displayName,
                    i.source == .auto ? "自动：\(i.autoKind?.displayName ?? "")" : i.source.displayName, i.evidenceRequired.joined(separator: "、"),
                    i.categories.joined(separator: "、"), tiers,
                ])
            }
        }
        for b in scheme.bonusItems { sheet.append([b.code, "加分项", b.name, b.maxPoints.plain, b.guidance, "", "", "", "", ""]) }
        for d in scheme.deductionItems { sheet.append([d.code, "扣分项", d.name, d.maxPoints.plain, d.guidance, "", "", "", "", ""]) }
        for v in scheme.vetoItems { sheet.append([v.code, "一票否决", v.name, "1", "", "", "", "", "", ""]) }
        return try sheet.data()
    }

    /// An empty table with the columns and two example rows.
    static func templateWorkbook() throws -> Data {
        var sheet = XLSXWriter(sheetName: "指标体系", header: ["编号", "方面", "指标", "分值", "评分细则", "计分方法", "来源", "佐证材料", "适用类别", "档次"])
        sheet.append(["1.1", "政治建设（20分）", "理论学习中心组学习", "10", "每少1次扣2分，扣完为止", "逐项扣分", "实地考评", "学习记录", "", ""])
        sheet.append(["1.2", "", "第一议题制度", "10", "", "评分", "实地考评", "会议记录", "", ""])
        sheet.append(["2.1", "日常工作（80分）", "组织生活落实率", "80", "", "按比例", "自动：组织生活", "", "", ""])
        sheet.append(["", "扣分项", "连续三年未发展党员", "2", "", "", "", "", "", ""])
        return try sheet.data()
    }
}
