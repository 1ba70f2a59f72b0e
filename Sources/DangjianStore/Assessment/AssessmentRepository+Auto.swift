public import DangjianDomain
import SQLKit

/// What an automatic value was computed from (EVAL-14: stored with the value).
public struct AutoIndicatorInputs: Sendable, Equatable, Codable {
    public var actual: Int
    public var required: Int
    /// In words, for the page and the export ("已开展 11 期，应开展 12 期").
    public var note: String
}

/// Automatic indicators (ASSESS-05) and the three-years rule (ASSESS-06), computed for every unit's subtree at the
/// round's data cut-off and stored with their inputs (EVAL-14); recomputing replaces them until 审定, after which
/// they never change. Dues on time reads the year's payments and settlements of the units' members (two queries for
/// all of them); training and 双报到 join when those capabilities exist.
extension AssessmentRepository {
    /// ASSESS-05 dues on time per organisation: for the members on each roster with a dues base, the member-months
    /// due in `year` through the cut-off and those settled by a payment made by the month's end (DuesPunctuality);
    /// two queries for all the organisations. Exemptions are not subtracted (a 0-yuan month is still settled).
    static func duesPunctuality(organisationIDs: [Int64], year: Int, cutoff: CivilDate, db: any SQLDatabase) async throws -> [Int64: (Int, Int)] {
        guard !organisationIDs.isEmpty else { return [:] }
        let ids = SQLList(organisationIDs.map { SQLBind($0) })
        let members = try await db.raw(
            """
            SELECT m.id, m.organisation_id, m.join_date, (SELECT MIN(b.year) FROM dues_bases b WHERE b.member_id = m.id) AS first_year
            FROM members m WHERE m.organisation_id IN (\(ids)) AND m.deleted_at IS NULL
              AND m.membership_state IN (\(binds: MembershipState.onRosterValues)) AND EXISTS (SELECT 1 FROM dues_bases b WHERE b.member_id = m.id)
            """
        ).all()
        var paid: [Int64: [DuesMonth: CivilDate]] = [:]
        for r in try await db.raw(
            """
            SELECT s.member_id, s.month, p.paid_on FROM dues_settlements s JOIN dues_payments p ON p.id = s.payment_id
                JOIN members m ON m.id = s.member_id
            WHERE m.organisation_id IN (\(ids)) AND s.month >= \(bind: "\(year)-01") AND s.month <= \(bind: "\(year)-12")
            """
        ).all() {
            guard let month = DuesMonth.parse(try r.value("month")), let day = CivilDate(iso: try r.value("paid_on")) else { continue }
            paid[try r.value("member_id", Int64.self), default: [:]][month] = day
        }
        var result: [Int64: (Int, Int)] = [:]
        for r in members {
            let id: Int64 = try r.value("id")
            let since = DuesRepository.owesSince(
                joinDate: try r.optional("join_date", String.self), firstBaseYear: try r.optional("first_year", Int64.self))
            let counted = DuesPunctuality.count(owingSince: since, year: year, cutoff: cutoff, paidOn: paid[id] ?? [:])
            let org: Int64 = try r.value("organisation_id")
            result[org] = ((result[org]?.0 ?? 0) + counted.onTime, (result[org]?.1 ?? 0) + counted.due)
        }
        return result
    }

    /// Computes and stores the automatic values of every unit; returns how many values were stored.
    @discardableResult
    public func computeAutoIndicators(roundID: Int64, access: OrganisationAccess, actor: Actor) async throws -> Int {
        let now = clock.now().epochSeconds
        return try await database.write(largeWrite: true) { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.closed(round) }
            guard let version = try await Self.schemeVersion(round.schemeVersionID, db: db) else {
                throw RecordNotFound(objectType: "assessment_scheme_version", objectID: String(round.schemeVersionID))
            }
            let scheme = version.scheme
            let cutoff = round.timetable.dataCutoff
            let year = cutoff.year
            let rules = try await RuleBookRepository.inForce(in: database, on: cutoff)
            let units = try await Self.units(roundID, db: db)
            let autos = scheme.indicators.filter { $0.source == .auto && $0.autoKind != nil }
            let drought = scheme.deductionItems.first { $0.isAdmissionDrought }
            // Every live organisation below each unit (the unit included).
            var members: [Int64: [Organisation]] = [:]
            for unit in units {
                members[unit.organisationID] = try await db.raw(
                    """
                    SELECT * FROM organisations WHERE path >= \(bind: unit.path.value) AND path < \(bind: unit.path.upperBound) AND dissolved_at IS NULL
                    """
                ).all().map(OrganisationRepository.decode)
            }
            let allIDs = Array(Set(members.values.flatMap { $0.map(\.id) })).sorted()
            let kinds = Set(autos.map(\.autoKind))
            var values: [(Int64, String, Score, AutoIndicatorInputs)] = []
            let judgedOn = cutoff.adding(days: 1)  // a period ending on the cut-off is finished

            var life: [Int64: (Int, Int)] = [:]
            if kinds.contains(.organisationalLife) {
                let full = try await ComplianceService.fullMembers(allIDs, db: db)
                let held = try await MeetingRepository.heldDates(
                    organisationIDs: allIDs, kinds: Set(rules.lifeRequirements.map(\.kind)), years: [year], db: db)
                let since = try await ComplianceService.established(allIDs, db: db)
                for org in members.values.flatMap({ $0 }) where life[org.id] == nil {
                    let requirements = LifeCompliance.requirements(for: org.type, fullMembers: full[org.id] ?? 0, rules: rules)
                    let heldByCutoff = (held[org.id] ?? [:]).mapValues { $0.filter { $0 <= cutoff } }
                    let findings = ComplianceService.periodsOfYear(
                        requirements, year: year, heldOn: heldByCutoff, today: judgedOn, since: since[org.id], rules: rules
                    ).filter { $0.period.end <= cutoff }
                    life[org.id] = (findings.filter { $0.state == .met }.count, findings.count)
                }
            }
            var stars: [Int64: (Int, Int)] = [:]
            if kinds.contains(.dutyStars) {
                let standings = try await DutyListRepository.standings(organisationIDs: allIDs, years: [year], today: judgedOn, rules: rules, db: db)
                for (id, lists) in standings {
                    // Months that had something due and ended by the cut-off; a star is a month with all of it done.
                    let finished = lists.flatMap(\.months).filter {
                        $0.due > 0 && CompliancePeriod(.month, containing: CalendarYear(clamping: year).firstDay(ofMonth: $0.month)).end <= cutoff
                    }
                    stars[id] = (finished.filter(\.star).count, finished.count)
                }
            }
            var dues: [Int64: (Int, Int)] = [:]
            if kinds.contains(.duesOnTime) { dues = try await Self.duesPunctuality(organisationIDs: allIDs, year: year, cutoff: cutoff, db: db) }
            for unit in units {
                let orgs = members[unit.organisationID] ?? []
                let ids = orgs.map(\.id)
                for indicator in autos {
                    guard indicator.applies(to: unit.category), let kind = indicator.autoKind else { continue }
                    let inputs: AutoIndicatorInputs
                    switch kind {
                    case .organisationalLife:
                        let met = ids.reduce(0) { $0 + (life[$1]?.0 ?? 0) }
                        let due = ids.reduce(0) { $0 + (life[$1]?.1 ?? 0) }
                        inputs = AutoIndicatorInputs(actual: met, required: due, note: "截至 \(cutoff) 应开展 \(due) 期次，按期开展 \(met) 期次")
                    case .dutyStars:
                        let got = ids.reduce(0) { $0 + (stars[$1]?.0 ?? 0) }
                        let due = ids.reduce(0) { $0 + (stars[$1]?.1 ?? 0) }
                        inputs = AutoIndicatorInputs(actual: got, required: due, note: "责任清单已结束月份 \(due) 个，贴星 \(got) 个")
                    case .rectificationOnTime:
                        let row = try await db.raw(
                            """
                            SELECT COUNT(*) AS due, SUM(CASE WHEN p.closed_on IS NOT NULL AND p.closed_on <= p.deadline AND p.closed_on <= \(bind: cutoff.description)
                                THEN 1 ELSE 0 END) AS on_time
                            FROM problems p JOIN organisations o ON o.id = p.organisation_id
                            WHERE o.path >= \(bind: unit.path.value) AND o.path < \(bind: unit.path.upperBound) AND p.deadline <= \(bind: cutoff.description)
                            """
                        ).first()
                        let due = try row?.value("due", Int.self) ?? 0
                        let onTime = Int(try row?.optional("on_time", Int64.self) ?? 0)
                        inputs = AutoIndicatorInputs(actual: onTime, required: due, note: "截止 \(cutoff) 到期问题 \(due) 个，按期销号 \(onTime) 个")
                    case .terms:
                        var overdue: [String] = []
                        for org in orgs {
                            guard
                                let t = try await db.raw(
                                    "SELECT end_date, postponed_until FROM terms WHERE organisation_id = \(bind: org.id) ORDER BY start_date DESC, id DESC LIMIT 1"
                                ).first(),
                                let end = CivilDate(iso: try t.value("end_date"))
                            else { continue }
                            let postponed = try t.optional("postponed_until", String.self).flatMap(CivilDate.init(iso:))
                            if case .overdue = TermStatus.evaluate(end: end, postponedUntil: postponed, today: cutoff) { overdue.append(org.name) }
                        }
                        inputs = AutoIndicatorInputs(
                            actual: overdue.isEmpty ? 1 : 0, required: 1,
                            note: overdue.isEmpty ? "无逾期未换届的组织" : "逾期未换届（\(RuleID.orgT4.code)）：\(overdue.prefix(5).joined(separator: "、"))")
                    case .duesOnTime:
                        let onTime = ids.reduce(0) { $0 + (dues[$1]?.0 ?? 0) }
                        let due = ids.reduce(0) { $0 + (dues[$1]?.1 ?? 0) }
                        inputs = AutoIndicatorInputs(actual: onTime, required: due, note: "截至 \(cutoff) 应交党费 \(due) 人·月，当月按时交纳 \(onTime) 人·月")
                    }
                    let points: Score
                    switch indicator.method {
                    case .binary: points = inputs.actual >= inputs.required ? indicator.maxPoints : .zero
                    case .deductEach:
                        let missed = max(inputs.required - inputs.actual, 0)
                        points = (try? IndicatorScoring.score(indicator, .shortfalls(min(missed, 10_000)))) ?? .zero
                    default:
                        points =
                            (try? IndicatorScoring.score(
                                indicator, .ratio(actual: min(inputs.actual, 1_000_000), required: min(inputs.required, 1_000_000))))
                            ?? .zero
                    }
                    values.append((unit.organisationID, indicator.code, points, inputs))
                }
            }
            // ASSESS-06 for each unit: its subtree's approvals (DEV-24) by year.
            var deductions: [Int64: Score] = [:]
            if let drought {
                let rule = round.parameters.admissionDrought
                let full = try await ComplianceService.fullMembers(allIDs, db: db)
                let founded = try await ComplianceService.established(units.map(\.organisationID), db: db)
                for unit in units {
                    let ids = (members[unit.organisationID] ?? []).map(\.id)
                    let years = Set(
                        try await db.raw(
                            """
                            SELECT DISTINCT e.entry_date FROM development_entries e JOIN development_cases c ON c.id = e.case_id
                                JOIN organisations o ON o.id = c.organisation_id
                            WHERE o.path >= \(bind: unit.path.value) AND o.path < \(bind: unit.path.upperBound)
                                AND e.step = \(bind: DevelopmentStep.approval.rawValue)
                                AND NOT EXISTS (SELECT 1 FROM development_entries x WHERE x.corrects_entry_id = e.id)
                            """
                        ).all().compactMap { CivilDate(iso: try $0.value("entry_date", String.self))?.year })
                    let isTemporary = (members[unit.organisationID] ?? []).first { $0.id == unit.organisationID }?.type == .temporaryBranch
                    let outcome = rule.check(
                        assessedYear: round.year, founded: founded[unit.organisationID], fullMembers: ids.reduce(0) { $0 + (full[$1] ?? 0) },
                        isTemporary: isTemporary, admissionYears: years)
                    if case .deduct = outcome { deductions[unit.organisationID] = min(rule.deduction, drought.maxPoints) }
                }
            }
            try await db.raw("DELETE FROM assessment_auto_values WHERE round_id = \(bind: roundID)").run()
            for (unitID, code, points, inputs) in values {
                try await db.raw(
                    """
                    INSERT INTO assessment_auto_values (round_id, organisation_id, indicator_code, points_micro, inputs, computed_at)
                    VALUES (\(bind: roundID), \(bind: unitID), \(bind: code), \(bind: points.micro), \(bind: try Self.json(inputs)), \(bind: now))
                    """
                ).run()
            }
            if let drought {
                for unit in units {
                    var current = unit.deductions
                    current[drought.code] = deductions[unit.organisationID]
                    try await db.raw(
                        """
                        UPDATE assessment_units SET deductions = \(bind: try Self.json(current)), version = version + 1
                        WHERE round_id = \(bind: roundID) AND organisation_id = \(bind: unit.organisationID)
                        """
                    ).run()
                }
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "assessment_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "考评“\(round.name)”计算自动指标（数据截至 \(cutoff)）：\(values.count) 项，连续未发展党员扣分 \(deductions.count) 个单位"),
                by: actor, in: db, dialect: database.dialect)
            return values.count
        }
    }

    /// The stored automatic values with their inputs, by unit and indicator.
    public func autoInputs(roundID: Int64, access: OrganisationAccess) async throws -> [Int64: [String: (Score, AutoIndicatorInputs)]] {
        try await database.read { db in
            _ = try await Self.organisedRound(roundID, access: access, db: db)
            var result: [Int64: [String: (Score, AutoIndicatorInputs)]] = [:]
            for r in try await db.raw("SELECT * FROM assessment_auto_values WHERE round_id = \(bind: roundID)").all() {
                result[try r.value("organisation_id"), default: [:]][try r.value("indicator_code")] = (
                    Score(micro: try r.value("points_micro")), try Self.decode(AutoIndicatorInputs.self, try r.value("inputs"))
                )
            }
            return result
        }
    }
}
