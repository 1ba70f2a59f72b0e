public import Hummingbird
public import DangjianDomain
public import DangjianStore
public import Logging

/// The composition root: builds services, middleware and routes.
public enum DangjianApp {
    /// Builds the router and the services for `configuration`, on an already migrated database.
    public static func buildRouter(
        configuration: AppConfiguration, database: Database, keyring: Keyring, clock: any WallClock = SystemClock()
    ) async throws -> (router: Router<AppRequestContext>, services: AppServices, routes: [RouteSpec]) {
        try await Migrator.checkCompatible(database)
        let services = AppServices(
            configuration: configuration, database: database, clock: clock, keyring: keyring, renderer: try await PageRenderer.load())
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(https: configuration.https))
        if configuration.logRequests { router.add(middleware: RequestLogMiddleware()) }
        router.add(middleware: MetricsMiddleware(services: services))
        router.add(middleware: SessionMiddleware(services: services))
        router.add(middleware: ErrorMiddleware(services: services))
        let site = Site(router: router, csrf: CSRFGuard(services: services), parameterBook: configuration.routeParameterBook,
                        spoolDirectory: configuration.uploadSpoolDirectory)
        OpsController(services: services).addRoutes(to: site)
        AuthController(services: services).addRoutes(to: site)
        AuthController(services: services).addSessionRoutes(to: site)
        SecondFactorController(services: services).addRoutes(to: site)
        HomeController(services: services).addRoutes(to: site)
        OrganisationImportController(services: services).addRoutes(to: site)
        OrganisationController(services: services).addRoutes(to: site)
        TermController(services: services).addRoutes(to: site)
        UnitController(services: services).addRoutes(to: site)
        MeetingController(services: services).addRoutes(to: site)
        ComplianceReportController(services: services).addRoutes(to: site)
        TodoController(services: services).addRoutes(to: site)
        EvaluationController(services: services).addRoutes(to: site)
        CheckinController(services: services).addRoutes(to: site)
        DevelopmentController(services: services).addRoutes(to: site)
        CampaignController(services: services).addRoutes(to: site)
        ProblemController(services: services).addRoutes(to: site)
        SupervisionController(services: services).addRoutes(to: site)
        LedgerReportController(services: services).addRoutes(to: site)
        DutyController(services: services).addRoutes(to: site)
        FloatingController(services: services).addRoutes(to: site)
        RuleBookController(services: services).addRoutes(to: site)
        TransferController(services: services).addRoutes(to: site)
        MemberImportController(services: services).addRoutes(to: site)
        MemberController(services: services).addRoutes(to: site)
        UnmaskedExportController(services: services).addRoutes(to: site)
        UserAdminController(services: services).addRoutes(to: site)
        PolicyController(services: services).addRoutes(to: site)
        AuditController(services: services).addRoutes(to: site)
        TokenController(services: services).addRoutes(to: site)
        APIController(services: services).addRoutes(to: site)
        return (router, services, site.specs)
    }

    /// Builds the whole application listening on the configured address.
    public static func buildApplication(
        configuration: AppConfiguration, database: Database, keyring: Keyring, logger: Logger
    ) async throws -> some ApplicationProtocol {
        let built = try await buildRouter(configuration: configuration, database: database, keyring: keyring)
        let limits = ConnectionLimits(total: configuration.maxConnections,
                                      perAddress: configuration.trustProxy ? nil : configuration.maxConnectionsPerAddress)
        return Application(
            router: built.router,
            // A connection that sends nothing for 30 s is closed; one whose first request head takes longer than the
            // header timeout, or whose body takes longer than the body timeout, is closed too; at most so many
            // connections are held (issue 15, H4/L12: half-sent requests cannot hold the server's descriptors).
            server: .http1(configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(limits: limits, headTimeout: .seconds(Int64(configuration.headerTimeoutSeconds)),
                                                            bodyTimeout: .seconds(Int64(configuration.bodyTimeoutSeconds)))],
                idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
            logger: logger)
    }
}
