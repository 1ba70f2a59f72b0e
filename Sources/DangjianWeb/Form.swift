public import Hummingbird
import Foundation

/// A decoded `application/x-www-form-urlencoded` body or query string.
public struct FormData: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    /// The first value of a field, trimmed; nil when absent.
    public subscript(_ key: String) -> String? { values[key]?.first }

    /// The value as a trimmed string, empty when absent.
    public func text(_ key: String) -> String { (values[key]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The value as an integer id.
    public func int64(_ key: String) -> Int64? { Int64(text(key)) }

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Reads the request body (at most `limit` bytes) as a form.
    public static func read(_ request: inout Request, limit: Int = 256 * 1024) async throws -> FormData {
        let buffer = try await request.collectBody(upTo: limit)
        return FormData(encoded: String(buffer: buffer))
    }

    /// The query string of a request as a form.
    public static func query(_ request: Request) -> FormData {
        FormData(encoded: request.uri.query ?? "")
    }
}
