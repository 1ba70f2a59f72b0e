import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// Terms of office: the 换届 ledger, recording an election, approving a postponement (rules ORG-T1…T4, ORG-E3/E4/E7).
struct TermController {
    let services: AppServices

    struct LedgerRow {
        var id: Int64
        var name: String
        var type: String
        var end: String
        var status: String
        var rule: String
        var overdue: Bool
        var dueSoon: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.get, OrganisationsPaths.terms, access: .permission(.organisationsWrite)) { request, context in
            let form = FormData.query(request)
            let access = try access(context)
            let anchor = try await services.anchorID(form.int64("org"), access)
            let months = min(60, max(1, try form.number("months", MonthCount.self)?.value ?? TermRules.reminderMonths))
            let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
            let rows = try await services.terms.ledger(anchorID: anchor, scope: scope, months: months, access: access)
            let model = TermsPage(
                rows: rows.map { row in
                    LedgerRow(
                        id: row.organisation.id, name: row.organisation.name, type: row.organisation.type.displayName,
                        end: row.term?.endDate.description ?? "—",
                        status: row.status?.message ?? "尚未录入任期和选举结果", rule: row.status?.ruleID ?? RuleID.orgT1.code,
                        overdue: { if case .overdue = row.status { true } else { false } }(),
                        dueSoon: { if case .dueSoon = row.status { true } else { false } }())
                },
                count: rows.count, months: months, org: anchor, scope: scope.rawValue)
            return services.renderer.page("organisations/terms", title: "换届提醒", model: model, context: context, request: request)
        }
        site.add(.post, OrganisationsPaths.orgsElectionsPattern, access: .permission(.organisationsWrite), target: .organisation) {
            request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let election = try ElectionForm(form)
                _ = try await services.terms.recordElection(
                    organisationID: id, heldOn: election.heldOn, seats: election.seats, eligible: election.eligible, present: election.present,
                    candidates: election.candidates, posts: election.posts, access: try access(context), actor: context.actor)
            } catch let errors as ValidationProblems {
                throw ValidationFailure(field: errors.problems.first?.field ?? "", message: errors.problems.map(\.fullMessage).joined(separator: "；"))
            }
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
        site.add(.post, OrganisationsPaths.orgsByElectionsPattern, access: .permission(.organisationsWrite), target: .organisation) {
            request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let election = try ElectionForm(form, dateLabel: "补选日期", dateRule: RuleID.orgE9)
            _ = try await services.terms.recordByElection(
                organisationID: id, heldOn: election.heldOn, seats: election.seats, eligible: election.eligible, present: election.present,
                candidates: election.candidates, posts: election.posts, vacated: election.vacated, reason: election.reason,
                access: try access(context), actor: context.actor)
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
        site.add(.post, OrganisationsPaths.orgsPostponePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try access(context)
            guard let org = try await services.organisations.find(id, access: access) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(id))
            }
            guard let parentID = org.parentID, try await services.organisations.find(parentID, access: access) != nil else {
                throw AccessDenied(permission: .organisationsWrite, reason: "延期换届须由上级党组织批准（\(RuleID.orgT2)）")
            }
            guard let term = try await services.terms.current(of: id, access: access) else {
                throw ValidationFailure(field: "until", message: "该组织尚未录入任期，无法延期", ruleID: RuleID.orgT2.code)
            }
            let postponement = try PostponementForm(form)
            _ = try await services.terms.approvePostponement(
                termID: term.id, until: postponement.until, approval: postponement.approval, higherAccess: access, actor: context.actor)
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
    }

    func access(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .organisationsWrite) }
}
