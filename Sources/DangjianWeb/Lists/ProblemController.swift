import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 问题清单与整改: problems from any source in the caller's scope, and each problem's closed loop
/// 发现 → 整改中 → 申请销号 → 验收 → 销号 (LIST-03/04/07/08). The organisation rectifies (`ledger.write`); the office
/// accepts, rejects and reopens (`ledger.manage`), never the rectifier (LIST-03).
struct ProblemController {
    let services: AppServices

    struct Row {
        var id: Int64
        var organisation: String
        var source: String
        var category: String
        var description: String
        var foundOn: String
        var deadline: String
        var state: String
        var colour: String
        var status: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, ListsPaths.problems, access: .permission(.ledgerWrite)) { request, context in
            try await listPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.problems, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            do {
                let problem = try ProblemForm(form)
                let id = try await services.problems.create(problem.draft, access: try context.access(for: .ledgerManage), actor: context.actor)
                return PageRenderer.redirect(ListsPaths.problems(id), done: .problemRegistered)
            } catch let f as ValidationFailure {
                return try await listPage(request, context, error: f.fullMessage, status: .badRequest, typed: form)
            }
        }
        site.add(.get, ListsPaths.attachmentsPattern, access: .permission(.ledgerWrite), target: .attachment) { request, context in
            // An evidence file: only inside the caller's scope, always as a download (never rendered inline).
            let id = try context.parameters.require("id", as: Int64.self)
            guard
                let (file, data) = try await services.store.attachments
                    .download(id, access: try context.access(for: .ledgerWrite))
            else { throw RecordNotFound(objectType: "attachment", objectID: String(id)) }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "attachment", objectID: String(id), organisationID: file.organisationID,
                    summary: "下载佐证材料“\(file.fileName)”"), by: context.actor, database: services.database)
            return Download.response(
                data, type: file.contentType, name: "evidence-\(id)" + file.fileExtension,
                chineseName: file.fileName)
        }
        site.add(.get, ListsPaths.problemsExportXlsx, access: .permission(.ledgerWrite)) { request, context in
            try await problemsSheet(request, context)
        }
        site.add(.get, ListsPaths.problemsPattern, access: .permission(.ledgerWrite), target: .problem) { request, context in
            try await detailPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.problemsPattern, access: .permission(.ledgerWrite), target: .problem, body: .upload) { request, context in
            try await advanceProblem(request, context)
        }
    }

    /// GET /problems/export.xlsx: the problem list (问题清单) as a sheet.
    func problemsSheet(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // 问题整改台账: every problem in scope with its measures, responsible person, deadline, state and warning.
        let query = FormData.query(request)
        let access = try context.access(for: .ledgerWrite)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        var sheet = XLSXWriter(sheetName: "问题整改台账", header: ["序号", "单位", "来源", "类别", "问题", "发现日期", "整改措施", "责任人", "整改时限", "状态", "预警", "销号日期"])
        var count = 0
        let problems = try await services.problems.list(
            anchorID: anchor, scope: .subtree, state: ProblemState(rawValue: query.text("state")), access: access)
        let labels = try await services.organisations.labels(Set(problems.map(\.organisationID)))
        for p in problems.reversed() {
            guard let file = try await services.problems.find(p.id, access: access) else { continue }
            let l = file.lifecycle
            let s = l.status(today: today, dueSoonDays: rules.listDueSoonDays)
            count += 1
            sheet.append([
                String(count), labels[p.organisationID] ?? "", p.source.displayName, p.category, p.description, p.foundOn.description, l.measures,
                l.responsible,
                l.deadline.description, l.state.displayName, s.displayName, l.closedOn?.description ?? "",
            ])
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "problem", objectID: "ledger", organisationID: anchor,
                summary: "导出问题整改台账（\(count) 个问题）"), by: context.actor, database: services.database)
        return Download.response(
            try XLSXWriter.workbook([sheet]), type: Download.xlsx, name: "problems-\(today).xlsx", chineseName: "问题整改台账\(today).xlsx")
    }

    /// POST /problems/{id}: the next step of the rectification loop.
    func advanceProblem(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let posted = try await EvidenceForm.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let step: ProblemActionForm
        do { step = try ProblemActionForm(posted.form) } catch {
            return try await detailPage(request, context, id: id, error: error.fullMessage, status: .badRequest)
        }
        let action = step.action
        // Acceptance and 回头看 belong to the supervising office.
        let manages = [ProblemAction.accept(opinion: ""), .reject(reason: ""), .reopen(reason: "")].map(\.code).contains(action.code)
        let access = try context.access(for: manages ? .ledgerManage : .ledgerWrite)
        guard try await services.problems.find(id, access: access) != nil else {
            if try await services.problems.find(id, access: try context.access(for: .ledgerWrite)) != nil {
                throw AccessDenied(permission: .ledgerManage, reason: "验收、退回和回头看由督导部门办理")
            }
            throw RecordNotFound(objectType: "problem", objectID: String(id))
        }
        do {
            let date = step.date ?? CivilDate(date: services.clock.now())
            try await services.problems.apply(id, action, on: date, file: try posted.evidence(), access: access, actor: context.actor)
            return PageRenderer.redirect(ListsPaths.problems(id), done: .problemUpdated)
        } catch let f as ValidationFailure {
            return try await detailPage(request, context, id: id, error: f.fullMessage, status: .badRequest)
        }
    }

    /// - Parameter typed: a refused registration, shown again as typed (issue 17 item 6: nothing typed is lost).
    func listPage(
        _ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status, typed: FormData? = nil
    ) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .ledgerWrite)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let state = ProblemState(rawValue: query.text("state"))
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        let problems =
            access.reaches.isEmpty && !access.isUnrestricted
            ? [] : try await services.problems.list(anchorID: anchor, scope: .subtree, state: state, access: access)
        let labels = try await services.organisations.labels(Set(problems.map(\.organisationID)))
        let rows = problems.map { p in
            let s = DeadlineStatus.of(
                deadline: p.deadline, finishedOn: p.state == .closed ? p.closedOn : nil, today: today, dueSoonDays: rules.listDueSoonDays)
            return Row(
                id: p.id, organisation: labels[p.organisationID] ?? "", source: p.source.displayName, category: p.category,
                description: p.description,
                foundOn: p.foundOn.description, deadline: p.deadline.description, state: p.state.displayName, colour: s.warningLevel.cssClass,
                status: s.displayName)
        }
        let manage = try context.access(for: .ledgerManage)
        let targets = try await services.unitChoices(manage, includingAnchors: true).map { o in
            SelectOption(value: o.value, label: o.label, selected: typed?.text("organisation") == o.value)
        }
        let model = ProblemsPage(
            rows: rows, hasRows: !rows.isEmpty, org: anchor, error: error,
            states: [SelectOption(value: "", label: "全部", selected: state == nil)]
                + ProblemState.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == state) },
            counts: ProblemState.allCases.map { s in CountItem(label: s.displayName, count: problems.filter { $0.state == s }.count) },
            overdue: rows.filter { $0.colour == "red" }.count,
            canCreate: !targets.isEmpty, targets: targets, today: today.description,
            sources: ProblemSource.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.displayName, selected: typed?.text("source") == $0.rawValue)
            },
            typed: TypedProblem(
                category: typed?.text("category") ?? "", description: typed?.text("description") ?? "",
                foundOn: typed?.text("found_on") ?? today.description, deadline: typed?.text("deadline") ?? ""))
        return services.renderer.page("lists/problems", title: "问题清单", model: model, context: context, request: request, status: status)
    }

    func detailPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response
    {
        guard let file = try await services.problems.find(id, access: try context.access(for: .ledgerWrite)) else {
            throw RecordNotFound(objectType: "problem", objectID: String(id))
        }
        let manages = try await services.problems.find(id, access: try context.access(for: .ledgerManage)) != nil
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        let l = file.lifecycle
        let s = l.status(today: today, dueSoonDays: rules.listDueSoonDays)
        let labels = try await services.organisations.labels([file.organisationID])
        let user = context.identity?.user.id ?? 0
        let model = ProblemDetailPage(
            id: file.id, organisation: labels[file.organisationID] ?? "", source: file.source.displayName, category: file.category,
            description: file.description, foundOn: l.foundOn.description, deadline: l.deadline.description, state: l.state.displayName,
            colour: s.warningLevel.cssClass, status: s.displayName, warning: DeadlineStatus.warning(deadline: l.deadline, status: s, today: today),
            measures: l.measures, responsible: l.responsible, closedOn: l.closedOn?.description,
            canPlan: l.state == .found || l.state == .rectifying, canProgress: l.state == .rectifying,
            canAccept: manages && l.state == .closureRequested && !l.rectifiers.contains(user),
            ownRectification: manages && l.state == .closureRequested && l.rectifiers.contains(user),
            canReopen: manages && l.state == .closed,
            events: file.events.map {
                ProblemDetailPage.Event(
                    date: $0.date.description, action: $0.action, text: $0.text, state: $0.stateAfter.displayName, by: $0.actorName,
                    files: CampaignController.files($0.attachments))
            },
            today: today.description, error: error)
        return services.renderer.page("lists/problem_detail", title: "问题整改", model: model, context: context, request: request, status: status)
    }
}
