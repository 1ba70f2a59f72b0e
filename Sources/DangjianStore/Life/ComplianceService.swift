public import Foundation
public import DangjianDomain
import SQLKit

/// One organisation's state on a day (`Standing`, decision 0032): its organisational-life requirements and its
/// duty-list items, each in the period running today and in the one that ended last month.
public struct OrganisationCompliance: Sendable {
    public var organisation: Organisation
    /// Current and just-ended periods of every requirement that applies, worst first.
    public var findings: [ComplianceFinding]
    /// The duty-list items (责任清单) in the periods that count now.
    public var duties: [DutyPeriodState] = []

    /// The worst state now (`Standing.now`), or nil when nothing applies (committees, dissolved …).
    public var worst: ComplianceState? { (findings.map(\.state) + duties.map(\.state)).max() }

    /// What needs attention, each naming its rule: life requirements, then duty items.
    public var problems: [String] {
        findings.filter { $0.state >= .dueSoon }.map(\.message)
            + duties.filter { $0.state >= .dueSoon }.map { p in
                "\(p.period)责任清单“\(p.item.title)”\(p.state == .overdue ? "未完成" : "尚未完成，\(p.period.end) 截止")（\(ListRule.dutyWarning)）"
            }
    }
}

/// A roll-up for a subtree: every organisation's state and the counts per state.
public struct ComplianceRollUp: Sendable {
    public var today: CivilDate
    public var rules: String
    public var organisations: [OrganisationCompliance]

    /// Organisations with requirements, by worst state.
    public var counts: [ComplianceState: Int] {
        var c: [ComplianceState: Int] = [:]
        for o in organisations { if let w = o.worst { c[w, default: 0] += 1 } }
        return c
    }
}

/// One tile of the 实时质量图: an organisation's state now and, month by month this year, the state of what fell due
/// in the month and its star (按月贴星) — organisational life and the duty list together (`Standing`).
public struct BoardTile: Sendable {
    public var organisation: Organisation
    public var worst: ComplianceState
    /// January … the current month.
    public var months: [StandingMonth]

    public var stars: Int { months.filter(\.star).count }
}

/// One month of an organisation's year (the calendar heat-map): activities held that month by kind, and what fell
/// due in the month with its state and star (`Standing`: a yearly item falls due in December only).
public struct ComplianceMonth: Sendable {
    public var month: Int
    public var held: [MeetingKind: Int]
    public var standing: StandingMonth?
    public var state: ComplianceState? { standing?.state }
    /// The requirement periods and duty items that fell due in the month.
    public var findings: [ComplianceFinding]
    public var duties: [DutyPeriodState]
}

/// An organisation's year: the months, and the yearly requirements and duty items judged in their own period (shown
/// once, not in every month).
public struct ComplianceYear: Sendable {
    public var months: [ComplianceMonth]
    public var yearly: [ComplianceFinding]
    public var yearlyDuties: [DutyPeriodState]
    public var stars: Int { months.filter { $0.standing?.star == true }.count }
}

/// The compliance engine (组织生活达标): requirements from the rule book in force, what was held from the ledger.
public struct ComplianceService: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    /// What judging a subtree needs, read in four queries: its active organisations, their full members, the dates
    /// of this and last year's activities, and their establishment dates.
    struct SubtreeRecords {
        var organisations: [Organisation]
        var fullMembers: [Int64: Int]
        var held: [Int64: [MeetingKind: [CivilDate]]]
        var since: [Int64: CivilDate]
        /// The organisations' duty-list standings of the years read (this year's, and last year's in January).
        var duties: [Int64: [DutyStanding]] = [:]

        func requirements(of org: Organisation, rules: RuleBook) -> [LifeRequirement] {
            LifeCompliance.requirements(for: org.type, fullMembers: fullMembers[org.id] ?? 0, rules: rules)
        }
    }

    /// Which activities to read: for each period length, the kinds the rule book requires at that length and the
    /// first day needed. Only what is judged is read (at city scale the ledger has hundreds of thousands of rows).
    struct ReadWindow {
        var kinds: [String]
        var from: CivilDate
    }

    /// One window per period length, from the first day `start` gives for it.
    static func windows(_ rules: RuleBook, from start: (PeriodLength) -> CivilDate) -> [ReadWindow] {
        PeriodLength.allCases.compactMap { length in
            let kinds = Set(rules.lifeRequirements.filter { $0.length == length }.map(\.kind.rawValue))
            return kinds.isEmpty ? nil : ReadWindow(kinds: kinds.sorted(), from: start(length))
        }
    }

    func records(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate, windows: [ReadWindow],
        dutiesJudgedBy rules: RuleBook? = nil
    ) async throws -> SubtreeRecords {
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            let scopeSQL = AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")
            let accessSQL = AccessSQL.predicate(access, alias: "o")
            let orgs = try await db.raw(
                """
                SELECT o.* FROM organisations o WHERE \(scopeSQL) AND \(accessSQL) AND o.dissolved_at IS NULL ORDER BY o.path
                """
            ).all().map(OrganisationRepository.decode)
            var full: [Int64: Int] = [:]
            for row in try await db.raw(
                """
                SELECT m.organisation_id, COUNT(*) AS n FROM members m JOIN organisations o ON o.id = m.organisation_id
                WHERE \(scopeSQL) AND \(accessSQL) AND m.deleted_at IS NULL AND m.party_status = \(bind: PartyStatus.full.rawValue) AND m.membership_state IN (\(binds: MembershipState.onRosterValues))
                GROUP BY m.organisation_id
                """
            ).all() { full[try row.value("organisation_id")] = try row.value("n") }
            var held: [Int64: [MeetingKind: [CivilDate]]] = [:]
            var window: SQLQueryString = "0 = 1"
            for w in windows { window = window + " OR (g.kind IN (\(binds: w.kinds)) AND g.held_on >= \(bind: w.from.description))" }
            for row in try await db.raw(
                """
                SELECT g.organisation_id, g.kind, g.held_on FROM meetings g JOIN organisations o ON o.id = g.organisation_id
                WHERE \(scopeSQL) AND \(accessSQL) AND g.deleted_at IS NULL AND (\(window)) AND g.held_on <= \(bind: today.description)
                """
            ).all() {
                guard let kind = MeetingKind(rawValue: try row.value("kind")), let day = CivilDate(iso: try row.value("held_on")) else { continue }
                held[try row.value("organisation_id"), default: [:]][kind, default: []].append(day)
            }
            // Duty lists when asked (the board and the roll-up): this year's, and last year's in January, when a duty
            // item of December still counts now.
            var duties: [Int64: [DutyStanding]] = [:]
            if let rules {
                let years = Array(Set([today.year, CompliancePeriod(.month, containing: today).previous.start.year])).sorted()
                // The meetings read above cover every period that counts now (and the board's year) for the kinds
                // the rule book requires; a duty item fed by another kind has its kind read by `standings`.
                duties = try await DutyListRepository.standings(
                    organisationIDs: orgs.map(\.id), years: years, today: today, rules: rules, db: db,
                    alreadyRead: (Set(windows.flatMap(\.kinds).compactMap(MeetingKind.init(rawValue:))), held))
            }
            return SubtreeRecords(
                organisations: orgs, fullMembers: full, held: held, since: try await Self.established(orgs.map(\.id), db: db), duties: duties)
        }
    }

    /// Judged results are kept for up to a minute, keyed by everything they depend on: the database, the subtree, the
    /// caller's reach, the day, the rule version and the newest audit record — every write (a meeting, a member, an
    /// organisation change) appends one, so any change makes a new key. Boards on many screens and to-do lists then
    /// share one computation until something changes.
    static let rollUpCache = ShortLivedCache<ComplianceRollUp>(ttl: 60)
    static let boardCache = ShortLivedCache<[BoardTile]>(ttl: 60)

    func cacheKey(
        _ what: String, anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate, rules: RuleBook
    ) async throws -> String {
        let stamp =
            try await database.read { db in try await db.raw("SELECT MAX(id) AS n FROM audit_log").first()?.value("n", Int64?.self) ?? 0 } ?? 0
        let reach = access.isUnrestricted ? "all" : access.reaches.map { "\($0.organisationID)/\($0.scope.rawValue)" }.sorted().joined(separator: ",")
        return "\(ObjectIdentifier(database))|\(what)|\(anchorID)|\(scope.rawValue)|\(reach)|\(today)|\(rules.version)|\(stamp)"
    }

    /// The organisations at `anchorID` within `scope` (inside `access`) with their state on `today` (default: now).
    public func rollUp(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> ComplianceRollUp {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        let key = try await cacheKey("rollup", anchorID: anchorID, scope: scope, access: access, today: today, rules: rules)
        return try await Self.rollUpCache.value(key) {
            // The current period of each requirement and the one before it.
            let windows = Self.windows(rules) { CompliancePeriod($0, containing: today).previous.start }
            let records = try await records(
                anchorID: anchorID, scope: scope, access: access, today: today, windows: windows, dutiesJudgedBy: rules)
            return ComplianceRollUp(today: today, rules: rules.version, organisations: Self.judge(records, today: today, rules: rules))
        }
    }

    static func judge(_ records: SubtreeRecords, today: CivilDate, rules: RuleBook) -> [OrganisationCompliance] {
        records.organisations.map { org in
            OrganisationCompliance(
                organisation: org,
                findings: LifeCompliance.current(
                    requirements: records.requirements(of: org, rules: rules), heldOn: records.held[org.id] ?? [:], today: today,
                    since: records.since[org.id], rules: rules),
                duties: (records.duties[org.id] ?? []).flatMap(\.periods).filter { Standing.countsNow($0.period, today: today) })
        }
    }

    /// The 实时质量图 for a subtree: every organisation with requirements, its state now and its months this year.
    /// The same four queries as the roll-up; no personal data.
    public func board(anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate? = nil) async throws -> [BoardTile] {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        let key = try await cacheKey("board", anchorID: anchorID, scope: scope, access: access, today: today, rules: rules)
        return try await Self.boardCache.value(key) {
            try await computeBoard(anchorID: anchorID, scope: scope, access: access, today: today, rules: rules)
        }
    }

    func computeBoard(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate, rules: RuleBook
    ) async throws -> [BoardTile] {
        // The periods of this year's months (from 1 January) and, for the tile's state, each requirement's previous period.
        let windows = Self.windows(rules) {
            min(
                CompliancePeriod($0, containing: today.startOfYear).start,
                CompliancePeriod($0, containing: today).previous.start)
        }
        let records = try await records(anchorID: anchorID, scope: scope, access: access, today: today, windows: windows, dutiesJudgedBy: rules)
        return Self.judge(records, today: today, rules: rules).compactMap { judged in
            guard let worst = judged.worst else { return nil }
            let org = judged.organisation
            let life = Self.periodsOfYear(
                records.requirements(of: org, rules: rules), year: today.year, heldOn: records.held[org.id] ?? [:], today: today,
                since: records.since[org.id], rules: rules)
            let duties = (records.duties[org.id] ?? []).filter { $0.year == today.year }.flatMap(\.periods)
            return BoardTile(organisation: org, worst: worst, months: Standing.months(life + duties, year: today.year, today: today))
        }
    }

    /// Every period of the requirements that has begun in `year` by `today`, judged on `today`.
    static func periodsOfYear(
        _ requirements: [LifeRequirement], year: Int, heldOn: [MeetingKind: [CivilDate]], today: CivilDate, since: CivilDate?, rules: RuleBook
    ) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        let first = CalendarYear(clamping: year).firstDay
        for r in requirements {
            var period = CompliancePeriod(r.length, containing: first)
            while period.start.year == year && period.start <= today {
                if let f = LifeCompliance.evaluate(r, period: period, heldOn: heldOn[r.kind] ?? [], today: today, since: since, rules: rules) {
                    findings.append(f)
                }
                period = CompliancePeriod(r.length, containing: period.end.adding(days: 1))
            }
        }
        return findings
    }

    /// The months of `year` of each organisation, with their states and stars (`Standing`): organisational life and
    /// the duty lists together, as on the board — for the duty-list pages and the ledger report.
    static func monthsOfYear(
        organisationIDs: [Int64], year: Int, today: CivilDate, rules: RuleBook, db: any SQLDatabase
    ) async throws -> [Int64: [StandingMonth]] {
        guard !organisationIDs.isEmpty else { return [:] }
        var orgs: [Organisation] = []
        for start in stride(from: 0, to: organisationIDs.count, by: 500) {
            let chunk = Array(organisationIDs[start..<min(start + 500, organisationIDs.count)])
            orgs += try await db.raw("SELECT * FROM organisations WHERE id IN (\(binds: chunk))").all().map(OrganisationRepository.decode)
        }
        let full = try await fullMembers(organisationIDs, db: db)
        let held = try await MeetingRepository.heldDates(
            organisationIDs: organisationIDs, kinds: Set(rules.lifeRequirements.map(\.kind)), years: [year], db: db)
        let since = try await established(organisationIDs, db: db)
        let duties = try await DutyListRepository.standings(organisationIDs: organisationIDs, years: [year], today: today, rules: rules, db: db)
        var result: [Int64: [StandingMonth]] = [:]
        for org in orgs {
            let requirements = LifeCompliance.requirements(for: org.type, fullMembers: full[org.id] ?? 0, rules: rules)
            let life = periodsOfYear(requirements, year: year, heldOn: held[org.id] ?? [:], today: today, since: since[org.id], rules: rules)
            result[org.id] = Standing.months(life + (duties[org.id] ?? []).flatMap(\.periods), year: year, today: today)
        }
        return result
    }

    /// An organisation's year month by month (the calendar heat-map), judged on `today`.
    public func year(
        _ calendarYear: CalendarYear, organisationID: Int64, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> ComplianceYear {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: min(today, calendarYear.lastDay))
        let year = calendarYear.value
        return try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let full = try await Self.fullMembers([org.id], db: db)[org.id] ?? 0
            let requirements = LifeCompliance.requirements(for: org.type, fullMembers: full, rules: rules)
            let held =
                try await MeetingRepository.heldDates(organisationIDs: [org.id], kinds: Set(MeetingKind.allCases), years: [year], db: db)[org.id]
                ?? [:]
            let since = try await Self.established([org.id], db: db)[org.id]
            let life = Self.periodsOfYear(requirements, year: year, heldOn: held, today: today, since: since, rules: rules)
            let duties =
                try await DutyListRepository.standings(organisationIDs: [org.id], years: [year], today: today, rules: rules, db: db)[org.id]?
                .flatMap(\.periods) ?? []
            let standing = Standing.months(life + duties, year: year, today: today)
            let months = (1...12).map { month in
                var counts: [MeetingKind: Int] = [:]
                for (kind, days) in held { counts[kind] = days.filter { $0.year == year && $0.month == month }.count }
                return ComplianceMonth(
                    month: month, held: counts, standing: standing.first { $0.month == month },
                    findings: life.filter { Standing.fallsDue($0.period, year: year, month: month) },
                    duties: duties.filter { Standing.fallsDue($0.period, year: year, month: month) })
            }
            return ComplianceYear(
                months: months, yearly: life.filter { $0.period.length == .year }, yearlyDuties: duties.filter { $0.period.length == .year })
        }
    }

    /// Full members on the roster (正常 or 失联) of each organisation — what LIFE-03's committee threshold counts.
    static func fullMembers(_ ids: [Int64], db: any SQLDatabase) async throws -> [Int64: Int] {
        var full: [Int64: Int] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await db.raw(
                """
                SELECT organisation_id, COUNT(*) AS n FROM members WHERE organisation_id IN (\(binds: chunk)) AND deleted_at IS NULL
                AND party_status = \(bind: PartyStatus.full.rawValue) AND membership_state IN (\(binds: MembershipState.onRosterValues))
                GROUP BY organisation_id
                """
            ).all() { full[try row.value("organisation_id")] = try row.value("n") }
        }
        return full
    }

    /// Establishment dates from the history (`0001-01-01`, "before records were kept", counts as unknown).
    static func established(_ ids: [Int64], db: any SQLDatabase) async throws -> [Int64: CivilDate] {
        var result: [Int64: CivilDate] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await db.raw(
                """
                SELECT organisation_id, MIN(effective_date) AS d FROM organisation_events WHERE kind = \(bind: OrganisationEventKind.established.rawValue)
                AND organisation_id IN (\(binds: chunk)) GROUP BY organisation_id
                """
            ).all() {
                if let d = CivilDate(iso: try row.value("d")), d.year > 1 { result[try row.value("organisation_id")] = d }
            }
        }
        return result
    }
}

extension ComplianceService {
    /// The monthly or quarterly report (组织生活月报/季报) of the subtree at `anchorID` for `period`, judged on the
    /// period's end (or today while it runs). The organisations are those active now; activities are read from the
    /// year before the period's year onwards so that every overlapping requirement period is complete.
    public func report(
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, period: CompliancePeriod,
        today: CivilDate? = nil
    ) async throws -> ComplianceReport {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: min(today, period.end))
        // Every requirement period overlapping the reporting period.
        let windows = Self.windows(rules) { CompliancePeriod($0, containing: period.start).start }
        let records = try await records(
            anchorID: anchorID, scope: scope, access: access, today: today > period.end ? period.end.adding(days: 1) : today, windows: windows)
        var anchor = records.organisations.first(where: { $0.id == anchorID })
        if anchor == nil { anchor = try await database.read { db in try await OrganisationRepository.find(anchorID, access: access, db: db) } }
        guard let anchor else {
            throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
        }
        return ComplianceReport.build(
            period: period, today: today, rules: rules, anchor: anchor, organisations: records.organisations,
            requirements: { records.requirements(of: $0, rules: rules) }, heldOn: records.held, since: records.since)
    }
}
