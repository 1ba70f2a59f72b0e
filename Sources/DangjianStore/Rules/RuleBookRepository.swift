public import Foundation
public import DangjianDomain
import SQLKit

/// One saved version of the rule parameters.
public struct RuleBookVersion: Sendable, Equatable {
    public var book: RuleBook
    public var savedAt: Date?
    public var savedBy: Int64?
}

/// The rule parameters as versioned configuration (规则参数). Each saved version has an effective date; the version in
/// force on a day is the latest one effective on or before it, so a past period is always judged by the rules of
/// its time. Without any saved version the national defaults (`RuleBook.national2014`) apply.
public struct RuleBookRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let clock: any WallClock

    public init(database: Database, audit: AuditTrail, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.clock = clock
    }

    static let cache = ShortLivedCache<RuleBook>(ttl: 5)

    /// The rule book in force on `date` (today when nil).
    public func inForce(on date: CivilDate? = nil) async throws -> RuleBook {
        try await Self.inForce(in: database, on: date ?? CivilDate(date: clock.now()))
    }

    /// The rule book in force on `day` — for the other repositories, which read it as a fact (no repository needed).
    static func inForce(in database: Database, on day: CivilDate) async throws -> RuleBook {
        try await cache.value("\(ObjectIdentifier(database))|\(day)") { try await load(day, in: database) }
    }

    /// The rule book `year` is judged by: the one in force on its last day for a past year, today for this year, on
    /// 1 January for a later one.
    static func forYear(_ year: Int, today: CivilDate, in database: Database) async throws -> RuleBook {
        let day: CivilDate
        if year < today.year {
            day = CivilDate(year: year, month: 12, day: 31) ?? today
        } else if year > today.year {
            day = CivilDate(year: year, month: 1, day: 1) ?? today
        } else {
            day = today
        }
        return try await inForce(in: database, on: day)
    }

    static func load(_ day: CivilDate, in database: Database) async throws -> RuleBook {
        let body = try await database.read { db in
            try await db.raw(
                """
                SELECT body FROM rule_books WHERE effective_from <= \(bind: day.description)
                ORDER BY effective_from DESC, id DESC LIMIT 1
                """
            ).first()?.value("body", String.self)
        }
        guard let body else { return .national2014 }
        return try JSONDecoder().decode(RuleBook.self, from: Data(body.utf8))
    }

    /// Every saved version, newest effective date first, with the national defaults last.
    public func versions() async throws -> [RuleBookVersion] {
        let rows = try await database.read { db in
            try await db.raw("SELECT * FROM rule_books ORDER BY effective_from DESC, id DESC").all()
        }
        var result = try rows.map { row in
            RuleBookVersion(
                book: try JSONDecoder().decode(RuleBook.self, from: Data(try row.value("body", String.self).utf8)),
                savedAt: Date(epochSeconds: try row.value("saved_at")), savedBy: try row.optional("saved_by"))
        }
        result.append(RuleBookVersion(book: .national2014, savedAt: nil, savedBy: nil))
        return result
    }

    /// Saves a new version (系统管理员). Versions are never edited: a change is a new version with its own name and
    /// effective date. The effective date may not lie before today, so past periods keep the rules they had.
    public func save(_ book: RuleBook, previous: RuleBook, actor: Actor) async throws {
        var book = book
        book.version = book.version.trimmed
        book.assessmentCategories = book.assessmentCategories.map { $0.trimmed }.filter { !$0.isEmpty }
        var problems = book.problems()
        let today = CivilDate(date: clock.now())
        if book.effectiveFrom < today {
            problems.append(ValidationFailure(field: "effective_from", message: "生效日期不能早于今天（\(today)），已过去的时段按当时的规则评判", ruleID: "RULES"))
        }
        if book.version == RuleBook.national2014.version {
            problems.append(ValidationFailure(field: "version", message: "版本名称“\(book.version)”是全国默认规则的名称，请另取名称", ruleID: "RULES"))
        }
        guard problems.isEmpty else { throw ValidationProblems(problems: problems) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = String(decoding: try encoder.encode(book), as: UTF8.self)
        let old = String(decoding: try encoder.encode(previous), as: UTF8.self)
        let now = clock.now().epochSeconds
        try await database.write { db in
            if try await db.raw("SELECT 1 AS x FROM rule_books WHERE version = \(bind: book.version)").first() != nil {
                throw ValidationFailure(field: "version", message: "版本名称“\(book.version)”已经用过，规则版本保存后不再修改，请另取名称", ruleID: "RULES")
            }
            try await db.raw(
                """
                INSERT INTO rule_books (version, effective_from, body, saved_at, saved_by)
                VALUES (\(bind: book.version), \(bind: book.effectiveFrom.description), \(bind: body), \(bind: now), \(bind: actor.userID))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .settingsChanged, objectType: "rule_book", objectID: book.version,
                    summary: "保存规则参数版本“\(book.version)”，自 \(book.effectiveFrom) 起生效",
                    changes: [FieldChange(field: "rule_book", old: old, new: body)]),
                by: actor, in: db, dialect: database.dialect)
        }
        Self.cache.removeAll()
    }
}
