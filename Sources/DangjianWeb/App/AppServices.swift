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
    /// The Store's one object graph; the properties below are its parts, named as the controllers use them.
    public let store: StoreServices
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
    public let todo: TodoBoard
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
        let store = StoreServices(
            database: database, clock: clock, keyring: keyring, bcryptCost: configuration.bcryptCost,
            loginIPLimit: configuration.loginIPLimit)
        self.store = store
        audit = store.audit
        organisations = store.organisations
        accounts = store.accounts
        sessions = store.sessions
        secondFactors = store.secondFactors
        tokens = store.tokens
        settings = store.settings
        members = store.members
        importer = store.importer
        terms = store.terms
        transfers = store.transfers
        rules = store.rules
        units = store.units
        floating = store.floating
        organisationImporter = store.organisationImporter
        meetings = store.meetings
        compliance = store.compliance
        participation = store.participation
        todo = store.todoBoard(Features.all.flatMap { $0.todoSources(store) })
        reminders = store.reminders
        evaluations = store.evaluations
        checkins = store.checkins
        development = store.development
        campaigns = store.campaigns
        problems = store.problems
        supervision = store.supervision
        ledgerReports = store.ledgerReports
        duties = store.duties
        applicationForms = store.applicationForms
        exportRequests = store.exportRequests
        metrics = PrometheusCollectorRegistry()
    }

    /// The reminder job over every capability's 待办, as the server runs it.
    public var reminderJob: ReminderJob { store.reminderJob(board: todo) }

    /// The policy in force: what the 安全管理员 saved, else the configured preset.
    public func passwordPolicy() async throws -> PasswordPolicy {
        try await settings.passwordPolicy(fallback: configuration.passwordPolicy)
    }

    /// The session cookie's name: `__Host-` prefixed when served over HTTPS (ASVS 3.4.4).
    var sessionCookieName: String { configuration.https ? "__Host-dj_session" : "dj_session" }

    /// The sign-in form's double-submit CSRF cookie.
    /// The address a QR code carries (扫码签到, 扫码测评): `DANGJIAN_PUBLIC_URL`, or the address the server was
    /// configured to listen on — never the request's Host header, which a client chooses (issue 15, L8).
    func publicAddress(_ path: String) -> String {
        let base = configuration.publicURL ?? "\(configuration.https ? "https" : "http")://\(configuration.hostname):\(configuration.port)"
        return base + path
    }

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
    /// The organisation a list page opens on: the one the request names, else the caller's first grant, else (for a
    /// system-wide role such as 系统管理员, which reaches the whole tree) the top of the tree — so a link in the
    /// navigation bar never leads to 404 (issue 17 item 11).
    func anchorID(_ requested: Int64?, _ access: OrganisationAccess) async throws -> Int64 {
        if let requested { return requested }
        if let first = access.reaches.first { return first.organisationID }
        guard access.isUnrestricted else { return 0 }
        return try await organisations.visible(access: access).first { $0.parentID == nil }?.id ?? 0
    }

    /// The account named `username` when it holds a role inside `access` (an office picking supervision-group or
    /// assessment-panel members, L6); nil both for a name that is no account and for one outside the office's part of
    /// the tree, so nobody finds out which login names exist.
    func accountInside(_ access: OrganisationAccess, username: String) async throws -> User? {
        guard let user = try await accounts.find(username: username) else { return nil }
        let inside = try await accounts.assignments(of: user.id).contains { grant in
            grant.organisationPath.map { path in access.covers(path: path, parentID: nil) || access.reaches.contains { $0.path.contains(path) } }
                ?? false
        }
        return inside ? user : nil
    }

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
