import Hummingbird
import Logging

/// One log line per request without what the user typed: the path and only the *names* of the query parameters
/// (issue 15: searched names and numbers stayed in the logs). `/members?q=张三&org=4` is logged `/members?q&org`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.info(
            "Request",
            metadata: [
                "hb.request.path": .string(Self.redacted(path: request.uri.path, query: request.uri.query)),
                "hb.request.method": .string(request.method.rawValue),
            ])
        return try await next(request, context)
    }

    /// The path, and the query's parameter names in their order, without values (at most 2,000 characters).
    static func redacted(path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return String(path.prefix(2_000)) }
        let names = query.split(separator: "&").map { pair in
            String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").prefix(40)
        }
        return String((path + "?" + names.joined(separator: "&")).prefix(2_000))
    }
}
