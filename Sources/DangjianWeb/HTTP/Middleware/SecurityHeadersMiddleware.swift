import Hummingbird
import HTTPTypes
import Logging

/// Adds the security headers to every response (ASVS 14.4) and is the last-resort error handler: anything that
/// escapes becomes a generic 500 page with the request id, never a stack trace.
struct SecurityHeadersMiddleware: RouterMiddleware {
    let https: Bool

    static let csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: type(of: error)))")
            response = ErrorPages.bare(status: .internalServerError, requestID: context.requestID)
        }
        response.headers[.contentSecurityPolicy] = Self.csp
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        response.headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        if https { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=15724800; includeSubDomains" }
        if !request.uri.path.hasPrefix("/static/") {
            // Pages may carry personal data: never cached, and the back button does not show them after logout.
            response.headers[.cacheControl] = "no-store"
            response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        }
        response.headers[.server] = nil
        return response
    }
}
