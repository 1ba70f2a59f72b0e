public import Foundation
public import DangjianDomain
import SQLKit

/// A duty-list template (e.g. 党支部书记抓党建履职清单“十个一”): for a post in organisations of some types.
public struct DutyTemplate: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
    public var post: String
    public var appliesTo: [OrganisationType]
    public var items: [DutyItem]
}

/// One organisation's duty list for a year, with its standing.
public struct DutyList: Sendable {
    public var id: Int64
    public var template: DutyTemplate
    public var organisationID: Int64
    public var year: Int
    public var standing: DutyStanding
    /// The organisation's months of the year with their stars (`Standing`: organisational life and the duty list
    /// together — the same stars as the 实时质量图 and the heat-map).
    public var months: [StandingMonth] = []
    public var stars: Int { months.filter(\.star).count }
    /// The ledger entries recorded against the items, newest last.
    public var records: [(itemID: Int64, entry: LedgerEntry)]
}

/// A signed responsibility letter (责任书).
public struct ResponsibilityLetter: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var year: Int
    public var title: String
    public var signatory: String
    public var signedOn: CivilDate
}

/// 责任清单: templates (configurable items), lists per organisation and year, items recorded done in the one ledger,
/// standings with monthly stars and 双色预警 (LIST-09), and the record of signed 责任书.
public struct DutyListRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    var today: CivilDate { CivilDate(date: clock.now()) }

    public func createTemplate(
        name: String, post: String, appliesTo: [OrganisationType], items text: String, organisationID: Int64,
        access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let name = try CampaignRepository.required(name, field: "name", label: "清单名称", limit: 100)
        let post = try CampaignRepository.required(post, field: "post", label: "岗位", limit: 40)
        guard !appliesTo.isEmpty else { throw ValidationFailure(field: "applies_to", message: "请选择适用的党组织类型") }
        let items: [DutyItem]
        switch DutyItem.parse(text) {
        case .success(let parsed): items = parsed
        case .failure(let errors): throw errors
        }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO duty_templates (organisation_id, name, post, applies_to, created_at)
                VALUES (\(bind: org.id), \(bind: name), \(bind: post), \(bind: appliesTo.map(\.rawValue).joined(separator: ",")), \(bind: now))
                """)
            for (seq, item) in items.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO duty_template_items (template_id, seq, title, cadence, minimum)
                    VALUES (\(bind: id), \(bind: seq + 1), \(bind: item.title), \(bind: item.cadence.rawValue), \(bind: item.minimum))
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "duty_template", objectID: String(id), organisationID: org.id,
                    summary: "建立责任清单模板“\(name)”（\(post)，\(items.count) 项）"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    public func templates(access: OrganisationAccess) async throws -> [DutyTemplate] {
        try await database.read { db in
            var result: [DutyTemplate] = []
            for r in try await db.raw(
                """
                SELECT t.id FROM duty_templates t JOIN organisations o ON o.id = t.organisation_id WHERE \(AccessSQL.predicate(access, alias: "o")) ORDER BY t.id
                """
            ).all() {
                result.append(try await Self.template(try r.value("id"), db: db))
            }
            return result
        }
    }

    /// Gives every organisation of the template's types in its owner's subtree (inside `access`) a list for `year`;
    /// existing lists are kept. Returns how many were added.
    public func instantiate(templateID: Int64, year: Int, access: OrganisationAccess, actor: Actor) async throws -> Int {
        guard (2000...2100).contains(year) else { throw ValidationFailure(field: "year", message: "年度应为四位年份") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let template = try await Self.template(templateID, db: db)
            guard let owner = try await OrganisationRepository.find(template.organisationID, access: access, db: db) else {
                throw RecordNotFound(objectType: "duty_template", objectID: String(templateID))
            }
            var added = 0
            for r in try await db.raw(
                """
                SELECT o.id, o.org_type FROM organisations o WHERE \(AccessSQL.scopePredicate(owner.id, owner.path, .subtree, alias: "o"))
                AND \(AccessSQL.predicate(access, alias: "o")) AND o.dissolved_at IS NULL ORDER BY o.path
                """
            ).all() {
                guard let type = OrganisationType(rawValue: try r.value("org_type")), template.appliesTo.contains(type) else { continue }
                let orgID: Int64 = try r.value("id")
                if try await db.raw(
                    "SELECT id FROM duty_lists WHERE template_id = \(bind: templateID) AND organisation_id = \(bind: orgID) AND year = \(bind: year)"
                ).first() != nil {
                    continue
                }
                try await db.raw(
                    "INSERT INTO duty_lists (template_id, organisation_id, year, created_at) VALUES (\(bind: templateID), \(bind: orgID), \(bind: year), \(bind: now))"
                ).run()
                added += 1
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "duty_template", objectID: String(templateID), organisationID: owner.id,
                    summary: "下发\(year)年“\(template.name)”：新增 \(added) 个党组织"), by: actor, in: db, dialect: database.dialect)
            return added
        }
    }

    /// The lists of `year` for the organisations at `anchorID` within `scope` (inside `access`), with their standings.
    public func lists(
        anchorID: Int64, scope: OrganisationScope, year: Int, access: OrganisationAccess, today: CivilDate? = nil
    ) async throws -> [DutyList] {
        let today = today ?? self.today
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        return try await database.read { db in
            guard let anchor = try await OrganisationRepository.find(anchorID, access: access, db: db) else {
                throw RecordNotFound(objectType: "organisation", objectID: String(anchorID))
            }
            var result: [DutyList] = []
            for r in try await db.raw(
                """
                SELECT l.id FROM duty_lists l JOIN organisations o ON o.id = l.organisation_id
                WHERE \(AccessSQL.scopePredicate(anchor.id, anchor.path, scope, alias: "o")) AND \(AccessSQL.predicate(access, alias: "o")) AND l.year = \(bind: year)
                ORDER BY o.path, l.id
                """
            ).all() {
                if let list = try await Self.load(try r.value("id"), access: .maintenance, today: today, rules: rules, db: db) { result.append(list) }
            }
            let months = try await ComplianceService.monthsOfYear(
                organisationIDs: Array(Set(result.map(\.organisationID))), year: year, today: today, rules: rules, db: db)
            for i in result.indices { result[i].months = months[result[i].organisationID] ?? [] }
            return result
        }
    }

    public func list(_ id: Int64, access: OrganisationAccess) async throws -> DutyList? {
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        return try await database.read { db in
            guard var list = try await Self.load(id, access: access, today: today, rules: rules, db: db) else { return nil }
            list.months =
                try await ComplianceService.monthsOfYear(
                    organisationIDs: [list.organisationID], year: list.year, today: today, rules: rules, db: db)[list.organisationID] ?? []
            return list
        }
    }

    /// Records an item done on `date` (in the list's year, not in the future) in the ledger.
    public func record(
        listID: Int64, itemID: Int64, on date: CivilDate, text: String, evidence: String, file: EvidenceFile? = nil, access: OrganisationAccess,
        actor: Actor
    ) async throws {
        guard date <= today else { throw ValidationFailure(field: "date", message: "日期不能晚于今天") }
        let rules = try await RuleBookRepository.inForce(in: database, on: today)
        try await database.write { db in
            guard let list = try await Self.load(listID, access: access, today: today, rules: rules, db: db) else {
                throw RecordNotFound(objectType: "duty_list", objectID: String(listID))
            }
            guard let item = list.template.items.first(where: { $0.id == itemID }) else {
                throw ValidationFailure(field: "item", message: "请选择清单中的事项")
            }
            if let kind = item.fedBy {
                throw ValidationFailure(
                    field: "item",
                    message: "“\(item.title)”由组织生活记录自动完成：请在“组织生活”中记录这次\(kind.displayName)，不必在清单中再登记一次",
                    ruleID: ListRule.dutyWarning)
            }
            guard date.year == list.year else { throw ValidationFailure(field: "date", message: "日期应在 \(list.year) 年内") }
            let body = text.trimmed
            guard !body.isEmpty else { throw ValidationFailure(field: "text", message: "请填写完成情况", ruleID: ListRule.ledgerBacked) }
            try await CampaignRepository.appendLedger(
                subject: .dutyItem, id: itemID, organisationID: list.organisationID, date: date, kind: "done",
                text: body, evidence: evidence, file: file, actor: actor, now: clock.now().epochSeconds, db: db)
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "duty_list", objectID: String(listID), organisationID: list.organisationID,
                    summary: "责任清单“\(item.title)”完成：\(date)"), by: actor, in: db, dialect: database.dialect)
        }
    }

    /// Records a signed 责任书 for a unit inside `access` (`ledger.manage`).
    public func recordLetter(
        organisationID: Int64, year: Int, title: String, signatory: String, signedOn: CivilDate, issuerOrganisationID: Int64,
        access: OrganisationAccess, actor: Actor
    ) async throws -> Int64 {
        let title = try CampaignRepository.required(title, field: "title", label: "责任书名称", limit: 100)
        let signatory = try CampaignRepository.required(signatory, field: "signatory", label: "签订人", limit: 50)
        guard signedOn <= today else { throw ValidationFailure(field: "signed_on", message: "签订日期不能晚于今天") }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let org = try await OrganisationRepository.find(organisationID, access: access, db: db),
                let issuer = try await OrganisationRepository.find(issuerOrganisationID, access: access, db: db)
            else {
                throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
            }
            if try await db.raw(
                "SELECT id FROM responsibility_letters WHERE organisation_id = \(bind: org.id) AND year = \(bind: year) AND title = \(bind: title)"
            ).first() != nil {
                throw ValidationFailure(field: "title", message: "\(org.label)\(year)年的“\(title)”已登记")
            }
            let id = try await db.insertReturningID(
                """
                INSERT INTO responsibility_letters (organisation_id, issuer_organisation_id, year, title, signatory, signed_on, recorded_by, created_at)
                VALUES (\(bind: org.id), \(bind: issuer.id), \(bind: year), \(bind: title), \(bind: signatory), \(bind: signedOn.description), \(bind: actor.userID), \(bind: now))
                """)
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "responsibility_letter", objectID: String(id), organisationID: org.id,
                    summary: "登记\(year)年“\(title)”：\(signatory)于 \(signedOn) 签订"), by: actor, in: db, dialect: database.dialect)
            return id
        }
    }

    public func letters(year: Int, access: OrganisationAccess) async throws -> [ResponsibilityLetter] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT r.* FROM responsibility_letters r JOIN organisations o ON o.id = r.organisation_id
                WHERE \(AccessSQL.predicate(access, alias: "o")) AND r.year = \(bind: year) ORDER BY o.path, r.id
                """
            ).all().map { r in
                ResponsibilityLetter(
                    id: try r.value("id"), organisationID: try r.value("organisation_id"), year: try r.value("year"), title: try r.value("title"),
                    signatory: try r.value("signatory"), signedOn: try r.date("signed_on"))
            }
        }
    }

    static func template(_ id: Int64, db: any SQLDatabase) async throws -> DutyTemplate {
        guard let r = try await db.raw("SELECT * FROM duty_templates WHERE id = \(bind: id)").first() else {
            throw RecordNotFound(objectType: "duty_template", objectID: String(id))
        }
        let items = try await db.raw("SELECT * FROM duty_template_items WHERE template_id = \(bind: id) ORDER BY seq").all().map { i in
            DutyItem(
                id: try i.value("id"), title: try i.value("title"), cadence: DutyCadence(rawValue: try i.value("cadence")) ?? .year,
                minimum: try i.value("minimum"))
        }
        return DutyTemplate(
            id: id, organisationID: try r.value("organisation_id"), name: try r.value("name"), post: try r.value("post"),
            appliesTo: (try r.value("applies_to", String.self)).split(separator: ",").compactMap { OrganisationType(rawValue: String($0)) },
            items: items)
    }

    static func load(_ id: Int64, access: OrganisationAccess, today: CivilDate, rules: RuleBook, db: any SQLDatabase) async throws -> DutyList? {
        guard let r = try await db.raw("SELECT * FROM duty_lists WHERE id = \(bind: id)").first(),
            try await OrganisationRepository.find(try r.value("organisation_id"), access: access, db: db) != nil
        else { return nil }
        let template = try await template(try r.value("template_id"), db: db)
        let orgID: Int64 = try r.value("organisation_id")
        let year: Int = try r.value("year")
        var records: [(itemID: Int64, entry: LedgerEntry)] = []
        for e in try await db.raw(
            """
            SELECT l.*, u.display_name FROM ledger_entries l LEFT JOIN users u ON u.id = l.recorded_by
            WHERE l.subject_type = \(bind: CampaignRepository.LedgerSubject.dutyItem.rawValue) AND l.organisation_id = \(bind: orgID) AND l.entry_date >= \(bind: "\(year)-01-01") AND l.entry_date <= \(bind: "\(year)-12-31")
            ORDER BY l.entry_date, l.id
            """
        ).all() {
            let itemID: Int64 = try e.value("subject_id")
            guard template.items.contains(where: { $0.id == itemID }) else { continue }
            records.append((itemID, try CampaignRepository.decodeLedger(e)))
        }
        let files = try await AttachmentRepository.list(ownerType: "ledger_entry", ownerIDs: records.map(\.entry.id), db: db)
        for i in records.indices { records[i].entry.attachments = files[records[i].entry.id] ?? [] }
        let held = try await MeetingRepository.heldDates(
            organisationIDs: [orgID], kinds: Set(template.items.compactMap(\.fedBy)), years: [year], db: db)
        let since = try await ComplianceService.established([orgID], db: db)[orgID]
        let dates = Self.doneDates(
            items: template.items, entries: Dictionary(grouping: records, by: \.itemID).mapValues { $0.map(\.entry.date) },
            held: held[orgID] ?? [:])
        return DutyList(
            id: id, template: template, organisationID: orgID, year: year,
            standing: DutyStanding(items: template.items, year: year, records: dates, today: today, since: since, rules: rules), records: records)
    }

    /// The days each item was done: for an item naming an organisational-life activity, the days meetings of that
    /// kind were held (entries made on the list for it do not count: one ledger); for the others, the ledger entries.
    static func doneDates(items: [DutyItem], entries: [Int64: [CivilDate]], held: [MeetingKind: [CivilDate]]) -> [Int64: [CivilDate]] {
        var dates: [Int64: [CivilDate]] = [:]
        for item in items {
            if let kind = item.fedBy { dates[item.id] = held[kind] ?? [] } else { dates[item.id] = entries[item.id] ?? [] }
        }
        return dates
    }

    /// The duty standings of `years` of the given organisations (one per list), read in four queries: the lists,
    /// their templates, the ledger entries and the meetings that feed items — for the board and the roll-up.
    /// `alreadyRead`: meeting dates the caller has read already, by kind (the board and roll-up read the kinds the
    /// rule book requires); only the other kinds are read again.
    static func standings(
        organisationIDs: [Int64], years: [Int], today: CivilDate, rules: RuleBook, db: any SQLDatabase,
        alreadyRead: (kinds: Set<MeetingKind>, held: [Int64: [MeetingKind: [CivilDate]]])? = nil
    ) async throws -> [Int64: [DutyStanding]] {
        guard !organisationIDs.isEmpty, let first = years.min(), let last = years.max() else { return [:] }
        var lists: [(org: Int64, year: Int, template: Int64)] = []
        for start in stride(from: 0, to: organisationIDs.count, by: 500) {
            let chunk = Array(organisationIDs[start..<min(start + 500, organisationIDs.count)])
            for r in try await db.raw(
                """
                SELECT organisation_id, year, template_id FROM duty_lists WHERE organisation_id IN (\(binds: chunk))
                AND year >= \(bind: first) AND year <= \(bind: last) ORDER BY id
                """
            ).all() {
                lists.append((try r.value("organisation_id"), try r.value("year"), try r.value("template_id")))
            }
        }
        guard !lists.isEmpty else { return [:] }
        var templates: [Int64: DutyTemplate] = [:]
        for id in Set(lists.map(\.template)) { templates[id] = try await template(id, db: db) }
        let orgs = Array(Set(lists.map(\.org))).sorted()
        var entries: [Int64: [Int64: [CivilDate]]] = [:]
        for start in stride(from: 0, to: orgs.count, by: 500) {
            let chunk = Array(orgs[start..<min(start + 500, orgs.count)])
            for e in try await db.raw(
                """
                SELECT organisation_id, subject_id, entry_date FROM ledger_entries WHERE subject_type = \(bind: CampaignRepository.LedgerSubject.dutyItem.rawValue)
                AND organisation_id IN (\(binds: chunk)) AND entry_date >= \(bind: "\(first)-01-01") AND entry_date <= \(bind: "\(last)-12-31")
                """
            ).all() {
                guard let day = CivilDate(iso: try e.value("entry_date")) else { continue }
                entries[try e.value("organisation_id"), default: [:]][try e.value("subject_id"), default: []].append(day)
            }
        }
        let kinds = Set(templates.values.flatMap { $0.items.compactMap(\.fedBy) })
        var held = try await MeetingRepository.heldDates(
            organisationIDs: orgs, kinds: kinds.subtracting(alreadyRead?.kinds ?? []), years: years, db: db)
        if let alreadyRead {
            for org in orgs {
                for kind in kinds.intersection(alreadyRead.kinds) { held[org, default: [:]][kind] = alreadyRead.held[org]?[kind] ?? [] }
            }
        }
        let since = try await ComplianceService.established(orgs, db: db)
        var result: [Int64: [DutyStanding]] = [:]
        for list in lists {
            guard let template = templates[list.template] else { continue }
            let own = (entries[list.org] ?? [:]).mapValues { $0.filter { $0.year == list.year } }
            let dates = doneDates(items: template.items, entries: own, held: (held[list.org] ?? [:]).mapValues { $0.filter { $0.year == list.year } })
            result[list.org, default: []].append(
                DutyStanding(items: template.items, year: list.year, records: dates, today: today, since: since[list.org], rules: rules))
        }
        return result
    }
}
