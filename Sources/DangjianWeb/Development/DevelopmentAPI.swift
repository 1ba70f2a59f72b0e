import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 发展党员 in `/api/v1` (issue 17, item 21): case files (一人一档) with their steps, opening a case and recording the
/// next step (or correcting the last) through the same checks as the case page — refusals name the rule and the
/// earliest valid date (DEV-xx). The same permissions as the pages: `members.read` to read, `members.write` to write.
struct DevelopmentAPI {
    let services: AppServices

    struct StepDTO: Encodable {
        var entry_id: Int64
        var step: Int
        var step_name: String
        var stage: String
        var date: String
        var remark: String?
        var corrects_entry_id: Int64?
        var reason: String?
        var recorded_at: String
        var attachments: Int
    }

    struct CaseDTO: Encodable {
        var id: Int64
        var organisation_id: Int64
        var applicant_name: String
        var gender: String
        var id_number_masked: String
        var status: String
        var stage: String
        var next_step: Int?
        var next_step_name: String?
        var member_id: Int64?
        var steps: [StepDTO]?
        /// Warnings of the step just recorded (time limits, DEV-xx); empty otherwise.
        var warnings: [String]?

        init(_ f: DevelopmentCaseFile, withSteps: Bool, warnings: [DevelopmentRefusal]? = nil) {
            id = f.id; organisation_id = f.organisationID; applicant_name = f.applicantName; gender = f.gender.rawValue
            id_number_masked = f.idNumberMasked; status = f.status.rawValue; stage = f.developmentCase.stage.displayName
            next_step = f.developmentCase.nextStep?.rawValue; next_step_name = f.developmentCase.nextStep?.displayName; member_id = f.memberID
            steps =
                withSteps
                ? f.entries.map { e in
                    StepDTO(
                        entry_id: e.id, step: e.record.step.rawValue, step_name: e.record.step.displayName, stage: e.record.step.stage.displayName,
                        date: e.record.date.description, remark: e.remark, corrects_entry_id: e.correctsEntryID, reason: e.reason,
                        recorded_at: e.recordedAt.utcTimestamp, attachments: e.attachments.count)
                } : nil
            self.warnings = warnings?.map(\.fullMessage)
        }
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/development/cases", access: .permission(.membersRead), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
            let cases = try await services.development.ledger(anchorID: anchor, scope: scope, access: access)
            return try JSONAPI.encode(JSONAPI.Page(total: cases.count, items: cases.map { CaseDTO($0, withSteps: false) }))
        }
        // {"organisation_id", "applicant_name", "id_number"}: opens a case (DEV-36 one per person; MEM-04).
        site.add(.post, "/api/v1/development/cases", access: .permission(.membersWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let applicant = NewCaseForm(FormData(fields: body.fields.merging(["org": body.fields["organisation_id"] ?? []]) { a, _ in a }))
            guard let organisationID = applicant.organisationID else {
                throw ValidationFailure(field: "organisation_id", message: "请指定党支部（organisation_id）")
            }
            let id: Int64
            do {
                id = try await services.development.open(
                    applicantName: applicant.applicantName, idNumber: applicant.idNumber, organisationID: organisationID, access: access,
                    actor: context.actor)
            } catch let failure as ValidationFailure {
                await ErrorPages(services: services).recordIdentityProbe(failure, request: request, context: context)  // L4
                throw failure
            }
            guard let file = try await services.development.find(id, access: access) else {
                throw RecordNotFound(objectType: "development_case", objectID: String(id))
            }
            return try JSONAPI.encode(CaseDTO(file, withSteps: true), status: .created)
        }
        site.add(.get, "/api/v1/development/cases/{id}", access: .permission(.membersRead), target: .developmentCase) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let file = try await services.development.find(id, access: try JSONAPI.identity(context).principal.access(for: .membersRead)) else {
                throw RecordNotFound(objectType: "development_case", objectID: String(id))
            }
            return try JSONAPI.encode(CaseDTO(file, withSteps: true))
        }
        // The step form's fields as JSON ({"date", "remark", "handler", "person_1", "full_1", …}; "mode": "correct" with
        // "reason" corrects the last step): the next step is recorded as on the case page.
        site.add(.post, "/api/v1/development/cases/{id}/steps", access: .permission(.membersWrite), target: .developmentCase) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let form = body.form
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            guard let file = try await services.development.find(id, access: access) else {
                throw RecordNotFound(objectType: "development_case", objectID: String(id))
            }
            let entry = StepEntryForm(form)
            guard let step = entry.correcting ? file.developmentCase.steps.last?.step : file.developmentCase.nextStep else {
                throw ValidationFailure(field: "step", message: "没有可以记录的步骤")
            }
            guard let date = entry.date else { throw ValidationFailure(field: "date", message: "请填写日期，如 2026-03-28") }
            let stepForm = StepForm(form, step: step, negativeList: file.developmentCase.rules.politicalReviewNegativeList)
            guard stepForm.problems.isEmpty else {
                throw ValidationProblems(problems: stepForm.problems.map { ValidationFailure(field: "step", message: $0) })
            }
            let record = StepRecord(step: step, date: date, facts: stepForm.facts)
            let (saved, warnings) =
                entry.correcting
                ? try await services.development.correctLast(caseID: id, record, reason: entry.reason, access: access, actor: context.actor)
                : try await services.development.record(caseID: id, record, remark: entry.remark, access: access, actor: context.actor)
            return try JSONAPI.encode(CaseDTO(saved, withSteps: true, warnings: warnings), status: .created)
        }
    }
}
