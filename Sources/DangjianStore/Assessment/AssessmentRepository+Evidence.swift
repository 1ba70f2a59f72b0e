public import Foundation
public import DangjianDomain
import SQLKit

/// An evidence file of a unit for an indicator (ASSESS-04).
public struct EvidenceRecord: Sendable, Equatable {
    public var id: Int64
    public var indicatorCode: String
    public var attachment: Attachment
}

/// Evidence (佐证材料, ASSESS-04): a unit uploads photos or PDFs per indicator of its self-assessment (the attachment
/// rules: type by content, size limit, stored in the database, audited); the unit, the organiser and the unit's assigned
/// assessors may open them.
extension AssessmentRepository {
    /// Adds an evidence file to the unit's self-assessment for `indicatorCode` (ASSESS-04), inside the self window.
    public func addEvidence(
        roundID: Int64, organisationID: Int64, indicatorCode: String, file: EvidenceFile, userID: Int64, unitAccess: OrganisationAccess, actor: Actor
    ) async throws {
        let now = clock.now().epochSeconds
        let day = today
        try await database.write { db in
            let (round, unit, version) = try await Self.authoriseSheet(
                roundID: roundID, organisationID: organisationID, stage: .selfAssessment, userID: userID, unitAccess: unitAccess, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            if let refusal = round.timetable.refusal(saving: .selfAssessment, on: day) { throw refusal }
            guard
                let indicator = version.scheme.sheetIndicators(category: unit.category).first(where: {
                    $0.code == indicatorCode
                })
            else {
                throw ValidationFailure(field: "indicator", message: "指标“\(indicatorCode.prefix(20))”不在本轮评分表中", ruleID: RuleID.eval01.code)
            }
            try await AttachmentRepository.add(
                file, ownerType: "assessment_evidence", ownerID: roundID, organisationID: organisationID, actor: actor, now: now, db: db)
            guard
                let attachment = try await db.raw(
                    "SELECT MAX(id) AS id FROM attachments WHERE owner_type = 'assessment_evidence' AND owner_id = \(bind: roundID)"
                )
                .first()?.optional("id", Int64.self)
            else { throw StoreError.internalInconsistency("attachment not stored") }
            try await db.raw(
                """
                INSERT INTO assessment_evidence (round_id, organisation_id, indicator_code, attachment_id, recorded_at)
                VALUES (\(bind: roundID), \(bind: organisationID), \(bind: indicator.code), \(bind: attachment), \(bind: now))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "assessment_evidence", objectID: String(attachment), organisationID: organisationID,
                    summary: "上传佐证材料“\(file.fileName)”：\(indicator.label)（\(round.name)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// An evidence file (by its `assessment_evidence` id) for the unit itself, the organiser, or an assessor assigned
    /// to the unit; nil for anyone else.
    public func evidenceFile(
        _ id: Int64, userID: Int64, unitAccess: OrganisationAccess, organiserAccess: OrganisationAccess
    ) async throws -> (Attachment, Data)? {
        try await database.read { db in
            guard
                let row = try await db.raw("SELECT round_id, organisation_id, attachment_id FROM assessment_evidence WHERE id = \(bind: id)").first()
            else { return nil }
            let roundID: Int64 = try row.value("round_id")
            let organisationID: Int64 = try row.value("organisation_id")
            guard let round = try await Self.round(roundID, db: db) else { return nil }
            var allowed = try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil
            if !allowed { allowed = try await OrganisationRepository.find(round.organiserID, access: organiserAccess, db: db) != nil }
            if !allowed {
                allowed =
                    try await db.raw(
                        """
                        SELECT 1 AS x FROM assessment_assignments WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: organisationID)
                            AND user_id = \(bind: userID)
                        """
                    ).first() != nil
            }
            guard allowed,
                let r = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: try row.value("attachment_id", Int64.self))").first()
            else { return nil }
            let a = Attachment(
                id: try r.value("id"), ownerType: try r.value("owner_type"), ownerID: try r.value("owner_id"),
                organisationID: try r.value("organisation_id"),
                fileName: try r.value("file_name"), contentType: try r.value("content_type"), byteSize: try r.value("byte_size"))
            return (a, try r.value("data", Data.self))
        }
    }

    static func evidence(roundID: Int64, organisationID: Int64, db: any SQLDatabase) async throws -> [String: [EvidenceRecord]] {
        var result: [String: [EvidenceRecord]] = [:]
        for r in try await db.raw(
            """
            SELECT e.id, e.indicator_code, a.id AS attachment_id, a.owner_type, a.owner_id, a.organisation_id, a.file_name, a.content_type, a.byte_size
            FROM assessment_evidence e JOIN attachments a ON a.id = e.attachment_id
            WHERE e.round_id = \(bind: roundID) AND e.organisation_id = \(bind: organisationID) ORDER BY e.id
            """
        ).all() {
            let code: String = try r.value("indicator_code")
            result[code, default: []].append(
                EvidenceRecord(
                    id: try r.value("id"), indicatorCode: code,
                    attachment: Attachment(
                        id: try r.value("attachment_id"), ownerType: try r.value("owner_type"), ownerID: try r.value("owner_id"),
                        organisationID: try r.value("organisation_id"), fileName: try r.value("file_name"), contentType: try r.value("content_type"),
                        byteSize: try r.value("byte_size"))))
        }
        return result
    }
}
