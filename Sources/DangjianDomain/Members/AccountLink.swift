/// Linking a login account to a member's record (关联登录账户), so the member sees their own record.
public enum AccountLink {
    /// Whether an account's display name names the member: the same name, or the name after an organisation prefix
    /// ("政府办第一支部 于佳" for 于佳). Spaces, including full-width ones, are ignored around the parts.
    public static func namesAgree(accountName: String, memberName: String) -> Bool {
        let member = memberName.trimmed
        guard !member.isEmpty else { return false }
        let parts = accountName.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map { String($0).trimmed }
        return accountName.trimmed == member || parts.last == member
    }

    /// The refusal when the names differ and the linking user has not confirmed it is the same person (issue 17 item 9).
    public static func nameDifference(username: String, accountName: String, memberName: String) -> ValidationFailure {
        ValidationFailure(
            field: "confirm_name",
            message: "账户“\(username)”的姓名“\(accountName)”与党员“\(memberName)”不一致：请核对是否本人；确认是同一人的，请勾选“姓名不一致，已核实是本人”后再关联")
    }
}
