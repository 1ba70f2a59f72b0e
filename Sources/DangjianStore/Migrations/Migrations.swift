import Foundation

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
        Migration023IdentityMask.migration,
        Migration024SecondFactor.migration,
        Migration025ExportRequests.migration,
        Migration026AccountNotices.migration,
        Migration027PreviousSignIn.migration,
        Migration028FormSubmissions.migration,
        Migration029MeetingCorrections.migration,
        Migration030Dues.migration,
        Migration031TransferCrossProvince.migration,
        Migration032DuesPayments.migration,
        Migration033DuesReductions.migration,
        Migration034Points.migration,
        Migration035DuesAccounts.migration,
        Migration036LapseCases.migration,
        Migration037DuesBaseChanges.migration,
        Migration038Assessment.migration,
        Migration039Review.migration,
        Migration040AssessmentPublicity.migration,
    ]
}

extension Migrations {
    /// Every table of the schema, in the order the migrations create them, read from their `CREATE TABLE`
    /// statements (less any a later step drops), then the migrator's own `schema_migrations`. The backup counts and
    /// the tests' "nothing changed" check read this, so a new capability's tables are in it by its migration alone
    /// (`BackupTests` compares it with the schema on both databases).
    static let tables: [String] = {
        var names: [String] = []
        let ddl = DDL(dialect: .sqlite)
        for migration in all {
            for statement in migration.statements(ddl) {
                let words = statement.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).map { $0.uppercased() }
                guard words.count >= 3, words[1] == "TABLE" else { continue }
                // CREATE TABLE [IF NOT EXISTS] name, DROP TABLE [IF EXISTS] name
                let index = words[2] != "IF" ? 2 : words[0] == "CREATE" ? 5 : 4
                guard index < words.count else { continue }
                let name = words[index].lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"`"))
                if words[0] == "CREATE" && words[1] == "TABLE" && !names.contains(name) { names.append(name) }
                if words[0] == "DROP" && words[1] == "TABLE" { names.removeAll { $0 == name } }
            }
        }
        return names + ["schema_migrations"]
    }()
}
