public import Foundation
public import DangjianDomain
import SQLKit

/// One entry of the register of floating-member certificates (《流动党员活动证》登记, MEM-03).
public struct FloatingCertificate: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var memberName: String
    public var organisationID: Int64
    public var certificateNumber: String
    public var issuedOn: CivilDate
    public var reason: String
    public var destination: String
    public var validUntil: CivilDate
    public var returnedOn: CivilDate?

    public enum Status: String, Sendable {
        case valid, expired, returned
        public var displayName: String {
            switch self {
            case .valid: "有效"
            case .expired: "已到期未收回"
            case .returned: "已收回"
            }
        }
    }

    public func status(on today: CivilDate) -> Status {
        if returnedOn != nil { return .returned }
        return today > validUntil ? .expired : .valid
    }
}

/// Issues, registers and takes back floating-member certificates (MEM-02/03). The issuing organisation is the
/// member's own; issuing marks the member as floating with the destination, taking the certificate back clears it.
public struct FloatingCertificateRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    /// What issuing returns: the certificate and any rule warning the issuer should read.
    public struct Issued: Sendable {
        public var certificate: FloatingCertificate
        public var warnings: [String]
    }

    /// Registers a certificate for a member inside `access` (membersWrite). The number is the printed form's number;
    /// when empty one is assigned as `流〔year〕N`.
    public func issue(
        memberID: Int64, number: String, issuedOn: CivilDate, reason: String, destination: String, validUntil: CivilDate,
        access: OrganisationAccess, actor: Actor
    ) async throws -> Issued {
        let rules = try await RuleBookRepository.inForce(in: database, on: issuedOn)
        var problems: [ValidationFailure] = []
        let reason = reason.trimmed
        let destination = destination.trimmed
        var number = number.trimmed
        if reason.isEmpty || reason.count > 100 {
            problems.append(ValidationFailure(field: "reason", message: "外出前应向党支部报告外出原因：请填写（不超过 100 个字）", ruleID: RuleID.mem01.code))
        }
        if destination.isEmpty || destination.count > 100 {
            problems.append(ValidationFailure(field: "destination", message: "外出前应向党支部报告去向：请填写流入地（不超过 100 个字）", ruleID: RuleID.mem01.code))
        }
        if number.count > 40 { problems.append(ValidationFailure(field: "certificate_no", message: "证件编号不超过 40 个字")) }
        if issuedOn > today { problems.append(ValidationFailure(field: "issued_on", message: "发证日期 \(issuedOn) 晚于今天", ruleID: RuleID.mem03.code)) }
        if validUntil <= issuedOn {
            problems.append(ValidationFailure(field: "valid_until", message: "外出前应报告外出时长：有效期至应晚于发证日期 \(issuedOn)", ruleID: RuleID.mem01.code))
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        var warnings: [String] = []
        if validUntil >= issuedOn.adding(months: rules.floatingTransferMonths) {
            warnings.append("外出 \(rules.floatingTransferMonths) 个月以上且地点固定的，应转移正式组织关系；确实暂时无法转移的方可持流动党员活动证（\(RuleID.mem02)）")
        }
        let now = clock.now().epochSeconds
        let certificate = try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            guard member.membershipState == .normal || member.membershipState == .lostContact else {
                throw ValidationFailure(
                    field: "member_id", message: "\(member.name) 目前为“\(member.membershipState.displayName)”，不能发放流动党员活动证", ruleID: RuleID.mem03.code)
            }
            if try await db.raw("SELECT 1 AS x FROM floating_certificates WHERE member_id = \(bind: memberID) AND returned_on IS NULL").first() != nil
            {
                throw ValidationFailure(field: "member_id", message: "\(member.name) 已有一张未收回的流动党员活动证，请先收回再发新证", ruleID: RuleID.mem03.code)
            }
            if number.isEmpty {
                let prefix = "流〔\(issuedOn.year)〕"
                let n =
                    try await db.raw("SELECT COUNT(*) AS n FROM floating_certificates WHERE certificate_no LIKE \(bind: prefix + "%")").first()?
                    .value("n", Int.self) ?? 0
                number = "\(prefix)\(n + 1)号"
            }
            if try await db.raw("SELECT 1 AS x FROM floating_certificates WHERE certificate_no = \(bind: number)").first() != nil {
                throw ValidationFailure(field: "certificate_no", message: "证件编号“\(number)”已登记过")
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO floating_certificates (member_id, organisation_id, certificate_no, issued_on, reason, destination, valid_until, created_by, created_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: number), \(bind: issuedOn.description), \(bind: reason),
                    \(bind: destination), \(bind: validUntil.description), \(bind: actor.userID), \(bind: now))
                """)
            try await db.raw(
                """
                UPDATE members SET is_floating = 1, floating_destination = \(bind: destination), updated_at = \(bind: now), version = version + 1
                WHERE id = \(bind: memberID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "floating_certificate", objectID: String(id), organisationID: member.organisationID,
                    summary: "为党员（ID \(memberID)）发放流动党员活动证 \(number)，外出至 \(destination)，有效期至 \(validUntil)",
                    changes: [
                        FieldChange(field: "is_floating", old: member.isFloating ? "是" : "否", new: "是"),
                        FieldChange(field: "floating_destination", old: member.floatingDestination, new: destination),
                    ]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, db: db).required("record", id)
        }
        return Issued(certificate: certificate, warnings: warnings)
    }

    /// Takes a certificate back (收回) when the member returns; the member stops being floating.
    public func takeBack(_ id: Int64, on date: CivilDate, access: OrganisationAccess, actor: Actor) async throws -> FloatingCertificate {
        if date > today { throw ValidationFailure(field: "returned_on", message: "收回日期 \(date) 晚于今天") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let cert = try await Self.find(id, db: db),
                let member = try await MemberRepository.find(cert.memberID, access: access, db: db)
            else {
                throw RecordNotFound(objectType: "floating_certificate", objectID: String(id))
            }
            guard cert.returnedOn == nil else { return cert }
            guard date >= cert.issuedOn else { throw ValidationFailure(field: "returned_on", message: "收回日期不能早于发证日期 \(cert.issuedOn)") }
            try await db.raw("UPDATE floating_certificates SET returned_on = \(bind: date.description) WHERE id = \(bind: id)").run()
            try await db.raw(
                """
                UPDATE members SET is_floating = 0, floating_destination = NULL, updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: cert.memberID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "floating_certificate", objectID: String(id), organisationID: member.organisationID,
                    summary: "收回流动党员活动证 \(cert.certificateNumber)",
                    changes: [
                        FieldChange(field: "returned_on", old: nil, new: date.description), FieldChange(field: "is_floating", old: "是", new: "否"),
                    ]),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.find(id, db: db).required("record", id)
        }
    }

    /// The register for the organisations at `anchorID` within `scope` inside `access`; `openOnly` leaves out returned ones.
    public func register(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, openOnly: Bool) async throws -> [FloatingCertificate]
    {
        try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let open: SQLQueryString = openOnly ? "f.returned_on IS NULL" : "1 = 1"
            return try await db.raw(
                """
                SELECT f.*, m.name AS member_name FROM floating_certificates f
                JOIN members m ON m.id = f.member_id JOIN organisations o ON o.id = f.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))
                AND m.deleted_at IS NULL AND \(open)
                ORDER BY f.issued_on DESC, f.id DESC
                """
            ).all().map(Self.decode)
        }
    }

    /// The certificates of one member inside `access`, newest first.
    public func certificates(ofMember memberID: Int64, access: OrganisationAccess) async throws -> [FloatingCertificate] {
        try await database.read { db in
            guard try await MemberRepository.find(memberID, access: access, db: db) != nil else { return [] }
            return try await db.raw(
                """
                SELECT f.*, m.name AS member_name FROM floating_certificates f JOIN members m ON m.id = f.member_id
                WHERE f.member_id = \(bind: memberID) ORDER BY f.issued_on DESC, f.id DESC
                """
            ).all().map(Self.decode)
        }
    }

    static func find(_ id: Int64, db: any SQLDatabase) async throws -> FloatingCertificate? {
        try await db.raw(
            """
            SELECT f.*, m.name AS member_name FROM floating_certificates f JOIN members m ON m.id = f.member_id WHERE f.id = \(bind: id)
            """
        ).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> FloatingCertificate {
        FloatingCertificate(
            id: try row.value("id"), memberID: try row.value("member_id"), memberName: try row.value("member_name"),
            organisationID: try row.value("organisation_id"), certificateNumber: try row.value("certificate_no"),
            issuedOn: try row.date("issued_on"), reason: try row.value("reason"), destination: try row.value("destination"),
            validUntil: try row.date("valid_until"),
            returnedOn: try row.optional("returned_on", String.self).flatMap(CivilDate.init(iso:)))
    }
}
