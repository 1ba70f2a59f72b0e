import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianDomain
import DangjianStore

/// `/api/v1`: the same operations as the pages, as JSON, for scripts and integrations. Authenticated by a
/// personal access token (`Authorization: Bearer djp_…`) or by the browser session plus `X-CSRF-Token`.
struct APIController {
    let services: AppServices
    let openAPIDocument: Data

    init(services: AppServices) {
        self.services = services
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources/openapi.json")
        openAPIDocument = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    }

    struct OrganisationDTO: Codable {
        var id: Int64
        var parent_id: Int64?
        var type: String
        var type_name: String
        var name: String
        var short_name: String?
        var path: String
        var depth: Int
        var dissolved: Bool
        var version: Int64

        init(_ o: Organisation) {
            id = o.id; parent_id = o.parentID; type = o.type.rawValue; type_name = o.type.displayName; name = o.name
            short_name = o.shortName; path = o.path.value; depth = o.depth; dissolved = o.isDissolved; version = o.version
        }
    }

    struct MembersPage: Encodable { var total: Int; var items: [MemberDTO] }

    /// `GET /api/v1/me`: the caller and their roles (`organisation_id` is null for a system-wide role).
    struct MeDTO: Encodable {
        struct Role: Encodable {
            var role: String
            var organisationID: Int64?
            var scope: String

            enum CodingKeys: String, CodingKey { case role, organisationID = "organisation_id", scope }

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(role, forKey: .role)
                try c.encode(organisationID, forKey: .organisationID)  // null, not left out, as before
                try c.encode(scope, forKey: .scope)
            }
        }

        var id: Int64
        var username: String
        var displayName: String
        var roles: [Role]

        enum CodingKeys: String, CodingKey { case id, username, displayName = "display_name", roles }
    }

    /// `GET /api/v1/users`.
    struct UsersDTO: Encodable {
        struct User: Encodable {
            var id: Int64
            var username: String
            var displayName: String
            var disabled: Bool
            var locked: Bool

            enum CodingKeys: String, CodingKey { case id, username, displayName = "display_name", disabled, locked }
        }

        var items: [User]
    }

    /// `GET /api/v1/audit`.
    struct AuditDTO: Encodable {
        struct Record: Encodable {
            var id: Int64
            var at: String
            var actor: String
            var ip: String
            var action: String
            var objectType: String
            var objectID: String
            var result: String
            var summary: String
            var requestID: String

            enum CodingKeys: String, CodingKey {
                case id, at, actor, ip, action, summary, result
                case objectType = "object_type", objectID = "object_id", requestID = "request_id"
            }
        }

        var total: Int
        var items: [Record]
    }

    /// A member as the API returns it: sensitive fields masked, as on the pages.
    struct MemberDTO: Codable {
        var id: Int64
        var organisation_id: Int64
        var name: String
        var gender: String
        /// 出生年月 `1990-01`: with the masked ID number a full birth date gave the number back (issue 15, H5).
        var birth_month: String
        var id_number_masked: String
        var ethnicity: String?
        var education: String?
        var personnel_category: String
        var party_status: String
        var membership_state: String
        var join_date: String
        var full_member_date: String?
        var work_unit: String?
        var post: String?
        var phone_masked: String?
        var is_floating: Bool
        var version: Int64

        init(_ m: MemberRecord) {
            id = m.id; organisation_id = m.organisationID; name = m.name; gender = m.gender.rawValue; birth_month = Masking.birthMonth(m.birthDate)
            id_number_masked = m.idNumberMasked; ethnicity = m.ethnicity; education = m.education?.rawValue
            personnel_category = m.personnelCategory.rawValue; party_status = m.partyStatus.rawValue; membership_state = m.membershipState.rawValue
            join_date = m.joinDate.description; full_member_date = m.fullMemberDate?.description; work_unit = m.workUnit; post = m.post
            phone_masked = m.phoneMasked; is_floating = m.isFloating; version = m.version
        }
    }

    /// The writable member fields (all optional for PATCH); values may be the Chinese names or the codes. The text
    /// fields are the member field table's (`MemberField.key`), so the API takes what the form takes.
    struct MemberBody: Decodable {
        var organisation_id: Int64?
        var version: Int64?
        /// The text fields present in the body.
        var values: [MemberField: String] = [:]
        var is_floating: Bool?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let body = try decoder.container(keyedBy: Key.self)
            organisation_id = try body.decodeIfPresent(Int64.self, forKey: Key("organisation_id"))
            version = try body.decodeIfPresent(Int64.self, forKey: Key("version"))
            is_floating = try body.decodeIfPresent(Bool.self, forKey: Key(MemberField.isFloating.key))
            for field in MemberField.allCases where field.draft != nil && field != .isFloating {
                if let value = try body.decodeIfPresent(String.self, forKey: Key(field.key)) { values[field] = value }
            }
        }

        var draft: MemberDraft { merged(over: MemberDraft()) }

        func merged(over base: MemberDraft) -> MemberDraft {
            var d = base
            for (field, value) in values {
                guard let path = field.draft else { continue }
                d[keyPath: path] = field == .gender ? (Gender(rawValue: value)?.displayName ?? value) : value
            }
            if let v = is_floating { d.isFloating = v ? "是" : "否" }
            return d
        }
    }

    struct CreateBody: Decodable { var parent_id: Int64; var type: String; var name: String; var short_name: String? }
    struct RenameBody: Decodable { var name: String; var short_name: String?; var version: Int64 }
    struct MoveBody: Decodable { var parent_id: Int64; var version: Int64 }
    struct DissolveBody: Decodable { var reason: String; var version: Int64 }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/openapi.json", access: .anyone) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
        }
        site.add(.get, "/api/v1/me", access: .signedIn) { _, context in
            let identity = try identity(context)
            return try encode(
                MeDTO(
                    id: identity.user.id, username: identity.user.username, displayName: identity.user.displayName,
                    roles: identity.principal.assignments.map {
                        MeDTO.Role(role: $0.role.rawValue, organisationID: $0.organisationID, scope: $0.scope.rawValue)
                    }))
        }
        site.add(.get, "/api/v1/organisations", access: .permission(.organisationsRead)) { request, context in
            let access = try identity(context).principal.access(for: .organisationsRead)
            let query = FormData.query(request)
            let orgs: [Organisation]
            if let root = query.int64("root") {
                let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
                orgs = try await services.organisations.list(
                    anchorID: root, scope: scope, access: access, includeDissolved: query["dissolved"] == "1")
            } else {
                orgs = try await services.organisations.visible(access: access, includeDissolved: query["dissolved"] == "1")
            }
            return try encode(["items": orgs.map(OrganisationDTO.init)])
        }
        site.add(.get, "/api/v1/organisations/{id}", access: .permission(.organisationsRead), target: .organisation) { _, context in
            let access = try identity(context).principal.access(for: .organisationsRead)
            let id = try context.parameters.require("id", as: Int64.self)
            guard let org = try await services.organisations.find(id, access: access) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(id))
            }
            return try encode(OrganisationDTO(org))
        }
        site.add(.post, "/api/v1/organisations", access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: CreateBody.self, context: context)
            guard let type = OrganisationType(identifierOrName: body.type) else {
                throw ValidationFailure(field: "type", message: "组织类型无效：\(body.type)")
            }
            let org = try await services.organisations.create(
                type: type, name: body.name, shortName: body.short_name, parentID: body.parent_id,
                access: try identity(context).principal.access(for: .organisationsWrite), actor: context.actor)
            return try encode(OrganisationDTO(org), status: .created)
        }
        site.add(.patch, "/api/v1/organisations/{id}", access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: RenameBody.self, context: context)
            let org = try await services.organisations.rename(
                try context.parameters.require("id", as: Int64.self), name: body.name, shortName: body.short_name,
                expectedVersion: body.version, access: try identity(context).principal.access(for: .organisationsWrite), actor: context.actor)
            return try encode(OrganisationDTO(org))
        }
        site.add(.post, "/api/v1/organisations/{id}/move", access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: MoveBody.self, context: context)
            let org = try await services.organisations.move(
                try context.parameters.require("id", as: Int64.self), toParent: body.parent_id, expectedVersion: body.version,
                access: try identity(context).principal.access(for: .organisationsWrite), actor: context.actor)
            return try encode(OrganisationDTO(org))
        }
        site.add(.post, "/api/v1/organisations/{id}/dissolve", access: .permission(.organisationsWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: DissolveBody.self, context: context)
            let org = try await services.organisations.dissolve(
                try context.parameters.require("id", as: Int64.self), reason: body.reason, expectedVersion: body.version,
                access: try identity(context).principal.access(for: .organisationsWrite), actor: context.actor)
            return try encode(OrganisationDTO(org))
        }
        site.add(.get, "/api/v1/members", access: .permission(.membersRead), target: .organisation) { request, context in
            let identity = try identity(context)
            let access = identity.principal.access(for: .membersRead)
            let form = FormData.query(request)
            var query = try MemberController(services: services).query(form, access: access)
            query.limit = min(1_000, try form.number("limit", RowLimit.self)?.value ?? 100)
            query.offset = max(0, try form.number("offset", RowOffset.self)?.value ?? 0)
            let result = try await services.members.list(query, access: access)
            return try encode(MembersPage(total: result.total, items: result.members.map(MemberDTO.init)))
        }
        site.add(.post, "/api/v1/members/lookup", access: .permission(.membersRead)) { request, context in
            struct Body: Decodable { var id_number: String }
            let body = try await request.decode(as: Body.self, context: context)
            guard case .success(let number) = IDNumber.parse(body.id_number) else {
                throw ValidationFailure(field: "id_number", message: "身份证号无效", ruleID: "GB 11643")
            }
            guard let member = try await services.members.find(idNumber: number, access: try identity(context).principal.access(for: .membersRead))
            else {
                throw RecordNotFound(objectType: "member", objectID: number.masked)
            }
            return try encode(MemberDTO(member))
        }
        site.add(.get, "/api/v1/members/{id}", access: .permission(.membersRead), target: .member) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let member = try await services.members.find(id, access: try identity(context).principal.access(for: .membersRead)) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            try await services.audit.record(
                AuditEvent(action: .personViewed, objectType: "member", objectID: String(id), summary: "通过接口查看党员详情"),
                by: context.actor, database: services.database)
            return try encode(MemberDTO(member))
        }
        site.add(.post, "/api/v1/members", access: .permission(.membersWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: MemberBody.self, context: context)
            guard let organisationID = body.organisation_id else { throw ValidationFailure(field: "organisation_id", message: "请指定所在党组织") }
            let member = try await services.members.create(
                body.draft, organisationID: organisationID,
                access: try identity(context).principal.access(for: .membersWrite), actor: context.actor)
            return try encode(MemberDTO(member), status: .created)
        }
        site.add(.patch, "/api/v1/members/{id}", access: .permission(.membersWrite), target: .member) { request, context in
            let body = try await request.decode(as: MemberBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try identity(context).principal.access(for: .membersWrite)
            guard let current = try await services.members.find(id, access: access) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            // Fields left out of the body keep their values.
            let draft = body.merged(over: current.editDraft)
            let member = try await services.members.update(
                id, draft: draft, expectedVersion: body.version ?? -1, access: access, actor: context.actor)
            return try encode(MemberDTO(member))
        }
        site.add(.get, "/api/v1/users", access: .permission(.usersRead)) { _, _ in
            let users = try await services.accounts.all()
            return try encode(
                UsersDTO(
                    items: users.map {
                        UsersDTO.User(
                            id: $0.id, username: $0.username, displayName: $0.displayName,
                            disabled: $0.disabledAt != nil, locked: $0.isLocked(at: services.clock.now()))
                    }))
        }
        site.add(.get, "/api/v1/audit", access: .permission(.auditRead)) { request, context in
            let form = FormData.query(request)
            var query = AuditController.query(form)
            query.limit = min(500, try form.number("limit", RowLimit.self)?.value ?? 100)
            query.offset = max(0, try form.number("offset", RowOffset.self)?.value ?? 0)
            let result = try await services.audit.search(query, database: services.database)
            try await services.audit.record(
                AuditEvent(
                    action: .auditSearched, objectType: "audit_log", objectID: "-", summary: "通过接口查询审计记录（\(result.total) 条）"),
                by: context.actor, database: services.database)
            return try encode(
                AuditDTO(
                    total: result.total,
                    items: result.records.map {
                        AuditDTO.Record(
                            id: $0.id, at: $0.at.utcTimestamp, actor: $0.actorName, ip: $0.ip, action: $0.action, objectType: $0.objectType,
                            objectID: $0.objectID, result: $0.result, summary: $0.summary, requestID: $0.requestID)
                    }))
        }
    }

    private func identity(_ context: AppRequestContext) throws -> Identity { try JSONAPI.identity(context) }

    private func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONAPI.encode(value, status: status)
    }
}
