public import DangjianDomain
public import Foundation

/// The Store's object graph, built once per process: every repository and service over one database, one audit
/// trail, one clock and one keyring. The server (`AppServices`), the console commands and the tests all take their
/// repositories from here; no library code constructs a repository of its own (issue 16). A new capability adds its
/// repositories here and nowhere else (docs/adding-a-capability.md).
public struct StoreServices: Sendable {
    public let database: Database
    public let clock: any WallClock
    public let keyring: Keyring
    public let audit: AuditTrail

    // Platform and access (账户与权限)
    public let accounts: AccountRepository
    public let sessions: SessionRepository
    public let secondFactors: SecondFactorRepository
    public let tokens: APITokenRepository
    public let settings: SettingsRepository
    public let rules: RuleBookRepository
    public let holidays: HolidayCalendarRepository
    public let attachments: AttachmentRepository
    public let reminders: ReminderRepository
    public let backup: BackupService
    public let formSubmissions: FormSubmissionLedger

    // organisations (组织机构)
    public let organisations: OrganisationRepository
    public let organisationImporter: OrganisationImportService
    public let terms: TermRepository
    public let units: UnitRepository

    // members (党员名册)
    public let members: MemberRepository
    public let importer: MemberImportService
    public let transfers: TransferRepository
    public let floating: FloatingCertificateRepository
    public let exportRequests: ExportRequestRepository

    // life (组织生活)
    public let meetings: MeetingRepository
    public let compliance: ComplianceService
    public let participation: ParticipationService
    public let evaluations: EvaluationRepository
    public let checkins: CheckinRepository

    // development (发展党员)
    public let development: DevelopmentRepository
    public let applicationForms: ApplicationFormRepository

    // lists (三单一账)
    public let campaigns: CampaignRepository
    public let problems: ProblemRepository
    public let supervision: SupervisionRepository
    public let duties: DutyListRepository
    public let ledgerReports: LedgerReportService

    /// - Parameters:
    ///   - bcryptCost: the password hash cost (12 in production; the tests use 4).
    ///   - loginIPLimit: failed sign-ins per address before the throttle (ASVS 2.2.1).
    public init(database: Database, clock: any WallClock, keyring: Keyring, bcryptCost: UInt8 = 12, loginIPLimit: Int = 20) {
        self.database = database
        self.clock = clock
        self.keyring = keyring
        let audit = AuditTrail(keyring: keyring, clock: clock)
        self.audit = audit
        var accounts = AccountRepository(database: database, audit: audit, clock: clock, hashCost: bcryptCost)
        accounts.throttleLimit = loginIPLimit
        self.accounts = accounts
        sessions = SessionRepository(database: database, clock: clock)
        secondFactors = SecondFactorRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        tokens = APITokenRepository(database: database, audit: audit, clock: clock)
        settings = SettingsRepository(database: database, audit: audit, clock: clock)
        rules = RuleBookRepository(database: database, audit: audit, clock: clock)
        holidays = HolidayCalendarRepository(database: database, audit: audit)
        attachments = AttachmentRepository(database: database, audit: audit, clock: clock)
        reminders = ReminderRepository(database: database, clock: clock)
        backup = BackupService(database: database)
        formSubmissions = FormSubmissionLedger(database: database, clock: clock)

        let organisations = OrganisationRepository(database: database, audit: audit, clock: clock)
        self.organisations = organisations
        let units = UnitRepository(database: database, audit: audit, clock: clock)
        self.units = units
        organisationImporter = OrganisationImportService(
            database: database, keyring: keyring, audit: audit, clock: clock,
            organisations: organisations, units: units)
        terms = TermRepository(database: database, audit: audit, clock: clock, organisations: organisations)

        let members = MemberRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        self.members = members
        importer = MemberImportService(database: database, members: members, keyring: keyring, audit: audit, clock: clock)
        let transfers = TransferRepository(database: database, audit: audit, clock: clock, members: members)
        self.transfers = transfers
        floating = FloatingCertificateRepository(database: database, audit: audit, clock: clock)
        exportRequests = ExportRequestRepository(database: database, audit: audit, clock: clock)

        meetings = MeetingRepository(database: database, audit: audit, clock: clock)
        compliance = ComplianceService(database: database, audit: audit, clock: clock)
        participation = ParticipationService(database: database, audit: audit, clock: clock)
        evaluations = EvaluationRepository(database: database, audit: audit, clock: clock)
        checkins = CheckinRepository(database: database, audit: audit, keyring: keyring, clock: clock)

        development = DevelopmentRepository(database: database, audit: audit, keyring: keyring, clock: clock, members: members)
        applicationForms = ApplicationFormRepository(database: database, audit: audit, clock: clock)

        campaigns = CampaignRepository(database: database, audit: audit, clock: clock)
        let problems = ProblemRepository(database: database, audit: audit, clock: clock)
        self.problems = problems
        supervision = SupervisionRepository(database: database, audit: audit, clock: clock, problems: problems)
        let duties = DutyListRepository(database: database, audit: audit, clock: clock)
        self.duties = duties
        ledgerReports = LedgerReportService(database: database, clock: clock, duties: duties)
    }

    /// 待办 from these sources (the web layer passes every capability's, from `Features`).
    public func todoBoard(_ sources: [any TodoSource]) -> TodoBoard {
        TodoBoard(sources: sources, clock: clock)
    }

    /// The reminder job over this graph: the yellow and red matters of `board`, stored once per matter and period.
    public func reminderJob(board: TodoBoard) -> ReminderJob {
        ReminderJob(accounts: accounts, todo: board, reminders: reminders, lock: JobLock(database: database, clock: clock))
    }

    /// The maintenance job (expired sessions, audit anchors) over this graph.
    public func maintenanceJob(
        holder: String = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)
    ) -> MaintenanceJob {
        MaintenanceJob(database: database, clock: clock, sessions: sessions, formSubmissions: formSubmissions, holder: holder)
    }
}
