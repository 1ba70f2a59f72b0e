/// The schema history, oldest first. Append only.
enum Migrations {
    static let all: [Migration] = [
        Migration001Foundation.migration,
        Migration002Members.migration,
        Migration003ImportJobs.migration,
        Migration004Terms.migration,
        Migration005OrganisationEvents.migration,
        Migration006Transfers.migration,
        Migration007UnitsRulesFloating.migration,
        Migration008Meetings.migration,
        Migration009RosterIndexes.migration,
        Migration010Reminders.migration,
        Migration011Evaluations.migration,
        Migration012Checkins.migration,
        Migration013LifeIndexes.migration,
        Migration014Development.migration,
        Migration015ListsAndLedger.migration,
        Migration016DutyLists.migration,
        Migration017Attachments.migration,
        Migration018HolidayCalendar.migration,
        Migration019ApplicationForms.migration,
        Migration020DevelopmentRoster.migration,
        Migration021DropRedundantMemberIndex.migration,
        Migration022SignInAttempts.migration,
    ]
}
