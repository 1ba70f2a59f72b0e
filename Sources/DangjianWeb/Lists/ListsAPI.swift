import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 三单一账 in `/api/v1` (issue 17, item 21): tasks (任务清单 assignments) and their ledger, problems (问题清单) and
/// their rectification steps, and the one ledger (台账) across a subtree. Writes go through the same forms and rules
/// as the pages (LIST-xx), with the same permissions: `ledger.write` for a unit's own work, `ledger.manage` to
/// register problems and to accept, send back or reopen them.
struct ListsAPI {
    let services: AppServices

    struct EntryDTO: Encodable {
        var id: Int64
        var date: String
        var kind: String
        var text: String
        var evidence: String
        var recorded_by: String
        var recorded_at: String
        var attachments: Int

        init(_ e: LedgerEntry) {
            id = e.id; date = e.date.description; kind = e.kind; text = e.text; evidence = e.evidence; recorded_by = e.recordedBy
            recorded_at = e.recordedAt.utcTimestamp; attachments = e.attachments.count
        }
    }

    struct TaskDTO: Encodable {
        var id: Int64
        var campaign_id: Int64
        var campaign: String
        var category: String
        var title: String
        var deliverable: String
        var deadline: String
        var organisation_id: Int64
        var owner: String
        var refinement: String
        var state: String
        var state_name: String
        /// 按期完成 / 进行中 / 临期 / 逾期 …, with the rule book's warning days (LIST-05).
        var deadline_status: String
        var version: Int64
        var ledger: [EntryDTO]?

        init(_ a: TaskAssignment, _ c: Campaign, today: CivilDate, dueSoonDays: Int, ledger: [LedgerEntry]? = nil) {
            id = a.id; campaign_id = c.id; campaign = c.name; category = a.task.category; title = a.task.title; deliverable = a.task.deliverable
            deadline = a.task.deadline.description; organisation_id = a.organisationID; owner = a.ownerName; refinement = a.refinement
            state = a.lifecycle.state.rawValue; state_name = a.lifecycle.state.displayName
            deadline_status = a.lifecycle.status(today: today, dueSoonDays: dueSoonDays).rawValue; version = a.version
            self.ledger = ledger.map { $0.map(EntryDTO.init) }
        }
    }

    struct ProblemSummaryDTO: Encodable {
        var id: Int64
        var organisation_id: Int64
        var source: String
        var category: String
        var description: String
        var found_on: String
        var deadline: String
        var state: String
        var state_name: String
        var responsible: String
        var closed_on: String?

        init(_ p: ProblemSummary) {
            id = p.id; organisation_id = p.organisationID; source = p.source.rawValue; category = p.category; description = p.description
            found_on = p.foundOn.description; deadline = p.deadline.description; state = p.state.rawValue; state_name = p.state.displayName
            responsible = p.responsible; closed_on = p.closedOn?.description
        }
    }

    struct ProblemDTO: Encodable {
        struct Event: Encodable {
            var id: Int64
            var action: String
            var date: String
            var text: String
            var state_after: String
            var by: String
            var attachments: Int
        }

        var id: Int64
        var organisation_id: Int64
        var source: String
        var category: String
        var description: String
        var found_on: String
        var deadline: String
        var measures: String
        var responsible: String
        var state: String
        var state_name: String
        var closed_on: String?
        var reopenings: Int
        var version: Int64
        var events: [Event]

        init(_ f: ProblemFile) {
            let l = f.lifecycle
            id = f.id; organisation_id = f.organisationID; source = f.source.rawValue; category = f.category; description = f.description
            found_on = l.foundOn.description; deadline = l.deadline.description; measures = l.measures; responsible = l.responsible
            state = l.state.rawValue; state_name = l.state.displayName; closed_on = l.closedOn?.description; reopenings = l.reopenings
            version = f.version
            events = f.events.map {
                Event(
                    id: $0.id, action: $0.action, date: $0.date.description, text: $0.text, state_after: $0.stateAfter.rawValue, by: $0.actorName,
                    attachments: $0.attachments.count)
            }
        }
    }

    struct LedgerLineDTO: Encodable {
        var subject_type: String
        var subject_id: Int64
        var organisation_id: Int64
        var entry: EntryDTO
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/tasks", access: .permission(.ledgerWrite)) { _, context in
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerWrite)
            let today = CivilDate(date: services.clock.now())
            let days = try await services.rules.inForce().listDueSoonDays
            let list = try await services.campaigns.assignments(access: access)
            return try JSONAPI.encode(JSONAPI.Page(total: list.count, items: list.map { TaskDTO($0.0, $0.1, today: today, dueSoonDays: days) }))
        }
        site.add(.get, "/api/v1/tasks/{id}", access: .permission(.ledgerWrite), target: .taskAssignment) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard
                let (a, c, ledger) = try await services.campaigns.assignment(
                    id, access: try JSONAPI.identity(context).principal.access(for: .ledgerWrite))
            else { throw RecordNotFound(objectType: "task_assignment", objectID: String(id)) }
            let days = try await services.rules.inForce().listDueSoonDays
            return try JSONAPI.encode(TaskDTO(a, c, today: CivilDate(date: services.clock.now()), dueSoonDays: days, ledger: ledger))
        }
        // {"action": "claim" | "progress" | "complete", "refinement", "owner", "text", "evidence", "date"}: as the task page.
        site.add(.post, "/api/v1/tasks/{id}", access: .permission(.ledgerWrite), target: .taskAssignment) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerWrite)
            let step = try TaskActionForm(body.form)
            let date = step.date ?? CivilDate(date: services.clock.now())
            switch step.action {
            case .claim: try await services.campaigns.claim(id, refinement: step.refinement, owner: step.owner, access: access, actor: context.actor)
            case .progress:
                try await services.campaigns.recordProgress(
                    id, on: date, text: step.text, evidence: step.evidence, access: access, actor: context.actor)
            case .complete: try await services.campaigns.complete(id, on: date, access: access, actor: context.actor)
            }
            guard let (a, c, ledger) = try await services.campaigns.assignment(id, access: access) else {
                throw RecordNotFound(objectType: "task_assignment", objectID: String(id))
            }
            let days = try await services.rules.inForce().listDueSoonDays
            return try JSONAPI.encode(TaskDTO(a, c, today: CivilDate(date: services.clock.now()), dueSoonDays: days, ledger: ledger))
        }
        site.add(.get, "/api/v1/problems", access: .permission(.ledgerWrite), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerWrite)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
            let state: ProblemState?
            if query.text("state").isEmpty {
                state = nil
            } else {
                guard let s = ProblemState(rawValue: query.text("state")) else {
                    throw ValidationFailure(field: "state", message: "问题状态无效：\(query.text("state"))", isRequestParameter: true)
                }
                state = s
            }
            let problems = try await services.problems.list(anchorID: anchor, scope: scope, state: state, access: access)
            return try JSONAPI.encode(JSONAPI.Page(total: problems.count, items: problems.map(ProblemSummaryDTO.init)))
        }
        // {"organisation_id", "source", "category", "description", "found_on", "deadline"}: as the registration form.
        site.add(.post, "/api/v1/problems", access: .permission(.ledgerManage), target: .organisation) { request, context in
            var body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            if let org = body.fields.removeValue(forKey: "organisation_id") { body.fields["organisation"] = org }
            let problem = try ProblemForm(body.form)
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerManage)
            let id = try await services.problems.create(problem.draft, access: access, actor: context.actor)
            guard let file = try await services.problems.find(id, access: access) else {
                throw RecordNotFound(objectType: "problem", objectID: String(id))
            }
            return try JSONAPI.encode(ProblemDTO(file), status: .created)
        }
        site.add(.get, "/api/v1/problems/{id}", access: .permission(.ledgerWrite), target: .problem) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let file = try await services.problems.find(id, access: try JSONAPI.identity(context).principal.access(for: .ledgerWrite)) else {
                throw RecordNotFound(objectType: "problem", objectID: String(id))
            }
            return try JSONAPI.encode(ProblemDTO(file))
        }
        // {"action": "plan" | "progress" | "request_closure" | "accept" | "reject" | "reopen", "text", "responsible",
        // "deadline", "date"}: the next step, as the problem page; acceptance and 回头看 need `ledger.manage`.
        site.add(.post, "/api/v1/problems/{id}", access: .permission(.ledgerWrite), target: .problem) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let step = try ProblemActionForm(body.form)
            let manages = [ProblemAction.accept(opinion: ""), .reject(reason: ""), .reopen(reason: "")].map(\.code).contains(step.action.code)
            let principal = try JSONAPI.identity(context).principal
            let access = principal.access(for: manages ? .ledgerManage : .ledgerWrite)
            guard try await services.problems.find(id, access: access) != nil else {
                if try await services.problems.find(id, access: principal.access(for: .ledgerWrite)) != nil {
                    throw AccessDenied(permission: .ledgerManage, reason: "验收、退回和回头看由督导部门办理")
                }
                throw RecordNotFound(objectType: "problem", objectID: String(id))
            }
            let file = try await services.problems.apply(
                id, step.action, on: step.date ?? CivilDate(date: services.clock.now()), access: access, actor: context.actor)
            return try JSONAPI.encode(ProblemDTO(file))
        }
        // The one ledger across a subtree: ?org=&scope=&from=&to=&limit=&offset=.
        site.add(.get, "/api/v1/ledger", access: .permission(.ledgerWrite), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerWrite)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
            func day(_ name: String) throws -> CivilDate? {
                let text = query.text(name)
                if text.isEmpty { return nil }
                guard let d = CivilDate(iso: text) else {
                    throw ValidationFailure(field: name, message: "日期应为 YYYY-MM-DD：\(text)", isRequestParameter: true)
                }
                return d
            }
            let result = try await services.campaigns.ledger(
                anchorID: anchor, scope: scope, from: try day("from"), to: try day("to"),
                limit: try query.number("limit", RowLimit.self)?.value ?? 100, offset: try query.number("offset", RowOffset.self)?.value ?? 0,
                access: access)
            return try JSONAPI.encode(
                JSONAPI.Page(
                    total: result.total,
                    items: result.lines.map {
                        LedgerLineDTO(
                            subject_type: $0.subjectType, subject_id: $0.subjectID, organisation_id: $0.organisationID, entry: EntryDTO($0.entry))
                    }))
        }
    }
}
