public import Foundation
public import DangjianDomain
import SQLKit

/// Which sensitive field a reveal asks for.
public enum SensitiveField: String, Sendable, CaseIterable {
    case idNumber = "id_number", phone, address

    public var displayName: String {
        switch self {
        case .idNumber: "身份证号"
        case .phone: "手机号"
        case .address: "家庭住址"
        }
    }
}

/// The member roster. Reads take `membersRead` access, writes `membersWrite`; sensitive fields are encrypted at
/// rest, shown masked, and revealed only through `reveal`, which is audited.
public struct MemberRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let keyring: Keyring
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, keyring: Keyring, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.keyring = keyring
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// The rule book given, else the one in force today (规则参数, versioned configuration).
    func resolve(_ rules: RuleBook?) async throws -> RuleBook {
        if let rules { return rules }
        return try await RuleBookRepository.inForce(in: database, on: CivilDate(date: clock.now()))
    }

    // MARK: reading

    /// One member inside `access`, or nil. Soft-deleted members are not returned.
    public func find(_ id: Int64, access: OrganisationAccess) async throws -> MemberRecord? {
        try await database.read { db in try await Self.find(id, access: access, db: db) }
    }

    static func find(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws -> MemberRecord? {
        let predicate = AccessSQL.predicate(access, alias: "o")
        return try await db.raw(
            """
            SELECT m.* FROM members m JOIN organisations o ON o.id = m.organisation_id
            WHERE m.id = \(bind: id) AND m.deleted_at IS NULL AND \(predicate)
            """
        ).first().map(decode)
    }

    /// Finds a member by ID number anywhere inside `access` (blind index, exact).
    public func find(idNumber: IDNumber, access: OrganisationAccess) async throws -> MemberRecord? {
        let index = keyring.blindIndex(idNumber.value, context: "member.id_number")
        return try await database.read { db in
            try await db.raw(
                """
                SELECT m.* FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE m.id_number_index = \(bind: index) AND m.deleted_at IS NULL AND \(AccessSQL.predicate(access, alias: "o"))
                """
            ).first().map(Self.decode)
        }
    }

    /// Decrypts one sensitive field for someone allowed to see it, and records who saw whose what.
    public func reveal(_ field: SensitiveField, of id: Int64, access: OrganisationAccess, actor: Actor) async throws -> String? {
        try await database.write { db in
            guard let member = try await Self.find(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            let row = try await db.raw("SELECT id_number_enc, phone_enc, address_enc FROM members WHERE id = \(bind: id)").first().required(
                "row", "query")
            let sealed: String?
            switch field {
            case .idNumber: sealed = try row.optional("id_number_enc")
            case .phone: sealed = try row.optional("phone_enc")
            case .address: sealed = try row.optional("address_enc")
            }
            let value = try sealed.map { try keyring.open($0, context: "member.\(field.rawValue)") }
            try await audit.append(
                AuditEvent(
                    action: .personalDataRevealed, objectType: "member", objectID: String(id), organisationID: member.organisationID,
                    summary: "查看 \(Masking.name(member.name)) 的完整\(field.displayName)"), by: actor, in: db, dialect: database.dialect)
            return value
        }
    }

    // MARK: writing

    /// Adds a member to an organisation inside `access`.
    public func create(
        _ draft: MemberDraft, organisationID: Int64, access: OrganisationAccess, actor: Actor,
        rules: RuleBook? = nil
    ) async throws -> MemberRecord {
        let rules = try await resolve(rules)
        let profile: MemberProfile
        switch draft.validate(rules: rules, today: today) {
        case .success(let p): profile = p
        case .failure(let errors): throw errors
        }
        return try await database.write { db in
            try await checkOrganisation(organisationID, access: access, db: db)
            try await refuseDuplicate(profile.idNumber, except: nil, db: db)
            let id = try await insert(profile, organisationID: organisationID, db: db, actor: actor, summary: "新增党员")
            return try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// Inserts a validated profile inside the caller's transaction and audits it.
    func insert(_ profile: MemberProfile, organisationID: Int64, db: any SQLDatabase, actor: Actor, summary: String) async throws -> Int64 {
        let now = clock.now().epochSeconds
        let sealed = try seal(profile)
        let id = try await db.insertReturningID(
            """
            INSERT INTO members (organisation_id, name, gender, birth_date, id_number_enc, id_number_index, id_number_masked,
                ethnicity, native_place, education, personnel_category, party_status, membership_state, join_date,
                full_member_date, work_unit, post, phone_enc, phone_index, phone_masked, address_enc, is_floating,
                floating_destination, lost_contact_reason, lost_contact_since, created_at, updated_at)
            VALUES (\(bind: organisationID), \(bind: profile.name), \(bind: profile.gender.rawValue), \(bind: profile.birthDate.description),
                \(bind: sealed.idNumber), \(bind: sealed.idIndex), \(bind: profile.idNumber.masked),
                \(bind: profile.ethnicity), \(bind: profile.nativePlace), \(bind: profile.education?.rawValue),
                \(bind: profile.personnelCategory.rawValue), \(bind: profile.partyStatus.rawValue), \(bind: profile.membershipState.rawValue),
                \(bind: profile.joinDate.description), \(bind: profile.fullMemberDate?.description), \(bind: profile.workUnit), \(bind: profile.post),
                \(bind: sealed.phone), \(bind: sealed.phoneIndex), \(bind: profile.phone.map(Masking.phone)), \(bind: sealed.address),
                \(bind: profile.isFloating ? 1 : 0), \(bind: profile.floatingDestination), \(bind: profile.lostContactReason?.rawValue),
                \(bind: profile.lostContactSince?.description), \(bind: now), \(bind: now))
            """)
        try await audit.append(
            AuditEvent(
                action: .create, objectType: "member", objectID: String(id), organisationID: organisationID,
                summary: "\(summary) \(Masking.name(profile.name))", changes: MemberProfile.changes(from: nil, to: profile)),
            by: actor, in: db, dialect: database.dialect)
        return id
    }

    /// Inserts many new members inside the caller's transaction with multi-row statements, and audits each one
    /// exactly as `insert` does (one record per member). Returns the new ids in input order.
    ///
    /// Chunks of 200 are pipelined: while SQLite writes one chunk (on its thread pool), the next is sealed and its
    /// audit records encoded on another core — a 100,000-row import is CPU-bound on both sides (`perf`).
    @discardableResult
    func insertBatch(
        _ items: [(profile: MemberProfile, organisationID: Int64)], db: any SQLDatabase, actor: Actor, summary: String
    ) async throws -> [Int64] {
        let now = clock.now().epochSeconds
        var ids: [Int64] = []
        ids.reserveCapacity(items.count)
        let chunks = stride(from: 0, to: items.count, by: 200).map { items[$0..<min($0 + 200, items.count)] }
        guard !chunks.isEmpty else { return [] }
        let prepare: @Sendable (ArraySlice<(profile: MemberProfile, organisationID: Int64)>) throws -> [PreparedMember] = { [self] chunk in
            try chunk.map { item in
                PreparedMember(
                    profile: item.profile, organisationID: item.organisationID, sealed: try seal(item.profile),
                    audit: PreparedAuditEvent(
                        AuditEvent(
                            action: .create, objectType: "member", objectID: "", organisationID: item.organisationID,
                            summary: "\(summary) \(Masking.name(item.profile.name))", changes: MemberProfile.changes(from: nil, to: item.profile))))
            }
        }
        var next: Task<[PreparedMember], any Error>? = chunks.first.map { first in Task { try prepare(first) } }
        defer { next?.cancel() }
        for index in chunks.indices {
            guard let pending = next else { break }
            let chunk = try await pending.value
            let following = index + 1 < chunks.count ? chunks[index + 1] : nil
            next = following.map { slice in Task { try prepare(slice) } }
            let tuples: [SQLQueryString] = chunk.map { item in
                let (profile, sealed) = (item.profile, item.sealed)
                return """
                    (\(bind: item.organisationID), \(bind: profile.name), \(bind: profile.gender.rawValue), \(bind: profile.birthDate.description),
                    \(bind: sealed.idNumber), \(bind: sealed.idIndex), \(bind: profile.idNumber.masked),
                    \(bind: profile.ethnicity), \(bind: profile.nativePlace), \(bind: profile.education?.rawValue),
                    \(bind: profile.personnelCategory.rawValue), \(bind: profile.partyStatus.rawValue), \(bind: profile.membershipState.rawValue),
                    \(bind: profile.joinDate.description), \(bind: profile.fullMemberDate?.description), \(bind: profile.workUnit), \(bind: profile.post),
                    \(bind: sealed.phone), \(bind: sealed.phoneIndex), \(bind: profile.phone.map(Masking.phone)), \(bind: sealed.address),
                    \(bind: profile.isFloating ? 1 : 0), \(bind: profile.floatingDestination), \(bind: profile.lostContactReason?.rawValue),
                    \(bind: profile.lostContactSince?.description), \(bind: now), \(bind: now))
                    """
            }
            // RETURNING gives no order guarantee for multi-row inserts: rows are matched back by their blind index.
            let rows = try await db.raw(
                """
                INSERT INTO members (organisation_id, name, gender, birth_date, id_number_enc, id_number_index, id_number_masked,
                    ethnicity, native_place, education, personnel_category, party_status, membership_state, join_date,
                    full_member_date, work_unit, post, phone_enc, phone_index, phone_masked, address_enc, is_floating,
                    floating_destination, lost_contact_reason, lost_contact_since, created_at, updated_at) VALUES
                """ + tuples.joined(separator: ", ") + " RETURNING id, id_number_index"
            ).all()
            var byIndex: [String: Int64] = [:]
            for row in rows { byIndex[try row.value("id_number_index")] = try row.value("id") }
            var events: [PreparedAuditEvent] = []
            events.reserveCapacity(chunk.count)
            for item in chunk {
                guard let id = byIndex[item.sealed.idIndex] else { throw StoreError.internalInconsistency("batch insert lost a row") }
                ids.append(id)
                var event = item.audit
                event.objectID = String(id)
                events.append(event)
            }
            // Audited chunk by chunk (the chain continues across chunks): never all records held at once.
            try await audit.appendBatch(prepared: events, by: actor, in: db, dialect: database.dialect)
        }
        return ids
    }

    /// A new member ready for a batch insert: sealed fields and the audit record's encoded part.
    struct PreparedMember: Sendable {
        var profile: MemberProfile
        var organisationID: Int64
        var sealed: Sealed
        var audit: PreparedAuditEvent
    }

    /// Saves an edited profile. Empty sensitive fields in the draft mean "unchanged". Each changed field becomes
    /// one line of the audit record (sensitive values masked); nothing changed means nothing written.
    public func update(
        _ id: Int64, draft: MemberDraft, expectedVersion: Int64, access: OrganisationAccess, actor: Actor,
        rules: RuleBook? = nil
    ) async throws -> MemberRecord {
        let rules = try await resolve(rules)
        return try await database.write { db in
            guard let current = try await Self.find(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            guard current.version == expectedVersion else { throw EditConflict(objectType: "member", objectID: id) }
            let old = try await profile(of: id, db: db)
            var draft = draft
            if draft.idNumber.trimmed.isEmpty { draft.idNumber = old.idNumber.value }
            if draft.phone.trimmed.isEmpty { draft.phone = old.phone ?? "" }
            if draft.address.trimmed.isEmpty { draft.address = old.address ?? "" }
            let new: MemberProfile
            switch draft.validate(rules: rules, today: today) {
            case .success(let p): new = p
            case .failure(let errors): throw errors
            }
            if new.idNumber != old.idNumber { try await refuseDuplicate(new.idNumber, except: id, db: db) }
            let changes = try await replace(current, old: old, new: new, db: db, actor: actor, summary: "修改党员")
            return changes.isEmpty ? current : try await Self.find(id, access: .maintenance, db: db).required("record", id)
        }
    }

    /// Writes `new` over a member inside the caller's transaction when anything changed, guarded by the version the
    /// caller saw; audits the field changes. Returns them (empty: nothing written).
    func replace(
        _ current: MemberRecord, old: MemberProfile, new: MemberProfile, db: any SQLDatabase, actor: Actor, summary: String
    ) async throws -> [FieldChange] {
        let changes = MemberProfile.changes(from: old, to: new)
        if changes.isEmpty { return [] }
        let sealed = try seal(new)
        let now = clock.now().epochSeconds
        let id = current.id
        let updated = try await db.raw(
            """
            UPDATE members SET name = \(bind: new.name), gender = \(bind: new.gender.rawValue), birth_date = \(bind: new.birthDate.description),
                id_number_enc = \(bind: sealed.idNumber), id_number_index = \(bind: sealed.idIndex), id_number_masked = \(bind: new.idNumber.masked),
                ethnicity = \(bind: new.ethnicity), native_place = \(bind: new.nativePlace), education = \(bind: new.education?.rawValue),
                personnel_category = \(bind: new.personnelCategory.rawValue), party_status = \(bind: new.partyStatus.rawValue),
                membership_state = \(bind: new.membershipState.rawValue), join_date = \(bind: new.joinDate.description),
                full_member_date = \(bind: new.fullMemberDate?.description), work_unit = \(bind: new.workUnit), post = \(bind: new.post),
                phone_enc = \(bind: sealed.phone), phone_index = \(bind: sealed.phoneIndex), phone_masked = \(bind: new.phone.map(Masking.phone)),
                address_enc = \(bind: sealed.address), is_floating = \(bind: new.isFloating ? 1 : 0),
                floating_destination = \(bind: new.floatingDestination), lost_contact_reason = \(bind: new.lostContactReason?.rawValue),
                lost_contact_since = \(bind: new.lostContactSince?.description), updated_at = \(bind: now), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: current.version) RETURNING id
            """
        ).all()
        guard !updated.isEmpty else { throw EditConflict(objectType: "member", objectID: id) }
        try await audit.append(
            AuditEvent(
                action: .update, objectType: "member", objectID: String(id), organisationID: current.organisationID,
                summary: "\(summary) \(Masking.name(new.name)) 的信息（\(changes.count) 项）", changes: changes),
            by: actor, in: db, dialect: database.dialect)
        return changes
    }

    /// How many members are on an organisation's own roster (for setup-rule warnings): all on roster, full members.
    /// Nil when the organisation lies outside `access`.
    public func rosterCounts(of organisationID: Int64, access: OrganisationAccess) async throws -> (total: Int, full: Int)? {
        try await database.read { db in
            guard try await OrganisationRepository.find(organisationID, access: access, db: db) != nil else { return nil }
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS total, SUM(CASE WHEN party_status = \(bind: PartyStatus.full.rawValue) THEN 1 ELSE 0 END) AS full
                FROM members WHERE organisation_id = \(bind: organisationID) AND deleted_at IS NULL
                AND membership_state IN (\(binds: MembershipState.onRosterValues))
                """
            ).first()
            return (try row?.value("total", Int.self) ?? 0, try row?.optional("full", Int.self) ?? 0)
        }
    }

    // MARK: helpers

    struct Sealed: Sendable {
        var idNumber: String
        var idIndex: String
        var phone: String?
        var phoneIndex: String?
        var address: String?
    }

    func seal(_ p: MemberProfile) throws -> Sealed {
        Sealed(
            idNumber: try keyring.seal(p.idNumber.value, context: "member.id_number"),
            idIndex: keyring.blindIndex(p.idNumber.value, context: "member.id_number"),
            phone: try p.phone.map { try keyring.seal($0, context: "member.phone") },
            phoneIndex: p.phone.map { keyring.blindIndex($0, context: "member.phone") },
            address: try p.address.map { try keyring.seal($0, context: "member.address") })
    }

    /// The full profile of a stored member (decrypted; for internal comparison only, never returned to a page).
    func profile(of id: Int64, db: any SQLDatabase) async throws -> MemberProfile {
        try profile(from: try await db.raw("SELECT * FROM members WHERE id = \(bind: id)").first().required("row", "query"))
    }

    func checkOrganisation(_ id: Int64, access: OrganisationAccess, db: any SQLDatabase) async throws {
        guard let org = try await OrganisationRepository.find(id, access: access, db: db) else {
            throw AccessDenied(permission: access.permission, reason: "所选组织不在您的管理范围内")
        }
        guard !org.isDissolved else {
            throw ValidationFailure(field: "organisation_id", message: "组织“\(org.name)”已撤销，不能再编入党员")
        }
        guard org.type != .temporaryBranch else {
            throw ValidationFailure(field: "organisation_id", message: "临时党支部不转接组织关系，党员应登记在其正式组织关系所在的党支部", ruleID: RuleID.life12.code)
        }
    }

    func refuseDuplicate(_ idNumber: IDNumber, except id: Int64?, db: any SQLDatabase) async throws {
        let index = keyring.blindIndex(idNumber.value, context: "member.id_number")
        let holder: Int64? = try await db.raw(
            "SELECT id FROM members WHERE id_number_index = \(bind: index) AND deleted_at IS NULL"
        ).first()?.value("id")
        if let refusal = MembershipIdentity.registering(heldByAnotherRecord: holder.map { $0 != id } ?? false) { throw refusal }
    }

    /// The columns `decode` reads, for lists: the sealed fields and blind indexes (long, never shown in a list) are
    /// left in the database instead of being copied into every row (`perf`: a fifth of a busy list page).
    static let recordColumns: SQLQueryString = """
        m.id, m.organisation_id, m.name, m.gender, m.birth_date, m.id_number_masked, m.ethnicity, m.native_place, m.education,
        m.personnel_category, m.party_status, m.membership_state, m.join_date, m.full_member_date, m.work_unit, m.post,
        m.phone_masked, CASE WHEN m.address_enc IS NULL THEN 0 ELSE 1 END AS has_address, m.is_floating, m.floating_destination,
        m.lost_contact_reason, m.lost_contact_since, m.version
        """

    static func decode(_ row: any SQLRow) throws -> MemberRecord {
        func date(_ column: String) throws -> CivilDate? { try row.optional(column, String.self).flatMap(CivilDate.init(iso:)) }
        return MemberRecord(
            id: try row.value("id"), organisationID: try row.value("organisation_id"), name: try row.value("name"),
            gender: Gender(rawValue: try row.value("gender")) ?? .male, birthDate: try date("birth_date") ?? CivilDate.excelBase,
            idNumberMasked: try row.value("id_number_masked"), ethnicity: try row.optional("ethnicity"),
            nativePlace: try row.optional("native_place"), education: try row.optional("education", String.self).flatMap(Education.init(rawValue:)),
            personnelCategory: PersonnelCategory(rawValue: try row.value("personnel_category")) ?? .other,
            partyStatus: PartyStatus(rawValue: try row.value("party_status")) ?? .full,
            membershipState: MembershipState(rawValue: try row.value("membership_state")) ?? .normal,
            joinDate: try date("join_date") ?? CivilDate.excelBase, fullMemberDate: try date("full_member_date"),
            workUnit: try row.optional("work_unit"), post: try row.optional("post"), phoneMasked: try row.optional("phone_masked"),
            hasAddress: try row.contains(column: "has_address") ? row.value("has_address", Int64.self) != 0 : !row.decodeNil(column: "address_enc"),
            isFloating: try row.value("is_floating", Int64.self) != 0,
            floatingDestination: try row.optional("floating_destination"),
            lostContactReason: try row.optional("lost_contact_reason", String.self).flatMap(LostContactReason.init(rawValue:)),
            lostContactSince: try date("lost_contact_since"), version: try row.value("version"))
    }
}

extension MemberRepository {
    /// Decrypted sensitive fields for export rows, keyed by member id. Only for the unmasked export, which the route
    /// guards with its own permission and audits with the row count.
    public func sensitiveValues(
        for ids: [Int64], access: OrganisationAccess
    ) async throws -> [Int64: (idNumber: String, phone: String?, address: String?)] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { db in
            var result: [Int64: (String, String?, String?)] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let rows = try await db.raw(
                    """
                    SELECT m.id, m.id_number_enc, m.phone_enc, m.address_enc FROM members m JOIN organisations o ON o.id = m.organisation_id
                    WHERE m.id IN (\(binds: chunk)) AND m.deleted_at IS NULL AND \(AccessSQL.predicate(access, alias: "o"))
                    """
                ).all()
                for row in rows {
                    result[try row.value("id")] = (
                        try keyring.open(try row.value("id_number_enc"), context: "member.id_number"),
                        try (try row.optional("phone_enc", String.self)).map { try keyring.open($0, context: "member.phone") },
                        try (try row.optional("address_enc", String.self)).map { try keyring.open($0, context: "member.address") }
                    )
                }
            }
            return result
        }
    }
}
