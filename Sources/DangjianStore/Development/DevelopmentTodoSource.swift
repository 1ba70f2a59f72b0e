public import DangjianDomain
import SQLKit

/// 发展党员 in 待办: the time limits of open case files due soon or missed (DEV-03/07/16/24/26/28/30), for those who
/// keep the files; many become one line pointing to the plan.
public struct DevelopmentTodoSource: TodoSource {
    let database: Database
    let organisations: OrganisationRepository

    public init(database: Database, organisations: OrganisationRepository) {
        self.database = database
        self.organisations = organisations
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let write = principal.access(for: .membersWrite)
        var items: [TodoItem] = []
        for reach in write.reaches {
            let rows = try await database.read { db in
                try await DevelopmentRepository.plan(anchorID: reach.organisationID, scope: reach.scope, access: write, today: today, db: db)
            }.filter { !$0.deadlines.isEmpty }
            // DEV-28 for members with an open case file comes from here (it knows an extension), not from the roster.
            let all = rows.flatMap { row in row.deadlines.map { (row, $0) } }
            guard !all.isEmpty else { continue }
            let names = try await organisations.labels(Set(rows.map(\.organisationID) + [reach.organisationID]))
            if all.count > TodoBoard.detailLimit {
                let red = all.filter { $0.1.status == .overdue }.count
                items.append(
                    TodoItem(
                        category: .development, severity: red > 0 ? .urgent : .warning, organisationID: reach.organisationID,
                        organisationName: names[reach.organisationID] ?? "", ruleID: RuleID.span(.dev03, .dev30),
                        message: "发展党员：\(Set(all.map(\.0.caseID)).count) 份档案有 \(red) 项逾期、\(all.count - red) 项临期，请在发展党员计划中办理",
                        link: "/development?org=\(reach.organisationID)&scope=\(reach.scope.rawValue)", dueOn: nil,
                        key: "development-summary:\(reach.organisationID):\(today.year)-\(today.month):\(red):\(all.count)"))
                continue
            }
            for (row, deadline) in all {
                items.append(
                    TodoItem(
                        category: .development, severity: deadline.status == .overdue ? .urgent : .warning, organisationID: row.organisationID,
                        organisationName: names[row.organisationID] ?? "", ruleID: deadline.ruleID,
                        message: "\(row.applicantName)（\(deadline.status.displayName)）：\(deadline.message)（\(deadline.ruleID)）",
                        link: "/development/\(row.caseID)", dueOn: deadline.dueOn,
                        key: "development:\(row.caseID):\(deadline.ruleID):\(deadline.dueOn):\(deadline.status.rawValue)"))
            }
        }
        return items
    }

    /// 三单一账: tasks and problems 临期/逾期 (LIST-01/02), problems to plan, closures to accept (for the office),
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var developmentTodo: DevelopmentTodoSource {
        DevelopmentTodoSource(database: database, organisations: organisations)
    }
}
