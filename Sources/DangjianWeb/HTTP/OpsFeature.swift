/// Health, metrics and the static files — no navigation.
struct OpsFeature: Feature {
    let services: AppServices

    func addRoutes(to site: Site) {
        OpsController(services: services).addRoutes(to: site)
    }
}
