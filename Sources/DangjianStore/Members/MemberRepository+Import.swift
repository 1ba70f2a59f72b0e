public import Foundation
public import DangjianDomain
import SQLKit

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
