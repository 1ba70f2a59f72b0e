public import DangjianDomain
import SQLKit

/// Loads the raw facts of the lists and ledger for a subtree and builds the 月通报 (`LedgerReport`).
public struct LedgerReportService: Sendable {
    let database: Database
    let clock: any WallClock
    let duties: DutyListRepository

    public init(database: Database, clock: any WallClock, duties: DutyListRepository) {
        self.database = database
        self.clock = clock
        self.duties = duties
    }

    /// The report of the month containing `month` for the organisations at `anchorID` within `scope` that have any
    /// task, problem, visit or letter; `today` defaults to now.
    public func report(
        anchorID: Int64, scope: OrganisationScope, month: CivilDate, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> LedgerReport {
        let today = today ?? CivilDate(date: clock.now())
        let period = CompliancePeriod(.month, containing: month)
        let dutyLists = try await duties.lists(anchorID: anchorID, scope: scope, year: period.start.year, access: access, today: today)
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let inScope: SQLQueryString =
                "\(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o"))"
            var names: [Int64: String] = [:]
            func name(_ r: any SQLRow) throws -> Int64 {
                let id: Int64 = try r.value("organisation_id")
                if names[id] == nil {
                    let short: String? = try r.optional("short_name")
                    names[id] = try short.flatMap { $0.isEmpty ? nil : $0 } ?? r.value("name")
                }
                return id
            }
            let tasks = try await db.raw(
                """
                SELECT a.organisation_id, o.name, o.short_name, t.deadline, a.done_on FROM task_assignments a
                JOIN campaign_tasks t ON t.id = a.task_id JOIN organisations o ON o.id = a.organisation_id WHERE \(inScope)
                """
            ).all().map { r in
                LedgerReport.TaskFact(
                    organisationID: try name(r), deadline: try r.date("deadline"),
                    doneOn: (try r.optional("done_on", String.self)).flatMap(CivilDate.init(iso:)))
            }
            let problemRows = try await db.raw(
                """
                SELECT p.id, p.organisation_id, o.name, o.short_name, p.source, p.found_on, p.found_deadline FROM problems p
                JOIN organisations o ON o.id = p.organisation_id WHERE \(inScope) ORDER BY p.id
                """
            ).all()
            var transitions: [Int64: [(on: CivilDate, state: ProblemState, deadline: CivilDate)]] = [:]
            var deadlines: [Int64: CivilDate] = [:]
            for r in problemRows { deadlines[try r.value("id")] = try r.date("found_deadline") }
            for e in try await db.raw(
                """
                SELECT e.problem_id, e.event_date, e.state_after, e.deadline FROM problem_events e JOIN problems p ON p.id = e.problem_id
                JOIN organisations o ON o.id = p.organisation_id WHERE \(inScope) ORDER BY e.id
                """
            ).all() {
                let id: Int64 = try e.value("problem_id")
                if let d = (try e.optional("deadline", String.self)).flatMap(CivilDate.init(iso:)) { deadlines[id] = d }
                transitions[id, default: []].append(
                    (
                        try e.date("event_date"), ProblemState(rawValue: try e.value("state_after")) ?? .found,
                        try deadlines[id].required("problem", id)
                    ))
            }
            let problems = try problemRows.map { r in
                let id: Int64 = try r.value("id")
                return LedgerReport.ProblemFact(
                    organisationID: try name(r), source: ProblemSource(rawValue: try r.value("source")) ?? .other,
                    foundOn: try r.date("found_on"), deadline: try r.date("found_deadline"),
                    transitions: transitions[id] ?? [])
            }
            let visits = try await db.raw(
                """
                SELECT v.round_id, v.group_id, v.organisation_id, o.name, o.short_name, v.visited_on FROM supervision_visits v
                JOIN organisations o ON o.id = v.organisation_id WHERE \(inScope)
                """
            ).all().map { r in
                LedgerReport.VisitFact(
                    roundID: try r.value("round_id"), groupID: try r.value("group_id"), organisationID: try name(r),
                    visitedOn: try r.date("visited_on"))
            }
            let letters = try await db.raw(
                """
                SELECT l.organisation_id, o.name, o.short_name, l.issued_on, l.acknowledged_on FROM supervision_letters l
                JOIN organisations o ON o.id = l.organisation_id WHERE \(inScope)
                """
            ).all().map { r in
                LedgerReport.LetterFact(
                    organisationID: try name(r), issuedOn: try r.date("issued_on"),
                    acknowledgedOn: (try r.optional("acknowledged_on", String.self)).flatMap(CivilDate.init(iso:)))
            }
            // Organisations with a duty list are on the report too.
            if !dutyLists.isEmpty {
                let missing = Set(dutyLists.map(\.organisationID)).filter { names[$0] == nil }
                for id in missing {
                    if let o = try await OrganisationRepository.find(id, access: .maintenance, db: db) { names[id] = o.label }
                }
            }
            return LedgerReport(
                period: period, today: today, names: names, tasks: tasks, problems: problems, visits: visits, letters: letters,
                duties: dutyLists.map { LedgerReport.DutyFact($0.standing, months: $0.months, organisationID: $0.organisationID) })
        }
    }
}
