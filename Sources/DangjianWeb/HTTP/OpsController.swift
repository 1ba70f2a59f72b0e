import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianStore
import DangjianDomain

/// Health, metrics and the static files (CSS, JS).
struct OpsController {
    let services: AppServices
    let staticFiles: [String: (type: String, data: Data)]

    init(services: AppServices) {
        self.services = services
        var files: [String: (String, Data)] = [:]
        let base = Bundle.module.bundleURL.appendingPathComponent("Resources/public")
        do {
            for (name, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
                if let data = try? Data(contentsOf: base.appendingPathComponent(name)) { files[name] = (type, data) }
            }
        }
        staticFiles = files
    }

    func addRoutes(to site: Site) {
        // Liveness: the process answers, without touching the database (load balancers; the benchmark's baseline).
        site.add(.get, "/livez", access: .anyone) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        site.add(.get, "/healthz", access: .anyone) { _, _ in
            let version = try await Migrator.recordedVersion(of: services.database)
            let body = "{\"status\":\"ok\",\"schema\":\(version),\"database\":\"\(services.database.dialect.rawValue)\"}"
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        site.add(.get, "/metrics", access: .anyone) { request, context in
            // L7: only the configured addresses (the socket's, not a forwarded one) or the metrics token.
            let config = services.configuration
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let tokenOK = config.metricsToken.map { token in bearer.map { constantTimeEquals($0, token) } ?? false } ?? false
            guard tokenOK || config.metricsAllowedAddresses.contains(context.peerAddress) else {
                throw RecordNotFound(objectType: "route", objectID: "/metrics")
            }
            var buffer: [UInt8] = []
            services.metrics.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        site.add(.get, "/static/{file}", access: .anyone) { _, context in
            let name = try context.parameters.require("file")
            guard let file = staticFiles[name] else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = file.type
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
    }
}
