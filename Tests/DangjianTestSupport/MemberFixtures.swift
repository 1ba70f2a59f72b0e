public import DangjianDomain
import Foundation

/// Deterministic valid member drafts for tests: real check characters, consistent dates.
public enum MemberFixtures {
    /// A valid 18-digit ID number for a birth date and sequence (odd sequence = male).
    public static func idNumber(born: String, sequence: Int, area: String = "610102") -> String {
        let body = area + born.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        return body + String(IDNumber.checkCharacter(for: body)!)
    }

    /// A full member born on `born`, admitted at 25, converted a year later.
    public static func draft(
        name: String, born: String = "1980-05-01", sequence: Int = 11, phone: String = "", status: PartyStatus = .full,
        category: String = "在职", education: String = "本科"
    ) -> MemberDraft {
        let birth = CivilDate(iso: born)!
        let join = birth.adding(years: 25)
        var d = MemberDraft()
        d.name = name
        d.idNumber = idNumber(born: born, sequence: sequence)
        d.ethnicity = "汉族"
        d.education = education
        d.personnelCategory = category
        d.partyStatus = status.displayName
        d.joinDate = join.description
        if status == .full { d.fullMemberDate = join.adding(years: 1).description }
        d.phone = phone
        d.workUnit = "示范县财政局"
        return d
    }
}
