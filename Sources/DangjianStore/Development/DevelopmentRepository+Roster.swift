import Foundation
import DangjianDomain
import SQLKit

/// The case and the roster (党员名册): the approved applicant entered or linked in the step's transaction.
extension DevelopmentRepository {
    /// DEV-25/27/32: the approved applicant on the roster, in the same transaction as the step. At the committee's
    /// approval a 预备党员 joins the case's branch with 入党日期 = the admission meeting (DEV-27: probation counts from
    /// it, not from the approval); at the approval of conversion the record becomes a 正式党员 with 转正日期 = the end
    /// of probation (DEV-32: 党龄 counts from it, including any extension). A person already on the roster (entered
    /// by hand or imported) is linked, not duplicated, and brought to the case's dates with an audited update.
    /// Returns the roster record's id (nil when there is none to keep, e.g. a cancellation without one). A record
    /// with the same ID number in another organisation is not touched: the step is refused until the relation is
    /// transferred here (MEM-04), so nobody changes another organisation's roster through a case file.
    func enterOnRoster(_ file: DevelopmentCaseFile, db: any SQLDatabase, actor: Actor) async throws -> Int64? {
        let c = file.developmentCase
        guard let joined = c.date(of: .admissionMeeting) else { return file.memberID }
        let sealed: String = try await db.raw("SELECT id_number_enc FROM development_cases WHERE id = \(bind: file.id)").first().required(
            "row", "query"
        ).value("id_number_enc")
        let idNumber = try keyring.open(sealed, context: "development.id_number")
        var memberID = file.memberID
        if memberID == nil {
            let index = keyring.blindIndex(idNumber, context: "member.id_number")
            memberID = try await db.raw("SELECT id FROM members WHERE id_number_index = \(bind: index) AND deleted_at IS NULL").first()?.value("id")
        }
        let reference = "（发展党员档案 #\(file.id)）"
        if let id = memberID, let current = try await MemberRepository.find(id, access: .maintenance, db: db) {
            // A record this case already linked (it may have moved since) is the case's own; one found by the ID
            // number is linked only when it is on this branch's roster.
            if let refusal = MembershipIdentity.linkingAdmission(
                applicantName: file.applicantName, maskedIDNumber: file.idNumberMasked, linkedBefore: file.memberID != nil,
                onCaseBranch: current.organisationID == file.organisationID)
            {
                throw refusal
            }
            let old = try await members.profile(of: id, db: db)
            var new = old
            new.partyStatus = c.fullMemberDate == nil ? .probationary : .full
            new.joinDate = joined
            new.fullMemberDate = c.fullMemberDate
            // DEV-28 (c): a cancelled probationary member leaves the roster (出党), the record stays for the archive.
            if c.probationCancelled { new.membershipState = .left }
            let what = c.probationCancelled ? "取消预备党员资格" : c.fullMemberDate == nil ? "接收预备党员" : "预备党员转正"
            _ = try await members.replace(current, old: old, new: new, db: db, actor: actor, summary: what + reference + "：更新")
        } else if c.probationCancelled {
            return memberID
        } else {
            var draft = MemberDraft()
            draft.name = file.applicantName
            draft.idNumber = idNumber
            draft.partyStatus = PartyStatus.probationary.displayName
            draft.joinDate = joined.description
            let profile: MemberProfile
            switch draft.validate(rules: c.rules, today: today) {
            case .success(let p): profile = p
            case .failure(let errors):
                let first = errors.problems.first
                throw ValidationFailure(
                    field: first?.field ?? "member", message: "编入党员名册失败：" + errors.problems.map(\.message).joined(separator: "；"),
                    ruleID: first?.ruleID)
            }
            try await members.checkOrganisation(file.organisationID, access: .maintenance, db: db)
            memberID = try await members.insert(profile, organisationID: file.organisationID, db: db, actor: actor, summary: "接收预备党员" + reference)
        }
        try await db.raw("UPDATE development_cases SET member_id = \(bind: memberID) WHERE id = \(bind: file.id)").run()
        return memberID
    }
}
