import Hummingbird
import HTTPTypes
import DangjianDomain
import DangjianStore

/// 少交/免交 (issue 18, item 3; DUES-07/18): an application recorded on the member's dues page, the branch's study and
/// the higher committee's approval, and the list of applications waiting in a subtree.
struct DuesReductionController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.post, DuesPaths.reductionsPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let collection = DuesCollectionController(services: services)
            do {
                let posted = try DuesReductionForm(form, today: collection.today)
                _ = try await services.store.dues.applyReduction(
                    memberID: id, posted.draft, access: try context.access(for: .membersWrite), actor: context.actor)
                return PageRenderer.redirect(DuesPaths.payments(id) + "#reductions")
            } catch let problems as ValidationProblems {
                return try await collection.paymentsPage(request, context, memberID: id, form: nil, problems: problems.problems, status: .badRequest)
            }
        }
        site.add(.post, DuesPaths.decidePattern, access: .permission(.membersWrite), target: .duesReduction) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersWrite)
            guard let action = DuesReductionAction(rawValue: form.text("action")) else {
                throw ValidationFailure(field: "action", message: "请选择审核意见", ruleID: RuleID.dues18.code)
            }
            let decided = try await services.store.dues.decideReduction(
                id, action, note: form.text("note"), expectedVersion: form.int64("version") ?? 0, access: access, actor: context.actor)
            if form.text("back") == "list" {
                return PageRenderer.redirect(DuesPaths.reductions(org: form.int64("org") ?? decided.organisationID))
            }
            return PageRenderer.redirect(DuesPaths.payments(decided.memberID) + "#reductions")
        }
        site.add(.get, DuesPaths.reductions, access: .permission(.membersWrite), target: .organisation) { request, context in
            let access = try context.access(for: .membersWrite)
            let anchor = try await services.anchorID(FormData.query(request).int64("org"), access)
            let org = try await services.organisations.find(anchor, access: access)
            let open = try await services.store.dues.openReductions(anchorID: anchor, scope: .subtree, access: access)
            let model = DuesReductionsPage(
                orgName: org?.name ?? "", orgID: anchor, lines: open.map { DuesReductionLine($0.reduction, name: $0.name) }, hasLines: !open.isEmpty)
            return services.renderer.page("dues/reductions", title: "党费减免审核", model: model, context: context, request: request)
        }
    }
}

extension RouteTarget {
    /// A 少交/免交 application of a member of one organisation.
    static let duesReduction = RouteTarget("duesReduction")
}
