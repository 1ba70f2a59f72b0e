public import DangjianDomain
import SQLKit

/// 述职评议 in 待办: a reporter's organisation that has not uploaded the written report of an open round — 临期 in the
/// last 7 days before it is due, 逾期 after (REVIEW-01/02: a missing half-year report is overdue on 1 August).
public struct ReviewTodoSource: TodoSource {
    let database: Database

    public init(database: Database) { self.database = database }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        let access = principal.access(for: .ledgerWrite)
        guard !access.isEmpty else { return [] }
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT p.id, p.name, p.organisation_id, o.name AS organisation_name, r.name AS round_name, r.kind, r.year, r.held_on
                FROM review_reporters p JOIN review_rounds r ON r.id = p.round_id JOIN organisations o ON o.id = p.organisation_id
                WHERE r.state = \(bind: ReviewRoundState.open.rawValue) AND p.report_attachment_id IS NULL AND \(AccessSQL.predicate(access, alias: "o"))
                ORDER BY r.held_on LIMIT 200
                """
            ).all()
        }
        var items: [TodoItem] = []
        for r in rows {
            guard let heldOn = CivilDate(iso: try r.value("held_on")) else { continue }
            let kind = ReviewRoundKind(rawValue: try r.value("kind")) ?? .annual
            let due = kind.reportDue(year: try r.value("year"), heldOn: heldOn)
            let severity: TodoItem.Severity = today > due ? .urgent : today.adding(days: 7) >= due ? .warning : .info
            guard severity != .info || today.adding(days: 30) >= due else { continue }
            let id: Int64 = try r.value("id")
            let name: String = try r.value("name")
            items.append(
                TodoItem(
                    category: .review, severity: severity, organisationID: try r.value("organisation_id"),
                    organisationName: try r.value("organisation_name"), ruleID: RuleID.review02.code,
                    message:
                        "\(try r.value("round_name", String.self))：\(name)的书面述职报告\(today > due ? "已逾期" : "")未上传，应于 \(due) 前上传（\(RuleID.review02.code)）",
                    link: "/review/reporters/\(id)", dueOn: due, key: "review-report:\(id)"))
        }
        return items
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var reviewTodo: ReviewTodoSource { ReviewTodoSource(database: database) }
}
