import Foundation
import Hummingbird
import HTTPTypes
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 党费收缴 (issue 18, item 2): a branch's monthly collection sheet, the payment form with a member's entries,
/// reversals (冲正) with a reason, receipts (printable and .docx), and a member's own dues on their phone.
struct DuesCollectionController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, DuesPaths.collection, access: .permission(.membersRead), target: .organisation) { request, context in
            try await collectionPage(request, context)
        }
        site.add(.get, DuesPaths.paymentsPattern, access: .permission(.membersWrite), target: .member) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await paymentsPage(request, context, memberID: id, form: nil, problems: [], status: .ok)
        }
        site.add(.post, DuesPaths.paymentsPattern, access: .permission(.membersWrite), target: .member) { request, context in
            try await record(request, context)
        }
        site.add(.post, DuesPaths.reversePattern, access: .permission(.membersWrite), target: .duesPayment) { request, context in
            try await reverse(request, context)
        }
        site.add(.get, DuesPaths.receiptPattern, access: .permission(.membersRead), target: .duesPayment) { request, context in
            try await receipt(request, context)
        }
        site.add(.get, DuesPaths.mine, access: .signedIn) { request, context in
            try await minePage(request, context)
        }
    }

    var today: CivilDate { CivilDate(date: services.clock.now()) }

    /// GET /dues/collection?org=&month=: who owes what this month, who has paid (with the receipt), 交至 and arrears.
    func collectionPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let requested = query.text("month")
        guard let month = requested.isEmpty ? DuesMonth(containing: today) : DuesMonth.parse(requested) else {
            throw ValidationFailure(field: "month", message: "月份“\(requested)”应写作 2026-11")
        }
        let sheet = try await services.store.dues.collection(organisationID: anchor, month: month, access: access)
        let org = sheet.organisation
        let canWrite = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID)
        let saved = query.int64("saved")
        let children = try await services.organisations.list(anchorID: anchor, scope: .ownAndChildren, access: access).filter { $0.id != anchor }
        let unpaid = sheet.dueCount - sheet.paidCount
        let model = DuesCollectionPage(
            orgName: org.name, month: month.description,
            previous: DuesPaths.collection(org: anchor, month: month.adding(months: -1).code),
            next: DuesPaths.collection(org: anchor, month: month.adding(months: 1).code),
            basesHref: DuesPaths.sheet(org: anchor, year: month.year),
            summary: "\(month)：应交 \(sheet.dueCount) 人 \(sheet.dueTotal) 元，已交 \(sheet.paidCount) 人 \(sheet.paidTotal) 元，未交 \(unpaid) 人。",
            unset: sheet.lines.count - sheet.dueCount,
            rowsHTML: Self.rowsHTML(sheet, saved: saved, canWrite: canWrite),
            hasLines: !sheet.lines.isEmpty,
            savedNotice: sheet.lines.first { $0.memberID == saved }.map { "已登记\($0.name)的党费（收据 \($0.receipt ?? "—")）。" } ?? "",
            children: children.map { .init(name: $0.name, href: DuesPaths.collection(org: $0.id, month: month.code)) },
            hasChildren: !children.isEmpty)
        return services.renderer.page("dues/collection", title: "党费收缴 · \(org.name)", model: model, context: context, request: request)
    }

    /// The collection sheet's rows (every value escaped; the rest is ours).
    static func rowsHTML(_ sheet: DuesCollectionSheet, saved: Int64?, canWrite: Bool) -> String {
        let e = HTMLText.escape
        var html = ""
        html.reserveCapacity(sheet.lines.count * 420)
        for l in sheet.lines {
            let state: String
            let status: String
            if l.monthly == nil {
                (state, status) = ("grey", "未核定基数")
            } else if let receipt = l.receipt {
                (state, status) = ("green", "已交 · \(receipt)")
            } else {
                (state, status) = ("none", "未交")
            }
            let arrears: String
            switch l.arrears.level {
            case .lapseReview: arrears = "<span class=\"badge red\">\(e(l.arrears.words))</span>"
            case .reminder: arrears = "<span class=\"badge yellow\">\(e(l.arrears.words))</span>"
            case .none: arrears = e(l.arrears.words)
            }
            html += "<tr id=\"m\(l.memberID)\"\(l.memberID == saved ? " aria-current=\"true\"" : "")>"
            html += "<td data-label=\"姓名\">\(e(l.name))\(l.full ? "" : "（预备）")</td>"
            html += "<td data-label=\"应交\">\(l.monthly.map { "\($0) 元" } ?? "—")</td>"
            html += "<td data-label=\"本月\"><span class=\"badge \(state)\">\(e(status))</span></td>"
            html += "<td data-label=\"交至\">\(l.paidUpTo.map { e($0.description) } ?? "—")</td>"
            html += "<td data-label=\"欠缴\">\(arrears)</td><td>"
            if canWrite && l.monthly != nil {
                html += "<a class=\"button\" href=\"\(e(DuesPaths.payments(l.memberID)))\">\(l.receipt == nil ? "登记" : "明细")</a>"
            }
            html += "</td></tr>"
        }
        return html
    }

    /// GET /dues/members/{id}/payments: the member's entries (with receipts and 冲正) and the form for a new one.
    func paymentsPage(
        _ request: Request, _ context: AppRequestContext, memberID: Int64, form: FormData?, problems: [ValidationFailure],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try context.access(for: .membersWrite)
        let year = CalendarYear(of: today)
        guard let (line, organisationID) = try await services.store.dues.line(memberID: memberID, year: year, access: access),
            let org = try await services.organisations.find(organisationID, access: access)
        else { throw RecordNotFound(objectType: "member", objectID: String(memberID)) }
        let history = try await services.store.dues.payments(memberID: memberID, access: access)
        let arrears = try await services.store.dues.arrears(memberID: memberID, settled: history.settled, access: access)
        let reductions = try await services.store.dues.reductions(memberID: memberID, access: access)
        let reversed = Set(history.entries.compactMap(\.reverses))
        let thisMonth = DuesMonth(containing: today)
        let chosenKind = form?.text("kind") ?? DuesEntryKind.regular.rawValue
        let chosenMethod = form?.text("method") ?? DuesPaymentMethod.cash.rawValue
        let saved = FormData.query(request).int64("saved")
        var model = DuesPaymentsPage(
            name: line.name, orgName: org.name, collectionHref: DuesPaths.collection(org: org.id, month: thisMonth.code),
            basesHref: DuesPaths.member(memberID, year: year.value), action: DuesPaths.payments(memberID),
            monthly: line.monthly.map { "\(year.value) 年每月应交 \($0) 元" } ?? "\(year.value) 年党费基数尚未核定，请先设定基数（\(RuleID.dues09)）",
            paidUpTo: DuesCollection.paidUpTo(history.settled).map { "党费已交至 \($0)" } ?? "尚无交纳记录",
            arrears: arrears.words, arrearsColour: arrears.level == .lapseReview ? "red" : arrears.level == .reminder ? "yellow" : "",
            kinds: DuesEntryKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == chosenKind) },
            methods: DuesPaymentMethod.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == chosenMethod)
            },
            from: form?.text("from") ?? thisMonth.code, count: form?.text("count") ?? "1", amount: form?.text("amount") ?? "",
            paidOn: form?.text("paid_on") ?? today.description, branchConsent: form?.text("branch_consent") == "1",
            errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            savedNotice: history.entries.first { $0.id == saved }.map { "已登记：\($0.kind.displayName) \($0.amount) 元，收据 \($0.receiptNumber)。" } ?? "",
            savedReceipt: saved.map { DuesPaths.receipt($0) } ?? "",
            entries: history.entries.reversed().map { p in
                DuesPaymentsPage.Entry(
                    receipt: p.receiptNumber, paidOn: p.paidOn.description,
                    kind: p.reverses == nil ? p.kind.displayName : "冲正",
                    months: p.months.isEmpty ? "—" : Self.monthsText(p.months),
                    amount: p.reverses == nil ? "\(p.amount)" : "-\(p.amount)", method: p.method.displayName,
                    note: p.reverses == nil ? (reversed.contains(p.id) ? "已冲正" : "") : "原因：\(p.reason ?? "")",
                    receiptHref: DuesPaths.receipt(p.id), reverseAction: DuesPaths.reverse(p.id),
                    canReverse: p.reverses == nil && !reversed.contains(p.id))
            },
            hasEntries: !history.entries.isEmpty,
            rules: [
                "按月交纳：交纳当月的党费；按季交纳须经支部同意（\(RuleID.dues11)）",
                "补交：最多补交 6 个月以前的党费，更早的须先由支部核实处理（\(RuleID.dues17)、\(RuleID.dues19)）",
                "预交：最多 6 个月（\(RuleID.dues11)）；差额补交：基数提高后补足已交月份的差额（\(RuleID.dues17)）",
                "自愿多交：不对应月份，单笔 1000 元以上全部上缴中央（\(RuleID.dues08)）",
                "登记后不能修改或删除；记错了请“冲正”并写明原因，再重新登记（\(RuleID.dues17)）",
                "减免：本人申请、支部研究、上级党委批准后才能登记，按批准的金额交纳，免交的月份按已交计（\(RuleID.dues07)、\(RuleID.dues18)）",
            ],
            reductions: reductions.map { DuesReductionLine($0, name: line.name) }, hasReductions: !reductions.isEmpty,
            reductionAction: DuesPaths.reductions(member: memberID))
        try await DuesLapseController(services: services).fill(&model, memberID: memberID, organisationID: org.id, arrears: arrears, access: access)
        return services.renderer.page("dues/payments", title: "党费交纳 · \(line.name)", model: model, context: context, request: request, status: status)
    }

    /// "2026年9月—2026年11月" for a run of months, else each month.
    static func monthsText(_ months: [DuesMonth]) -> String {
        let sorted = months.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count > 2 && first.months(until: last) == sorted.count - 1 { return "\(first)—\(last)" }
        return sorted.map(\.description).joined(separator: "、")
    }

    /// POST /dues/members/{id}/payments: records the entry; back to the member's page with the receipt, or the form
    /// again with what was typed and why (nothing stored).
    func record(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        do {
            let posted = try DuesPaymentForm(form, today: today)
            let saved = try await services.store.dues.record(
                memberID: id, try await posted.draft(memberID: id, dues: services.store.dues, access: access), method: posted.method, access: access,
                actor: context.actor)
            return PageRenderer.redirect(DuesPaths.payments(id, saved: saved.payment.id))
        } catch let problems as ValidationProblems {
            return try await paymentsPage(request, context, memberID: id, form: form, problems: problems.problems, status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await paymentsPage(request, context, memberID: id, form: form, problems: [failure], status: .badRequest)
        }
    }

    /// POST /dues/payments/{id}/reverse: 冲正 with a reason; back to the member's page.
    func reverse(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        guard let found = try await services.store.dues.receipt(paymentID: id, access: access) else {
            throw RecordNotFound(objectType: "dues_payment", objectID: String(id))
        }
        do {
            let reversal = try await services.store.dues.reverse(paymentID: id, reason: form.text("reason"), access: access, actor: context.actor)
            return PageRenderer.redirect(DuesPaths.payments(found.payment.memberID, saved: reversal.id))
        } catch let failure as ValidationFailure {
            return try await paymentsPage(request, context, memberID: found.payment.memberID, form: nil, problems: [failure], status: .badRequest)
        }
    }

    /// GET /dues/payments/{id}/receipt: the receipt to print (or `format=docx`).
    func receipt(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let r = try await services.store.dues.receipt(paymentID: id, access: access) else {
            throw RecordNotFound(objectType: "dues_payment", objectID: String(id))
        }
        let p = r.payment
        let lines: [(String, String)] =
            [
                ("收据编号", p.receiptNumber), ("交纳人", r.memberName), ("党组织", r.organisationName),
                ("类型", p.reverses == nil ? p.kind.displayName : "冲正（\(p.reason ?? "")）"),
                ("所属月份", p.months.isEmpty ? "—" : Self.monthsText(p.months)),
                ("金额", "\(p.reverses == nil ? "" : "-")\(p.amount) 元（\(ChineseMoney.words(p.amount))）"),
                ("交纳方式", p.method.displayName), ("交纳日期", p.paidOn.description),
            ] + (r.reversedBy.map { [("状态", "已于 \($0.paidOn) 冲正（收据 \($0.receiptNumber)）")] } ?? [])
        if FormData.query(request).text("format") == "docx" {
            var doc = DocxWriter()
            doc.add(.init("党费收据", alignment: .center, bold: true, size: 36))
            doc.add(DocxWriter.Table(header: ["项目", "内容"], rows: lines.map { [$0.0, $0.1] }, size: 24))
            doc.add(.init(""))
            doc.add(.init("收款人（签字）：＿＿＿＿＿＿　　交款人（签字）：＿＿＿＿＿＿", size: 24))
            return Download.response(
                try doc.data(), type: Download.docx, name: "dues-receipt-\(p.receiptNumber).docx", chineseName: "党费收据\(p.receiptNumber).docx")
        }
        let model = DuesReceiptPage(
            lines: lines.map { .init(label: $0.0, value: $0.1) }, backHref: DuesPaths.payments(p.memberID),
            docxHref: DuesPaths.receipt(id, docx: true))
        return services.renderer.page("dues/receipt", title: "党费收据 \(p.receiptNumber)", model: model, context: context, request: request)
    }

    /// GET /dues/mine: the signed-in member's own dues — the amount, 交至, each month of the year and every entry.
    func minePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        guard let member = try await services.members.linkedMember(userID: identity.user.id) else {
            return services.renderer.page(
                "dues/mine", title: "我的党费", model: DuesMinePage.unlinked, context: context, request: request)
        }
        let year = CalendarYear(of: today)
        let line = try await services.store.dues.line(memberID: member.id, year: year, access: .maintenance)?.line
        let history = try await services.store.dues.payments(memberID: member.id, access: .maintenance)
        let arrears = try await services.store.dues.arrears(memberID: member.id, settled: history.settled, access: .maintenance)
        let thisMonth = DuesMonth(containing: today)
        let months = (1...12).compactMap { DuesMonth(year: year.value, month: $0) }.map { m in
            let paid = history.settled.contains(m)
            return DuesMinePage.Month(
                label: "\(m.month)月", state: paid ? "已交" : m > thisMonth ? "未到" : m == thisMonth ? "本月" : "未交",
                colour: paid ? "green" : m >= thisMonth ? "grey" : "red")
        }
        let reversed = Set(history.entries.compactMap(\.reverses))
        // DUES-12: the branch's yearly publication of collection and use (no member named); none for an organisation
        // that keeps no account.
        let lastYear = CalendarYear(of: today.adding(years: -1))
        var statement: DuesAccountStatement?
        do {
            statement = try await services.store.dues.accountStatement(
                organisationID: member.organisationID, year: lastYear, length: .yearly, access: .maintenance)
        } catch is ValidationFailure { statement = nil }
        var model = DuesMinePage(
            linked: true, name: member.name,
            monthly: line?.monthly.map { "\(year.value) 年每月应交党费 \($0) 元（\(line?.category?.displayName ?? "")）" } ?? "本年度党费基数尚未核定，请与支部联系",
            paidUpTo: DuesCollection.paidUpTo(history.settled).map { "党费已交至 \($0)" } ?? "尚无交纳记录",
            arrears: arrears.words, year: year.value, months: months,
            entries: history.entries.reversed().filter { $0.reverses == nil && !reversed.contains($0.id) }.map { p in
                DuesMinePage.Entry(
                    paidOn: p.paidOn.description, kind: p.kind.displayName, months: p.months.isEmpty ? "—" : Self.monthsText(p.months),
                    amount: "\(p.amount) 元", receipt: p.receiptNumber)
            },
            hasEntries: history.entries.contains { $0.reverses == nil && !reversed.contains($0.id) })
        model.publication = statement.map(DuesAccountController.publicationModel)
        return services.renderer.page("dues/mine", title: "我的党费", model: model, context: context, request: request)
    }
}
