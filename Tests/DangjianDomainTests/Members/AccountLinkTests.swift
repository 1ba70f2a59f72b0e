import Testing
import DangjianDomain

@Suite("Linking an account to a member")
struct AccountLinkTests {
    @Test("names agree when the account names the member, with or without an organisation prefix (issue 17 item 9)")
    func namesAgree() {
        #expect(AccountLink.namesAgree(accountName: "于佳", memberName: "于佳"))
        #expect(AccountLink.namesAgree(accountName: "政府办第一支部 于佳", memberName: "于佳"))
        #expect(AccountLink.namesAgree(accountName: "政府办第一支部\u{3000}于佳 ", memberName: " 于佳"))
        #expect(!AccountLink.namesAgree(accountName: "政府办第一支部 张党员", memberName: "于佳"))
        #expect(!AccountLink.namesAgree(accountName: "于佳佳", memberName: "于佳"))
        #expect(!AccountLink.namesAgree(accountName: "", memberName: ""))
        let refusal = AccountLink.nameDifference(username: "dangyuan", accountName: "张党员", memberName: "于佳")
        #expect(refusal.field == "confirm_name" && refusal.message.contains("“张党员”与党员“于佳”不一致"))
    }
}
