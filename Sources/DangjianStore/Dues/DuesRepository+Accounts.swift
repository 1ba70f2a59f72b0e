public import Foundation
public import DangjianDomain
import SQLKit

/// One entry of an organisation's dues account besides the members' payments: a remittance, an expenditure or
/// interest (or the reversal of one).
public struct DuesAccountEntry: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var kind: DuesAccountEntryKind
    public var amount: Fen
    public var occurredOn: CivilDate
    /// A remittance's period ("2026年第1季度").
    public var period: DuesPeriod?
    /// A remittance's receiver: the parent organisation (nil from the top of the tree: the level above it).
    public var toOrganisationID: Int64?
    public var category: DuesUseCategory?
    /// 凭证号.
    public var voucher: String
    public var note: String
    public var reverses: Int64?
    public var reason: String?
    public var recordedAt: Date

    /// Money in (+1) or out (−1) of the organisation's account, a reversal the opposite.
    public var sign: Int64 { (kind == .interest ? 1 : -1) * (reverses == nil ? 1 : -1) }
}

/// An entry as the treasurer records it.
public struct DuesAccountEntryDraft: Sendable, Equatable {
    public var kind: DuesAccountEntryKind
    public var amount: Fen
    public var occurredOn: CivilDate
    public var period: DuesPeriod?
    public var category: DuesUseCategory?
    public var voucher: String
    public var note: String

    public init(
        kind: DuesAccountEntryKind, amount: Fen, occurredOn: CivilDate, period: DuesPeriod? = nil, category: DuesUseCategory? = nil,
        voucher: String = "", note: String = ""
    ) {
        self.kind = kind
        self.amount = amount
        self.occurredOn = occurredOn
        self.period = period
        self.category = category
        self.voucher = voucher
        self.note = note
    }
}

/// 党费账目 (issue 18, item 5): an organisation's year — per remittance period what its members paid, what should and
/// did reach it from below, its share owed upward and what it remitted, what it kept, used and earned — with the cash
/// carried in and out and a cross-check that every fen collected in the subtree is either retained at a level or
/// passed up (DUES-08/20/21).
public struct DuesAccountStatement: Sendable {
    public struct Line: Sendable {
        public var period: DuesPeriod
        public var figures: DuesAccountFigures
    }

    /// A direct child's year: what should reach this organisation from it, and what it recorded as remitted.
    public struct Child: Sendable {
        public var organisation: Organisation
        public var due: Int64
        public var remitted: Int64
    }

    public var organisation: Organisation
    /// The receiver of its remittances (nil: the level above the tree).
    public var parent: Organisation?
    public var year: Int
    public var rules: DuesRemittanceRules
    public var length: DuesRemitPeriod
    public var shareBasisPoints: Int
    public var lines: [Line]
    public var total: DuesAccountFigures
    /// Cash at the start and the end of the year (上年结转, 年末结余).
    public var opening: Int64
    public var closing: Int64
    public var children: [Child]
    /// This year's entries, oldest first, and those a later entry reversed.
    public var entries: [DuesAccountEntry]
    public var reversed: Set<Int64>
    /// Collected in the whole subtree in the year (net) — and what the split says became of it: retained below this
    /// organisation, retained here, passed up from here. `balances` when they add up to the fen.
    public var subtreeCollected: Int64
    public var retainedBelow: Int64
    public var balances: Bool { subtreeCollected == retainedBelow + total.retained + total.due }
}

extension DuesRepository {
    /// The account statement of organisation `organisationID` for `year` under the rule book in force on the
    /// statement's day (the year's end, or today in the current year), by the organisation's remittance periods or by
    /// `length` (a report upward by month, quarter or year).
    public func accountStatement(
        organisationID: Int64, year: CalendarYear, length: DuesRemitPeriod? = nil, access: OrganisationAccess
    ) async throws -> DuesAccountStatement {
        let book = try await RuleBookRepository.forYear(year.value, today: CivilDate(date: clock.now()), in: database)
        return try await database.read { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            guard DuesRemittanceRules.keepsAccount(org.type) else {
                throw ValidationFailure(
                    field: "org", message: "\(org.type.displayName)不设党费账目：党员在正式组织关系所在党支部交纳党费（\(RuleID.life12)、\(RuleID.dues10)）",
                    ruleID: RuleID.dues21.code)
            }
            return try await Self.statement(
                org, year: year.value, rules: book.duesRemittance, length: length, threshold: book.duesCollection.voluntaryCentreThreshold, db: db)
        }
    }

    /// `threshold`: a single voluntary payment from this amount passes up in full (DUES-08).
    static func statement(
        _ org: Organisation, year: Int, rules: DuesRemittanceRules, length: DuesRemitPeriod? = nil, threshold: Fen, db: any SQLDatabase
    ) async throws -> DuesAccountStatement {
        let length = length ?? rules.period(of: org.type)
        let periods = DuesPeriod.all(year: year, length: length)
        func bucket(_ month: DuesMonth) -> Int? { month.year == year ? periods.firstIndex { $0.contains(month) } : nil }
        var figures = periods.map { _ in DuesAccountFigures() }
        let within = AccessSQL.scopePredicate(org.id, org.path, .subtree, alias: "o")
        let subtree = try await db.raw("SELECT o.* FROM organisations o WHERE \(within)").all().map(OrganisationRepository.decode)
        var byID: [Int64: Organisation] = [:]
        for o in subtree { byID[o.id] = o }
        // The chain from a collecting organisation up to this one, with each level's share (a group or temporary
        // branch, which keeps no account, passes everything on).
        var chains: [Int64: (shares: [Int], child: Int64?)] = [:]
        func chain(_ from: Int64) -> (shares: [Int], child: Int64?) {
            if let known = chains[from] { return known }
            var shares: [Int] = []
            var child: Int64?
            var current = byID[from]
            while let c = current {
                shares.append(DuesRemittanceRules.keepsAccount(c.type) ? rules.share(of: c.type) : 10_000)
                if c.id == org.id { break }
                child = c.id
                current = c.parentID.flatMap { byID[$0] }
            }
            let result = (shares, shares.count > 1 ? child : nil)
            chains[from] = result
            return result
        }
        let first = "\(year)-01-01", next = "\(year + 1)-01-01"
        var childDue: [Int64: Int64] = [:]
        var retainedBelow: Int64 = 0
        var subtreeCollected: Int64 = 0
        // The subtree's payments of the year, grouped by what decides their split: each group's member-month parts
        // travel up the chain the same way, so the whole subtree is a few thousand groups however many entries.
        for row in try await db.raw(
            """
            SELECT p.organisation_id, p.kind, p.amount_fen, CASE WHEN p.reverses_id IS NULL THEN 1 ELSE -1 END AS sign,
                CASE WHEN p.months = \(bind: "") THEN 0 ELSE LENGTH(p.months) - LENGTH(REPLACE(p.months, \(bind: ","), \(bind: ""))) + 1 END AS month_count,
                SUBSTR(p.paid_on, 1, 7) AS paid_month, COUNT(*) AS n
            FROM dues_payments p JOIN organisations o ON o.id = p.organisation_id
            WHERE \(within) AND p.paid_on >= \(bind: first) AND p.paid_on < \(bind: next)
            GROUP BY 1, 2, 3, 4, 5, 6
            """
        ).all() {
            let collector: Int64 = try row.value("organisation_id")
            let amount: Int64 = try row.value("amount_fen")
            let sign: Int64 = try row.value("sign")
            let monthCount: Int = try row.value("month_count")
            let count = Int64(try row.value("n", Int.self))
            guard let paidMonth = DuesMonth.parse(try row.value("paid_month", String.self)), let i = bucket(paidMonth) else { continue }
            let inFull = try row.value("kind", String.self) == DuesEntryKind.voluntary.rawValue && amount >= threshold.value
            let (shares, child) = chain(collector)
            guard !shares.isEmpty else { continue }
            for part in DuesRemittance.parts(amount: amount, monthCount: monthCount) {
                let split = DuesRemittance.split(sign * part, shares: shares, inFull: inFull)
                let here = shares.count - 1
                subtreeCollected += split.arrived[0] * count
                retainedBelow += split.retained.dropLast().reduce(0, +) * count
                if collector == org.id {
                    figures[i].collected += split.arrived[here] * count
                    if inFull { figures[i].inFull += split.arrived[here] * count }
                } else {
                    figures[i].fromBelowDue += split.arrived[here] * count
                    if let child { childDue[child, default: 0] += split.arrived[here] * count }
                }
                figures[i].due += split.passed[here] * count
            }
            if collector == org.id { figures[i].memberMonths += Int(sign) * monthCount * Int(count) }
        }
        // Remittances for the year's periods, sent by this organisation or to it.
        var childRemitted: [Int64: Int64] = [:]
        let entries = try await db.raw(
            """
            SELECT * FROM dues_account_entries
            WHERE (organisation_id = \(bind: org.id) AND (occurred_on >= \(bind: first) AND occurred_on < \(bind: next) OR period LIKE \(bind: "\(year)%")))
            OR (to_organisation_id = \(bind: org.id) AND kind = \(bind: DuesAccountEntryKind.remittance.rawValue) AND period LIKE \(bind: "\(year)%"))
            ORDER BY id
            """
        ).all().map(decodeAccountEntry)
        var own: [DuesAccountEntry] = []
        for e in entries {
            let signed = (e.reverses == nil ? 1 : -1) * e.amount.value
            if e.organisationID != org.id {
                guard let p = e.period, let i = bucket(p.last) else { continue }
                figures[i].fromBelowRemitted += signed
                childRemitted[e.organisationID, default: 0] += signed
                continue
            }
            own.append(e)
            switch e.kind {
            case .remittance:
                if let p = e.period, let i = bucket(p.last) { figures[i].remitted += signed }
            case .expenditure:
                if let i = bucket(DuesMonth(containing: e.occurredOn)) { figures[i].used[e.category ?? .other, default: 0] += signed }
            case .interest:
                if let i = bucket(DuesMonth(containing: e.occurredOn)) { figures[i].interest += signed }
            }
        }
        var total = DuesAccountFigures()
        for f in figures { total.add(f) }
        let children = subtree.filter { $0.parentID == org.id && DuesRemittanceRules.keepsAccount($0.type) }.compactMap {
            c -> DuesAccountStatement.Child? in
            let due = childDue[c.id] ?? 0, remitted = childRemitted[c.id] ?? 0
            return due == 0 && remitted == 0 ? nil : .init(organisation: c, due: due, remitted: remitted)
        }
        var parent: Organisation?
        if let parentID = org.parentID { parent = try await OrganisationRepository.find(parentID, access: .maintenance, db: db) }
        return DuesAccountStatement(
            organisation: org, parent: parent, year: year, rules: rules, length: length, shareBasisPoints: rules.share(of: org.type),
            lines: zip(periods, figures).map { .init(period: $0, figures: $1) }, total: total,
            opening: try await cash(org.id, before: first, db: db), closing: try await cash(org.id, before: next, db: db),
            children: children, entries: own, reversed: Set(own.compactMap(\.reverses)),
            subtreeCollected: subtreeCollected, retainedBelow: retainedBelow)
    }

    /// The cash of organisation `organisationID`'s account before day `before` ("2026-01-01"): its members' payments,
    /// what it received from below and earned, less what it remitted and spent.
    static func cash(_ organisationID: Int64, before: String, db: any SQLDatabase) async throws -> Int64 {
        let paid =
            try await db.raw(
                """
                SELECT CAST(SUM(CASE WHEN reverses_id IS NULL THEN amount_fen ELSE -amount_fen END) AS BIGINT) AS fen
                FROM dues_payments WHERE organisation_id = \(bind: organisationID) AND paid_on < \(bind: before)
                """
            ).first()?.optional("fen", Int64.self) ?? nil
        let received =
            try await db.raw(
                """
                SELECT CAST(SUM(CASE WHEN reverses_id IS NULL THEN amount_fen ELSE -amount_fen END) AS BIGINT) AS fen
                FROM dues_account_entries WHERE to_organisation_id = \(bind: organisationID) AND kind = \(bind: DuesAccountEntryKind.remittance.rawValue)
                AND occurred_on < \(bind: before)
                """
            ).first()?.optional("fen", Int64.self) ?? nil
        let ownRows = try await db.raw(
            """
            SELECT kind, CAST(SUM(CASE WHEN reverses_id IS NULL THEN amount_fen ELSE -amount_fen END) AS BIGINT) AS fen
            FROM dues_account_entries WHERE organisation_id = \(bind: organisationID) AND occurred_on < \(bind: before) GROUP BY kind
            """
        ).all()
        var total = (paid ?? 0) + (received ?? 0)
        for r in ownRows {
            let fen = try r.optional("fen", Int64.self) ?? 0
            total += (try r.value("kind", String.self) == DuesAccountEntryKind.interest.rawValue ? fen : -fen)
        }
        return total
    }

    /// Records an entry in organisation `organisationID`'s account: a remittance to its parent for a period, an
    /// expenditure by category, or interest. Refused, naming the field and rule, when the organisation keeps no account,
    /// the day is in the future, a remittance has no period or one not yet begun, an expenditure has no category or
    /// purpose, or money going out exceeds the account's cash (DUES-20/21).
    public func recordAccountEntry(
        organisationID: Int64, _ draft: DuesAccountEntryDraft, access: OrganisationAccess, actor: Actor
    ) async throws -> DuesAccountEntry {
        // Out of reach first: a caller who may not write the organisation learns nothing from the checks below.
        guard try await database.read({ db in try await OrganisationRepository.find(organisationID, access: access, db: db) }) != nil else {
            throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
        }
        let today = CivilDate(date: clock.now())
        let now = clock.now().epochSeconds
        var problems: [ValidationFailure] = []
        func refuse(_ field: String, _ message: String, _ rule: RuleID) {
            problems.append(ValidationFailure(field: field, message: message, ruleID: rule.code))
        }
        let voucher = draft.voucher.trimmed, note = draft.note.trimmed
        if draft.amount == .zero { refuse("amount", "金额应大于 0", .dues21) }
        if draft.occurredOn > today { refuse("occurred_on", "日期 \(draft.occurredOn) 晚于今天", .dues21) }
        if voucher.count > 40 { refuse("voucher", "凭证号不超过 40 个字", .dues21) }
        if note.count > 200 { refuse("note", "说明不超过 200 个字", .dues21) }
        switch draft.kind {
        case .remittance:
            if let p = draft.period {
                if p.first > DuesMonth(containing: today) { refuse("period", "\(p)尚未开始，不能上缴该期党费", .dues20) }
            } else {
                refuse("period", "请选择上缴的是哪一期的党费", .dues20)
            }
        case .expenditure:
            if draft.category == nil { refuse("category", "请选择党费使用类别", .dues21) }
            if note.isEmpty { refuse("note", "请写明用途（党费使用须有明确用途，并向党员公布）", .dues21) }
        case .interest:
            break
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            guard DuesRemittanceRules.keepsAccount(org.type) else {
                throw ValidationFailure(field: "org", message: "\(org.type.displayName)不设党费账目（\(RuleID.life12)）", ruleID: RuleID.dues21.code)
            }
            // One entry at a time per account: the cash is read and written under the organisation's row lock.
            if database.dialect == .postgres {
                _ = try await db.raw("SELECT id FROM organisations WHERE id = \(bind: org.id) FOR UPDATE").all()
            }
            if draft.kind != .interest {
                let cash = try await Self.cash(org.id, before: today.adding(days: 1).description, db: db)
                if draft.amount.value > cash {
                    throw ValidationFailure(
                        field: "amount", message: "账户现有结余 \(Fen.signedYuan(cash)) 元，不足\(draft.kind.displayName) \(draft.amount) 元",
                        ruleID: (draft.kind == .remittance ? RuleID.dues20 : RuleID.dues21).code)
                }
            }
            let to = draft.kind == .remittance ? org.parentID : nil
            let id = try await db.insertReturningID(
                """
                INSERT INTO dues_account_entries (organisation_id, kind, amount_fen, occurred_on, period, to_organisation_id, category, voucher, note, recorded_by, recorded_at)
                VALUES (\(bind: org.id), \(bind: draft.kind.rawValue), \(bind: draft.amount.value), \(bind: draft.occurredOn.description),
                    \(bind: draft.kind == .remittance ? draft.period?.code : nil), \(bind: to), \(bind: draft.kind == .expenditure ? draft.category?.rawValue : nil),
                    \(bind: voucher), \(bind: note), \(bind: actor.userID), \(bind: now))
                """)
            let what: String
            switch draft.kind {
            case .remittance: what = "上缴\(draft.period?.description ?? "")党费"
            case .expenditure: what = "党费使用（\(draft.category?.displayName ?? "")：\(note)）"
            case .interest: what = "党费账户利息"
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "dues_account_entry", objectID: String(id), organisationID: org.id,
                    summary: "\(org.name) \(what) \(draft.amount) 元\(voucher.isEmpty ? "" : "，凭证 \(voucher)")"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.accountEntry(id, db: db).required("dues_account_entry", id)
        }
    }

    /// Reverses account entry `entryID` (冲正) with a reason: a new entry naming it, dated today.
    public func reverseAccountEntry(entryID: Int64, reason: String, access: OrganisationAccess, actor: Actor) async throws -> DuesAccountEntry {
        let why = reason.trimmed
        guard !why.isEmpty, why.count <= 200 else {
            throw ValidationFailure(field: "reason", message: "冲正须写明原因（不超过 200 个字）", ruleID: RuleID.dues21.code)
        }
        let today = CivilDate(date: clock.now())
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let original = try await Self.accountEntry(entryID, db: db),
                try await OrganisationRepository.find(original.organisationID, access: access, db: db) != nil
            else { throw RecordNotFound(objectType: "dues_account_entry", objectID: String(entryID)) }
            if database.dialect == .postgres {
                _ = try await db.raw("SELECT id FROM organisations WHERE id = \(bind: original.organisationID) FOR UPDATE").all()
            }
            guard original.reverses == nil else { throw ValidationFailure(field: "entry", message: "冲正记录不能再冲正", ruleID: RuleID.dues21.code) }
            if try await db.raw("SELECT id FROM dues_account_entries WHERE reverses_id = \(bind: entryID)").first() != nil {
                throw ValidationFailure(field: "entry", message: "该记录已冲正过", ruleID: RuleID.dues21.code)
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO dues_account_entries (organisation_id, kind, amount_fen, occurred_on, period, to_organisation_id, category, voucher, note, reverses_id, reason, recorded_by, recorded_at)
                VALUES (\(bind: original.organisationID), \(bind: original.kind.rawValue), \(bind: original.amount.value), \(bind: today.description),
                    \(bind: original.period?.code), \(bind: original.toOrganisationID), \(bind: original.category?.rawValue), \(bind: original.voucher),
                    \(bind: original.note), \(bind: entryID), \(bind: why), \(bind: actor.userID), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "dues_account_entry", objectID: String(entryID), organisationID: original.organisationID,
                    summary: "冲正党费账目：\(original.kind.displayName) \(original.amount) 元（\(original.occurredOn)），原因：\(why)"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.accountEntry(id, db: db).required("dues_account_entry", id)
        }
    }

    /// Entry `entryID` and the organisation holding it, inside `access` (nil when out of reach).
    public func accountEntry(_ entryID: Int64, access: OrganisationAccess) async throws -> DuesAccountEntry? {
        try await database.read { db in
            guard let e = try await Self.accountEntry(entryID, db: db),
                try await OrganisationRepository.find(e.organisationID, access: access, db: db) != nil
            else { return nil }
            return e
        }
    }

    static func accountEntry(_ id: Int64, db: any SQLDatabase) async throws -> DuesAccountEntry? {
        try await db.raw("SELECT * FROM dues_account_entries WHERE id = \(bind: id)").first().map(decodeAccountEntry)
    }

    static func decodeAccountEntry(_ r: any SQLRow) throws -> DuesAccountEntry {
        DuesAccountEntry(
            id: try r.value("id"), organisationID: try r.value("organisation_id"),
            kind: DuesAccountEntryKind(rawValue: try r.value("kind")) ?? .expenditure, amount: Fen(clamping: try r.value("amount_fen", Int64.self)),
            occurredOn: try r.date("occurred_on"), period: try r.optional("period", String.self).flatMap(DuesPeriod.parse),
            toOrganisationID: try r.optional("to_organisation_id"),
            category: try r.optional("category", String.self).flatMap(DuesUseCategory.init(rawValue:)),
            voucher: try r.value("voucher"), note: try r.value("note"), reverses: try r.optional("reverses_id"), reason: try r.optional("reason"),
            recordedAt: Date(epochSeconds: try r.value("recorded_at")))
    }
}
