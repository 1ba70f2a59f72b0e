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
            return PageRenderer.redirect(DevelopmentPaths.developmentCase(id))
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

    /// GET /development/export.xlsx: the 发展党员 ledger of the subtree.
    func exportLedger(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = query.int64("org") ?? access.reaches.first?.organisationID ?? 0
        let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
        let files = try await services.development.ledger(anchorID: anchor, scope: scope, access: access)
        let labels = try await services.organisations.labels(Set(files.map(\.organisationID)))
        let today = CivilDate(date: services.clock.now())
        let keySteps: [DevelopmentStep] = [
            .application, .activistDesignation, .targetDesignation, .admissionMeeting, .approval, .conversionApproval,
        ]
        var sheet = XLSXWriter(
            sheetName: "发展党员工作台账",
            header: ["党组织", "姓名", "性别", "出生年月", "公民身份号码", "当前阶段", "下一步"]
                + keySteps.map(\.displayName) + ["入党志愿书编号", "档案状态", "临期/逾期提醒"])
        for f in files {
            let c = f.developmentCase
            let status = c.probationCancelled ? "已取消预备党员资格" : f.status == .open ? "进行中" : "已归档"
            sheet.append(
                [
                    labels[f.organisationID] ?? "", f.applicantName, f.gender.displayName, Masking.birthMonth(c.birthDate), f.idNumberMasked,
                    c.stage.displayName, c.nextStep.map { "第 \($0.rawValue) 步 \($0.displayName)" } ?? "已完成",
                ]
                    + keySteps.map { c.date(of: $0)?.description ?? "" }
                    + [
                        c.record(of: .applicationForm)?.facts.formNumber ?? "", status,
                        c.deadlines(today: today).map(\.fullMessage).joined(separator: "；"),
                    ])
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "development_case", objectID: "ledger-\(anchor)", organisationID: anchor,
                summary: "导出发展党员工作台账（\(files.count) 人，身份证号已遮蔽）"), by: context.actor, database: services.database)
        return Download.response(
            try sheet.data(), type: Download.xlsx, name: "development-ledger-\(today).xlsx", chineseName: "发展党员工作台账\(today).xlsx")
    }

    /// GET /development/{id}/documents/{kind}: a document generated from the case (.docx).
    func caseDocument(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let kind = DevelopmentDocumentKind(rawValue: context.parameters.get("kind") ?? ""),
            let file = try await services.development.find(id, access: access),
            let org = try await services.organisations.find(file.organisationID, access: access)
        else {
            throw RecordNotFound(objectType: "development_document", objectID: String(id))
        }
        // The committee that approved (recorded with step 17), otherwise the one that will (DEV-23).
        let recorded = file.developmentCase.record(of: .approval)?.facts.approverOrganisationID
        var committee: Organisation? = nil
        if let recorded { committee = try await services.organisations.find(recorded, access: .maintenance) }
        if committee == nil { committee = try await services.development.approvingCommittee(of: org.id) }
        let parties = DevelopmentParties(
            applicant: file.applicantName, gender: file.gender, birthDate: file.developmentCase.birthDate,
            branch: org.name, committee: committee?.name ?? "上级党委")
        let document: OfficialDocument
        do {
            document = try file.developmentCase.document(
                kind, parties: parties, publicityStart: CivilDate.parseLenient(FormData.query(request).text("start")),
                calendar: try await services.store.holidays.calendar())
        } catch let notReady as DocumentNotReady {
            return try await casePage(request, context, caseID: id, form: nil, problems: [notReady.message], warnings: [], status: .badRequest)
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "development_case", objectID: String(id), organisationID: org.id,
                summary: "生成\(kind.displayName)：\(file.applicantName)"), by: context.actor, database: services.database)
        return Download.response(
            try DocxWriter.official(document), type: Download.docx, name: "development-\(id)-\(kind.rawValue).docx",
            chineseName: "\(file.applicantName)\(kind.displayName).docx")
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
            if warnings.isEmpty { return PageRenderer.redirect(DevelopmentPaths.developmentCase(id)) }
            return try await casePage(request, context, caseID: id, form: nil, problems: [], warnings: warnings.map(\.fullMessage), status: .ok)
        } catch let refusal as DevelopmentRefusal {
            return try await casePage(
                request, context, caseID: id, form: form, problems: refusal.all.map(\.fullMessage), warnings: [], status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await casePage(
                request, context, caseID: id, form: form, problems: [failure.fullMessage], warnings: [], status: .badRequest)
        }
    }

    func formsPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let forms = try await services.applicationForms.ledger(access: try context.access(for: .membersRead))
        let labels = try await services.organisations.labels(Set(forms.map(\.organisationID)))
        let write = try context.access(for: .organisationsWrite)
        let anchors = try await services.organisations.labels(Set(write.reaches.map(\.organisationID)))
        var applicants: [Int64: String] = [:]
        for f in forms {
            if let c = f.caseID, applicants[c] == nil { applicants[c] = try await services.development.find(c, access: .maintenance)?.applicantName }
        }
        let model = ApplicationFormsPage(
            rows: forms.map { f in
                ApplicationFormsPage.Row(
                    number: f.number, organisation: labels[f.organisationID] ?? "", status: f.status.displayName,
                    colour: f.status == .issued ? "grey" : f.status == .used ? "green" : "red", issuedOn: f.issuedOn.description,
                    used: f.caseID.map { "\(applicants[$0] ?? "")（\(f.usedOn?.description ?? "")）" },
                    caseLink: f.caseID.map(DevelopmentPaths.developmentCase),
                    reason: f.voidReason)
            },
            hasRows: !forms.isEmpty,
            counts: ApplicationForm.Status.allCases.map { s in
                ApplicationFormsPage.Count(label: s.displayName, count: forms.filter { $0.status == s }.count)
            },
            canIssue: !write.reaches.isEmpty,
            orgs: anchors.sorted { $0.key < $1.key }.map { SelectOption(value: String($0.key), label: $0.value, selected: false) },
            today: CivilDate(date: services.clock.now()).description, error: error)
        return services.renderer.page("development/forms", title: "入党志愿书编号台账", model: model, context: context, request: request, status: status)
    }

    /// The year, the rows and the anchor of the annual plan page and its export.
    func annual(_ request: Request, _ context: AppRequestContext) async throws -> (Int, [DevelopmentYearRow], Int64) {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = query.int64("org") ?? access.reaches.first?.organisationID ?? 0
        let year = try query.number("year", CalendarYear.self)?.value ?? CivilDate(date: services.clock.now()).year
        return (year, try await services.development.annualPlan(year: year, anchorID: anchor, scope: .subtree, access: access), anchor)
    }

    func annualPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let (year, rows, anchor) = try await annual(request, context)
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        let write = try context.access(for: .organisationsWrite)
        let org = try await services.organisations.find(anchor, access: try context.access(for: .membersRead))
        // Targets are set by those who may change the organisations (the committee above), for the rows they cover.
        let writable = write.reaches.isEmpty ? [] : ((try? await services.organisations.list(anchorID: anchor, scope: .subtree, access: write)) ?? [])
        let targetable = writable.filter { o in rows.contains { $0.organisationID == o.id } }
        let stages = DevelopmentStage.allCases
        let gaps = rows.map { $0.standing.gapWarning(today: today, years: rules.developmentGapYears) }
        let warnings = zip(rows, gaps).compactMap { r, gap in gap.map { "\(r.organisationName)：\($0)" } }
        var model = AnnualPlanPage(
            org: anchor, orgName: org?.name ?? "", year: year, previousYear: year - 1, nextYear: year + 1,
            rows: zip(rows, gaps).map { r, gap in
                let progress = r.standing.progress(today: today)
                return AnnualPlanPage.Row(
                    name: r.organisationName, admitted: r.standing.admitted, progress: progress.displayName, colour: progress.warningLevel.cssClass,
                    stages: stages.map { String(r.openByStage[$0] ?? 0) }, last: r.standing.lastAdmission?.description ?? "—",
                    target: r.standing.target.map { String($0) }, note: r.note, warning: gap)
            },
            hasRows: !rows.isEmpty, stageNames: stages.map(\.displayName),
            totalTarget: rows.compactMap(\.standing.target).reduce(0, +), totalAdmitted: rows.map(\.standing.admitted).reduce(0, +),
            warnings: warnings, hasWarnings: !warnings.isEmpty, gapYears: rules.developmentGapYears,
            canSet: !targetable.isEmpty, targetOrgs: targetable.map { SelectOption(value: String($0.id), label: $0.name, selected: false) },
            error: error)
        model.planLink = DevelopmentPaths.plan(org: anchor)
        model.previousLink = DevelopmentPaths.annual(org: anchor, year: year - 1)
        model.nextLink = DevelopmentPaths.annual(org: anchor, year: year + 1)
        model.sheetLink = DevelopmentPaths.annualSheet(org: anchor, year: year)
        return services.renderer.page(
            "development/annual", title: "\(year) 年发展党员计划", model: model, context: context, request: request, status: status)
    }

    func planPage(
        _ request: Request, _ context: AppRequestContext, form: FormData?, problem: String?, status: HTTPResponse.Status,
        notices: [String] = []
    ) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = query.int64("org") ?? form?.int64("org") ?? access.reaches.first?.organisationID ?? 0
        let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
        let rows = try await services.development.plan(anchorID: anchor, scope: scope, access: access)
        let labels = try await services.organisations.labels(Set(rows.map(\.organisationID)))
        let archive = try await services.development.archive(anchorID: anchor, scope: scope, access: access)
        let archiveLabels = try await services.organisations.labels(Set(archive.map(\.organisationID)))
        let org = try await services.organisations.find(anchor, access: access)
        let canWrite = try org.map { try context.access(for: .membersWrite).covers(path: $0.path, parentID: $0.parentID) } ?? false
        let model = DevelopmentPlanPage(
            org: anchor, orgName: org?.name ?? "", scope: scope.rawValue, canWrite: canWrite,
            rows: rows.map { r in
                PlanRow(
                    id: r.caseID, link: DevelopmentPaths.developmentCase(r.caseID), batchable: r.next.batchable && r.eligibleNow,
                    name: r.applicantName, organisation: labels[r.organisationID] ?? "",
                    stage: r.stage.displayName,
                    next: "第 \(r.next.rawValue) 步 \(r.next.displayName)", earliest: r.earliest.description,
                    colour: r.eligibleNow ? "green" : r.eligibleNextMonth ? "yellow" : "grey",
                    status: r.eligibleNow ? "可办理" : r.eligibleNextMonth ? "下月可办理" : "未到时间",
                    alerts: r.deadlines.map(\.fullMessage),
                    alertColour: r.deadlines.contains { $0.status == .overdue } ? "red" : "yellow")
            },
            hasRows: !rows.isEmpty, nextMonth: rows.filter(\.eligibleNextMonth).count, now: rows.filter(\.eligibleNow).count,
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) },
            problem: problem ?? "", hasProblem: problem != nil, applicantName: form?.text("applicant_name") ?? "",
            idNumber: form?.text("id_number") ?? "",
            notices: notices, hasNotices: !notices.isEmpty, batchDone: query.text("batch"),
            batchSteps: DevelopmentStep.allCases.filter(\.batchable).map { s in
                SelectOption(
                    value: String(s.rawValue), label: "第 \(s.rawValue) 步 \(s.displayName)（\(rows.filter { $0.next == s }.count) 人待办）",
                    selected: form?.text("step") == String(s.rawValue))
            },
            today: CivilDate(date: services.clock.now()).description,
            archive: archive.map { a in
                DevelopmentPlanPage.ArchiveRow(
                    id: a.id, link: DevelopmentPaths.developmentCase(a.id), name: a.name,
                    organisation: labels[a.organisationID] ?? archiveLabels[a.organisationID] ?? "",
                    memberLink: a.memberID.map(MembersPaths.member), completed: Format.dateTime(a.completedAt))
            },
            hasArchive: !archive.isEmpty, annualLink: DevelopmentPaths.annual(org: anchor),
            exportLink: DevelopmentPaths.export(org: anchor, scope: scope.rawValue))
        return services.renderer.page("development/plan", title: "发展党员", model: model, context: context, request: request, status: status)
    }

    func casePage(
        _ request: Request, _ context: AppRequestContext, caseID: Int64, form: FormData?, problems: [String], warnings: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try context.access(for: .membersRead)
        guard let file = try await services.development.find(caseID, access: access),
            let org = try await services.organisations.find(file.organisationID, access: access)
        else {
            throw RecordNotFound(objectType: "development_case", objectID: String(caseID))
        }
        let c = file.developmentCase
        let next = c.nextEarliest
        let mayWrite = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID)
        let canWrite = mayWrite && file.status == .open
        let steps = DevelopmentStep.allCases.map { s in
            StepRow(
                number: s.rawValue, name: s.displayName, stage: s.stage.displayName, responsible: s.responsible,
                date: c.date(of: s)?.description ?? "", done: c.date(of: s) != nil, current: s == next?.step)
        }
        let entries = file.entries.map { e in
            EntryRow(
                id: e.id, at: Format.dateTime(e.recordedAt),
                text: "第 \(e.record.step.rawValue) 步 \(e.record.step.displayName)：\(e.record.date)"
                    + (e.record.facts.handler.map { "，经办人 \($0)" } ?? "") + (e.reason.map { "（更正，原因：\($0)）" } ?? "")
                    + (e.remark.map { "；\($0)" } ?? ""),
                correction: e.correctsEntryID != nil,
                materials: e.attachments.map { LinkItem(href: DevelopmentPaths.material(file.id, $0.id), name: $0.fileName) })
        }
        let nextStep = next?.step
        let fullMembers = try await services.members.rosterCounts(of: org.id, access: .maintenance)?.full ?? 0
        func value(_ field: String, _ fallback: String = "") -> String { form?.text(field) ?? fallback }
        var model = DevelopmentCasePage(
            id: file.id, name: file.applicantName, idNumber: file.idNumberMasked, gender: file.gender.displayName,
            org: .init(id: org.id, name: org.name), stage: c.stage.displayName, rules: c.rules.version,
            status: file.status.displayName,
            steps: steps, entries: entries, hasEntries: !entries.isEmpty, canWrite: canWrite && nextStep != nil,
            canCorrect: canWrite && !c.steps.isEmpty,
            nextName: nextStep.map { "第 \($0.rawValue) 步 \($0.displayName)" } ?? "", earliest: next?.earliest.description ?? "",
            documents: nextStep?.documents ?? [], responsible: nextStep?.responsible ?? "",
            needsPeople: nextStep == .contactsAssigned || nextStep == .sponsors, needsReview: nextStep == .politicalReview,
            needsRecommendation: nextStep == .activistDesignation,
            recommendations: ActivistRecommendation.allCases.map {
                CheckChoice(value: $0.rawValue, label: $0.displayName, checked: (form?.all("recommendation") ?? []).contains($0.rawValue))
            },
            negativeList: nextStep == .politicalReview
                ? c.rules.politicalReviewNegativeList.map { .init(value: $0, checked: (form?.all("negative") ?? []).contains($0)) } : [],
            hasNegativeList: nextStep == .politicalReview && !c.rules.politicalReviewNegativeList.isEmpty,
            needsTraining: nextStep == .training, needsVote: nextStep == .admissionMeeting || nextStep == .conversionMeeting,
            needsExtension: nextStep == .conversionMeeting, needsTalker: nextStep == .approvalTalk, talker: value("talker"),
            talkerRoles: ApprovalTalker.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == value("talker_role"))
            },
            exclusions: VoteExclusion.allCases.map {
                .init(field: "excluded_\($0.rawValue)", label: $0.displayName, value: value("excluded_\($0.rawValue)", "0"))
            }, needsLeaving: nextStep == .preReview || nextStep == .admissionMeeting,
            needsPublicity: nextStep == .targetDesignation && c.rules.publicityWorkingDays > 0,
            publicityDays: c.rules.publicityWorkingDays, publicityStart: value("publicity_start"),
            needsFormNumber: nextStep == .applicationForm, formNumber: value("form_number"),
            availableForms: nextStep == .applicationForm ? try await services.applicationForms.available(to: org.path) : [],
            date: value("date", CivilDate(date: services.clock.now()).description), remark: value("remark"), handler: value("handler"),
            person1: value("person_1"), person2: value("person_2"), entitled: value("entitled", String(fullMembers)),
            branchFullMembers: value("branch_full_members", String(fullMembers)), present: value("present"), inFavour: value("in_favour"),
            against: value("against", "0"), abstaining: value("abstaining", "0"), writtenInFavour: value("written_in_favour", "0"),
            writtenAgainst: value("written_against", "0"), trainingDays: value("training_days"), trainingHours: value("training_hours"),
            problems: problems, hasProblems: !problems.isEmpty, warnings: warnings, hasWarnings: !warnings.isEmpty)
        // Documents generated from the case (the 公示 asks for its first day while the designation is still ahead).
        let publicityPending = c.date(of: .targetDesignation) == nil
        model.docs = c.availableDocuments.filter { !(publicityPending && $0 == .targetPublicity) }.map {
            .init(link: DevelopmentPaths.document(file.id, $0.rawValue), name: $0.displayName)
        }
        model.publicityNotice = publicityPending && c.availableDocuments.contains(.targetPublicity)
        model.memberLink = file.memberID.map(MembersPaths.member)
        model.planLink = DevelopmentPaths.plan(org: org.id, scope: OrganisationScope.own.rawValue)
        model.stepsAction = DevelopmentPaths.steps(file.id)
        model.materialsAction = DevelopmentPaths.materials(file.id)
        model.publicityAction = DevelopmentPaths.document(file.id, DevelopmentDocumentKind.targetPublicity.rawValue)
        model.probationEnd = c.probationEnd?.description
        model.fullMemberDate = c.fullMemberDate?.description
        model.cancelled = c.probationCancelled
        // 补充材料: any recorded step may get a scan later.
        model.materialSteps = file.entries.reversed().map {
            SelectOption(
                value: String($0.id), label: "第 \($0.record.step.rawValue) 步 \($0.record.step.displayName)（\($0.record.date)）", selected: false)
        }
        model.canAddMaterial = mayWrite && !file.entries.isEmpty
        if nextStep == .approval || nextStep == .conversionApproval {
            let committee = try await services.development.approvingCommittee(of: org.id)
            model.approver =
                committee.map { "审批党委：\($0.name)（按组织机构确定，\(RuleID.dev23)）" }
                ?? "本支部的上级党组织中没有具有审批权限的党委（党总支、村和社区党组织不能审批，\(RuleID.dev23)），请先在组织机构中设置"
        }
        return services.renderer.page(
            "development/case", title: "发展党员 · \(file.applicantName)", model: model, context: context, request: request, status: status)
    }
}
