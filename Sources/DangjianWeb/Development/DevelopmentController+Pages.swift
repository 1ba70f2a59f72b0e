import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The pages of 发展党员: the plan, a case file, the annual plan and the 入党志愿书 ledger.
extension DevelopmentController {
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
        let anchor = try await services.anchorID(query.int64("org"), access)
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
                    memberLink: a.memberID.map(MembersPaths.members), completed: Format.dateTime(a.completedAt))
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
        let (steps, entries) = Self.progressRows(file)
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
        Self.addLinks(to: &model, file, organisationID: org.id)
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

    /// The 25 steps with the case's dates (the next one marked), and the case file's entries, corrections included.
    static func progressRows(_ file: DevelopmentCaseFile) -> (steps: [StepRow], entries: [EntryRow]) {
        let c = file.developmentCase
        let next = c.nextEarliest
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
        return (steps, entries)
    }

    /// The case's documents, its links and dates, and the steps a scan can still be added to.
    static func addLinks(to model: inout DevelopmentCasePage, _ file: DevelopmentCaseFile, organisationID: Int64) {
        let c = file.developmentCase
        // Documents generated from the case (the 公示 asks for its first day while the designation is still ahead).
        let publicityPending = c.date(of: .targetDesignation) == nil
        model.docs = c.availableDocuments.filter { !(publicityPending && $0 == .targetPublicity) }.map {
            .init(link: DevelopmentPaths.document(file.id, $0.rawValue), name: $0.displayName)
        }
        model.publicityNotice = publicityPending && c.availableDocuments.contains(.targetPublicity)
        model.memberLink = file.memberID.map(MembersPaths.members)
        model.planLink = DevelopmentPaths.plan(org: organisationID, scope: OrganisationScope.own.rawValue)
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
    }
}
