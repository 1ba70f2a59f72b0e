/// 018: the holiday calendar (法定节假日 and 调休上班 days) an administrator keeps per year, for periods counted in
/// working days (DEV-17 公示).
enum Migration018HolidayCalendar {
    static let migration = Migration(version: 18, name: "holiday_calendar") { _ in
        [
            """
            CREATE TABLE holiday_calendar (
                day TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name TEXT NOT NULL
            )
            """
        ]
    }
}
