public import DangjianDomain
import SQLKit

/// 换届 in 待办: terms ending within six months or overdue (ORG-T3/T4), for those who keep the organisations.
public struct TermTodoSource: TodoSource {
    let terms: TermRepository

    public init(terms: TermRepository) {
        self.terms = terms
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        var items: [TodoItem] = []
        let orgAccess = principal.access(for: .organisationsRead)
        // Terms ending within six months or overdue (ORG-T3/T4), for those who keep the organisations.
        for reach in orgAccess.reaches {
            for row
                in try await terms
                .ledger(anchorID: reach.organisationID, scope: reach.scope, months: 6, access: orgAccess)
            {
                guard let status = row.status else { continue }
                let severity: TodoItem.Severity
                switch status {
                case .overdue: severity = .urgent
                case .dueSoon: severity = .warning
                default: continue
                }
                items.append(
                    TodoItem(
                        category: .term, severity: severity, organisationID: row.organisation.id, organisationName: row.organisation.name,
                        ruleID: status.ruleID, message: "\(status.message)（\(status.ruleID)）", link: "/orgs/\(row.organisation.id)",
                        dueOn: row.term?.endDate,
                        key: "term:\(row.organisation.id):\(row.term?.id ?? 0):\(status.ruleID)"))
            }
        }
        return items
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var termTodo: TermTodoSource {
        TermTodoSource(terms: terms)
    }
}
