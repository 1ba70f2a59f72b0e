import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// The organisation tree browser and its maintenance (成立、更名、划转、撤销).
struct OrganisationController {
    let services: AppServices

    struct TreeNode {
        var id: Int64
        var name: String
        var type: String
        var children: [TreeNode]
        var hasChildren: Bool
        var open: Bool
    }

    struct OrgRow {
        var id: Int64
        var name: String
        var shortName: String
        var type: String
        var depth: Int
        var indent: String
        var dissolved: Bool
    }

    /// A higher organisation on the page's path; linked only when the user may open it (issue 17 item 11).
    struct Breadcrumb {
        var id: Int64
        var name: String
        var linked: Bool
    }

    struct DetailModel {
        var org: OrgRow
        var parentName: String
        var breadcrumbs: [Breadcrumb]
        var path: String
        var version: Int64
        var dissolvedReason: String
        var scopes: [SelectOption]
        var scopeName: String
        var rows: [OrgRow]
        var count: Int
        var canWrite: Bool
        var moveTargets: [SelectOption]
        var error: String?
        var warnings: [String]
        var memberCount: String
        var canSeeMembers: Bool
        var history: [String]
        var holdsElections: Bool
        var termStatus: String?
        var termRule: String?
        var leaders: [String]
        var postponement: String?
        var canPostpone: Bool
        var units: [UnitRow]
        var hasUnits: Bool
        var unitCategories: [SelectOption]
        var assessmentCategories: [SelectOption]
        var unitTargets: [SelectOption]
        var retypeTargets: [SelectOption]
        var mergeTargets: [SelectOption]
        var hasTerm: Bool
    }

    struct UnitRow {
        var id: Int64
        var name: String
        var category: String
        var categoryCode: String
        var assessmentCategory: String
        var version: Int64
        var categories: [SelectOption]
        var assessments: [SelectOption]
    }

    struct NewModel {
        var parentID: Int64
        var parentName: String
        var types: [SelectOption]
        var name: String
        var shortName: String
        var error: String?
        var errorField: String?
    }

    func addRoutes(to site: Site) {
        site.add(.get, OrganisationsPaths.orgs, access: .permission(.organisationsRead)) { request, context in
            let access = try readAccess(context)
            let asOfText = FormData.query(request).text("as_of")
            var orgs = try await services.organisations.visible(access: access)
            var asOf: String?
            if !asOfText.isEmpty {
                guard let date = CivilDate.parseLenient(asOfText) else {
                    throw ValidationFailure(field: "as_of", message: "日期“\(asOfText)”无法识别，请写成 2020-01-01")
                }
                // The tree as it stood that day (组织沿革): names, parents and types from the history.
                let snapshot = try await services.organisations.asOf(date, access: access)
                orgs = snapshot.map { e in
                    Organisation(
                        id: e.organisationID, parentID: e.parentID, type: e.type, name: e.name, shortName: nil,
                        path: MaterialisedPath.root(id: e.organisationID), depth: 1, dissolvedAt: nil, dissolvedReason: nil, version: 0)
                }
                asOf = date.description
            }
            let tree = Self.buildTree(orgs)
            return services.renderer.page(
                "organisations/tree", title: "组织机构",
                model: OrganisationTreePage(roots: tree, empty: tree.isEmpty, count: orgs.count, asOf: asOf, asOfValue: asOfText),
                context: context, request: request)
        }
        site.add(.get, OrganisationsPaths.orgsNew, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let parentID = FormData.query(request).int64("parent") ?? 0
            guard let parent = try await services.organisations.find(parentID, access: try writeAccess(context)) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(parentID))
            }
            return newPage(request, context, parent: parent, name: "", shortName: "", type: nil, error: nil, status: .ok)
        }
        site.add(.post, OrganisationsPaths.orgs, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try writeAccess(context)
            let fields = FormReader(form)
            let parentID = fields.id("parent_id") ?? 0
            guard let parent = try await services.organisations.find(parentID, access: access) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(parentID))
            }
            guard let type = fields.choice("org_type", OrganisationType.self) else {
                return newPage(
                    request, context, parent: parent, name: fields.text("name"), shortName: fields.text("short_name"), type: nil,
                    error: ValidationFailure(field: "org_type", message: "请选择组织类型"), status: .badRequest)
            }
            do {
                let new = try OrganisationChangeForm(form)
                let created = try await services.organisations.create(
                    type: type, name: new.name, shortName: new.shortName, parentID: parentID, access: access, actor: context.actor,
                    effectiveDate: new.effectiveDate)
                return PageRenderer.redirect(OrganisationsPaths.orgs(created.id))
            } catch let failure as ValidationFailure {
                return newPage(
                    request, context, parent: parent, name: fields.text("name"), shortName: fields.text("short_name"), type: type, error: failure,
                    status: .badRequest)
            }
        }
        site.add(.get, OrganisationsPaths.orgsPattern, access: .permission(.organisationsRead), target: .organisation) { request, context in
            try await detailPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, OrganisationsPaths.orgsRenamePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let change = try OrganisationChangeForm(form)
                _ = try await services.organisations.rename(
                    id, name: change.name, shortName: change.shortName, expectedVersion: change.version, access: try writeAccess(context),
                    actor: context.actor, effectiveDate: change.effectiveDate)
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, error: failure.fullMessage, status: .badRequest)
            }
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
        site.add(.post, OrganisationsPaths.orgsMovePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let change = try OrganisationChangeForm(form)
                _ = try await services.organisations.move(
                    id, toParent: change.parentID, expectedVersion: change.version, access: try writeAccess(context), actor: context.actor,
                    effectiveDate: change.effectiveDate)
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, error: failure.fullMessage, status: .badRequest)
            }
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
        site.add(.post, OrganisationsPaths.orgsRetypePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let change = try OrganisationChangeForm(form)
                guard let type = change.type else { throw ValidationFailure(field: "org_type", message: "请选择调整后的组织类型") }
                _ = try await services.organisations.changeType(
                    id, to: type, approval: change.approval, expectedVersion: change.version, access: try writeAccess(context), actor: context.actor,
                    effectiveDate: change.effectiveDate)
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, error: failure.fullMessage, status: .badRequest)
            }
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
        site.add(.post, OrganisationsPaths.orgsMergePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let change = try OrganisationChangeForm(form)
                let outcome = try await services.organisations.merge(
                    id, into: change.targetID, approval: change.approval, expectedVersion: change.version, access: try writeAccess(context),
                    actor: context.actor, effectiveDate: change.effectiveDate)
                return PageRenderer.redirect(OrganisationsPaths.orgs(outcome.target.id))
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, error: failure.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, OrganisationsPaths.orgsDissolvePattern, access: .permission(.organisationsWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let change = try OrganisationChangeForm(form)
                _ = try await services.organisations.dissolve(
                    id, reason: change.reason, expectedVersion: change.version, access: try writeAccess(context), actor: context.actor,
                    effectiveDate: change.effectiveDate)
            } catch let failure as ValidationFailure {
                return try await detailPage(request, context, error: failure.fullMessage, status: .badRequest)
            }
            return PageRenderer.redirect(OrganisationsPaths.orgs(id))
        }
    }

    private func readAccess(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .organisationsRead) }

    private func writeAccess(_ context: AppRequestContext) throws -> OrganisationAccess { try context.access(for: .organisationsWrite) }

    private func detailPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try readAccess(context)
        guard let org = try await services.organisations.find(id, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(id))
        }
        let scope = OrganisationScope(rawValue: FormData.query(request).text("scope")) ?? .ownAndChildren
        let rows = try await services.organisations.list(anchorID: id, scope: scope, access: access, includeDissolved: true)
        let ancestors = try await services.organisations.ancestors(of: org)
        let write = try writeAccess(context)
        let canWrite = write.covers(path: org.path, parentID: org.parentID) && !org.isDissolved
        // The organisations this user may write, read once for the move, merge and unit choosers.
        let writableOrgs = canWrite ? try await services.organisations.visible(access: write) : []
        let targets =
            writableOrgs
            .filter { !org.path.contains($0.path) && $0.id != org.parentID && $0.type.mayContain(org.type) }
            .map { SelectOption(value: String($0.id), label: $0.name, selected: false) }
        let term = try await services.terms.current(of: org.id, access: access)
        let rules = try await services.rules.inForce()
        let units = try await services.units.units(of: org.id, access: access)
        let setup = try await setupWarnings(org, term: term, units: units.count, rules: rules, context: context)
        func categoryOptions(_ selected: UnitCategory?) -> [SelectOption] { Self.categoryOptions(selected) }
        func assessmentOptions(_ selected: String?) -> [SelectOption] { Self.assessmentOptions(selected, rules: rules) }
        let parent = ancestors.last
        let retypeTargets = OrganisationType.allCases.filter { $0 != org.type && (parent?.type.mayContain($0) ?? true) }
            .map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) }
        let model = DetailModel(
            org: Self.row(org, base: org.depth), parentName: ancestors.last?.name ?? "（顶级组织）",
            breadcrumbs: ancestors.map { Breadcrumb(id: $0.id, name: $0.name, linked: access.covers(path: $0.path, parentID: $0.parentID)) },
            path: org.path.value, version: org.version,
            dissolvedReason: org.dissolvedReason ?? "",
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) },
            scopeName: scope.displayName, rows: rows.map { Self.row($0, base: org.depth) }, count: rows.count,
            canWrite: canWrite, moveTargets: targets, error: error,
            warnings: setup.warnings.map(\.fullMessage), memberCount: setup.memberCount, canSeeMembers: setup.canSeeMembers,
            history: try await services.organisations.history(of: org.id, access: access).map { e in
                let when = e.effectiveDate.year == 1 ? "（建档前）" : e.effectiveDate.description
                return "\(when) \(e.kind.displayName)：\(e.name)\(e.note.map { "（\($0)）" } ?? "")"
            },
            holdsElections: TermRules.termYears(for: org.type) > 0,
            termStatus: term.map { "\($0.startDate) 至 \($0.endDate)：\($0.status(on: CivilDate(date: services.clock.now())).message)" },
            termRule: term.map { $0.status(on: CivilDate(date: services.clock.now())).ruleID },
            leaders: term?.leaders.map { "\($0.post) \($0.name)" } ?? [],
            postponement: term?.postponementApproval.map { "延期批复：\($0)" },
            // ORG-T2: only the higher organisation approves a postponement.
            canPostpone: term != nil && (ancestors.last.map { write.covers(path: $0.path, parentID: $0.parentID) } ?? false),
            units: units.map { Self.unitRow($0, rules: rules) },
            hasUnits: !units.isEmpty, unitCategories: categoryOptions(nil), assessmentCategories: assessmentOptions(nil),
            unitTargets: writableOrgs.filter { $0.type != .partyGroup }.map {
                SelectOption(value: String($0.id), label: $0.name, selected: $0.id == org.id)
            },
            retypeTargets: retypeTargets,
            mergeTargets: writableOrgs.filter { !$0.path.contains(org.path) && $0.type != .partyGroup && $0.type != .temporaryBranch }
                .map { SelectOption(value: String($0.id), label: $0.name, selected: false) },
            hasTerm: term != nil)
        return services.renderer.page("organisations/detail", title: org.name, model: model, context: context, request: request, status: status)
    }

    /// ORG setup warnings (too few members for the type, no committee, no unit …) with the roster counts; only a
    /// user who may read the roster sees them (a 临时党支部's own rule needs no roster).
    private func setupWarnings(
        _ org: Organisation, term: TermRecord?, units: Int, rules: RuleBook, context: AppRequestContext
    ) async throws -> (warnings: [OrganisationSetupCheck.Warning], memberCount: String, canSeeMembers: Bool) {
        let memberAccess = context.identity?.principal.access(for: .membersRead)
        let canSeeMembers = memberAccess?.covers(path: org.path, parentID: org.parentID) ?? false
        // LIFE-13 needs how long a 临时党支部 has existed: its establishment in the history (0001-01-01 = unknown).
        let today = CivilDate(date: services.clock.now())
        let established =
            org.type == .temporaryBranch
            ? try await services.organisations.history(of: org.id, access: .maintenance)
                .filter { $0.kind == .established && $0.effectiveDate.year > 1 }.map(\.effectiveDate).min() : nil
        if canSeeMembers, let memberAccess {
            let counts = try await services.members.rosterCounts(of: org.id, access: memberAccess) ?? (0, 0)
            let warnings = OrganisationSetupCheck.warnings(
                type: org.type, total: counts.total, full: counts.full, committee: term?.leaders.count, units: units, established: established,
                today: today, rules: rules)
            return (warnings, "本级在册党员 \(counts.total) 人，其中正式党员 \(counts.full) 人", true)
        }
        if org.type == .temporaryBranch {
            return (
                OrganisationSetupCheck.warnings(type: org.type, total: 0, full: 0, established: established, today: today, rules: rules), "", false
            )
        }
        return ([], "", false)
    }

    static func categoryOptions(_ selected: UnitCategory?) -> [SelectOption] {
        UnitCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == selected) }
    }

    static func assessmentOptions(_ selected: String?, rules: RuleBook) -> [SelectOption] {
        rules.assessmentCategories.map { SelectOption(value: $0, label: $0, selected: $0 == selected) }
    }

    /// One unit (单位) under the organisation, with its choosers for editing.
    static func unitRow(_ u: WorkUnit, rules: RuleBook) -> UnitRow {
        UnitRow(
            id: u.id, name: u.name, category: u.category.displayName, categoryCode: u.category.rawValue,
            assessmentCategory: u.assessmentCategory ?? "—", version: u.version,
            categories: categoryOptions(u.category), assessments: assessmentOptions(u.assessmentCategory, rules: rules))
    }

    private func newPage(
        _ request: Request, _ context: AppRequestContext, parent: Organisation, name: String,
        shortName: String, type: OrganisationType?, error: ValidationFailure?, status: HTTPResponse.Status
    ) -> Response {
        let types = OrganisationType.allCases.filter { parent.type.mayContain($0) }
            .map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == type) }
        let model = NewModel(
            parentID: parent.id, parentName: parent.name, types: types, name: name, shortName: shortName,
            error: error?.fullMessage, errorField: error?.field)
        return services.renderer.page("organisations/new", title: "新建组织", model: model, context: context, request: request, status: status)
    }

    static func row(_ org: Organisation, base: Int) -> OrgRow {
        let level = max(0, org.depth - base)
        return OrgRow(
            id: org.id, name: org.name, shortName: org.shortName ?? "", type: org.type.displayName,
            depth: level, indent: String(repeating: "　", count: level), dissolved: org.isDissolved)
    }

    /// Nests the visible organisations; those whose parent is not visible become roots.
    static func buildTree(_ orgs: [Organisation]) -> [TreeNode] {
        let ids = Set(orgs.map(\.id))
        var children: [Int64: [Organisation]] = [:]
        for org in orgs { if let p = org.parentID, ids.contains(p) { children[p, default: []].append(org) } }
        func node(_ org: Organisation, level: Int) -> TreeNode {
            let kids = (children[org.id] ?? []).map { node($0, level: level + 1) }
            return TreeNode(
                id: org.id, name: org.name, type: org.type.displayName, children: kids,
                hasChildren: !kids.isEmpty, open: level < 2)
        }
        return orgs.filter { org in org.parentID.map { !ids.contains($0) } ?? true }.map { node($0, level: 0) }
    }
}
