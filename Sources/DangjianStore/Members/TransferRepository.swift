public import Foundation
public import DangjianDomain
import SQLKit

/// A transfer of a member's organisational relation (组织关系转接).
public struct MemberTransfer: Sendable, Equatable {
    public enum Kind: String, Sendable { case internalMove = "internal", outgoing = "out" }
    public enum Status: String, Sendable { case pending, received, cancelled }

    public var id: Int64
    public var memberID: Int64
    public var memberName: String
    public var kind: Kind
    public var fromOrganisationID: Int64
    public var fromOrganisationName: String
    public var toOrganisationID: Int64?
    public var toOrganisationName: String
    public var letterNumber: String
    public var issuedOn: CivilDate
    public var validDays: Int
    /// 党费交至 (year, month).
    public var duesPaidUntil: (year: Int, month: Int)
    public var status: Status
    public var receivedOn: CivilDate?
    /// An outgoing transfer to another province (MEM-05/06).
    public var crossProvince: Bool = false
    /// When the paper letter was first printed (MEM-06): the first audited printing.
    public var letterPrintedAt: Date? = nil

    public static func == (a: MemberTransfer, b: MemberTransfer) -> Bool { a.id == b.id && a.status == b.status }

    /// The last day the letter is valid.
    public var validUntil: CivilDate { issuedOn.adding(days: validDays) }
}

/// Transfers in and out (MEM-04). Inside the system, the receiving organisation accepts the member; until then the
/// sending organisation keeps them on its roster and stays responsible. Out of the system, a letter is printed and
/// the member leaves the roster only when the receipt (回执) comes back.
public struct TransferRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock
    let members: MemberRepository

    public init(database: Database, audit: AuditTrail, clock: any WallClock, members: MemberRepository) {
        self.database = database
        self.audit = audit
        self.clock = clock
        self.members = members
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// Starts a transfer. `toOrganisationID` for a move inside the system (any organisation; it is received by that
    /// organisation's own people unless the sender also manages it), or `toName` for a letter out of the system.
    public func start(
        memberID: Int64, toOrganisationID: Int64?, toName: String?, validDays: Int, duesPaidUntil: (Int, Int), crossProvince: Bool = false,
        access: OrganisationAccess, actor: Actor
    ) async throws -> MemberTransfer {
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        if toOrganisationID != nil, let refusal = MembershipIdentity.startingInternalMove(crossProvince: crossProvince) { throw refusal }
        if let refusal = MembershipIdentity.transferLetter(
            validDays: validDays, duesPaidUntil: duesPaidUntil, crossProvince: crossProvince, rules: rules)
        {
            throw refusal
        }
        let id = try await database.write { db -> Int64 in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let pending =
                try await db.raw(
                    "SELECT id FROM member_transfers WHERE member_id = \(bind: memberID) AND status = \(bind: MemberTransfer.Status.pending.rawValue)"
                ).first() != nil
            if let refusal = MembershipIdentity.startingTransfer(pendingTransfer: pending) { throw refusal }
            guard let from = try await OrganisationRepository.find(member.organisationID, access: .maintenance, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(member.organisationID))
            }
            var kind = MemberTransfer.Kind.outgoing
            var toName = (toName ?? "").trimmed
            var target: Organisation?
            if let toOrganisationID {
                guard let org = try await OrganisationRepository.find(toOrganisationID, access: .maintenance, db: db), !org.isDissolved else {
                    throw ValidationFailure(field: "to_org_id", message: "接收党组织不存在或已撤销")
                }
                guard org.id != member.organisationID else { throw ValidationFailure(field: "to_org_id", message: "接收党组织与现所在党组织相同") }
                guard org.type != .temporaryBranch else {
                    throw ValidationFailure(field: "to_org_id", message: "临时党支部不接收组织关系", ruleID: RuleID.life12.code)
                }
                kind = .internalMove
                toName = org.name
                target = org
            } else if toName.isEmpty {
                throw ValidationFailure(field: "to_name", message: "请填写接收党组织名称")
            }
            let now = clock.now().epochSeconds
            let count = try await db.raw("SELECT COUNT(*) AS n FROM member_transfers").first().required("row", "query").value("n", Int.self)
            let letter = "\(today.year)-\(String(format: "%06d", count + 1))"
            let id = try await db.insertReturningID(
                """
                INSERT INTO member_transfers (member_id, kind, from_org_id, to_org_id, to_org_name, letter_no, issued_on, valid_days,
                    dues_paid_until, status, created_by, created_at, cross_province)
                VALUES (\(bind: memberID), \(bind: kind.rawValue), \(bind: from.id), \(bind: target?.id), \(bind: toName), \(bind: letter),
                    \(bind: today.description), \(bind: validDays), \(bind: String(format: "%04d-%02d", duesPaidUntil.0, duesPaidUntil.1)),
                    \(bind: MemberTransfer.Status.pending.rawValue), \(bind: actor.userID), \(bind: now), \(bind: crossProvince ? 1 : 0))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "member_transfer", objectID: String(id), organisationID: from.id,
                    summary: "开具组织关系介绍信 \(letter)：\(Masking.name(member.name)) 由“\(from.name)”转往“\(toName)”\(crossProvince ? "（跨省）" : "")"),
                by: actor, in: db, dialect: database.dialect)
            return id
        }
        // A sender who also manages the receiving organisation completes an internal move at once.
        if let toOrganisationID,
            try await database.read({ db in try await OrganisationRepository.find(toOrganisationID, access: access, db: db) }) != nil
        {
            return try await receive(transferID: id, access: access, actor: actor)
        }
        return try await find(id).required("record", id)
    }

    /// The receiving organisation accepts an internal transfer: the member moves to it (history kept in the audit).
    public func receive(transferID: Int64, access: OrganisationAccess, actor: Actor) async throws -> MemberTransfer {
        try await database.write { db in
            guard let t = try await Self.find(transferID, db: db), t.status == .pending, t.kind == .internalMove, let toID = t.toOrganisationID,
                try await OrganisationRepository.find(toID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "member_transfer", objectID: String(transferID))
            }
            try await db.raw(
                """
                UPDATE members SET organisation_id = \(bind: toID), version = version + 1, updated_at = \(bind: clock.now().epochSeconds)
                WHERE id = \(bind: t.memberID)
                """
            ).run()
            try await db.raw(
                "UPDATE member_transfers SET status = \(bind: MemberTransfer.Status.received.rawValue), received_on = \(bind: today.description) WHERE id = \(bind: transferID)"
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .move, objectType: "member", objectID: String(t.memberID), organisationID: toID,
                    summary: "接收组织关系（介绍信 \(t.letterNumber)）：\(Masking.name(t.memberName)) 由“\(t.fromOrganisationName)”转入“\(t.toOrganisationName)”",
                    changes: [FieldChange(field: "organisation_id", old: String(t.fromOrganisationID), new: String(toID))]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(transferID, db: db).required("record", transferID)
        }
    }

    /// The sender records the receipt (回执) of a letter out of the system: the member leaves the roster.
    public func confirmReceipt(transferID: Int64, access: OrganisationAccess, actor: Actor) async throws -> MemberTransfer {
        try await database.write { db in
            guard let t = try await Self.find(transferID, db: db), t.status == .pending, t.kind == .outgoing,
                try await OrganisationRepository.find(t.fromOrganisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "member_transfer", objectID: String(transferID))
            }
            if let refusal = MembershipIdentity.confirmingReceipt(crossProvince: t.crossProvince, letterPrinted: t.letterPrintedAt != nil) {
                throw refusal
            }
            let now = clock.now().epochSeconds
            try await db.raw(
                """
                UPDATE members SET deleted_at = \(bind: now), deleted_reason = \(bind: "组织关系转出至“\(t.toOrganisationName)”，介绍信 \(t.letterNumber) 回执已收到"),
                    version = version + 1, updated_at = \(bind: now) WHERE id = \(bind: t.memberID)
                """
            ).run()
            try await db.raw(
                "UPDATE member_transfers SET status = \(bind: MemberTransfer.Status.received.rawValue), received_on = \(bind: today.description) WHERE id = \(bind: transferID)"
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .move, objectType: "member", objectID: String(t.memberID), organisationID: t.fromOrganisationID,
                    summary: "组织关系转出完成（介绍信 \(t.letterNumber) 回执已收到），\(Masking.name(t.memberName)) 移出名册"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(transferID, db: db).required("record", transferID)
        }
    }

    /// The sender cancels a pending transfer.
    public func cancel(transferID: Int64, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            guard let t = try await Self.find(transferID, db: db), t.status == .pending,
                try await OrganisationRepository.find(t.fromOrganisationID, access: access, db: db) != nil
            else {
                throw RecordNotFound(objectType: "member_transfer", objectID: String(transferID))
            }
            try await db.raw("UPDATE member_transfers SET status = \(bind: MemberTransfer.Status.cancelled.rawValue) WHERE id = \(bind: transferID)")
                .run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "member_transfer", objectID: String(transferID),
                    organisationID: t.fromOrganisationID, summary: "撤回组织关系介绍信 \(t.letterNumber)"), by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Pending transfers touching `access`: incoming (to be received) and outgoing (awaiting receipt).
    public func pending(access: OrganisationAccess) async throws -> (incoming: [MemberTransfer], outgoing: [MemberTransfer]) {
        try await database.read { db in
            let incoming = try await db.raw(
                """
                SELECT t.id FROM member_transfers t JOIN organisations o ON o.id = t.to_org_id
                WHERE t.status = \(bind: MemberTransfer.Status.pending.rawValue) AND \(AccessSQL.predicate(access, alias: "o")) ORDER BY t.id
                """
            ).all()
            let outgoing = try await db.raw(
                """
                SELECT t.id FROM member_transfers t JOIN organisations o ON o.id = t.from_org_id
                WHERE t.status = \(bind: MemberTransfer.Status.pending.rawValue) AND \(AccessSQL.predicate(access, alias: "o")) ORDER BY t.id
                """
            ).all()
            var a: [MemberTransfer] = [], b: [MemberTransfer] = []
            for row in incoming { if let t = try await Self.find(try row.value("id"), db: db) { a.append(t) } }
            for row in outgoing { if let t = try await Self.find(try row.value("id"), db: db) { b.append(t) } }
            return (a, b)
        }
    }

    /// One transfer visible from the sending side (for its letter).
    public func outgoing(_ id: Int64, access: OrganisationAccess) async throws -> MemberTransfer? {
        try await database.read { db in
            guard let t = try await Self.find(id, db: db),
                try await OrganisationRepository.find(t.fromOrganisationID, access: access, db: db) != nil
            else { return nil }
            return t
        }
    }

    public func find(_ id: Int64) async throws -> MemberTransfer? {
        try await database.read { db in try await Self.find(id, db: db) }
    }

    static func find(_ id: Int64, db: any SQLDatabase) async throws -> MemberTransfer? {
        guard
            let row = try await db.raw(
                """
                SELECT t.*, m.name AS member_name, f.name AS from_name,
                    (SELECT MIN(a.at) FROM audit_log a WHERE a.object_type = 'member_transfer' AND a.object_id = \(bind: String(id))
                        AND a.action = \(bind: AuditAction.personalDataRevealed.rawValue)) AS letter_printed_at
                FROM member_transfers t
                JOIN members m ON m.id = t.member_id JOIN organisations f ON f.id = t.from_org_id WHERE t.id = \(bind: id)
                """
            ).first()
        else { return nil }
        let dues = (try row.value("dues_paid_until", String.self)).split(separator: "-").compactMap { Int($0) }
        return MemberTransfer(
            id: try row.value("id"), memberID: try row.value("member_id"), memberName: try row.value("member_name"),
            kind: MemberTransfer.Kind(rawValue: try row.value("kind")) ?? .outgoing,
            fromOrganisationID: try row.value("from_org_id"), fromOrganisationName: try row.value("from_name"),
            toOrganisationID: try row.optional("to_org_id"), toOrganisationName: try row.value("to_org_name"),
            letterNumber: try row.value("letter_no"), issuedOn: try row.date("issued_on"),
            validDays: Int(try row.value("valid_days", Int64.self)), duesPaidUntil: (dues.first ?? 1900, dues.count > 1 ? dues[1] : 1),
            status: MemberTransfer.Status(rawValue: try row.value("status")) ?? .pending,
            receivedOn: try row.optional("received_on", String.self).flatMap(CivilDate.init(iso:)),
            crossProvince: (try row.optional("cross_province", Int64.self) ?? 0) != 0,
            letterPrintedAt: try row.optional("letter_printed_at", Int64.self).map { Date(epochSeconds: $0) })
    }

    /// The transfer letter (组织关系介绍信, MEM-04) in three parts — stub, letter, receipt — with the member's facts as
    /// they are on the roster (the Office layer renders it).
    public func letter(_ t: MemberTransfer) async throws -> TransferLetter {
        let (member, profile) = try await database.read { db in
            // Letters stay printable after the member has left the roster (archive).
            let record = try await db.raw("SELECT * FROM members WHERE id = \(bind: t.memberID)").first().map(MemberRepository.decode)
            return (record, try await members.profile(of: t.memberID, db: db))
        }
        guard let member else { throw RecordNotFound(objectType: "member", objectID: String(t.memberID)) }
        return TransferLetter(
            letterNumber: t.letterNumber, memberName: member.name, gender: member.gender, age: member.age(on: t.issuedOn),
            ethnicity: member.ethnicity, partyStatus: member.partyStatus, idNumber: profile.idNumber.value,
            from: t.fromOrganisationName, to: t.toOrganisationName, issuedOn: t.issuedOn, validDays: t.validDays,
            duesPaidUntil: t.duesPaidUntil)
    }
}
