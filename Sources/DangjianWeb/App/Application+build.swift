public import Hummingbird
public import DangjianDomain
public import DangjianStore
public import Logging

/// The composition root: builds services, middleware and routes.
public enum DangjianApp {
    /// What each capability adds to the demo county, in `Features.all` order (`dangjian serve --demo`, `dangjian demo`).
    public static var demoParts: [DemoCounty.DemoPart] { Features.demoParts }

    /// Builds the router and the services for `configuration`, on an already migrated database. `renderer`: templates
    /// already loaded (the authorization matrix builds a router per cell), else they are loaded from the bundle.
    public static func buildRouter(
        configuration: AppConfiguration, database: Database, keyring: Keyring, clock: any WallClock = SystemClock(),
        renderer: PageRenderer? = nil
    ) async throws -> (router: Router<AppRequestContext>, services: AppServices, routes: [RouteSpec]) {
        try await Migrator.checkCompatible(database)
        let loaded: PageRenderer
        if let renderer { loaded = renderer } else { loaded = try await PageRenderer.load() }
        let services = AppServices(configuration: configuration, database: database, clock: clock, keyring: keyring, renderer: loaded)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(https: configuration.https))
        if configuration.logRequests { router.add(middleware: RequestLogMiddleware()) }
        router.add(middleware: MetricsMiddleware(services: services))
        router.add(middleware: SessionMiddleware(services: services))
        router.add(middleware: ErrorMiddleware(services: services))
        let site = Site(
            router: router, csrf: CSRFGuard(services: services), submitOnce: SubmitOnce(ledger: services.store.formSubmissions),
            parameterBook: configuration.routeParameterBook,
            spoolDirectory: configuration.uploadSpoolDirectory)
        for feature in Features.all {
            site.feature = feature.slug
            feature.init(services: services).addRoutes(to: site)
        }
        return (router, services, site.specs)
    }

    /// Builds the whole application listening on the configured address, with its services (for the server's
    /// housekeeping: maintenance, reminders, audit anchors).
    public static func buildApplication(
        configuration: AppConfiguration, database: Database, keyring: Keyring, logger: Logger
    ) async throws -> (application: some ApplicationProtocol, services: AppServices) {
        let built = try await buildRouter(configuration: configuration, database: database, keyring: keyring)
        let limits = ConnectionLimits(
            total: configuration.maxConnections,
            perAddress: configuration.trustProxy ? nil : configuration.maxConnectionsPerAddress)
        let application = Application(
            router: built.router,
            // A connection that sends nothing for 30 s is closed; one whose first request head takes longer than the
            // header timeout, or whose body takes longer than the body timeout, is closed too; at most so many
            // connections are held (issue 15, H4/L12: half-sent requests cannot hold the server's descriptors).
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ConnectionGuard(
                            limits: limits, headTimeout: .seconds(Int64(configuration.headerTimeoutSeconds)),
                            bodyTimeout: .seconds(Int64(configuration.bodyTimeoutSeconds)))
                    ],
                    idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
            logger: logger)
        return (application, built.services)
    }
}
