public import Foundation
public import DangjianDomain
public import DangjianStore
import Prometheus
import Logging

/// The composition root's object graph: one of each service, shared by every controller.
public final class AppServices: Sendable {
    public let configuration: AppConfiguration
    public let database: Database
    public let clock: any WallClock
    public let keyring: Keyring
    public let audit: AuditTrail
    public let organisations: OrganisationRepository
    public let accounts: AccountRepository
    public let sessions: SessionRepository
    public let secondFactors: SecondFactorRepository
    public let tokens: APITokenRepository
    public let settings: SettingsRepository
    public let members: MemberRepository
    public let importer: MemberImportService
    public let terms: TermRepository
    public let transfers: TransferRepository
    public let rules: RuleBookRepository
    public let units: UnitRepository
    public let floating: FloatingCertificateRepository
    public let organisationImporter: OrganisationImportService
    public let meetings: MeetingRepository
    public let compliance: ComplianceService
    public let participation: ParticipationService
    public let todo: TodoService
    public let evaluations: EvaluationRepository
    public let checkins: CheckinRepository
    public let development: DevelopmentRepository
    public let reminders: ReminderRepository
    public let campaigns: CampaignRepository
    public let problems: ProblemRepository
    public let supervision: SupervisionRepository
    public let ledgerReports: LedgerReportService
    public let duties: DutyListRepository
    public let applicationForms: ApplicationFormRepository
    public let exportRequests: ExportRequestRepository
    let renderer: PageRenderer
    let metrics: PrometheusCollectorRegistry
    let outOfScope: OutOfScopeTracker

    init(configuration: AppConfiguration, database: Database, clock: any WallClock, keyring: Keyring, renderer: PageRenderer) {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        self.keyring = keyring
        self.renderer = renderer
        outOfScope = OutOfScopeTracker(alertThreshold: configuration.outOfScopeAlertThreshold)
        audit = AuditTrail(keyring: keyring, clock: clock)
        organisations = OrganisationRepository(database: database, audit: audit, clock: clock)
        var accounts = AccountRepository(database: database, audit: audit, clock: clock, hashCost: configuration.bcryptCost)
        accounts.throttleLimit = configuration.loginIPLimit
        self.accounts = accounts
        sessions = SessionRepository(database: database, clock: clock)
        secondFactors = SecondFactorRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        tokens = APITokenRepository(database: database, audit: audit, clock: clock)
        settings = SettingsRepository(database: database, audit: audit, clock: clock)
        members = MemberRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        importer = MemberImportService(database: database, members: members, keyring: keyring, audit: audit, clock: clock)
        terms = TermRepository(database: database, audit: audit, clock: clock)
        transfers = TransferRepository(database: database, audit: audit, clock: clock, members: members)
        rules = RuleBookRepository(database: database, audit: audit, clock: clock)
        units = UnitRepository(database: database, audit: audit, clock: clock)
        floating = FloatingCertificateRepository(database: database, audit: audit, clock: clock)
        organisationImporter = OrganisationImportService(database: database, keyring: keyring, audit: audit, clock: clock)
        meetings = MeetingRepository(database: database, audit: audit, clock: clock)
        compliance = ComplianceService(database: database, audit: audit, clock: clock)
        participation = ParticipationService(database: database, audit: audit, clock: clock)
        todo = TodoService(database: database, audit: audit, clock: clock, transfers: transfers)
        reminders = ReminderRepository(database: database, clock: clock)
        evaluations = EvaluationRepository(database: database, audit: audit, clock: clock)
        checkins = CheckinRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        development = DevelopmentRepository(database: database, audit: audit, keyring: keyring, clock: clock)
        campaigns = CampaignRepository(database: database, audit: audit, clock: clock)
        problems = ProblemRepository(database: database, audit: audit, clock: clock)
        supervision = SupervisionRepository(database: database, audit: audit, clock: clock)
        ledgerReports = LedgerReportService(database: database, audit: audit, clock: clock)
        duties = DutyListRepository(database: database, audit: audit, clock: clock)
        applicationForms = ApplicationFormRepository(database: database, audit: audit, clock: clock)
        exportRequests = ExportRequestRepository(database: database, audit: audit, clock: clock)
        metrics = PrometheusCollectorRegistry()
    }

    /// The policy in force: what the 安全管理员 saved, else the configured preset.
    public func passwordPolicy() async throws -> PasswordPolicy {
        try await settings.passwordPolicy(fallback: configuration.passwordPolicy)
    }

    /// The session cookie's name: `__Host-` prefixed when served over HTTPS (ASVS 3.4.4).
    var sessionCookieName: String { configuration.https ? "__Host-dj_session" : "dj_session" }

    /// The sign-in form's double-submit CSRF cookie.
    var loginCookieName: String { configuration.https ? "__Host-dj_login" : "dj_login" }

    /// A `Set-Cookie` value with the project's flags.
    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Lax"]
        if configuration.https { parts.append("Secure") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }
}

extension AppServices {
    /// The organisations (not 党小组) a manager may pick as units in forms — task assignees, problem and 责任书 units,
    /// supervision-group coverage — in tree order, optionally without the grant anchors themselves (the office).
    func unitChoices(_ access: OrganisationAccess, includingAnchors: Bool) async throws -> [SelectOption] {
        var options: [SelectOption] = []
        for reach in access.reaches {
            options += try await organisations.list(anchorID: reach.organisationID, scope: reach.scope, access: access)
                .filter { $0.type != .partyGroup && (includingAnchors || $0.id != reach.organisationID) }
                .map { SelectOption(value: String($0.id), label: $0.name, selected: false) }
        }
        return options
    }
}
