import Hummingbird
import HTTPTypes
import DangjianDomain
import DangjianStore

/// 党费基数: a branch's sheet for a year and the form that sets one member's category and base (DUES-02…06, 09, 16).
struct DuesController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, DuesPaths.dues, access: .permission(.membersRead), target: .organisation) { request, context in
            try await sheetPage(request, context)
        }
        site.add(.get, DuesPaths.membersPattern, access: .permission(.membersWrite), target: .member) { request, context in
            let year = try FormData.query(request).number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
            return try await memberPage(request, context, year: year, form: nil, problems: [], status: .ok)
        }
        // DUES-09 mid-year change (only when the rule book's `midyear_changes` is on).
        site.add(.post, DuesPaths.changesPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersWrite)
            guard let from = DuesMonth.parse(form.text("from")) else {
                throw ValidationFailure(field: "from", message: "起始月份“\(form.text("from"))”应写作 2026-07", ruleID: RuleID.dues09.code)
            }
            guard let category = DuesCategory(rawValue: form.text("category")) else {
                throw ValidationFailure(field: "category", message: "请选择缴纳党费人员类别", ruleID: RuleID.dues09.code)
            }
            let base = try Fen.parse(form.text("base"), field: "base", label: "月缴费基数")
            _ = try await services.store.dues.changeBase(
                memberID: id, from: from, category: category, base: base, reason: form.text("reason"), access: access, actor: context.actor)
            return PageRenderer.redirect(DuesPaths.member(id, year: from.year) + "&changed=1")
        }
        site.add(.post, DuesPaths.membersPattern, access: .permission(.membersWrite), target: .member) { request, context in
            try await setBase(request, context)
        }
    }

    /// GET /dues?org=&year=: the organisation's own roster with each member's base and monthly amount; links down
    /// to the organisations below.
    func sheetPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let year = try query.number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
        let sheet = try await services.store.dues.sheet(organisationID: anchor, year: year, access: access)
        let org = sheet.organisation
        let canWrite = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID)
        let saved = query.int64("saved")
        let children = try await services.organisations.list(anchorID: anchor, scope: .ownAndChildren, access: access).filter { $0.id != anchor }
        let model = DuesSheetPage(
            orgName: org.name, year: year.value,
            previousYear: DuesPaths.sheet(org: anchor, year: year.value - 1), nextYear: DuesPaths.sheet(org: anchor, year: year.value + 1),
            rowsHTML: Self.rowsHTML(
                sheet.lines.map { l in
                    DuesSheetPage.Line(
                        memberID: l.memberID, name: l.name, probationary: !l.full, category: l.category?.displayName ?? "未设定",
                        base: l.base.map { "\($0) 元" } ?? (l.category == nil ? "—" : "不按基数"), monthly: l.monthly.map { "\($0) 元" } ?? "—",
                        set: l.monthly != nil, saved: l.memberID == saved, editHref: DuesPaths.member(l.memberID, year: year.value))
                }, canWrite: canWrite),
            hasLines: !sheet.lines.isEmpty,
            summary: "\(year.value) 年：本组织在册党员 \(sheet.lines.count) 人，已设定党费基数 \(sheet.setCount) 人，每月应缴合计 \(sheet.monthlyTotal) 元。",
            savedNotice: sheet.lines.first { $0.memberID == saved }.map { "已保存\($0.name)的党费基数：每月 \($0.monthly?.description ?? "—") 元。" } ?? "",
            canWrite: canWrite, importHref: DuesPaths.payrollImport(org: anchor, year: year.value),
            collectionHref: DuesPaths.collection(org: anchor, month: DuesMonth(containing: CivilDate(date: services.clock.now())).code),
            children: children.map { .init(name: $0.name, href: DuesPaths.sheet(org: $0.id, year: year.value)) },
            hasChildren: !children.isEmpty)
        return services.renderer.page("dues/sheet", title: "党费 · \(org.name)", model: model, context: context, request: request)
    }

    /// GET /dues/members/{id}: the member's category and base for the year, with the rate table it is judged by.
    func memberPage(
        _ request: Request, _ context: AppRequestContext, year: CalendarYear, form: FormData?, problems: [ValidationFailure],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        guard let (line, organisationID) = try await services.store.dues.line(memberID: id, year: year, access: access),
            let org = try await services.organisations.find(organisationID, access: access)
        else { throw RecordNotFound(objectType: "member", objectID: String(id)) }
        let chosen = form.map { $0.text("category") } ?? line.category?.rawValue ?? DuesCategory.employed.rawValue
        let parameters = try await services.rules.inForce().duesParameters
        let model = DuesMemberPage(
            name: line.name, orgName: org.name, sheetHref: DuesPaths.sheet(org: org.id, year: year.value), action: DuesPaths.memberAction(id),
            year: year.value,
            categories: DuesCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == chosen) },
            base: form?.text("base") ?? line.base?.description ?? "", version: line.version,
            current: line.monthly.map { "当前：\(line.category?.displayName ?? "")，每月 \($0) 元" } ?? "尚未设定本年度党费基数",
            errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            rates: Self.rateLines(parameters),
            changes: try await services.store.dues.baseChanges(memberID: id, year: year.value, access: access).map {
                "自\($0.from)起：\($0.category.displayName)\($0.base.map { "，月基数 \($0) 元" } ?? "")，每月 \($0.monthly) 元（\($0.reason)）"
            },
            midyear: try await services.rules.inForce().duesMidyearChanges,
            midyearRule: "按规则参数，党费标准每年 1 月核定后年内不作调整，工资变动从下一年起计算（\(RuleID.dues09)）。",
            changeAction: DuesPaths.changes(id))
        return services.renderer.page("dues/member", title: "党费基数 · \(line.name)", model: model, context: context, request: request, status: status)
    }

    /// POST /dues/members/{id}: sets the base; back to the sheet, or the form again with what was typed and why.
    func setBase(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let today = CivilDate(date: services.clock.now())
        // The year the form was for, to show it again after a refusal (the form itself refuses a bad one).
        let year = (try? form.number("year", CalendarYear.self)).flatMap { $0 } ?? CalendarYear(of: today)
        do {
            let posted = try DuesBaseForm(form, today: today)
            let access = try context.access(for: .membersWrite)
            let saved = try await services.store.dues.setBase(
                memberID: id, year: posted.year, category: posted.category, base: posted.base, expectedVersion: posted.version, access: access,
                actor: context.actor)
            return PageRenderer.redirect(DuesPaths.sheet(org: saved.organisationID, year: posted.year.value, saved: id))
        } catch let problems as ValidationProblems {
            return try await memberPage(request, context, year: year, form: form, problems: problems.problems, status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await memberPage(request, context, year: year, form: form, problems: [failure], status: .badRequest)
        }
    }

    /// The sheet's rows (every value escaped; the rest is ours).
    static func rowsHTML(_ lines: [DuesSheetPage.Line], canWrite: Bool) -> String {
        let e = HTMLText.escape
        var html = ""
        html.reserveCapacity(lines.count * 360)
        for l in lines {
            html += "<tr id=\"m\(l.memberID)\"\(l.set ? "" : " class=\"state-yellow\"")\(l.saved ? " aria-current=\"true\"" : "")>"
            html += "<td data-label=\"姓名\">\(e(l.name))\(l.probationary ? "（预备）" : "")</td><td data-label=\"类别\">\(e(l.category))</td>"
            html += "<td data-label=\"月缴费基数\">\(e(l.base))</td><td data-label=\"每月应缴\"><strong>\(e(l.monthly))</strong></td><td>"
            if canWrite { html += "<a class=\"button\" href=\"\(e(l.editHref))\">设定</a>" }
            html += "</td></tr>"
        }
        return html
    }

    /// The rate table in words (DUES-02/05/06), as the form shows it.
    static func rateLines(_ p: DuesParameters) -> [String] {
        func bands(_ bands: [DuesBand]) -> String {
            var previous: Fen? = nil
            return bands.map { b in
                defer { previous = b.upTo }
                return "\(b.words(after: previous)) \(b.percent)"
            }.joined(separator: "；")
        }
        return [
            "在职、年薪制、个体经营：\(bands(p.wageBands))，按全额计算（\(RuleID.dues02)、\(RuleID.dues03)、\(RuleID.dues04)）",
            "离退休：\(bands(p.pensionBands))（\(RuleID.dues05)）",
            "农民：每月 \(p.farmerMonthly) 元；学生、下岗失业、依靠抚恤或救济生活、领取低保的党员：每月 \(p.flatMonthly) 元（\(RuleID.dues06)）",
            "金额按“基数 × 费率”四舍五入到分（\(RuleID.dues16)，参数 \(p.version)）",
        ]
    }
}
