import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import Crypto
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The roster list: filters, the query, the rows written in Swift, and opening members' accounts from it.
extension MemberController {
    /// The 党籍状态 filter: those on the roster (the default), all, or one state.
    static func stateOptions(selected: String) -> [SelectOption] {
        [
            SelectOption(value: "", label: "在册（正常、失联）", selected: selected.isEmpty),
            SelectOption(value: allStates, label: "全部（含停止党籍、出党、死亡）", selected: selected == allStates),
        ] + MembershipState.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == selected) }
    }

    /// The list query from the URL; the anchor defaults to the user's first organisation.
    func query(_ form: FormData, access: OrganisationAccess) throws -> MemberQuery {
        let anchor = form.int64("org") ?? access.reaches.first?.organisationID ?? 0
        var q = MemberQuery(anchorID: anchor, scope: OrganisationScope(rawValue: form.text("scope")) ?? .subtree)
        q.nameContains = form.text("q").nilIfEmpty
        q.partyStatus = PartyStatus(rawValue: form.text("status"))
        q.personnelCategory = PersonnelCategory(rawValue: form.text("category"))
        q.education = Education(rawValue: form.text("education"))
        q.gender = Gender(rawValue: form.text("gender"))
        q.membershipState = MembershipState(rawValue: form.text("state"))
        // 党籍状态: none chosen means those on the roster (正常、失联); "全部" (`all`) means every state, 停止党籍、出党、死亡
        // included (issue 17, item 8); one state means that state.
        if form.text("state") == Self.allStates || q.membershipState?.isOnRoster == false { q.includeOffRoster = true }
        q.floatingOnly = form["floating"] != nil
        q.minAge = try form.number("age_min", Age.self)
        q.maxAge = try form.number("age_max", Age.self)
        q.minStanding = try form.number("standing_min", PartyStanding.self)
        q.maxStanding = try form.number("standing_max", PartyStanding.self)
        q.sort = MemberQuery.Sort(rawValue: form.text("sort")) ?? .name
        return q
    }

    static let filterKeys = [
        "org", "scope", "q", "status", "category", "education", "gender", "state", "floating", "age_min", "age_max", "standing_min", "standing_max",
        "sort",
    ]

    static func filterString(_ form: FormData) -> String {
        filterKeys.compactMap { key in
            guard let value = form[key], !value.isEmpty else { return nil }
            return "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
    }

    func listPage(_ request: Request, _ context: AppRequestContext, message: String?) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        var q = try query(form, access: access)
        let pageNumber = try form.number("page", PageNumber.self) ?? .first
        let page = pageNumber.value
        q.limit = 50
        q.offset = pageNumber.offset(pageSize: 50)
        // Only the organisations on this page and the ones next to the anchor: a city has thousands.
        var orgs = try await services.organisations.neighbourhood(of: q.anchorID, access: access)
        if orgs.isEmpty, let first = access.reaches.first?.organisationID {
            orgs = try await services.organisations.neighbourhood(of: first, access: access)
        }
        let result = try await services.members.list(q, access: access, anchor: orgs.first { $0.id == q.anchorID })
        // A branch's page names only organisations the chooser already has: no further query.
        var names = Dictionary(orgs.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let unnamed = Set(result.members.map(\.organisationID)).subtracting(names.keys)
        if !unnamed.isEmpty { names.merge(try await services.organisations.labels(unnamed)) { a, _ in a } }
        let today = CivilDate(date: services.clock.now())
        let rules = try await services.rules.inForce()
        let rows = result.members.map { m in
            var flags: [String] = []
            if m.isFloating { flags.append("流动") }
            if m.membershipState != .normal { flags.append(m.membershipState.displayName) }
            if m.medalEligible(in: today.year, rules: rules) { flags.append("光荣在党50年") }
            return Row(
                id: m.id, name: m.name, organisation: names[m.organisationID] ?? "", gender: m.gender.displayName, age: m.age(on: today),
                status: m.partyStatus.displayName, probationary: m.partyStatus == .probationary, joinDate: m.joinDate.description,
                standing: m.partyStanding(on: today).map { "\($0)年" } ?? "—", category: m.personnelCategory.displayName,
                idNumber: m.idNumberMasked, phone: m.phoneMasked ?? "", flags: flags)
        }
        let base = Self.filterString(form)
        let pages = max(1, (result.total + 49) / 50)
        func options<T: RawRepresentable>(_ all: [T], _ label: (T) -> String, _ selected: String) -> [SelectOption] where T.RawValue == String {
            [SelectOption(value: "", label: "全部", selected: selected.isEmpty)]
                + all.map { SelectOption(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
        }
        let write = try context.access(for: .membersWrite)
        let anchor = orgs.first { $0.id == q.anchorID }
        // The 50 rows are written here rather than in the template: the hot path of the busiest page (bench/).
        let model = ListModel(
            rowsHTML: Self.rowsHTML(rows), total: result.total,
            organisationsHTML: SelectOption.html(
                orgs.map { o in
                    let relation = o.id == anchor?.parentID ? "上级：" : o.parentID == q.anchorID ? "　下级：" : ""
                    return SelectOption(value: String(o.id), label: relation + o.label, selected: o.id == q.anchorID)
                }),
            scopesHTML: SelectOption.html(
                OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == q.scope) }),
            statusesHTML: SelectOption.html(options(PartyStatus.allCases, \.displayName, form.text("status"))),
            categoriesHTML: SelectOption.html(options(PersonnelCategory.allCases, \.displayName, form.text("category"))),
            educationsHTML: SelectOption.html(options(Education.allCases, \.displayName, form.text("education"))),
            gendersHTML: SelectOption.html(options(Gender.allCases, \.displayName, form.text("gender"))),
            statesHTML: SelectOption.html(Self.stateOptions(selected: form.text("state"))),
            sortsHTML: SelectOption.html(
                [("name", "按姓名"), ("join_date", "按入党日期"), ("birth_date", "按出生日期"), ("organisation", "按组织")].map {
                    SelectOption(value: $0.0, label: $0.1, selected: $0.0 == q.sort.rawValue)
                }),
            q: form.text("q"), ageMin: form.text("age_min"), ageMax: form.text("age_max"), standingMin: form.text("standing_min"),
            standingMax: form.text("standing_max"), floating: q.floatingOnly, query: base,
            previous: page > 1 ? "?\(base)&page=\(page - 1)" : nil, next: page < pages ? "?\(base)&page=\(page + 1)" : nil,
            page: page, pages: pages,
            canAdd: anchor.map { write.covers(path: $0.path, parentID: $0.parentID) && !$0.isDissolved } ?? false,
            anchorID: q.anchorID, canExportUnmasked: context.identity?.principal.has(.exportUnmasked) ?? false,
            message: message)
        return services.renderer.page("members/list", title: "党员名册", model: model, context: context, request: request)
    }

    /// The list's table rows, every value HTML-escaped.
    static func rowsHTML(_ rows: [Row]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 600)
        for r in rows {
            let e = HTMLText.escape
            html += "<tr><td data-label=\"姓名\"><a href=\"\(MembersPaths.members(r.id))\">\(e(r.name))</a> "
            for flag in r.flags { html += "<span class=\"badge\">\(e(flag))</span> " }
            html += "</td><td data-label=\"所在组织\">\(e(r.organisation))</td><td data-label=\"性别\">\(e(r.gender))</td>"
            html += "<td data-label=\"年龄\">\(r.age)</td><td data-label=\"身份\">\(e(r.status))</td><td data-label=\"入党日期\">\(e(r.joinDate))</td>"
            html += "<td data-label=\"党龄\">\(e(r.standing))</td><td data-label=\"类别\">\(e(r.category))</td>"
            html += "<td data-label=\"身份证号\" class=\"masked\">\(e(r.idNumber))</td><td data-label=\"手机号\" class=\"masked\">\(e(r.phone))</td></tr>"
        }
        return html
    }

    /// POST /members/accounts?org=: the accounts of the organisation's members who have none, with one-time passwords
    /// shown on this page only (not stored in clear anywhere; the page is not cached).
    func createMemberAccounts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let orgID = FormData.query(request).int64("org") ?? 0
        let policy = try await services.passwordPolicy()
        let outcome = try await services.store.memberAccounts.createAccounts(
            organisationID: orgID, access: try context.access(for: .membersWrite), policy: policy, actor: context.actor)
        let model = MemberAccountsCreatedPage(
            org: orgID,
            rows: outcome.created.map { .init(name: $0.memberName, username: $0.username, oneTimePassword: $0.oneTimePassword) },
            createdCount: outcome.created.count, hasCreated: !outcome.created.isEmpty, alreadyLinked: outcome.alreadyLinked,
            hasAlreadyLinked: outcome.alreadyLinked > 0, refused: outcome.refused,
            hasRefused: !outcome.refused.isEmpty, validHours: policy.initialPasswordValidHours)
        var response = services.renderer.page("members/accounts_created", title: "为党员开通账户", model: model, context: context, request: request)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
