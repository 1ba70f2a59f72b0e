/// 流动党员 (`members/floating`, MEM-02/03): the certificates issued in reach, expired ones first to act on.
struct FloatingPage {
    var rows: [FloatingController.Row]
    var count: Int
    var expiredCount: Int
    var hasExpired: Bool
    var org: Int64
    var scope: String
    var all: Bool
    var today: String
}

/// 组织关系转接 (`members/transfers`, MEM-04): letters waiting to be received here and those sent from here.
struct TransfersPage {
    var incoming: [TransferController.Row]
    var outgoing: [TransferController.Row]
    var hasIncoming: Bool
    var hasOutgoing: Bool
}

/// 批量关联党员账户 (`members/link_accounts`): which roster names found one account, several, or none.
struct LinkAccountsPage {
    var org: Int64
    var linked: [String]
    var ambiguous: [String]
    var unmatched: [String]
    var linkedCount: Int
    var hasAmbiguous: Bool
    var hasUnmatched: Bool
}

/// 为党员开通账户 (`members/accounts_created`): the accounts just made, each one-time password shown this once.
struct MemberAccountsCreatedPage {
    struct Row {
        var name: String
        var username: String
        var oneTimePassword: String
    }
    var org: Int64
    var rows: [Row]
    var createdCount: Int
    var hasCreated: Bool
    var alreadyLinked: Int
    var hasAlreadyLinked: Bool
    var refused: [String]
    var hasRefused: Bool
    var validHours: Int
}

/// 我的信息 (`account/me`): a member's own record as the roster keeps it.
struct OwnRecordPage {
    var name: String
    var facts: [MemberController.Fact]
    var linked: Bool
}

/// 党员队伍统计 (`members/statistics`): counts by category with a chart each.
struct MemberStatisticsPage {
    var tables: [MemberController.StatTable]
    var total: Int
    var organisation: String
    var scope: String
    var query: String
}
