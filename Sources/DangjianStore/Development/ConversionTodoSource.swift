public import DangjianDomain
import SQLKit

/// Conversions to vote on in 待办: probationary members whose year ends within 30 days or has ended (DEV-27/28), or
/// who were received by transfer during probation (DEV-31) — the branch general meeting discusses and votes (LIFE-02).
/// Members whose case file is still open are reminded from the case (`DevelopmentTodoSource`).
public struct ConversionTodoSource: TodoSource {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        var items: [TodoItem] = []
        let writeAccess = principal.access(for: .membersWrite)
        // Votes to hold: probationary members whose year ends within 30 days or has ended (DEV-27/28) — the branch
        // general meeting discusses conversion and votes (LIFE-02).
        if !writeAccess.isEmpty {
            let rules = try await RuleBookRepository.inForce(in: database, on: today)
            // Probation ends on join date + probationYears: due when the join date is on or before today + 30 days − the probation.
            let latestJoin = today.adding(days: 30).adding(years: -rules.probationYears)
            for reach in writeAccess.reaches {
                // Members whose case file is still open are reminded from the case (development items).
                let rows = try await database.read { db -> [(Int64, String, Int64, String, String, String?)] in
                    guard let anchor = try await OrganisationRepository.find(reach.organisationID, access: writeAccess, db: db) else { return [] }
                    return try await db.raw(
                        """
                        SELECT m.id, m.name, m.organisation_id, m.join_date, o.name AS org_name,
                            (SELECT MAX(t.received_on) FROM member_transfers t WHERE t.member_id = m.id AND t.status = \(bind: MemberTransfer.Status.received.rawValue)) AS received_on
                        FROM members m JOIN organisations o ON o.id = m.organisation_id
                        WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, reach.scope, alias: "o")) AND \(AccessSQL.predicate(writeAccess, alias: "o"))
                        AND m.deleted_at IS NULL AND m.party_status = \(bind: PartyStatus.probationary.rawValue) AND m.membership_state = \(bind: MembershipState.normal.rawValue) AND m.join_date <= \(bind: latestJoin.description)
                        AND NOT EXISTS (SELECT 1 FROM development_cases c WHERE c.member_id = m.id AND c.status = \(bind: DevelopmentCaseStatus.open.rawValue))
                        ORDER BY m.join_date LIMIT 200
                        """
                    ).all().map {
                        (
                            try $0.value("id"), try $0.value("name"), try $0.value("organisation_id"), try $0.value("join_date"),
                            try $0.value("org_name"),
                            try $0.optional("received_on", String.self)
                        )
                    }
                }
                for (id, name, orgID, joined, orgName, received) in rows {
                    guard let join = CivilDate(iso: joined) else { continue }
                    let end = join.adding(years: rules.probationYears)
                    // DEV-31: a probationary member received by transfer during probation may have the discussion put
                    // off by up to 6 months; the conversion date stays the end of probation.
                    if let received = received.flatMap(CivilDate.init(iso:)), received > join, received <= end {
                        let latest = end.adding(months: 6)
                        items.append(
                            TodoItem(
                                category: .vote, severity: latest < today ? .urgent : .warning, organisationID: orgID, organisationName: orgName,
                                ruleID: RuleID.dev31.code,
                                message:
                                    "\(name)（预备期内转入）的预备期\(end < today ? "已于" : "将于") \(end) 期满，确有需要可推迟讨论转正，最迟不超过 \(latest)；转正的，转正日期仍为 \(end)（\(RuleID.dev31)）",
                                link: "/orgs/\(orgID)/meetings/new?kind=general_meeting", dueOn: latest,
                                key: "vote:conversion:\(id):\(end):transferred"))
                        continue
                    }
                    items.append(
                        TodoItem(
                            category: .vote, severity: end < today ? .urgent : .warning, organisationID: orgID, organisationName: orgName,
                            ruleID: RuleID.dev28.code,
                            message: end < today
                                ? "\(name) 的预备期已于 \(end) 期满，应及时召开支部党员大会讨论转正并表决（\(RuleID.dev28)）"
                                : "\(name) 的预备期将于 \(end) 期满，请准备召开支部党员大会讨论转正（\(RuleID.dev28)）",
                            link: "/orgs/\(orgID)/meetings/new?kind=general_meeting", dueOn: end, key: "vote:conversion:\(id):\(end)"))
                }
            }
        }
        return items
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var conversionTodo: ConversionTodoSource {
        ConversionTodoSource(database: database)
    }
}
