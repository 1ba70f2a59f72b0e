public import Foundation
public import DangjianDomain
import SQLKit

/// One organisation's organisational-life state on a day.
public struct OrganisationCompliance: Sendable {
    public var organisation: Organisation
    /// Current and just-ended periods of every requirement that applies, worst first.
    public var findings: [ComplianceFinding]

    /// The worst state, or nil when no requirement applies (committees, dissolved …).
    public var worst: ComplianceState? { findings.map(\.state).max() }
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

/// One tile of the 实时质量图: an organisation's state now and, month by month this year, whether everything due
/// was held (a star, 按月贴星).
public struct BoardTile: Sendable {
    public var organisation: Organisation
    public var worst: ComplianceState
    /// January … the current month: the worst state of the periods each month belongs to.
    public var months: [ComplianceState?]
    /// January … the last finished month: a star when everything that fell due by the month's end was held (the
    /// month's own requirements and any quarter or year ending with it).
    public var starred: [Bool]

    public var stars: Int { starred.filter { $0 }.count }
}

/// One month of an organisation's year (the calendar heat-map): activities held that month by kind and the worst
/// state of the periods that month belongs to.
public struct ComplianceMonth: Sendable {
    public var month: Int
    public var held: [MeetingKind: Int]
    public var state: ComplianceState?
    public var findings: [ComplianceFinding]
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
        anchorID: Int64, scope: OrganisationScope, access: OrganisationAccess, today: CivilDate, windows: [ReadWindow]
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
            return SubtreeRecords(organisations: orgs, fullMembers: full, held: held, since: try await Self.established(orgs.map(\.id), db: db))
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
            let records = try await records(anchorID: anchorID, scope: scope, access: access, today: today, windows: windows)
            return ComplianceRollUp(today: today, rules: rules.version, organisations: Self.judge(records, today: today, rules: rules))
        }
    }

    static func judge(_ records: SubtreeRecords, today: CivilDate, rules: RuleBook) -> [OrganisationCompliance] {
        records.organisations.map { org in
            OrganisationCompliance(
                organisation: org,
                findings: LifeCompliance.current(
                    requirements: records.requirements(of: org, rules: rules), heldOn: records.held[org.id] ?? [:], today: today,
                    since: records.since[org.id], rules: rules))
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
        let records = try await records(anchorID: anchorID, scope: scope, access: access, today: today, windows: windows)
        return Self.judge(records, today: today, rules: rules).compactMap { judged in
            guard let worst = judged.worst else { return nil }
            let org = judged.organisation
            let requirements = records.requirements(of: org, rules: rules)
            var months: [ComplianceState?] = []
            var starred: [Bool] = []
            for month in 1...today.month {
                let first = today.firstDay(ofMonth: month)
                let findings = requirements.compactMap { r in
                    LifeCompliance.evaluate(
                        r, period: CompliancePeriod(r.length, containing: first), heldOn: records.held[org.id]?[r.kind] ?? [],
                        today: today, since: records.since[org.id], rules: rules)
                }
                months.append(findings.map(\.state).max())
                let monthEnd = CompliancePeriod(.month, containing: first).end
                if monthEnd < today {
                    let due = findings.filter { $0.period.end <= monthEnd }
                    starred.append(!due.isEmpty && due.allSatisfy { $0.state == .met })
                }
            }
            return BoardTile(organisation: org, worst: worst, months: months, starred: starred)
        }
    }

    /// An organisation's year month by month (the calendar heat-map), judged on `today`.
    public func year(
        _ calendarYear: CalendarYear, organisationID: Int64, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> [ComplianceMonth] {
        let today = today ?? CivilDate(date: clock.now())
        let rules = try await RuleBookRepository.inForce(in: database, on: min(today, calendarYear.lastDay))
        let year = calendarYear.value
        return try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let fullRow = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM members WHERE organisation_id = \(bind: org.id) AND deleted_at IS NULL AND party_status = \(bind: PartyStatus.full.rawValue)
                AND membership_state IN (\(binds: MembershipState.onRosterValues))
                """
            ).first()
            let requirements = LifeCompliance.requirements(for: org.type, fullMembers: try fullRow?.value("n", Int.self) ?? 0, rules: rules)
            var held: [MeetingKind: [CivilDate]] = [:]
            for row in try await db.raw(
                """
                SELECT kind, held_on FROM meetings WHERE organisation_id = \(bind: org.id) AND deleted_at IS NULL
                AND held_on >= \(bind: "\(year)-01-01") AND held_on <= \(bind: "\(year)-12-31")
                """
            ).all() {
                guard let kind = MeetingKind(rawValue: try row.value("kind")), let day = CivilDate(iso: try row.value("held_on")) else { continue }
                held[kind, default: []].append(day)
            }
            let since = try await Self.established([org.id], db: db)[org.id]
            return (1...12).map { month in
                let first = calendarYear.firstDay(ofMonth: month)
                var counts: [MeetingKind: Int] = [:]
                for (kind, days) in held { counts[kind] = days.filter { $0.year == year && $0.month == month }.count }
                // Months still ahead are left blank even where a yearly period has begun.
                let findings =
                    first > today
                    ? []
                    : requirements.compactMap { r in
                        LifeCompliance.evaluate(
                            r, period: CompliancePeriod(r.length, containing: first), heldOn: held[r.kind] ?? [], today: today, since: since,
                            rules: rules)
                    }
                return ComplianceMonth(month: month, held: counts, state: findings.map(\.state).max(), findings: findings)
            }
        }
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
