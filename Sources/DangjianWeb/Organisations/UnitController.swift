import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore
import DangjianOffice

/// Units (单位) with their category and assessment category: the list across a subtree, and adding or editing a
/// unit on its organisation's page.
struct UnitController {
    let services: AppServices

    struct Row {
        var id: Int64
        var name: String
        var category: String
        var assessmentCategory: String
        var organisationID: Int64
        var organisation: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, OrganisationsPaths.units, access: .permission(.organisationsRead), target: .organisation) { request, context in
            try await unitsPage(request, context)
        }
        site.add(.post, OrganisationsPaths.orgsUnitsPattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let unit = UnitForm(form)
            _ = try await services.units.create(
                organisationID: id, name: unit.name, category: unit.category, assessmentCategory: unit.assessmentCategory,
                access: try context.access(for: .organisationsWrite), actor: context.actor)
            return PageRenderer.redirect(OrganisationsPaths.orgs(id) + "#units")
        }
        site.add(.post, OrganisationsPaths.unitsPattern, access: .permission(.organisationsWrite), target: .unit) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let edited = UnitForm(form)
            let unit = try await services.units.update(
                id, organisationID: edited.organisationID, name: edited.name, category: edited.category,
                assessmentCategory: edited.assessmentCategory, expectedVersion: edited.version, access: try context.access(for: .organisationsWrite),
                actor: context.actor)
            return PageRenderer.redirect(OrganisationsPaths.orgs(unit.organisationID) + "#units")
        }
    }

    /// GET /units: the units (单位) of the subtree by category.
    func unitsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .organisationsRead)
        let anchor = try await services.anchorID(form.int64("org"), access)
        let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
        let category = UnitCategory(text: form.text("category"))
        let assessment = form.text("assessment_category").nilIfEmpty
        let units = try await services.units.list(
            anchorID: anchor, scope: scope, access: access, category: category, assessmentCategory: assessment)
        let names = Dictionary(
            uniqueKeysWithValues: try await services.organisations.visible(access: access, includeDissolved: true).map { ($0.id, $0.name) })
        let rows = units.map { u in
            Row(
                id: u.id, name: u.name, category: u.category.displayName, assessmentCategory: u.assessmentCategory ?? "—",
                organisationID: u.organisationID, organisation: names[u.organisationID] ?? "")
        }
        if form.text("format") == "csv" {
            var csv = CSVWriter(header: ["单位名称", "单位类别", "考核类别", "所在党组织"])
            for r in rows { csv.append([r.name, r.category, r.assessmentCategory, r.organisation]) }
            return Download.response(csv.data, type: Download.csv, name: "units.csv", chineseName: "单位.csv")
        }
        let rules = try await services.rules.inForce()
        var byCategory: [String: Int] = [:]
        for u in units { byCategory[u.category.displayName, default: 0] += 1 }
        let model = UnitsPage(
            rows: rows, count: rows.count, org: anchor, scope: scope.rawValue,
            summary: UnitCategory.allCases.compactMap { c in byCategory[c.displayName].map { "\(c.displayName) \($0)" } }.joined(
                separator: "，"),
            categories: UnitCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == category) },
            assessments: rules.assessmentCategories.map { SelectOption(value: $0, label: $0, selected: $0 == assessment) },
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) },
            csvQuery: "org=\(anchor)&scope=\(scope.rawValue)&category=\(category?.rawValue ?? "")&format=csv")
        return services.renderer.page("organisations/units", title: "单位", model: model, context: context, request: request)
    }

}
