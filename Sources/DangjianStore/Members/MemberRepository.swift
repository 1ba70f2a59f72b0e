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

    /// A page of members matching `query` inside `access`, and the total count.
    /// `anchor`: the query's anchor organisation when the caller has already loaded it under the same `access`
    /// (the list page has, for its chooser), saving a look-up.
    public func list(
        _ query: MemberQuery, access: OrganisationAccess, anchor: Organisation? = nil
    ) async throws -> (members: [MemberRecord], total: Int) {
        try await database.read { db in
            let filter = try await where_(query, access: access, db: db, anchor: anchor?.id == query.anchorID ? anchor : nil)
            let total =
                try await db.raw("SELECT COUNT(*) AS n FROM members m JOIN organisations o ON o.id = m.organisation_id WHERE \(filter)")
                .first()?.value("n", Int.self) ?? 0
            let direction = query.descending ? "DESC" : "ASC"
            let order: String
            switch query.sort {
            case .name: order = "m.name \(direction), m.id"
            case .joinDate: order = "m.join_date \(direction), m.id"
            case .birthDate: order = "m.birth_date \(direction), m.id"
            case .organisation: order = "o.path \(direction), m.name, m.id"
            }
            // A large result sorted by name walks the name index and stops after one page (CROSS JOIN fixes the
            // join order in SQLite; PostgreSQL plans it itself); a small one is gathered by organisation and sorted.
            let join: SQLQueryString =
                (database.dialect == .sqlite && total >= 5_000 && query.sort == .name && !query.descending) ? "CROSS JOIN" : "JOIN"
            // Rows are decoded as they arrive (an export of 100,000 members never holds the raw rows and the records
            // at once).
            let members = RowAccumulator(decode: Self.decode)
            try await db.raw(
                """
                SELECT \(Self.recordColumns) FROM members m \(join) organisations o ON o.id = m.organisation_id WHERE \(filter)
                ORDER BY \(unsafeRaw: order) LIMIT \(literal: max(1, query.limit)) OFFSET \(literal: max(0, query.offset))
                """
            ).run { members.add($0) }
            return (try members.result(), total)
        }
    }

    /// The WHERE clause for a query (shared by list, statistics and export).
    func where_(
        _ query: MemberQuery, access: OrganisationAccess, db: any SQLDatabase, anchor known: Organisation? = nil
    ) async throws -> SQLQueryString {
        let found: Organisation?
        if let known { found = known } else { found = try await OrganisationRepository.find(query.anchorID, access: access, db: db) }
        guard let anchor = found else {
            throw RecordNotFound(objectType: "organisation", objectID: String(query.anchorID))
        }
        var parts: [SQLQueryString] = [
            "m.deleted_at IS NULL", AccessSQL.predicate(access, alias: "o"),
            AccessSQL.scopePredicate(anchor.id, anchor.path, query.scope, alias: "o"),
        ]
        if !query.includeOffRoster { parts.append("m.membership_state IN ('normal', 'lost_contact')") }
        if let name = query.nameContains?.trimmed, !name.isEmpty {
            // Names are matched literally: LIKE wildcards typed by the user are escaped.
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                of: "_", with: "\\_")
            parts.append("m.name LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
        }
        if let id = query.idNumber { parts.append("m.id_number_index = \(bind: keyring.blindIndex(id.value, context: "member.id_number"))") }
        if let phone = query.phone { parts.append("m.phone_index = \(bind: keyring.blindIndex(phone, context: "member.phone"))") }
        if let v = query.partyStatus { parts.append("m.party_status = \(bind: v.rawValue)") }
        if let v = query.personnelCategory { parts.append("m.personnel_category = \(bind: v.rawValue)") }
        if let v = query.education { parts.append("m.education = \(bind: v.rawValue)") }
        if let v = query.gender { parts.append("m.gender = \(bind: v.rawValue)") }
        if let v = query.membershipState { parts.append("m.membership_state = \(bind: v.rawValue)") }
        if query.floatingOnly { parts.append("m.is_floating = 1") }
        let today = self.today
        // Age ≥ a ⇔ born on or before today − a years; age ≤ b ⇔ born after today − (b + 1) years.
        if let a = query.minAge { parts.append("m.birth_date <= \(bind: today.adding(years: -a.value).description)") }
        if let b = query.maxAge { parts.append("m.birth_date > \(bind: today.adding(years: -(b.value + 1)).description)") }
        if let a = query.minStanding { parts.append("m.full_member_date <= \(bind: today.adding(years: -a.value).description)") }
        if let b = query.maxStanding { parts.append("m.full_member_date > \(bind: today.adding(years: -(b.value + 1)).description)") }
        return parts.joined(separator: " AND ")
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
                summary: "\(summary) \(Masking.name(profile.name))", changes: Self.changes(from: nil, to: profile)),
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
                            summary: "\(summary) \(Masking.name(item.profile.name))", changes: Self.changes(from: nil, to: item.profile))))
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
        let changes = Self.changes(from: old, to: new)
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
                SELECT COUNT(*) AS total, SUM(CASE WHEN party_status = 'full' THEN 1 ELSE 0 END) AS full
                FROM members WHERE organisation_id = \(bind: organisationID) AND deleted_at IS NULL
                AND membership_state IN ('normal', 'lost_contact')
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

    /// Field-level changes between two profiles, with sensitive values masked (the member field table's).
    static func changes(from old: MemberProfile?, to new: MemberProfile) -> [FieldChange] { MemberProfile.changes(from: old, to: new) }

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

extension MemberRepository {
    /// A member found by ID number for an import: the record, its decrypted profile, and whether it lies in the
    /// caller's access (outside it, only its existence matters).
    struct ExistingMember {
        var record: MemberRecord
        var profile: MemberProfile?
        var inScope: Bool
    }

    /// Looks up many ID numbers at once (batches of 500 on the blind index), for imports of large files.
    func existing(idNumbers: [IDNumber], access: OrganisationAccess) async throws -> [String: ExistingMember] {
        let indexes = Dictionary(
            idNumbers.map { (keyring.blindIndex($0.value, context: "member.id_number"), $0.value) }, uniquingKeysWith: { a, _ in a })
        let keys = Array(indexes.keys)
        return try await database.read { db in
            var found: [String: ExistingMember] = [:]
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let rows = try await db.raw(
                    """
                    SELECT m.*, CASE WHEN \(AccessSQL.predicate(access, alias: "o")) THEN 1 ELSE 0 END AS in_scope
                    FROM members m JOIN organisations o ON o.id = m.organisation_id
                    WHERE m.id_number_index IN (\(binds: chunk)) AND m.deleted_at IS NULL
                    """
                ).all()
                for row in rows {
                    let index: String = try row.value("id_number_index")
                    guard let value = indexes[index] else { continue }
                    let inScope = try row.value("in_scope", Int64.self) == 1
                    found[value] = ExistingMember(record: try Self.decode(row), profile: inScope ? try profile(from: row) : nil, inScope: inScope)
                }
            }
            return found
        }
    }

    /// Decrypts a stored row into a profile.
    func profile(from row: any SQLRow) throws -> MemberProfile {
        let record = try Self.decode(row)
        let idText = try keyring.open(try row.value("id_number_enc"), context: "member.id_number")
        guard case .success(let idNumber) = IDNumber.parse(idText) else { throw KeyringError.integrity }
        return MemberProfile(
            name: record.name, idNumber: idNumber, gender: record.gender, birthDate: record.birthDate, ethnicity: record.ethnicity,
            nativePlace: record.nativePlace, education: record.education, personnelCategory: record.personnelCategory,
            partyStatus: record.partyStatus, membershipState: record.membershipState, joinDate: record.joinDate,
            fullMemberDate: record.fullMemberDate, workUnit: record.workUnit, post: record.post,
            phone: try (try row.optional("phone_enc", String.self)).map { try keyring.open($0, context: "member.phone") },
            address: try (try row.optional("address_enc", String.self)).map { try keyring.open($0, context: "member.address") },
            isFloating: record.isFloating, floatingDestination: record.floatingDestination,
            lostContactReason: record.lostContactReason, lostContactSince: record.lostContactSince)
    }
}

extension MemberRepository {
    /// Inserts many generated members in one transaction with one audit record for the batch — for synthetic demo
    /// and benchmark data only (`dangjian demo --tier`), never for people's real records.
    public func insertSynthetic(_ batch: [(profile: MemberProfile, organisationID: Int64)], actor: Actor) async throws {
        guard !batch.isEmpty else { return }
        let now = clock.now().epochSeconds
        try await database.write { db in
            for (profile, organisationID) in batch {
                let sealed = try seal(profile)
                try await db.raw(
                    """
                    INSERT INTO members (organisation_id, name, gender, birth_date, id_number_enc, id_number_index, id_number_masked,
                        ethnicity, education, personnel_category, party_status, membership_state, join_date, full_member_date,
                        work_unit, phone_enc, phone_index, phone_masked, created_at, updated_at)
                    VALUES (\(bind: organisationID), \(bind: profile.name), \(bind: profile.gender.rawValue), \(bind: profile.birthDate.description),
                        \(bind: sealed.idNumber), \(bind: sealed.idIndex), \(bind: profile.idNumber.masked), \(bind: profile.ethnicity),
                        \(bind: profile.education?.rawValue), \(bind: profile.personnelCategory.rawValue), \(bind: profile.partyStatus.rawValue),
                        \(bind: profile.membershipState.rawValue), \(bind: profile.joinDate.description), \(bind: profile.fullMemberDate?.description),
                        \(bind: profile.workUnit), \(bind: sealed.phone), \(bind: sealed.phoneIndex), \(bind: profile.phone.map(Masking.phone)),
                        \(bind: now), \(bind: now))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "member", objectID: "batch",
                    summary: "生成演示党员 \(batch.count) 人（合成数据）"), by: actor, in: db, dialect: database.dialect)
        }
    }
}

extension MemberRepository {
    /// Links a sign-in account to a member record so the person sees their own record (党员 role). Only an account
    /// holding the 党员 role at the member's organisation can be linked; the caller needs write access to the member.
    public func linkAccount(username: String, toMember id: Int64, access: OrganisationAccess, actor: Actor) async throws {
        let key = User.normaliseUsername(username)
        try await database.write { db in
            guard let member = try await Self.find(id, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(id))
            }
            // Issue 15, L6: one answer whether the name is no account or an account without this organisation's
            // 党员 role, so the form cannot be used to find out which login names exist.
            let user = try await db.raw(
                """
                SELECT u.id FROM users u JOIN role_assignments r ON r.user_id = u.id
                WHERE u.username = \(bind: key) AND r.role = 'member' AND r.organisation_id = \(bind: member.organisationID) AND r.revoked_at IS NULL
                """
            ).first()
            guard let user else {
                throw ValidationFailure(field: "username", message: "“\(key)”不是本党组织的党员账户：请核对登录名；新账户请系统管理员开通，并请安全管理员授予本党组织的“党员”角色")
            }
            let userID: Int64 = try user.value("id")
            try await db.raw("UPDATE users SET member_id = \(bind: id), version = version + 1 WHERE id = \(bind: userID)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "user", objectID: String(userID), organisationID: member.organisationID,
                    summary: "账户 \(key) 关联党员 \(Masking.name(member.name))", changes: [FieldChange(field: "member_id", old: nil, new: String(id))]),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// What linking accounts in bulk did.
    public struct AccountLinking: Sendable, Equatable {
        /// "登录名 → 姓名" for each link made.
        public var linked: [String]
        /// Accounts whose name matches more than one member on the roster (link these one by one).
        public var ambiguous: [String]
        /// Accounts whose name matches nobody on the roster.
        public var unmatched: [String]
    }

    /// Links, in one go, every account that holds the 党员 role on `organisationID`, is not yet linked, and whose
    /// display name is the name of exactly one member of that organisation's roster not yet linked to an account.
    /// Ambiguous and unmatched accounts are listed, never guessed.
    public func linkAccountsByName(organisationID: Int64, access: OrganisationAccess, actor: Actor) async throws -> AccountLinking {
        try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let accounts = try await db.raw(
                """
                SELECT DISTINCT u.id, u.username, u.display_name FROM users u JOIN role_assignments r ON r.user_id = u.id
                WHERE r.role = 'member' AND r.organisation_id = \(bind: org.id) AND r.revoked_at IS NULL AND u.member_id IS NULL
                ORDER BY u.username
                """
            ).all()
            let roster = try await db.raw(
                """
                SELECT m.id, m.name FROM members m WHERE m.organisation_id = \(bind: org.id) AND m.deleted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM users x WHERE x.member_id = m.id)
                """
            ).all()
            var byName: [String: [Int64]] = [:]
            for row in roster { byName[try row.value("name", String.self), default: []].append(try row.value("id")) }
            var result = AccountLinking(linked: [], ambiguous: [], unmatched: [])
            var taken = Set<Int64>()
            for account in accounts {
                let userID: Int64 = try account.value("id")
                let username: String = try account.value("username")
                let name = (try account.value("display_name", String.self)).trimmed
                let candidates = (byName[name] ?? []).filter { !taken.contains($0) }
                guard !candidates.isEmpty else { result.unmatched.append("\(username)（\(name)）"); continue }
                guard candidates.count == 1 else { result.ambiguous.append("\(username)（\(name)，名册中有 \(candidates.count) 人同名）"); continue }
                let memberID = candidates[0]
                taken.insert(memberID)
                try await db.raw("UPDATE users SET member_id = \(bind: memberID), version = version + 1 WHERE id = \(bind: userID)").run()
                try await audit.append(
                    AuditEvent(
                        action: .update, objectType: "user", objectID: String(userID), organisationID: org.id,
                        summary: "账户 \(username) 按姓名批量关联党员 \(Masking.name(name))",
                        changes: [FieldChange(field: "member_id", old: nil, new: String(memberID))]),
                    by: actor, in: db, dialect: database.dialect)
                result.linked.append("\(username) → \(name)")
            }
            return result
        }
    }

    /// The member record linked to an account, if any (for the person's own page).
    public func linkedMember(userID: Int64) async throws -> MemberRecord? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT member_id FROM users WHERE id = \(bind: userID)").first(),
                let memberID = try row.optional("member_id", Int64.self)
            else { return nil }
            return try await Self.find(memberID, access: .maintenance, db: db)
        }
    }
}
