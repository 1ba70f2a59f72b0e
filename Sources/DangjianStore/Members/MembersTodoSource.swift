public import DangjianDomain
import SQLKit

/// 党员名册 in 待办: transfers waiting at the receiving organisation (MEM-04) and floating-member certificates past
/// their term and not taken back (MEM-02/03).
public struct MembersTodoSource: TodoSource {
    let transfers: TransferRepository
    let floating: FloatingCertificateRepository

    public init(transfers: TransferRepository, floating: FloatingCertificateRepository) {
        self.transfers = transfers
        self.floating = floating
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        var items: [TodoItem] = []
        let membersAccess = principal.access(for: .membersRead)
        let writeAccess = principal.access(for: .membersWrite)
        // Transfers waiting at the receiving organisation (MEM-04: the sender stays responsible until received).
        if !writeAccess.isEmpty {
            for t in try await transfers.pending(access: writeAccess).incoming {
                items.append(
                    TodoItem(
                        category: .transfer, severity: .warning, organisationID: t.toOrganisationID, organisationName: t.toOrganisationName,
                        ruleID: RuleID.mem04.code,
                        message: "\(t.memberName) 的组织关系由\(t.fromOrganisationName)转来（介绍信 \(t.letterNumber)），请办理接收（\(RuleID.mem04)）",
                        link: "/transfers", dueOn: t.issuedOn.adding(days: t.validDays), key: "transfer:\(t.id)"))
            }
        }
        // Floating-member certificates past their term and not taken back (MEM-02/03).
        for reach in membersAccess.reaches {
            for c
                in try await floating
                .register(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, openOnly: true)
            where c.status(on: today) == .expired {
                items.append(
                    TodoItem(
                        category: .floating, severity: .warning, organisationID: nil, organisationName: "", ruleID: RuleID.mem01.code,
                        message:
                            "\(c.memberName) 报告的外出期限（流动党员活动证 \(c.certificateNumber)）已于 \(c.validUntil) 届满，尚未报告返回、收回活动证（\(RuleID.citing(.mem01, .mem03))）",
                        link: "/floating", dueOn: c.validUntil, key: "floating:\(c.id)"))
            }
        }
        return items
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var membersTodo: MembersTodoSource {
        MembersTodoSource(transfers: transfers, floating: floating)
    }
}
