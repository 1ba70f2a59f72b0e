public import DangjianDomain
import SQLKit

/// The holiday calendar (节假日安排) as stored: read whole for working-day counts, replaced a year at a time by the
/// 系统管理员 from the State Council's annual notice.
public struct HolidayCalendarRepository: Sendable {
    let database: Database
    let audit: AuditTrail

    public init(database: Database, audit: AuditTrail) {
        self.database = database
        self.audit = audit
    }

    public func calendar() async throws -> WorkingDayCalendar {
        try await database.read { db in try await Self.load(db) }
    }

    static func load(_ db: any SQLDatabase) async throws -> WorkingDayCalendar {
        var calendar = WorkingDayCalendar()
        for r in try await db.raw("SELECT day, kind, name FROM holiday_calendar").all() {
            guard let day = CivilDate(iso: try r.value("day")) else { continue }
            if try r.value("kind", String.self) == "workday" {
                calendar.workdays[day] = try r.value("name")
            } else {
                calendar.holidays[day] = try r.value("name")
            }
        }
        return calendar
    }

    /// Replaces the entries of `year` with the parsed `text` (every line must fall in that year).
    public func replace(year: Int, text: String, actor: Actor) async throws {
        let parsed: WorkingDayCalendar
        switch WorkingDayCalendar.parse(text) {
        case .success(let c): parsed = c
        case .failure(let errors): throw errors
        }
        let outside = (Array(parsed.holidays.keys) + Array(parsed.workdays.keys)).filter { $0.year != year }.sorted()
        if let first = outside.first { throw ValidationFailure(field: "calendar", message: "\(first) 不在 \(year) 年内", ruleID: RuleID.dev17.code) }
        try await database.write { db in
            try await db.raw("DELETE FROM holiday_calendar WHERE day >= \(bind: "\(year)-01-01") AND day <= \(bind: "\(year)-12-31")").run()
            for (day, name) in parsed.holidays {
                try await db.raw("INSERT INTO holiday_calendar (day, kind, name) VALUES (\(bind: day.description), 'holiday', \(bind: name))").run()
            }
            for (day, name) in parsed.workdays {
                try await db.raw("INSERT INTO holiday_calendar (day, kind, name) VALUES (\(bind: day.description), 'workday', \(bind: name))").run()
            }
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "holiday_calendar", objectID: String(year),
                    summary: "维护 \(year) 年节假日安排：放假 \(parsed.holidays.count) 天，调休上班 \(parsed.workdays.count) 天"),
                by: actor, in: db, dialect: database.dialect)
        }
    }
}
