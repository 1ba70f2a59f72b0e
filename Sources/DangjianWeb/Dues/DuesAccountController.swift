import Foundation
import Hummingbird
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 党费账目与上缴 (issue 18, item 5; DUES-12/20/21): an organisation's year — collected, owed and remitted upward per
/// period, what reached it from below, retained, used by category, interest and cash — with the form for remittances,
/// expenditures and interest (reversed, never edited); the report upward as .xlsx by month, quarter or year (the
/// screen's table is the file's first sheet); the yearly publication to members (公示, no personal data).
struct DuesAccountController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, DuesPaths.ledger, access: .permission(.membersRead), target: .organisation) { request, context in
            try await ledgerPage(request, context, form: nil, problems: [], status: .ok)
        }
        site.add(.post, DuesPaths.ledgerEntriesPath, access: .permission(.membersWrite), target: .organisation) { request, context in
            try await record(request, context)
        }
        site.add(.post, DuesPaths.ledgerReversePattern, access: .permission(.membersWrite), target: .duesAccountEntry) { request, context in
            try await reverse(request, context)
        }
        site.add(.get, DuesPaths.ledgerPublication, access: .permission(.membersRead), target: .organisation) { request, context in
            try await publication(request, context)
        }
    }

    var today: CivilDate { CivilDate(date: services.clock.now()) }

    static let header = ["期间", "本级收缴（元）", "党员·月", "下级应缴（元）", "下级实缴（元）", "应上缴（元）", "已上缴（元）", "待上缴（元）", "留存（元）", "使用（元）", "利息（元）"]

    static func row(_ label: String, _ f: DuesAccountFigures) -> [String] {
        let y = Fen.signedYuan
        return [
            label, y(f.collected), String(f.memberMonths), y(f.fromBelowDue), y(f.fromBelowRemitted), y(f.due), y(f.remitted), y(f.outstanding),
            y(f.retained), y(f.usedTotal), y(f.interest),
        ]
    }

    /// The statement's table: a row per period and the year's total.
    static func rows(_ s: DuesAccountStatement) -> [[String]] {
        s.lines.map { row($0.period.description, $0.figures) } + [row("\(s.year)年合计", s.total)]
    }

    /// "本级及下级全年收缴 1088.22 元 = 下级各级留存 0.00 元 + 本级留存 70.58 元 + 本级应上缴 1017.64 元".
    static func reconciliation(_ s: DuesAccountStatement) -> String {
        let y = Fen.signedYuan
        return
            "本级及下级\(s.year)年共收缴 \(y(s.subtreeCollected)) 元 = 下级各级留存 \(y(s.retainedBelow)) 元 + 本级留存 \(y(s.total.retained)) 元 + 本级应上缴 \(y(s.total.due)) 元"
            + (s.balances ? "，逐笔逐月核对一致（\(RuleID.dues20)）" : "，不一致，请联系系统管理员（\(RuleID.dues20)）")
    }

    static func rule(_ s: DuesAccountStatement) -> String {
        let to = s.parent?.name ?? "上级党组织"
        let percent = Double(s.shareBasisPoints) / 100
        let share = percent == percent.rounded() ? String(Int(percent)) : String(format: "%.2f", percent)
        return
            "\(s.organisation.type.displayName)\(s.rules.period(of: s.organisation.type).displayName)向\(to)上缴所收党费的 \(share)%；单笔 1000 元以上的自愿多交党费全额上缴（\(RuleID.dues08)、\(RuleID.dues20)，参数见规则参数）。"
    }

    func year(_ query: FormData) throws -> CalendarYear {
        let text = query.text("year")
        if text.isEmpty { return CalendarYear(of: today) }
        guard let y = try query.number("year", CalendarYear.self) else { throw ValidationFailure(field: "year", message: "年度“\(text)”应为四位年份，如 2026") }
        return y
    }

    /// GET /dues/ledger?org=&year=[&by=month|quarter|half_yearly|yearly][&format=xlsx]
    func ledgerPage(
        _ request: Request, _ context: AppRequestContext, form: FormData?, problems: [ValidationFailure], status: HTTPResponse.Status
    ) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let year = try year(query)
        let by = DuesRemitPeriod(rawValue: query.text("by"))
        let s = try await services.store.dues.accountStatement(organisationID: anchor, year: year, length: by, access: access)
        let rows = Self.rows(s)
        let title = "\(s.organisation.name) \(s.year)年党费账目"
        if query.text("format") == "xlsx" { return try await workbook(s, rows: rows, title: title, context: context) }
        let org = s.organisation
        let canWrite = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID)
        let e = HTMLText.escape
        var html = ""
        for (i, r) in rows.enumerated() {
            html += i == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
            for (j, cell) in r.enumerated() { html += "<td data-label=\"\(e(Self.header[j]))\">\(e(cell))</td>" }
            html += "</tr>"
        }
        let reversedBy = Dictionary(s.entries.compactMap { e in e.reverses.map { ($0, e) } }, uniquingKeysWith: { a, _ in a })
        let entries = s.entries.reversed().map { entry in
            DuesAccountPage.Entry(
                date: entry.occurredOn.description, kind: (entry.reverses == nil ? "" : "冲正 · ") + entry.kind.displayName,
                detail: [
                    entry.period?.description, entry.category?.displayName, entry.note.isEmpty ? nil : entry.note, entry.reason.map { "原因：\($0)" },
                ]
                .compactMap { $0 }.joined(separator: " · "),
                amount: Fen.signedYuan(entry.sign * entry.amount.value), voucher: entry.voucher,
                canReverse: canWrite && entry.reverses == nil && reversedBy[entry.id] == nil, reversed: reversedBy[entry.id] != nil,
                reverseAction: DuesPaths.ledgerReverse(entry.id))
        }
        let children = try await services.organisations.list(anchorID: anchor, scope: .ownAndChildren, access: access)
            .filter { $0.id != anchor && DuesRemittanceRules.keepsAccount($0.type) }
        let byChild = Dictionary(s.children.map { ($0.organisation.id, $0) }, uniquingKeysWith: { a, _ in a })
        let current = DuesPeriod(containing: DuesMonth(containing: today), length: s.rules.period(of: org.type))
        let periods = DuesPeriod.all(year: s.year, length: s.rules.period(of: org.type)).filter { $0.first <= DuesMonth(containing: today) }
        let chosenPeriod = form?.text("period") ?? periods.last(where: { $0 < current })?.code ?? periods.last?.code ?? ""
        let chosenKind = form?.text("kind") ?? DuesAccountEntryKind.remittance.rawValue
        let chosenCategory = form?.text("category") ?? ""
        let y = Fen.signedYuan
        let model = DuesAccountPage(
            title: title, orgID: org.id, year: s.year,
            previous: DuesPaths.ledger(org: org.id, year: s.year - 1), next: DuesPaths.ledger(org: org.id, year: s.year + 1),
            rule: Self.rule(s),
            cash: "上年结转 \(y(s.opening)) 元，\(s.year < today.year ? "年末" : "目前")结余 \(y(s.closing)) 元。",
            header: Self.header, rowsHTML: html, reconciliation: Self.reconciliation(s), balances: s.balances,
            byLinks: DuesRemitPeriod.allCases.map {
                .init(
                    label: $0 == .yearly ? "按年" : $0 == .halfYearly ? "按半年" : $0 == .quarterly ? "按季" : "按月",
                    href: DuesPaths.ledger(org: org.id, year: s.year, by: $0), current: $0 == s.length)
            },
            xlsx: DuesPaths.ledger(org: org.id, year: s.year, by: by) + "&format=xlsx",
            publication: DuesPaths.ledgerPublication(org: org.id, year: s.year),
            children: s.children.map {
                .init(
                    name: $0.organisation.name, due: y($0.due), remitted: y($0.remitted), difference: y($0.due - $0.remitted),
                    short: $0.remitted < $0.due, href: DuesPaths.ledger(org: $0.organisation.id, year: s.year))
            }
                + children.filter { byChild[$0.id] == nil }.map {
                    .init(
                        name: $0.name, due: "0.00", remitted: "0.00", difference: "0.00", short: false,
                        href: DuesPaths.ledger(org: $0.id, year: s.year))
                },
            hasChildren: !children.isEmpty,
            uses: DuesUseCategory.allCases.map { .init(name: $0.displayName, amount: y(s.total.used[$0] ?? 0)) },
            canWrite: canWrite, action: DuesPaths.ledgerEntries(org: org.id, year: s.year),
            kinds: DuesAccountEntryKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == chosenKind) },
            periods: periods.map { SelectOption(value: $0.code, label: $0.description, selected: $0.code == chosenPeriod) },
            categories: DuesUseCategory.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == chosenCategory)
            },
            amount: form?.text("amount") ?? "", date: form?.text("occurred_on") ?? today.description, voucher: form?.text("voucher") ?? "",
            note: form?.text("note") ?? "", errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            saved: FormData.query(request).text("saved") == "1", entries: entries, hasEntries: !entries.isEmpty)
        return services.renderer.page("dues/ledger", title: title, model: model, context: context, request: request, status: status)
    }

    /// The report upward: the statement's table, the organisations below, the use by category and every entry.
    func workbook(_ s: DuesAccountStatement, rows: [[String]], title: String, context: AppRequestContext) async throws -> Response {
        var summary = XLSXWriter(sheetName: "收支汇总", header: Self.header)
        summary.numericColumns = Set(1..<Self.header.count)
        for r in rows { summary.append(r) }
        let y = Fen.signedYuan
        var below = XLSXWriter(sheetName: "下级上缴", header: ["党组织", "应缴本级（元）", "已缴（元）", "差额（元）"])
        below.numericColumns = [1, 2, 3]
        for c in s.children { below.append([c.organisation.name, y(c.due), y(c.remitted), y(c.due - c.remitted)]) }
        var uses = XLSXWriter(sheetName: "党费使用", header: ["类别", "金额（元）"])
        uses.numericColumns = [1]
        for c in DuesUseCategory.allCases { uses.append([c.displayName, y(s.total.used[c] ?? 0)]) }
        uses.append(["合计", y(s.total.usedTotal)])
        var entries = XLSXWriter(sheetName: "账目明细", header: ["日期", "类别", "期间", "使用类别", "金额（元）", "凭证号", "说明", "冲正原因"])
        entries.numericColumns = [4]
        for e in s.entries {
            entries.append([
                e.occurredOn.description, (e.reverses == nil ? "" : "冲正 · ") + e.kind.displayName, e.period?.description ?? "",
                e.category?.displayName ?? "",
                y(e.sign * e.amount.value), e.voucher, e.note, e.reason ?? "",
            ])
        }
        var check = XLSXWriter(sheetName: "核对", header: ["项目", "内容"])
        check.append(["上缴规则", Self.rule(s)])
        check.append(["上年结转（元）", y(s.opening)])
        check.append(["结余（元）", y(s.closing)])
        check.append(["核对", Self.reconciliation(s)])
        let data = try XLSXWriter.workbook([summary, below, uses, entries, check])
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "dues_account", objectID: "\(s.organisation.id):\(s.year)", organisationID: s.organisation.id,
                summary: "导出\(title)（Excel，\(s.length.displayName)）"), by: context.actor, database: services.database)
        return Download.response(data, type: Download.xlsx, name: "dues-account-\(s.year).xlsx", chineseName: "\(title).xlsx")
    }

    /// POST /dues/ledger/entries?org=&year=: a remittance, expenditure or interest; back to the page, or the form
    /// again with what was typed and why.
    func record(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let query = FormData.query(request)
        let access = try context.access(for: .membersWrite)
        guard let org = query.int64("org") else { throw ValidationFailure(field: "org", message: "缺少党组织") }
        let year = try year(query)
        do {
            let draft = try DuesAccountEntryForm(form).entry
            _ = try await services.store.dues.recordAccountEntry(organisationID: org, draft, access: access, actor: context.actor)
            return PageRenderer.redirect(DuesPaths.ledger(org: org, year: year.value) + "&saved=1")
        } catch let p as ValidationProblems {
            return try await ledgerPage(request, context, form: form, problems: p.problems, status: .badRequest)
        } catch let f as ValidationFailure {
            return try await ledgerPage(request, context, form: form, problems: [f], status: .badRequest)
        }
    }

    /// POST /dues/ledger/entries/{id}/reverse: 冲正 with a reason.
    func reverse(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        let reversal = try await services.store.dues.reverseAccountEntry(
            entryID: id, reason: form.text("reason"), access: access, actor: context.actor)
        return PageRenderer.redirect(DuesPaths.ledger(org: reversal.organisationID, year: reversal.occurredOn.year) + "&saved=1")
    }

    /// GET /dues/ledger/publication?org=&year=: 党费收缴、使用情况公示 (DUES-12) — totals only, no member named.
    func publication(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let year = try query.number("year", CalendarYear.self) ?? CalendarYear(of: today.adding(years: -1))
        let s = try await services.store.dues.accountStatement(organisationID: anchor, year: year, length: .yearly, access: access)
        let model = Self.publicationModel(s)
        return services.renderer.page("dues/publication", title: model.title, model: model, context: context, request: request)
    }

    static func publicationModel(_ s: DuesAccountStatement) -> DuesPublicationPage {
        let y = Fen.signedYuan
        let t = s.total
        return DuesPublicationPage(
            title: "\(s.organisation.name)\(s.year)年度党费收缴、使用情况公示",
            lines: [
                .init(label: "上年结转", amount: y(s.opening)),
                .init(label: "本级收缴党费（\(t.memberMonths) 个党员·月）", amount: y(t.collected)),
                .init(label: "收到下级上缴", amount: y(t.fromBelowRemitted)),
                .init(label: "利息收入", amount: y(t.interest)),
                .init(label: "上缴上级党组织", amount: y(t.remitted)),
            ] + DuesUseCategory.allCases.compactMap { c in t.used[c].map { .init(label: "使用：\(c.displayName)", amount: y($0)) } } + [
                .init(label: "年末结余", amount: y(s.closing))
            ],
            note: "依照党费收缴、使用和管理的规定，党支部每年向党员公布一次党费收缴、使用情况（\(RuleID.dues12)）。如有疑问请向党支部反映。")
    }
}

extension RouteTarget {
    /// An entry of an organisation's dues account.
    static let duesAccountEntry = RouteTarget("duesAccountEntry")
}
