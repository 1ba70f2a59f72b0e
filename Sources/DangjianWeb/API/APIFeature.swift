/// `/api/v1`: the JSON API with bearer tokens, described by `Resources/openapi.json`.
struct APIFeature: Feature {
    let services: AppServices

    func addRoutes(to site: Site) {
        APIController(services: services).addRoutes(to: site)
    }
}
