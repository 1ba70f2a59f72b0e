import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 任务清单 (三单一账): campaigns with key tasks assigned to organisations, the 挂图作战 board (tasks × units, colour
/// by LIST-01/02 state, printable on A3), and each organisation's task page: 认领细化, 台账 entries and completion.
struct CampaignController {
    let services: AppServices

    struct Cell {
        var id: Int64
        var colour: String
        var label: String
        var has: Bool
    }

    struct BoardRow {
        var category: String
        var title: String
        var deadline: String
        var cells: [Cell]
    }

    struct TaskRow {
        var id: Int64
        var campaign: String
        var category: String
        var title: String
        var organisation: String
        var deadline: String
        var state: String
        var colour: String
        var status: String
        var warning: String?
    }

    func addRoutes(to site: Site) {
        site.add(.get, ListsPaths.campaigns, access: .permission(.ledgerManage)) { request, context in
            try await listPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.campaigns, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            do {
                let campaign = try CampaignForm(form)
                let id = try await services.campaigns.create(
                    name: campaign.name, year: campaign.year, description: campaign.description,
                    organisationID: campaign.organisationID ?? access.reaches.first?.organisationID ?? 0, access: access, actor: context.actor)
                return PageRenderer.redirect(ListsPaths.campaigns(id))
            } catch let f as ValidationFailure {
                return try await listPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.campaignsPattern, access: .permission(.ledgerManage), target: .campaign) { request, context in
            try await boardPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.get, ListsPaths.campaignsBoardXlsxPattern, access: .permission(.ledgerManage), target: .campaign) { request, context in
            try await campaignBoardSheet(request, context)
        }
        site.add(.post, ListsPaths.campaignsTasksPattern, access: .permission(.ledgerManage), target: .campaign) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let task = try TaskForm(form)
                _ = try await services.campaigns.addTask(
                    campaignID: id, category: task.category, title: task.title, deliverable: task.deliverable, deadline: task.deadline,
                    assignees: task.assignees,
                    access: try context.access(for: .ledgerManage), actor: context.actor)
                return PageRenderer.redirect(ListsPaths.campaigns(id))
            } catch let f as ValidationFailure {
                return try await boardPage(request, context, id: id, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, ListsPaths.campaignsClosePattern, access: .permission(.ledgerManage), target: .campaign) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                try await services.campaigns.close(
                    id, on: CivilDate(date: services.clock.now()), access: try context.access(for: .ledgerManage), actor: context.actor)
                return PageRenderer.redirect(ListsPaths.campaigns(id))
            } catch let f as ValidationFailure {
                return try await boardPage(request, context, id: id, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.tasks, access: .permission(.ledgerWrite)) { request, context in
            let today = CivilDate(date: services.clock.now())
            let rules = try await services.rules.inForce()
            let access = try context.access(for: .ledgerWrite)
            let list = try await services.campaigns.assignments(access: access)
            let labels = try await services.organisations.labels(Set(list.map(\.0.organisationID)))
            let rows = list.map { a, c in
                let status = a.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays)
                return TaskRow(
                    id: a.id, campaign: c.name, category: a.task.category, title: a.task.title, organisation: labels[a.organisationID] ?? "",
                    deadline: a.task.deadline.description, state: a.lifecycle.state.displayName, colour: status.warningLevel.cssClass,
                    status: status.displayName,
                    warning: DeadlineStatus.warning(deadline: a.task.deadline, status: status, today: today))
            }
            let model = TasksPage(
                rows: rows, hasRows: !rows.isEmpty,
                overdue: rows.filter { $0.colour == "red" }.count, dueSoon: rows.filter { $0.colour == "yellow" }.count)
            return services.renderer.page("lists/tasks", title: "任务清单", model: model, context: context, request: request)
        }
        site.add(.get, ListsPaths.tasksPattern, access: .permission(.ledgerWrite), target: .taskAssignment) { request, context in
            try await taskPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.tasksPattern, access: .permission(.ledgerWrite), target: .taskAssignment, body: .upload) { request, context in
            var request = request
            let posted = try await EvidenceForm.read(&request)
            let form = posted.form
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .ledgerWrite)
            do {
                let step = try TaskActionForm(form)
                let date = step.date ?? CivilDate(date: services.clock.now())
                switch step.action {
                case .claim:
                    try await services.campaigns.claim(id, refinement: step.refinement, owner: step.owner, access: access, actor: context.actor)
                case .progress:
                    try await services.campaigns.recordProgress(
                        id, on: date, text: step.text, evidence: step.evidence, file: try posted.evidence(), access: access, actor: context.actor)
                case .complete: try await services.campaigns.complete(id, on: date, access: access, actor: context.actor)
                }
                return PageRenderer.redirect(ListsPaths.tasks(id), done: .taskUpdated)
            } catch let f as ValidationFailure {
                return try await taskPage(
                    request, context, id: id, error: f.fullMessage, status: .badRequest, typed: form, file: f.field == "evidence_file")
            }
        }
    }

    /// GET /campaigns/{id}/board.xlsx: the campaign's task board as a sheet.
    func campaignBoardSheet(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // 挂图作战 as a spreadsheet (tasks × units, each cell the state), and the ledger of every entry.
        let id = try context.parameters.require("id", as: Int64.self)
        let board = try await services.campaigns.board(id, access: try context.access(for: .ledgerManage))
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        var matrix = XLSXWriter(sheetName: "挂图作战", header: ["类别", "重点任务", "时限"] + board.organisations.map(\.label))
        var byKey: [String: TaskAssignment] = [:]
        for a in board.assignments { byKey["\(a.task.id)-\(a.organisationID)"] = a }
        for t in board.tasks {
            matrix.append(
                [t.category, t.title, t.deadline.description]
                    + board.organisations.map { org in
                        byKey["\(t.id)-\(org.id)"].map { $0.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays).displayName } ?? ""
                    })
        }
        var ledger = XLSXWriter(sheetName: "台账", header: ["重点任务", "责任单位", "责任人", "日期", "进展", "佐证", "记录人"])
        let labels = Dictionary(uniqueKeysWithValues: board.organisations.map { ($0.id, $0.label) })
        for a in board.assignments {
            guard let (_, _, entries) = try await services.campaigns.assignment(a.id, access: .maintenance) else { continue }
            for e in entries {
                ledger.append([a.task.title, labels[a.organisationID] ?? "", a.ownerName, e.date.description, e.text, e.evidence, e.recordedBy])
            }
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "campaign", objectID: String(id), organisationID: board.campaign.organisationID,
                summary: "导出“\(board.campaign.name)”挂图与台账"), by: context.actor, database: services.database)
        return Download.response(
            try XLSXWriter.workbook([matrix, ledger]), type: Download.xlsx, name: "campaign-\(id).xlsx",
            chineseName: "\(board.campaign.name).xlsx")
    }

    /// Download links of evidence files for a template.
    static func files(_ attachments: [Attachment]) -> [EvidenceFileLink] {
        attachments.map {
            EvidenceFileLink(
                id: $0.id, name: $0.fileName,
                size: $0.byteSize >= 1024 * 1024 ? "\($0.byteSize / 1024 / 1024)MB" : "\(max(1, $0.byteSize / 1024))KB")
        }
    }

    func listPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let access = try context.access(for: .ledgerManage)
        let campaigns = try await services.campaigns.campaigns(access: access)
        let labels = try await services.organisations.labels(Set(campaigns.map(\.organisationID)))
        let anchors = try await services.organisations.labels(Set(access.reaches.map(\.organisationID)))
        let model = CampaignsPage(
            campaigns: campaigns.map {
                CampaignsPage.Row(
                    id: $0.id, name: $0.name, year: $0.year, organisation: labels[$0.organisationID] ?? "",
                    closed: $0.closedOn?.description ?? "进行中")
            },
            hasCampaigns: !campaigns.isEmpty, error: error,
            orgs: anchors.sorted { $0.key < $1.key }.map { SelectOption(value: String($0.key), label: $0.value, selected: false) },
            year: CivilDate(date: services.clock.now()).year)
        return services.renderer.page("lists/campaigns", title: "创建活动与任务清单", model: model, context: context, request: request, status: status)
    }

    func boardPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response
    {
        let access = try context.access(for: .ledgerManage)
        let board = try await services.campaigns.board(id, access: access)
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        var byKey: [String: TaskAssignment] = [:]
        for a in board.assignments { byKey["\(a.task.id)-\(a.organisationID)"] = a }
        var counts: [DeadlineStatus: Int] = [:]
        let rows = board.tasks.map { task in
            BoardRow(
                category: task.category, title: task.title, deadline: task.deadline.description,
                cells: board.organisations.map { org in
                    guard let a = byKey["\(task.id)-\(org.id)"] else { return Cell(id: 0, colour: "none", label: "", has: false) }
                    let s = a.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays)
                    counts[s, default: 0] += 1
                    return Cell(id: a.id, colour: s.warningLevel.cssClass, label: s.displayName, has: true)
                })
        }
        let candidates = try await services.organisations.list(anchorID: board.campaign.organisationID, scope: .subtree, access: access)
            .filter { $0.type != .partyGroup && $0.id != board.campaign.organisationID }
        let model = CampaignBoardPage(
            campaign: .init(
                id: board.campaign.id, name: board.campaign.name, year: board.campaign.year, description: board.campaign.description),
            closed: board.campaign.closedOn?.description, open: board.campaign.closedOn == nil,
            orgs: board.organisations.map { .init(label: $0.label) }, rows: rows, hasRows: !rows.isEmpty,
            legend: DeadlineStatus.allCases.map { LegendItem(colour: $0.warningLevel.cssClass, label: $0.displayName, count: counts[$0] ?? 0) },
            candidates: candidates.map {
                SelectOption(value: String($0.id), label: String(repeating: "　", count: max(0, $0.depth - 1)) + $0.name, selected: false)
            },
            error: error, dueSoonDays: rules.listDueSoonDays)
        return services.renderer.page(
            "lists/campaign_board", title: board.campaign.name, model: model, context: context, request: request, status: status)
    }

    /// - Parameters:
    ///   - typed: the refused form, shown again as typed (issue 17 item 6); `file`: the refusal was the file's.
    func taskPage(
        _ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status, typed: FormData? = nil,
        file: Bool = false
    ) async throws -> Response {
        guard let (a, campaign, ledger) = try await services.campaigns.assignment(id, access: try context.access(for: .ledgerWrite)) else {
            throw RecordNotFound(objectType: "task_assignment", objectID: String(id))
        }
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        let s = a.lifecycle.status(today: today, dueSoonDays: rules.listDueSoonDays)
        let labels = try await services.organisations.labels([a.organisationID])
        let model = TaskDetailPage(
            id: a.id, campaign: campaign.name, category: a.task.category, title: a.task.title, deliverable: a.task.deliverable,
            deadline: a.task.deadline.description, organisation: labels[a.organisationID] ?? "", state: a.lifecycle.state.displayName,
            colour: s.warningLevel.cssClass, status: s.displayName,
            warning: DeadlineStatus.warning(deadline: a.task.deadline, status: s, today: today),
            owner: a.ownerName, refinement: a.refinement, doneOn: a.lifecycle.doneOn?.description,
            canClaim: a.lifecycle.state == .assigned && campaign.closedOn == nil,
            canRecord: a.lifecycle.state != .done && campaign.closedOn == nil,
            closed: campaign.closedOn?.description,
            ledger: ledger.map {
                LedgerEntryRow(date: $0.date.description, text: $0.text, evidence: $0.evidence, by: $0.recordedBy, files: Self.files($0.attachments))
            },
            hasLedger: !ledger.isEmpty,
            today: today.description, error: error,
            typed: TypedTaskInput(
                owner: typed?.text("owner") ?? "", refinement: typed?.text("refinement") ?? "", date: typed?.text("date") ?? today.description,
                text: typed?.text("text") ?? "", evidence: typed?.text("evidence") ?? ""),
            chooseFileAgain: file)
        return services.renderer.page("lists/task_detail", title: a.task.title, model: model, context: context, request: request, status: status)
    }
}
