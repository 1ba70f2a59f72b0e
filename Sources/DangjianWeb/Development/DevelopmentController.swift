import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore
import DangjianOffice

/// 发展党员: the development plan of a subtree (who is at which stage, who becomes eligible next month) and each
/// applicant's case file with the 25 steps; a step is recorded through the rules of rules.md §1.2, and a refused
/// step says which rule and the earliest valid date.
struct DevelopmentController {
    let services: AppServices

    struct PlanRow {
        var id: Int64
        var link: String
        /// The next step may be recorded in a batch (批量办理) and is possible now.
        var batchable: Bool
        var name: String
        var organisation: String
        var stage: String
        var next: String
        var earliest: String
        var colour: String
        var status: String
        /// Time limits due soon or missed, with their rules (red when one is missed).
        var alerts: [String]
        var alertColour: String
    }

    struct StepRow {
        var number: Int
        var name: String
        var stage: String
        var responsible: String
        var date: String
        var done: Bool
        var current: Bool
    }

    struct EntryRow {
        var id: Int64
        var at: String
        var text: String
        var correction: Bool
        /// The step's materials.
        var materials: [LinkItem]
    }

    func addRoutes(to site: Site) {
        site.add(.get, DevelopmentPaths.plan, access: .permission(.membersRead), target: .organisation) { request, context in
            try await planPage(request, context, form: nil, problem: nil, status: .ok)
        }
        site.add(.post, DevelopmentPaths.plan, access: .permission(.membersWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .membersWrite)
            let applicant = NewCaseForm(form)
            do {
                let id = try await services.development.open(
                    applicantName: applicant.applicantName, idNumber: applicant.idNumber,
                    organisationID: applicant.organisationID ?? access.reaches.first?.organisationID ?? 0, access: access, actor: context.actor)
                return PageRenderer.redirect(DevelopmentPaths.developmentCase(id))
            } catch let failure as ValidationFailure {
                await ErrorPages(services: services).recordIdentityProbe(failure, request: request, context: context)  // L4
                return try await planPage(request, context, form: form, problem: failure.fullMessage, status: .badRequest)
            }
        }
        // 入党志愿书编号台账 (DEV-34): issued, used, voided.
        site.add(.get, DevelopmentPaths.forms, access: .permission(.membersRead)) { request, context in
            try await formsPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, DevelopmentPaths.forms, access: .permission(.organisationsWrite)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .organisationsWrite)
            do {
                let run = try FormNumbersIssueForm(form)
                _ = try await services.applicationForms.issue(
                    first: run.first, count: run.count, organisationID: run.organisationID ?? access.reaches.first?.organisationID ?? 0,
                    on: run.issuedOn ?? CivilDate(date: services.clock.now()), access: access, actor: context.actor)
                return PageRenderer.redirect(DevelopmentPaths.forms)
            } catch let f as ValidationFailure {
                return try await formsPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, DevelopmentPaths.voidForm, access: .permission(.organisationsWrite)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            do {
                let voiding = FormNumberVoidForm(form)
                try await services.applicationForms.void(
                    number: voiding.number, reason: voiding.reason, on: CivilDate(date: services.clock.now()),
                    access: try context.access(for: .organisationsWrite), actor: context.actor)
                return PageRenderer.redirect(DevelopmentPaths.forms)
            } catch let f as ValidationFailure {
                return try await formsPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        // 年度发展计划 (DEVPLAN-01/02): targets against approvals, open cases by stage, the N-year warning.
        site.add(.get, DevelopmentPaths.annual, access: .permission(.membersRead), target: .organisation) { request, context in
            try await annualPage(request, context, error: nil, status: .ok)
        }
        site.add(.get, DevelopmentPaths.annualSheet, access: .permission(.membersRead), target: .organisation) { request, context in
            let (year, rows, anchor) = try await annual(request, context)
            let today = CivilDate(date: services.clock.now())
            let rules = try await services.rules.inForce()
            var sheet = XLSXWriter(
                sheetName: "\(year)年发展计划",
                header: ["党组织", "计划发展", "已审批接收", "完成情况"]
                    + DevelopmentStage.allCases.map { "在办：\($0.displayName)" } + ["最近入党日期", "预警"])
            for r in rows {
                sheet.append(
                    [
                        r.organisationName, r.standing.target.map(String.init) ?? "", String(r.standing.admitted),
                        r.standing.progress(today: today).displayName,
                    ]
                        + DevelopmentStage.allCases.map { String(r.openByStage[$0] ?? 0) }
                        + [r.standing.lastAdmission?.description ?? "", r.standing.gapWarning(today: today, years: rules.developmentGapYears) ?? ""])
            }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "development_plan", objectID: "\(anchor)-\(year)", organisationID: anchor,
                    summary: "导出 \(year) 年发展党员计划执行情况（\(rows.count) 个党组织）"), by: context.actor, database: services.database)
            return Download.response(
                try sheet.data(), type: Download.xlsx, name: "development-plan-\(year).xlsx", chineseName: "\(year)年发展党员计划执行情况.xlsx")
        }
        // 发展党员工作台账: every case in scope with the dates of its key steps, ID numbers masked, as .xlsx.
        site.add(.get, DevelopmentPaths.export, access: .permission(.membersRead), target: .organisation) { request, context in
            try await exportLedger(request, context)
        }
        site.add(.post, DevelopmentPaths.targets, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            do {
                let plan = try DevelopmentTargetForm(form)
                try await services.development.setTarget(
                    organisationID: plan.organisationID, year: plan.year, target: plan.target, note: plan.note,
                    access: try context.access(for: .organisationsWrite), actor: context.actor)
                return PageRenderer.redirect(DevelopmentPaths.annual(org: plan.planOrganisationID, year: plan.year))
            } catch let f as ValidationFailure {
                return try await annualPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        // 批量办理: one step with one date for several applicants; all or nothing.
        site.add(.post, DevelopmentPaths.batch, access: .permission(.membersWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .membersWrite)
            let batch: BatchStepForm
            do { batch = try BatchStepForm(form) } catch let failure as ValidationFailure {
                return try await planPage(request, context, form: form, problem: failure.message, status: .badRequest)
            }
            do {
                let warnings = try await services.development.recordBatch(
                    caseIDs: batch.caseIDs, batch.record, access: access, actor: context.actor)
                if warnings.isEmpty { return PageRenderer.redirect(DevelopmentPaths.plan(org: batch.organisationID, batch: batch.caseIDs.count)) }
                return try await planPage(
                    request, context, form: nil, problem: nil, status: .ok, notices: warnings.map { "\($0.0)：\($0.1.fullMessage)" })
            } catch let refused as BatchRefused {
                return try await planPage(
                    request, context, form: form, problem: "批量办理未记录（全部或全不）：" + refused.lines.joined(separator: "；"), status: .badRequest)
            } catch let f as ValidationFailure {
                return try await planPage(request, context, form: form, problem: f.fullMessage, status: .badRequest)
            }
        }
        // Documents of the case generated as Word files (备案报告, 公示, 决议, 批复).
        site.add(.get, DevelopmentPaths.documentPattern, access: .permission(.membersRead), target: .developmentCase) { request, context in
            try await caseDocument(request, context)
        }
        site.add(.get, DevelopmentPaths.casePattern, access: .permission(.membersRead), target: .developmentCase) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await casePage(request, context, caseID: id, form: nil, problems: [], warnings: [], status: .ok)
        }
        // Materials (scans and photos) of the case's steps: added later to a recorded step, downloaded in scope.
        site.add(.post, DevelopmentPaths.materialsPattern, access: .permission(.membersWrite), target: .developmentCase, body: .upload) {
            request, context in
            var request = request
            let posted = try await EvidenceForm.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                guard let file = try posted.evidence() else { throw ValidationFailure(field: "evidence_file", message: "请选择要补充的材料文件（JPG、PNG 或 PDF）") }
                try await services.development.addMaterial(
                    caseID: id, entryID: posted.form.int64("entry") ?? 0, file, access: try context.access(for: .membersWrite),
                    actor: context.actor)
            } catch let failure as ValidationFailure {
                return try await casePage(request, context, caseID: id, form: nil, problems: [failure.fullMessage], warnings: [], status: .badRequest)
            }
            return PageRenderer.redirect(DevelopmentPaths.developmentCase(id), done: .materialAdded)
        }
        site.add(.get, DevelopmentPaths.materialPattern, access: .permission(.membersRead), target: .developmentCase) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let attachmentID = try context.parameters.require("attachment", as: Int64.self)
            guard
                let (file, data) = try await services.development.material(
                    caseID: id, attachmentID: attachmentID, access: try context.access(for: .membersRead))
            else {
                throw RecordNotFound(objectType: "attachment", objectID: String(attachmentID))
            }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "development_case", objectID: String(id), organisationID: file.organisationID,
                    summary: "下载发展党员材料“\(file.fileName)”"), by: context.actor, database: services.database)
            return Download.response(
                data, type: file.contentType, name: "development-\(id)-\(attachmentID)" + file.fileExtension,
                chineseName: file.fileName)
        }
        site.add(.post, DevelopmentPaths.stepsPattern, access: .permission(.membersWrite), target: .developmentCase, body: .upload) {
            request, context in
            try await recordStep(request, context)
        }
    }

    /// 第 N 步: records the case file's next step (or corrects the last one) from the step form, with its optional scan.
    func recordStep(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let posted = try await EvidenceForm.read(&request)
        let form = posted.form
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        guard let file = try await services.development.find(id, access: access) else {
            throw RecordNotFound(objectType: "development_case", objectID: String(id))
        }
        let entry = StepEntryForm(form)
        let correcting = entry.correcting
        guard let step = correcting ? file.developmentCase.steps.last?.step : file.developmentCase.nextStep else {
            return try await casePage(request, context, caseID: id, form: form, problems: ["没有可以记录的步骤"], warnings: [], status: .badRequest)
        }
        guard let date = entry.date else {
            return try await casePage(
                request, context, caseID: id, form: form, problems: ["请填写日期，如 2026-03-28"], warnings: [], status: .badRequest)
        }
        let stepForm = StepForm(form, step: step, negativeList: file.developmentCase.rules.politicalReviewNegativeList)
        var problems = stepForm.problems
        // The step's scan or photo (optional): checked by its first bytes before anything is written.
        var evidence: EvidenceFile? = nil
        do { evidence = try posted.evidence() } catch let failure as ValidationFailure { problems.append(failure.fullMessage) }
        guard problems.isEmpty else {
            return try await casePage(request, context, caseID: id, form: form, problems: problems, warnings: [], status: .badRequest)
        }
        let record = StepRecord(step: step, date: date, facts: stepForm.facts)
        do {
            let warnings =
                correcting
                ? try await services.development.correctLast(
                    caseID: id, record, reason: entry.reason, evidence: evidence, access: access, actor: context.actor
                ).1
                : try await services.development.record(
                    caseID: id, record, remark: entry.remark, evidence: evidence, access: access, actor: context.actor
                ).1
            if warnings.isEmpty { return PageRenderer.redirect(DevelopmentPaths.developmentCase(id), done: .stepRecorded) }
            return try await casePage(request, context, caseID: id, form: nil, problems: [], warnings: warnings.map(\.fullMessage), status: .ok)
        } catch let refusal as DevelopmentRefusal {
            return try await casePage(
                request, context, caseID: id, form: form, problems: refusal.all.map(\.fullMessage), warnings: [], status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await casePage(
                request, context, caseID: id, form: form, problems: [failure.fullMessage], warnings: [], status: .badRequest)
        }
    }

}
