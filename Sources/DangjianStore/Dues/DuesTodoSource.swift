public import DangjianDomain

/// 党费 in 待办 (issue 18, item 4): members with consecutive unpaid months — a reminder from the rule book's alert
/// months (DUES-13, default 3) and a lapse review from six (DUES-19: after 批评教育 and 限期改正, a person decides;
/// nothing is automatic). Beside organisational life's own DUES-13 flags for absence, which the same page lists.
/// Above `TodoBoard.detailLimit` members under one grant, one summary line.
public struct DuesTodoSource: TodoSource {
    let dues: DuesRepository

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let access = principal.access(for: .membersWrite)
        var items: [TodoItem] = []
        for reach in access.reaches {
            // 少交/免交 waiting for this user's step, and approvals whose last month is this month (re-review, DUES-18).
            let thisMonth = DuesMonth(containing: today)
            for (r, name) in try await dues.openReductions(anchorID: reach.organisationID, scope: reach.scope, access: access) {
                let message: String
                switch r.state {
                case .applied: message = "\(name) 的党费减免申请待支部研究（\(r.summary)）"
                case .branchAgreed where r.organisationID != reach.organisationID || reach.scope != .own:
                    message = "\(name) 的党费减免申请支部已同意，待上级党委批准（\(r.summary)）"
                case .approved where r.until == thisMonth: message = "\(name) 的党费减免本月到期，请重新审核（\(r.summary)）"
                default: continue
                }
                items.append(
                    TodoItem(
                        category: .dues, severity: .warning, organisationID: r.organisationID, organisationName: "",
                        ruleID: r.state == .approved ? RuleID.dues18.code : RuleID.dues07.code, message: message,
                        link: "/dues/members/\(r.memberID)/payments#reductions", dueOn: nil,
                        key: "dues-reduction:\(r.id):\(r.state.rawValue):\(r.version)"))
            }
            // 自行脱党审查 cases not yet decided: the next step, urgent once the deadline has passed (DUES-19).
            var underReview: Set<Int64> = []
            for (c, name) in try await dues.openLapseCases(anchorID: reach.organisationID, scope: reach.scope, access: access) {
                underReview.insert(c.memberID)
                let expired = c.deadline.map { $0 < today } ?? false
                let next: String
                switch c.state {
                case .opened: next = "请先批评教育"
                case .educated: next = "请限期改正"
                case .deadlineSet: next = expired ? "改正期限（\(c.deadline?.description ?? "")）已满，请作出决定" : "限期改正至 \(c.deadline?.description ?? "")"
                case .decided: continue
                }
                if c.state == .deadlineSet && !expired { continue }
                items.append(
                    TodoItem(
                        category: .dues, severity: expired ? .urgent : .warning, organisationID: c.organisationID, organisationName: "",
                        ruleID: RuleID.dues19.code, message: "\(name) 自行脱党审查（\(c.grounds)）：\(next)",
                        link: "/dues/members/\(c.memberID)/payments#lapse", dueOn: c.deadline,
                        key: "lapse-case:\(c.id):\(c.version):\(expired)"))
            }
            let members = try await dues.inArrears(anchorID: reach.organisationID, scope: reach.scope, access: access)
            if members.count > TodoBoard.detailLimit {
                let lapse = members.filter { $0.arrears.level == .lapseReview }.count
                items.append(
                    TodoItem(
                        category: .dues, severity: lapse > 0 ? .urgent : .warning, organisationID: reach.organisationID, organisationName: "",
                        ruleID: RuleID.dues13.code,
                        message: "所辖党员中 \(members.count) 人连续 3 个月以上未交纳党费，其中 \(lapse) 人已满 6 个月，应由支部审查（\(RuleID.dues13)、\(RuleID.dues19)）",
                        link: "/dues/collection?org=\(reach.organisationID)", dueOn: nil,
                        key: "dues-summary:\(reach.organisationID):\(today.year)-\(today.month):\(members.count):\(lapse)"))
                continue
            }
            for m in members where !underReview.contains(m.memberID) {
                let lapse = m.arrears.level == .lapseReview
                items.append(
                    TodoItem(
                        category: .dues, severity: lapse ? .urgent : .warning, organisationID: m.organisationID, organisationName: m.organisationName,
                        ruleID: lapse ? RuleID.dues19.code : RuleID.dues13.code, message: "\(m.name)：\(m.arrears.words)",
                        link: "/dues/members/\(m.memberID)/payments\(lapse ? "#lapse" : "")", dueOn: nil,
                        key: "dues:\(m.memberID):\(today.year)-\(today.month):\(lapse ? "lapse" : "remind")"))
            }
        }
        return items
    }
}

extension StoreServices {
    /// 党费's 待办 over the graph.
    public var duesTodo: DuesTodoSource { DuesTodoSource(dues: dues) }
}
