public import DangjianDomain
import SQLKit

/// 组织生活 in 待办: requirements due or overdue in the organisations a user looks after (LIFE-01…09), one summary
/// line per grant above `TodoBoard.detailLimit` organisations, and members who have not taken part for months (DUES-13).
public struct LifeTodoSource: TodoSource {
    let database: Database
    let organisations: OrganisationRepository
    let compliance: ComplianceService
    let participation: ParticipationService

    public init(database: Database, organisations: OrganisationRepository, compliance: ComplianceService, participation: ParticipationService) {
        self.database = database
        self.organisations = organisations
        self.compliance = compliance
        self.participation = participation
    }

    public func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem] {
        var items: [TodoItem] = []
        let membersAccess = principal.access(for: .membersRead)
        let writeAccess = principal.access(for: .membersWrite)

        for reach in membersAccess.reaches {
            // Organisational life in the organisations this grant covers.
            let rollUp = try await compliance.rollUp(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, today: today)
            let judged = rollUp.organisations.filter { $0.worst != nil }
            if judged.count <= TodoBoard.detailLimit {
                for org in judged {
                    // A record link only where this user may record; otherwise the organisation's year.
                    let canRecord = writeAccess.covers(path: org.organisation.path, parentID: org.organisation.parentID)
                    for f in org.findings where f.state != .met && (f.state != .pending || f.period.contains(today)) {
                        let severity: TodoItem.Severity = f.state == .overdue ? .urgent : f.state == .dueSoon ? .warning : .info
                        items.append(
                            TodoItem(
                                category: .life, severity: severity, organisationID: org.organisation.id, organisationName: org.organisation.name,
                                ruleID: f.requirement.ruleID, message: f.message,
                                link: canRecord
                                    ? "/orgs/\(org.organisation.id)/meetings/new?kind=\(f.requirement.kind.rawValue)"
                                    : "/orgs/\(org.organisation.id)/meetings",
                                dueOn: f.period.end,
                                key:
                                    "life:\(org.organisation.id):\(f.requirement.ruleID):\(f.requirement.kind.rawValue):\(f.period.start):\(f.state.rawValue)"
                            ))
                    }
                }
            } else {
                let counts = rollUp.counts
                let red = counts[.overdue] ?? 0, yellow = counts[.dueSoon] ?? 0
                var anchor = rollUp.organisations.first { $0.organisation.id == reach.organisationID }?.organisation
                if anchor == nil { anchor = try await organisations.find(reach.organisationID, access: membersAccess) }
                if red + yellow > 0, let anchor {
                    items.append(
                        TodoItem(
                            category: .life, severity: red > 0 ? .urgent : .warning, organisationID: anchor.id, organisationName: anchor.name,
                            ruleID: RuleID.span(.life01, .life09),
                            message: "所辖 \(judged.count) 个党组织中，\(red) 个组织生活逾期、\(yellow) 个临期，请督促（\(RuleID.span(.life01, .life09))）",
                            link: "/compliance?org=\(anchor.id)&scope=\(reach.scope.rawValue)&problems=1", dueOn: nil,
                            key: "life-summary:\(anchor.id):\(today.year)-\(today.month):\(red):\(yellow)"))
                }
            }
            // Members who have not taken part for months (DUES-13), and leading cadres absent from their own branch's
            // organisational life for the last quarter (LIFE-10): a person checks, nothing is automatic.
            for row in try await participation.flagged(anchorID: reach.organisationID, scope: reach.scope, access: membersAccess, today: today) {
                let p = row.participation
                items.append(
                    TodoItem(
                        category: .participation, severity: p.level == .review ? .urgent : .warning, organisationID: row.organisationID,
                        organisationName: "", ruleID: p.level > .none ? RuleID.dues13.code : RuleID.life10.code,
                        message: "\(row.name)：\(p.message ?? "")",
                        link: "/participation?org=\(row.organisationID)&scope=own", dueOn: nil,
                        key:
                            "participation:\(row.memberID):\(p.since?.start.description ?? ""):\(p.level.rawValue)\(p.dualLife == nil ? "" : ":life10")"
                    ))
            }
        }
        return items
    }
}

extension StoreServices {
    /// This capability's 待办 over the graph.
    public var lifeTodo: LifeTodoSource {
        LifeTodoSource(database: database, organisations: organisations, compliance: compliance, participation: participation)
    }
}
