public import Foundation
public import DangjianDomain
import SQLKit

/// The higher committee's work on each reporter: mode (REVIEW-02), report (REVIEW-03), comment (REVIEW-04), the
/// paper tally and closing the ballot (REVIEW-05).
extension ReviewRepository {
    /// Sets a reporter's mode; a written report two years running is refused when the round keeps the rotation (REVIEW-02).
    public func setMode(reporterID: Int64, mode: ReviewMode, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            let name: String = try row.value("name")
            let organisationID: Int64 = try row.value("organisation_id")
            let last = try await db.raw(
                """
                SELECT p.mode FROM review_reporters p JOIN review_rounds r ON r.id = p.round_id
                WHERE p.organisation_id = \(bind: organisationID) AND r.year = \(bind: round.year - 1) AND r.kind = \(bind: round.kind.rawValue)
                ORDER BY r.id DESC LIMIT 1
                """
            ).first().flatMap { ReviewMode(rawValue: try $0.value("mode")) }
            if let refusal = ReviewMode.rotationRefusal(reporter: name, mode: mode, lastYear: last, rotationOn: round.rotation) { throw refusal }
            try await db.raw("UPDATE review_reporters SET mode = \(bind: mode.rawValue), version = version + 1 WHERE id = \(bind: reporterID)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_reporter", objectID: String(reporterID), organisationID: organisationID,
                    summary: "述职方式：\(name) \(mode.displayName)（\(round.name)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The written report (REVIEW-02: everyone submits one), by the reporter's organisation or the organiser, saying
    /// which checklist items it covers (REVIEW-03: the mandatory ones must be covered).
    public func uploadReport(
        reporterID: Int64, file: EvidenceFile, covered: Set<String>, access: OrganisationAccess, unitAccess: OrganisationAccess, actor: Actor
    ) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM review_reporters WHERE id = \(bind: reporterID)").first(),
                let round = try await Self.round(try row.value("round_id"), db: db)
            else { throw RecordNotFound(objectType: "review_reporter", objectID: String(reporterID)) }
            let organisationID: Int64 = try row.value("organisation_id")
            var allowed = try await OrganisationRepository.find(organisationID, access: unitAccess, db: db) != nil
            if !allowed { allowed = try await OrganisationRepository.find(round.organiserID, access: access, db: db) != nil }
            guard allowed else { throw RecordNotFound(objectType: "review_reporter", objectID: String(reporterID)) }
            guard round.state == .open else { throw Self.confirmed(round) }
            let name: String = try row.value("name")
            let kept = covered.filter { round.content.items.contains($0) }
            if let refusal = round.content.refusal(covered: kept, reporter: name) { throw refusal }
            try await AttachmentRepository.add(
                file, ownerType: "review_report", ownerID: reporterID, organisationID: organisationID, actor: actor, now: now, db: db)
            guard
                let attachment = try await db.raw(
                    "SELECT MAX(id) AS id FROM attachments WHERE owner_type = 'review_report' AND owner_id = \(bind: reporterID)"
                )
                .first()?.optional("id", Int64.self)
            else { throw StoreError.internalInconsistency("attachment not stored") }
            let coveredJSON = try Self.json(round.content.items.filter { kept.contains($0) })
            try await db.raw(
                """
                UPDATE review_reporters SET report_attachment_id = \(bind: attachment), covered = \(bind: coveredJSON), version = version + 1
                WHERE id = \(bind: reporterID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "review_report", objectID: String(attachment), organisationID: organisationID,
                    summary: "上传述职报告“\(file.fileName)”：\(name)（\(round.name)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The report file for the reporter's organisation or the organiser; nil for anyone else.
    public func reportFile(reporterID: Int64, access: OrganisationAccess, unitAccess: OrganisationAccess) async throws -> (Attachment, Data)? {
        guard let found = try await reporter(reporterID, access: access, unitAccess: unitAccess), let id = found.reporter.reportAttachmentID else {
            return nil
        }
        return try await database.read { db in
            guard let r = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id)").first() else { return nil }
            let a = Attachment(
                id: id, ownerType: try r.value("owner_type"), ownerID: try r.value("owner_id"), organisationID: try r.value("organisation_id"),
                fileName: try r.value("file_name"), contentType: try r.value("content_type"), byteSize: try r.value("byte_size"))
            return (a, try r.value("data", Data.self))
        }
    }

    /// The higher committee's comment (点评, REVIEW-04), recorded before the reporter's ballot closes.
    public func comment(reporterID: Int64, text: String, access: OrganisationAccess, actor: Actor) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2000 else {
            throw ValidationFailure(field: "comment", message: "请填写点评意见（不超过 2000 个字）", ruleID: RuleID.review04.code)
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            try await db.raw(
                """
                UPDATE review_reporters SET comment = \(bind: text), commented_by = \(bind: actor.userID), commented_at = \(bind: now), version = version + 1
                WHERE id = \(bind: reporterID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_reporter", objectID: String(reporterID), organisationID: try row.value("organisation_id"),
                    summary: "上级党组织点评：\(try row.value("name", String.self))（\(round.name)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The paper ballots' tally (REVIEW-05): one count per grade and the invalid ones, adding up to the attendees who
    /// balloted on paper; refused with the figures otherwise, nothing stored.
    public func recordPaperTally(reporterID: Int64, tally: BallotTally, attendees: Int, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            let name: String = try row.value("name")
            guard try row.optional("closed_at", Int64.self) == nil else {
                throw ValidationFailure(field: "tally", message: "“\(name)”的测评已结束，不能再改票数", ruleID: RuleID.review05.code)
            }
            let problems = tally.problems(gradeSet: round.gradeSet.gradeSet, attendees: attendees, reporter: name)
            guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
            try await db.raw(
                """
                UPDATE review_reporters SET paper_tally = \(bind: try Self.json(tally)), paper_attendees = \(bind: attendees), version = version + 1
                WHERE id = \(bind: reporterID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_reporter", objectID: String(reporterID), organisationID: try row.value("organisation_id"),
                    summary:
                        "录入纸质测评票：\(name) \(zip(round.gradeSet.gradeSet.grades, tally.counts).map { "\($0.name) \($1)" }.joined(separator: "，"))，无效 \(tally.invalid)"
                ),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Closes a reporter's ballot: refused without the comment (REVIEW-04) or without ballots; fixes the tally as the
    /// phone ballots plus the paper tally.
    public func closeBallot(reporterID: Int64, access: OrganisationAccess, actor: Actor) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            let (round, row) = try await Self.organisedReporter(reporterID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            let name: String = try row.value("name")
            guard try row.optional("closed_at", Int64.self) == nil else { return }
            let gradeSet = round.gradeSet.gradeSet
            var votes: [Int: Int] = [:]
            for v in try await db.raw("SELECT grade_index, votes FROM review_votes WHERE reporter_id = \(bind: reporterID)").all() {
                votes[Int(try v.value("grade_index", Int64.self))] = try v.value("votes", Int.self)
            }
            let paper = try row.optional("paper_tally", String.self).map { try Self.decode(BallotTally.self, $0) }
            let tally = ReviewBallotClosing.merge(ReviewBallotClosing.tally(votes: votes, gradeSet: gradeSet), paper)
            if let refusal = ReviewBallotClosing.refusal(reporter: name, comment: try row.optional("comment", String.self), tally: tally) {
                throw refusal
            }
            try await db.raw(
                "UPDATE review_reporters SET tally = \(bind: try Self.json(tally)), closed_at = \(bind: now), version = version + 1 WHERE id = \(bind: reporterID)"
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_reporter", objectID: String(reporterID), organisationID: try row.value("organisation_id"),
                    summary: "结束测评：\(name)，有效票 \(tally.valid) 张、无效票 \(tally.invalid) 张（\(round.name)）"),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}
