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
