import Foundation
import Hummingbird
import DangjianDomain
import DangjianStore

/// 自行脱党审查 (issue 18, item 4; DUES-13/19): on a member's dues page, the runs of months without dues and without
/// organisational life side by side; a person opens a case, records 批评教育 and 限期改正, and decides. Nothing is
/// automatic.
struct DuesLapseController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.post, DuesPaths.lapsePattern, access: .permission(.membersWrite), target: .member) { request, context in
            try await open(request, context)
        }
        site.add(.post, DuesPaths.lapseStepPattern, access: .permission(.membersWrite), target: .lapseCase) { request, context in
            try await step(request, context)
        }
    }

    var today: CivilDate { CivilDate(date: services.clock.now()) }

    /// Consecutive months member `memberID` has not taken part in organisational life, as the participation service
    /// judges them today (DUES-13).
    func lifeMonths(memberID: Int64, organisationID: Int64, access: OrganisationAccess) async throws -> Int {
        try await services.participation.members(anchorID: organisationID, scope: .own, access: access)
            .first { $0.memberID == memberID }?.participation.monthsWithout ?? 0
    }

    /// The page's lapse section.
    func fill(_ model: inout DuesPaymentsPage, memberID: Int64, organisationID: Int64, arrears: DuesArrears, access: OrganisationAccess) async throws
    {
        let life = try await lifeMonths(memberID: memberID, organisationID: organisationID, access: access)
        let rules = try await services.rules.inForce()
        let cases = try await services.store.dues.lapseCases(memberID: memberID, access: access)
        let may = LapseCases.mayOpen(
            duesMonths: arrears.unpaidMonths, lifeMonths: life, duesThreshold: rules.duesLapseMonths, lifeThreshold: rules.lapseMonths)
        model.lapseGrounds =
            "党费：连续 \(arrears.unpaidMonths) 个月未交纳；组织生活：连续 \(life) 个月未参加。"
            + (may ? "已满 \(rules.duesLapseMonths) 个月，应由支部审查有无正当理由（须先批评教育、限期改正，由人作出决定）。" : "未达到自行脱党审查的月数。")
        model.lapseColour = may ? "error" : "muted"
        model.lapseCases = cases.map { DuesLapseCaseLine($0, today: today) }
        model.canOpenLapse = may && !cases.contains { $0.state != .decided }
        model.lapseAction = DuesPaths.lapse(member: memberID)
    }

    /// POST /dues/members/{id}/lapse: opens a case.
    func open(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        guard let member = try await services.members.find(id, access: access) else {
            throw RecordNotFound(objectType: "member", objectID: String(id))
        }
        let life = try await lifeMonths(memberID: id, organisationID: member.organisationID, access: access)
        _ = try await services.store.dues.openLapseCase(memberID: id, lifeMonths: life, note: form.text("note"), access: access, actor: context.actor)
        return PageRenderer.redirect(DuesPaths.payments(id) + "#lapse")
    }

    /// POST /dues/lapse/{id}/steps: 批评教育, 限期改正 or the decision.
    func step(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        let draft = try LapseStepForm(form).step
        let updated = try await services.store.dues.recordLapseStep(
            id, draft, expectedVersion: form.int64("version") ?? 0, access: access, actor: context.actor)
        return PageRenderer.redirect(DuesPaths.payments(updated.memberID) + "#lapse")
    }
}

/// POST /dues/lapse/{id}/steps as typed: the step, its day, a deadline, a decision and what happened. The order of
/// steps and their limits are the Domain's (`LapseCases.check`).
struct LapseStepForm {
    var step: LapseCaseStepDraft

    init(_ form: FormData) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        let step = LapseCaseStep(rawValue: form.text("step"))
        if step == nil { problems.append(ValidationFailure(field: "step", message: "请选择步骤", ruleID: RuleID.dues19.code)) }
        let day = CivilDate.parseLenient(form.text("on"))
        if day == nil { problems.append(ValidationFailure(field: "on", message: "日期“\(form.text("on"))”应写作 2026-10-08", ruleID: RuleID.dues19.code)) }
        let deadlineText = form.text("deadline")
        let deadline = deadlineText.isEmpty ? nil : CivilDate.parseLenient(deadlineText)
        if !deadlineText.isEmpty && deadline == nil {
            problems.append(ValidationFailure(field: "deadline", message: "改正期限“\(deadlineText)”应写作 2027-04-08", ruleID: RuleID.dues19.code))
        }
        let outcomeText = form.text("outcome")
        let outcome = LapseCaseOutcome(rawValue: outcomeText)
        if !outcomeText.isEmpty && outcome == nil {
            problems.append(ValidationFailure(field: "outcome", message: "请选择决定", ruleID: RuleID.dues13.code))
        }
        guard problems.isEmpty, let step, let day else { throw ValidationProblems(problems: problems) }
        self.step = LapseCaseStepDraft(step: step, on: day, deadline: deadline, outcome: outcome, note: form.text("note"))
    }
}

extension RouteTarget {
    /// A 自行脱党审查 case of a member of one organisation.
    static let lapseCase = RouteTarget("lapseCase")
}
