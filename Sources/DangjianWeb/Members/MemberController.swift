import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import Crypto
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The member roster pages (党员名册): list with filters and search, detail, add, edit, reveal, export, statistics.
struct MemberController {
    let services: AppServices

    struct Row {
        var id: Int64
        var name: String
        var organisation: String
        var gender: String
        var age: Int
        var status: String
        var probationary: Bool
        var joinDate: String
        var standing: String
        var category: String
        var idNumber: String
        var phone: String
        var flags: [String]
    }

    struct ListModel {
        var rowsHTML: String
        var total: Int
        var organisationsHTML: String
        var scopesHTML: String
        var statusesHTML: String
        var categoriesHTML: String
        var educationsHTML: String
        var gendersHTML: String
        var statesHTML: String
        var sortsHTML: String
        var q: String
        var ageMin: String
        var ageMax: String
        var standingMin: String
        var standingMax: String
        var floating: Bool
        var query: String
        var previous: String?
        var next: String?
        var page: Int
        var pages: Int
        var canAdd: Bool
        var anchorID: Int64
        var canExportUnmasked: Bool
        var message: String?
    }

    struct Fact {
        var label: String
        var value: String
        var revealField: String?
        var revealed: Bool
    }

    struct DetailModel {
        var id: Int64
        var name: String
        var organisation: String
        var facts: [Fact]
        var notes: [String]
        var canEdit: Bool
        var canReveal: Bool
        var certificates: [CertificateRow]
        var hasCertificates: Bool
        var today: String
        /// The 发展党员 case file that admitted the member (一人一档, kept as the archive).
        var developmentCaseID: Int64?
    }

    struct CertificateRow {
        var id: Int64
        var text: String
        var open: Bool
        var expired: Bool
    }

    struct FormModel {
        var title: String
        var action: String
        var fields: [FormField]
        var errors: [String]
        var hasErrors: Bool
        var version: Int64
        var organisationName: String
        var isEdit: Bool
        var cancel: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, MembersPaths.members, access: .permission(.membersRead), target: .organisation) { request, context in
            try await listPage(request, context, message: nil)
        }
        site.add(.post, MembersPaths.membersLookup, access: .permission(.membersRead)) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .membersRead)
            let text = MemberLookupForm(form).number
            var found: MemberRecord?
            if case .success(let id) = IDNumber.parse(text) {
                found = try await services.members.find(idNumber: id, access: access)
            } else {
                let phone = text.filter { $0.isNumber }
                if phone.count == 11, let anchor = access.reaches.first {
                    var query = MemberQuery(anchorID: anchor.organisationID, scope: anchor.scope)
                    query.phone = phone
                    query.includeOffRoster = true
                    // Search every reach the user has.
                    for reach in access.reaches {
                        query.anchorID = reach.organisationID
                        query.scope = reach.scope
                        if let hit = try await services.members.list(query, access: access).members.first { found = hit; break }
                    }
                }
            }
            if let found { return PageRenderer.redirect(MembersPaths.members(found.id)) }
            return try await listPage(request, context, message: "在您的管理范围内没有找到身份证号或手机号为 \(Masking.scrubFreeText(text)) 的党员。")
        }
        site.add(.get, MembersPaths.membersNew, access: .permission(.membersWrite), target: .organisation) { request, context in
            let orgID = FormData.query(request).int64("org") ?? 0
            guard let org = try await services.organisations.find(orgID, access: try context.access(for: .membersWrite)) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(orgID))
            }
            var draft = MemberDraft()
            draft.partyStatus = PartyStatus.full.displayName
            draft.membershipState = MembershipState.normal.displayName
            return formPage(
                request, context, title: "新增党员", action: MembersPaths.members + "?org=\(org.id)", draft: draft, problems: [], version: 0,
                organisation: org, isEdit: false, status: .ok)
        }
        site.add(.post, MembersPaths.members, access: .permission(.membersWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .membersWrite)
            let posted = MemberForm(form)
            let orgID = FormData.query(request).int64("org") ?? posted.organisationID ?? 0
            guard let org = try await services.organisations.find(orgID, access: access) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(orgID))
            }
            let draft = posted.draft
            do {
                let created = try await services.members.create(draft, organisationID: org.id, access: access, actor: context.actor)
                return PageRenderer.redirect(MembersPaths.members(created.id))
            } catch let errors as ValidationProblems {
                return formPage(
                    request, context, title: "新增党员", action: MembersPaths.members + "?org=\(org.id)", draft: draft, problems: errors.problems,
                    version: 0, organisation: org, isEdit: false, status: .badRequest)
            } catch let failure as ValidationFailure {
                await ErrorPages(services: services).recordIdentityProbe(failure, request: request, context: context)  // L4
                return formPage(
                    request, context, title: "新增党员", action: MembersPaths.members + "?org=\(org.id)", draft: draft, problems: [failure],
                    version: 0, organisation: org, isEdit: false, status: .badRequest)
            }
        }
        site.add(.get, MembersPaths.membersExportCsv, access: .permission(.membersRead), target: .organisation) { request, context in
            try await export(request, context)
        }
        site.add(.get, MembersPaths.membersStatistics, access: .permission(.membersRead), target: .organisation) { request, context in
            try await statisticsPage(request, context)
        }
        site.add(.get, MembersPaths.membersPattern, access: .permission(.membersRead), target: .member) { request, context in
            let response = try await detailPage(request, context, revealed: nil)
            try await services.audit.record(
                AuditEvent(
                    action: .personViewed, objectType: "member", objectID: String(try context.parameters.require("id", as: Int64.self)),
                    summary: "查看党员详情"), by: context.actor, database: services.database)
            return response
        }
        site.add(.get, MembersPaths.membersEditPattern, access: .permission(.membersWrite), target: .member) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersWrite)
            guard let member = try await services.members.find(id, access: access),
                let org = try await services.organisations.find(member.organisationID, access: .maintenance)
            else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            return formPage(
                request, context, title: "修改党员信息：\(member.name)", action: MembersPaths.members(id), draft: member.editDraft, problems: [],
                version: member.version, organisation: org, isEdit: true, status: .ok)
        }
        site.add(.post, MembersPaths.membersPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersWrite)
            guard let member = try await services.members.find(id, access: access),
                let org = try await services.organisations.find(member.organisationID, access: .maintenance)
            else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            let posted = MemberForm(form)
            let draft = posted.draft
            do {
                _ = try await services.members.update(id, draft: draft, expectedVersion: posted.version ?? -1, access: access, actor: context.actor)
                return PageRenderer.redirect(MembersPaths.members(id))
            } catch let errors as ValidationProblems {
                return formPage(
                    request, context, title: "修改党员信息：\(member.name)", action: MembersPaths.members(id), draft: draft,
                    problems: errors.problems, version: posted.version ?? member.version, organisation: org, isEdit: true, status: .badRequest)
            } catch let failure as ValidationFailure {
                await ErrorPages(services: services).recordIdentityProbe(failure, request: request, context: context)  // L4
                return formPage(
                    request, context, title: "修改党员信息：\(member.name)", action: MembersPaths.members(id), draft: draft,
                    problems: [failure], version: posted.version ?? member.version, organisation: org, isEdit: true, status: .badRequest)
            }
        }
        // 为党员开通账户 (issue 17 item 18, decision 0030): accounts, the 党员 role and the link, in one step.
        site.add(.post, MembersPaths.membersAccounts, access: .permission(.membersWrite), target: .organisation) { request, context in
            try await createMemberAccounts(request, context)
        }
        site.add(.post, MembersPaths.membersLinkAccounts, access: .permission(.membersWrite), target: .organisation) { request, context in
            let orgID = FormData.query(request).int64("org") ?? 0
            let result = try await services.members.linkAccountsByName(
                organisationID: orgID, access: try context.access(for: .membersWrite), actor: context.actor)
            let model = LinkAccountsPage(
                org: orgID, linked: result.linked, ambiguous: result.ambiguous, unmatched: result.unmatched,
                linkedCount: result.linked.count, hasAmbiguous: !result.ambiguous.isEmpty, hasUnmatched: !result.unmatched.isEmpty)
            return services.renderer.page("members/link_accounts", title: "批量关联党员账户", model: model, context: context, request: request)
        }
        site.add(.post, MembersPaths.membersAccountPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let link = AccountLinkForm(form)
            try await services.members.linkAccount(
                username: link.username, toMember: id, confirmingNameDifference: link.confirmsNameDifference,
                access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(MembersPaths.members(id))
        }
        site.add(.get, MembersPaths.accountMe, access: .signedIn) { request, context in try await myRecord(request, context) }
        site.add(.post, MembersPaths.membersRevealPattern, access: .permission(.personalDataReveal), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let field = try RevealForm(form).field
            let id = try context.parameters.require("id", as: Int64.self)
            try StepUp.require(request, context, services: services, returnTo: MembersPaths.members(id))  // H6
            let value = try await services.members.reveal(field, of: id, access: try context.access(for: .personalDataReveal), actor: context.actor)
            return try await detailPage(request, context, revealed: (field, value ?? "（未登记）"))
        }
    }

    /// GET /account/me: a member's own record.
    func myRecord(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
        let today = CivilDate(date: services.clock.now())
        var facts: [Fact] = []
        var name = identity.user.displayName
        if let m = try await services.members.linkedMember(userID: identity.user.id) {
            let org = try await services.organisations.find(m.organisationID, access: .maintenance)
            name = m.name
            facts = [
                Fact(label: "所在党组织", value: org?.name ?? "", revealField: nil, revealed: false),
                Fact(label: "党员身份", value: m.partyStatus.displayName, revealField: nil, revealed: false),
                Fact(label: "入党日期", value: m.joinDate.description, revealField: nil, revealed: false),
                Fact(label: "转正日期", value: m.fullMemberDate?.description ?? "—", revealField: nil, revealed: false),
                Fact(
                    label: "党龄", value: m.partyStanding(on: today).map { "\($0) 年（\(RuleID.dev32)）" } ?? "预备期内不计党龄（\(RuleID.dev32)）",
                    revealField: nil, revealed: false),
                Fact(label: "身份证号", value: m.idNumberMasked, revealField: nil, revealed: false),
                Fact(label: "手机号", value: m.phoneMasked ?? "（未登记）", revealField: nil, revealed: false),
                Fact(label: "学历", value: m.education?.displayName ?? "—", revealField: nil, revealed: false),
                Fact(label: "工作单位", value: m.workUnit ?? "—", revealField: nil, revealed: false),
            ]
            let rules = try await services.rules.inForce()
            if let anchor = rules.politicalBirthdayAnchor == .admission ? m.joinDate : m.fullMemberDate {
                facts.append(
                    Fact(label: "政治生日", value: "每年 \(anchor.month) 月 \(anchor.day) 日（\(RuleID.care04)）", revealField: nil, revealed: false))
            }
        }
        return services.renderer.page(
            "account/me", title: "我的信息",
            model: OwnRecordPage(name: name, facts: facts, linked: !facts.isEmpty), context: context, request: request)
    }

    // MARK: pages

    /// The 党籍状态 filter's value for every state.
    static let allStates = "all"

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

    /// GET /members/{id}: the member's record (sensitive fields masked unless just revealed), the rule notes that
    /// apply, the 流动党员活动证 register and the link to the development case.
    func detailPage(_ request: Request, _ context: AppRequestContext, revealed: (SensitiveField, String)?) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let m = try await services.members.find(id, access: access) else { throw RecordNotFound(objectType: "member", objectID: String(id)) }
        let org = try await services.organisations.find(m.organisationID, access: .maintenance)
        let today = CivilDate(date: services.clock.now())
        let principal = context.identity?.principal
        let canReveal =
            principal?.access(for: .personalDataReveal).covers(path: org?.path ?? MaterialisedPath.root(id: 0), parentID: org?.parentID) ?? false
        var facts = Self.facts(of: m, organisation: org, canReveal: canReveal, revealed: revealed, today: today)
        let certificates = try await services.floating.certificates(
            ofMember: m.id, access: principal?.access(for: .membersRead) ?? OrganisationAccess(permission: .membersRead, reaches: []))
        let notes = try await ruleNotes(of: m, certificates: certificates, today: today)
        // 民主评议 grades fixed in past years (LIFE-08).
        let grades = try await services.evaluations.grades(ofMember: m.id)
        if !grades.isEmpty {
            facts.append(
                Fact(
                    label: "民主评议", value: grades.prefix(5).map { "\($0.year)年 \($0.grade.displayName)" }.joined(separator: "；"), revealField: nil,
                    revealed: false))
        }
        let write = principal?.access(for: .membersWrite)
        let model = DetailModel(
            id: m.id, name: m.name, organisation: org?.name ?? "", facts: facts, notes: notes,
            canEdit: (org.map { write?.covers(path: $0.path, parentID: $0.parentID) ?? false } ?? false), canReveal: canReveal,
            certificates: certificates.map { Self.certificateRow($0, today: today) },
            hasCertificates: !certificates.isEmpty, today: today.description,
            developmentCaseID: try await services.development.caseID(ofMember: m.id))
        return services.renderer.page("members/detail", title: m.name, model: model, context: context, request: request)
    }

    /// The record's facts in the page's order; a sensitive field shows its mask unless it was just revealed.
    static func facts(
        of m: MemberRecord, organisation org: Organisation?, canReveal: Bool, revealed: (SensitiveField, String)?, today: CivilDate
    ) -> [Fact] {
        func shown(_ field: SensitiveField, masked: String) -> (String, Bool) {
            if let revealed, revealed.0 == field { return (revealed.1, true) }
            return (masked, false)
        }
        let idShown = shown(.idNumber, masked: m.idNumberMasked)
        let phoneShown = shown(.phone, masked: m.phoneMasked ?? "（未登记）")
        let addressShown = shown(.address, masked: m.hasAddress ? "已登记（隐藏）" : "（未登记）")
        var facts: [Fact] = [
            Fact(label: "所在组织", value: org?.name ?? "", revealField: nil, revealed: false),
            Fact(label: "性别", value: m.gender.displayName, revealField: nil, revealed: false),
            // The day of birth only to whom may reveal this member's ID number anyway (issue 15, H5): with it the masked
            // number leaves the sequence digits, not the county, unknown.
            Fact(
                label: canReveal ? "出生日期" : "出生年月",
                value: "\(canReveal ? m.birthDate.description : Masking.birthMonth(m.birthDate))（\(m.age(on: today))岁）",
                revealField: nil, revealed: false),
            Fact(label: "身份证号", value: idShown.0, revealField: idShown.1 ? nil : SensitiveField.idNumber.rawValue, revealed: idShown.1),
            Fact(label: "民族", value: m.ethnicity ?? "—", revealField: nil, revealed: false),
            Fact(label: "籍贯", value: m.nativePlace ?? "—", revealField: nil, revealed: false),
            Fact(label: "学历", value: m.education?.displayName ?? "—", revealField: nil, revealed: false),
            Fact(label: "人员类别", value: m.personnelCategory.displayName, revealField: nil, revealed: false),
            Fact(label: "党员身份", value: m.partyStatus.displayName, revealField: nil, revealed: false),
            Fact(label: "党籍状态", value: m.membershipState.displayName, revealField: nil, revealed: false),
            Fact(label: "入党日期", value: m.joinDate.description, revealField: nil, revealed: false),
            Fact(label: "转正日期", value: m.fullMemberDate?.description ?? "—", revealField: nil, revealed: false),
            Fact(
                label: "党龄", value: m.partyStanding(on: today).map { "\($0) 年（自转正之日起算，\(RuleID.dev32)）" } ?? "预备党员不计党龄（\(RuleID.dev32)）",
                revealField: nil, revealed: false),
            Fact(label: "工作单位", value: m.workUnit ?? "—", revealField: nil, revealed: false),
            Fact(label: "职务", value: m.post ?? "—", revealField: nil, revealed: false),
            Fact(
                label: "手机号", value: phoneShown.0, revealField: (phoneShown.1 || m.phoneMasked == nil) ? nil : SensitiveField.phone.rawValue,
                revealed: phoneShown.1),
            Fact(
                label: "家庭住址", value: addressShown.0, revealField: (addressShown.1 || !m.hasAddress) ? nil : SensitiveField.address.rawValue,
                revealed: addressShown.1),
        ]
        if m.isFloating { facts.append(Fact(label: "流动党员", value: "是，流入地：\(m.floatingDestination ?? "")", revealField: nil, revealed: false)) }
        if let reason = m.lostContactReason {
            facts.append(
                Fact(
                    label: "失联情况", value: "\(reason.displayName)，自 \(m.lostContactSince?.description ?? "?")（\(RuleID.mem07)）", revealField: nil,
                    revealed: false))
        }
        return facts
    }

    /// The notes the rules attach to this member today: probation (DEV-27/28), the 50-year medal (CARE-01), the
    /// political birthday (CARE-04) and the floating certificates (MEM-02/03).
    func ruleNotes(of m: MemberRecord, certificates: [FloatingCertificate], today: CivilDate) async throws -> [String] {
        var notes: [String] = []
        let rules = try await services.rules.inForce()
        if m.partyStatus == .probationary {
            let end = m.joinDate.adding(years: rules.probationYears)
            notes.append(end <= today ? "预备期已于 \(end) 期满，请及时讨论转正（\(RuleID.dev28)）" : "预备期至 \(end) 期满（\(RuleID.dev27)）")
        }
        if m.medalEligible(in: today.year, rules: rules) {
            notes.append("符合“光荣在党50年”纪念章颁发条件（\(RuleID.care01)）")
        } else if m.medalEligible(in: today.year + 1, rules: rules) {
            notes.append("明年 7 月 1 日前党龄满 50 年，可列入“光荣在党50年”纪念章名单（\(RuleID.care01)）")
        }
        let anchor = rules.politicalBirthdayAnchor == .admission ? m.joinDate : m.fullMemberDate
        if let anchor {
            notes.append(
                "政治生日：每年 \(anchor.month) 月 \(anchor.day) 日（按\(rules.politicalBirthdayAnchor == .admission ? "入党" : "转正")日期，\(RuleID.care04)）")
        }
        // MEM-02 reminder when a certificate covers a long absence; MEM-03 when one is overdue.
        for c in certificates where c.returnedOn == nil {
            let rulesThen = try await services.rules.inForce(on: c.issuedOn)
            if c.validUntil >= c.issuedOn.adding(months: rulesThen.floatingTransferMonths) {
                notes.append("流动党员活动证 \(c.certificateNumber) 期限达 \(rulesThen.floatingTransferMonths) 个月以上；外出地点固定的，应转移正式组织关系（\(RuleID.mem02)）")
            }
            if c.status(on: today) == .expired {
                notes.append("流动党员活动证 \(c.certificateNumber) 已于 \(c.validUntil) 到期未收回，请核实去向（\(RuleID.mem03)）")
            }
        }
        return notes
    }

    /// One line of the 流动党员活动证 register (MEM-03).
    static func certificateRow(_ c: FloatingCertificate, today: CivilDate) -> CertificateRow {
        let status = c.status(on: today)
        return CertificateRow(
            id: c.id,
            text:
                "\(c.certificateNumber)：\(c.issuedOn) 发证，\(c.reason)，去向 \(c.destination)，有效期至 \(c.validUntil)，\(status.displayName)\(c.returnedOn.map { "（\($0)）" } ?? "")",
            open: status != .returned, expired: status == .expired)
    }

    func formPage(
        _ request: Request, _ context: AppRequestContext, title: String, action: String, draft d: MemberDraft,
        problems: [ValidationFailure], version: Int64, organisation: Organisation, isEdit: Bool, status: HTTPResponse.Status
    ) -> Response {
        var fields: [FormField] = [
            .text("name", "姓名", d.name, required: true),
            .text("id_number", "身份证号", isEdit ? "" : d.idNumber, required: !isEdit, hint: isEdit ? "不修改请留空（当前号码已加密保存）" : "18 位，旧的 15 位号码会自动升位"),
            .select("gender", "性别", d.gender, Gender.allCases.map { ($0.displayName, $0.displayName) }, hint: "可不填，按身份证号自动确定"),
            .date("birth_date", "出生日期", d.birthDate, hint: "可不填，按身份证号自动确定"),
            .select("ethnicity", "民族", d.ethnicity, Ethnicity.all.map { ($0, $0) }),
            .text("native_place", "籍贯", d.nativePlace),
            .select("education", "学历", d.education, Education.allCases.map { ($0.displayName, $0.displayName) }),
            .select(
                "personnel_category", "人员类别", d.personnelCategory, PersonnelCategory.allCases.map { ($0.displayName, $0.displayName) }, required: true
            ),
            .select("party_status", "党员身份", d.partyStatus, PartyStatus.allCases.reversed().map { ($0.displayName, $0.displayName) }, required: true),
            .select("membership_state", "党籍状态", d.membershipState, MembershipState.allCases.map { ($0.displayName, $0.displayName) }, required: true),
            .date("join_date", "入党日期", d.joinDate, required: true, hint: "支部大会通过接收为预备党员之日"),
            .date("full_member_date", "转正日期", d.fullMemberDate, hint: "正式党员必填；党龄从此日起算（\(RuleID.dev32)）"),
            .text("work_unit", "工作单位", d.workUnit),
            .text("post", "职务", d.post),
            .text("phone", "手机号", isEdit ? "" : d.phone, hint: isEdit ? "不修改请留空" : nil),
            .text("address", "家庭住址", isEdit ? "" : d.address, hint: isEdit ? "不修改请留空" : nil),
            .select("is_floating", "流动党员", d.isFloating, [("是", "是"), ("否", "否")]),
            .text("floating_destination", "流入地（外出去向）", d.floatingDestination),
            .select(
                "lost_contact_reason", "失联原因", d.lostContactReason, LostContactReason.allCases.map { ($0.rawValue, $0.displayName) },
                hint: "党籍状态为“失联”时必填（\(RuleID.mem07)）"),
            .date("lost_contact_since", "失联日期", d.lostContactSince),
        ]
        let unplaced = fields.attach(problems)
        let model = FormModel(
            title: title, action: action, fields: fields, errors: problems.isEmpty ? [] : ["有 \(problems.count) 处需要修改，请看标红的栏目。"] + unplaced,
            hasErrors: !problems.isEmpty, version: version, organisationName: organisation.name,
            isEdit: isEdit, cancel: isEdit ? action : MembersPaths.members + "?org=\(organisation.id)")
        return services.renderer.page("members/form", title: title, model: model, context: context, request: request, status: status)
    }

    // MARK: export and statistics

    enum ExportFormat { case csv, xlsx }

    /// The filtered roster as .csv or .xlsx, masked; every export is audited with its row count and SHA-256. An
    /// unmasked export is a request with a purpose (issue 15, M6): `unmasked=1` leads to its form.
    func export(_ request: Request, _ context: AppRequestContext, format: ExportFormat = .csv) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        if form["unmasked"] == "1" {
            if !(context.identity?.principal.has(.exportUnmasked) ?? false) {
                throw AccessDenied(permission: .exportUnmasked, reason: "导出未脱敏名册需要“\(Permission.exportUnmasked.displayName)”权限")
            }
            return PageRenderer.redirect(
                MembersPaths.membersExportUnmasked + "?\(Self.filterString(form))&format=\(format == .xlsx ? "xlsx" : "csv")")
        }
        let file = try await rosterFile(form, access: access, format: format, watermark: nil)
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "member", objectID: "-", organisationID: file.anchorID,
                summary: "导出党员名册\(format == .xlsx ? " .xlsx" : "")（脱敏）\(file.count) 条，SHA-256 \(file.digest)"),
            by: context.actor, database: services.database)
        return Self.download(file.data, format: format)
    }

    static func download(_ data: Data, format: ExportFormat) -> Response {
        format == .csv
            ? Download.response(data, type: Download.csv, name: "members.csv", chineseName: "党员名册.csv")
            : Download.response(data, type: Download.xlsx, name: "members.xlsx", chineseName: "党员名册.xlsx")
    }

    /// The roster file for the filter in `form`: masked, or — with `watermark` — with the full values and the
    /// watermark (who, when, what for) as its first line.
    func rosterFile(
        _ form: FormData, access: OrganisationAccess, format: ExportFormat, watermark: String?
    ) async throws
        -> (data: Data, count: Int, anchorID: Int64, digest: String)
    {
        var q = try query(form, access: access)
        q.limit = services.configuration.exportRowLimit
        let (members, total) = try await services.members.list(q, access: access)
        guard total <= q.limit else {
            throw ValidationFailure(field: "org", message: "所选范围共 \(total) 名党员，超过一次导出的上限 \(q.limit) 人；请缩小筛选条件或按下级组织分别导出")
        }
        let orgs = Dictionary(
            uniqueKeysWithValues: try await services.organisations.visible(access: access, includeDissolved: true).map { ($0.id, $0.name) })
        let sensitive = watermark != nil ? try await services.members.sensitiveValues(for: members.map(\.id), access: access) : [:]
        let row: @Sendable (Int) -> [String] = {
            MemberExport.row(members[$0], organisation: orgs[members[$0].organisationID] ?? "", sensitive: sensitive[members[$0].id])
        }
        let data: Data
        switch format {
        case .csv:
            var csv = CSVWriter(header: watermark.map { [$0] } ?? MemberExport.header)
            if watermark != nil { csv.append(MemberExport.header) }
            for index in members.indices { csv.append(row(index)) }
            data = csv.data
        case .xlsx:
            // Rows are made as the file is written: the sheet's XML is never held whole (decision 0019).
            if let watermark {
                data = try XLSXWriter(sheetName: "党员名册", header: [watermark], rowCount: members.count + 1) {
                    $0 == 0 ? MemberExport.header : row($0 - 1)
                }.data()
            } else {
                data = try XLSXWriter(sheetName: "党员名册", header: MemberExport.header, rowCount: members.count, row: row).data()
            }
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return (data, members.count, q.anchorID, digest)
    }

    /// How many members the filter in `form` selects.
    func rosterCount(_ form: FormData, access: OrganisationAccess) async throws -> (count: Int, anchorID: Int64) {
        var q = try query(form, access: access)
        q.limit = 1
        return (try await services.members.list(q, access: access).total, q.anchorID)
    }

    struct StatTable {
        var title: String
        var rows: [RosterStatistics.Count]
        var chart: String
    }

    func statisticsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let q = try query(form, access: access)
        let stats = try await services.members.statistics(q, access: access)
        let tables = [
            ("性别", stats.gender), ("民族", stats.ethnicity), ("学历", stats.education), ("年龄", stats.ageBands),
            ("党龄", stats.standingBands), ("人员类别", stats.category), ("党员身份", stats.partyStatus),
        ].map { title, rows in
            StatTable(title: title, rows: rows, chart: SVGBarChart(title: "按\(title)", items: rows.map { ($0.label, $0.value) }).render())
        }
        if form["format"] == "csv" {
            var csv = CSVWriter(header: ["分类", "项目", "人数"])
            for table in tables { for row in table.rows { csv.append([table.title, row.label, String(row.value)]) } }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "member_statistics", objectID: "-", organisationID: q.anchorID,
                    summary: "导出党员队伍统计（共 \(stats.total) 人）"), by: context.actor, database: services.database)
            return Download.response(csv.data, type: Download.csv, name: "statistics.csv")
        }
        let org = try await services.organisations.find(q.anchorID, access: access)
        return services.renderer.page(
            "members/statistics", title: "党员队伍统计",
            model: MemberStatisticsPage(
                tables: tables, total: stats.total, organisation: org?.name ?? "", scope: q.scope.displayName,
                query: Self.filterString(form)),
            context: context, request: request)
    }
}

/// The columns of a roster export: the member field table's, as the import template has them, so an unmasked
/// export can be imported again.
enum MemberExport {
    static let header = MemberField.allCases.map(\.title)

    static func row(_ m: MemberRecord, organisation: String, sensitive: (idNumber: String, phone: String?, address: String?)?) -> [String] {
        MemberField.allCases.map { field in
            switch field {
            case .name: m.name
            case .idNumber: sensitive?.idNumber ?? m.idNumberMasked
            case .gender: m.gender.displayName
            // A masked export carries the birth month only: beside the masked ID the day gave the number back (H5).
            case .birthDate: sensitive == nil ? Masking.birthMonth(m.birthDate) : m.birthDate.description
            case .ethnicity: m.ethnicity ?? ""
            case .nativePlace: m.nativePlace ?? ""
            case .education: m.education?.displayName ?? ""
            case .personnelCategory: m.personnelCategory.displayName
            case .partyStatus: m.partyStatus.displayName
            case .membershipState: m.membershipState.displayName
            case .joinDate: m.joinDate.description
            case .fullMemberDate: m.fullMemberDate?.description ?? ""
            case .organisation: organisation
            case .workUnit: m.workUnit ?? ""
            case .post: m.post ?? ""
            case .phone: sensitive.map { $0.phone ?? "" } ?? (m.phoneMasked ?? "")
            case .address: sensitive.map { $0.address ?? "" } ?? (m.hasAddress ? "******" : "")
            case .isFloating: m.isFloating ? "是" : "否"
            case .floatingDestination: m.floatingDestination ?? ""
            case .lostContactReason: m.lostContactReason?.displayName ?? ""
            case .lostContactSince: m.lostContactSince?.description ?? ""
            }
        }
    }
}
