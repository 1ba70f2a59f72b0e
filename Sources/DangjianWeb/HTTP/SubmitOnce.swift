import Foundation
import Hummingbird
import HTTPTypes
import DangjianStore

/// Every form a signed-in page shows is sent once (issue 17, item 5): the renderer prints a fresh one-time token
/// into each form (`partials/csrf`, field `_once`), and `Site` hands every state change that carries one to this
/// guard around its handler (`FormSubmissionLedger` keeps the keys). A double tap, a resubmitted page or a second
/// tab with the same form stores one record, everywhere, and the repeat is sent to the page the first went to.
struct SubmitOnce: Sendable {
    let ledger: FormSubmissionLedger
    /// How long a repeat waits for the first submission still being handled before it is told to look again.
    var patience: Duration = .seconds(10)

    static let field = "_once"

    /// A new token for the forms of one page: 128 random bits, URL-safe.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The submission's key, or nil when the request carries no token of ours (an API call, a form of before).
    static func key(_ request: inout Request, route: String) async throws -> String? {
        var fields: [(name: String, value: String)] = []
        if MultipartForm.boundary(from: request.headers[.contentType]) != nil {
            let upload = try await MultipartForm.read(&request, limit: RouteBody.current.limit)
            for part in upload.parts {
                fields.append((part.name, part.fileName.map { "\($0)#\(part.data.count)" } ?? String(decoding: part.data, as: UTF8.self)))
            }
        } else if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            fields = try await FormData.read(&request).submittedFields
        } else {
            return nil
        }
        guard let token = fields.first(where: { $0.name == field })?.value else { return nil }
        return FormSubmissionLedger.key(token: token, route: route, fields: fields.filter { $0.name != field && $0.name != "_csrf" })
    }

    /// Runs `handler` unless the same form was already submitted.
    func run(key: String, userID: Int64, _ handler: () async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: patience)
        while true {
            switch try await ledger.reserve(key, userID: userID) {
            case .completed(let location):
                return PageRenderer.redirect(location, done: .alreadySubmitted)
            case .inProgress:
                guard clock.now < deadline else { throw SubmissionInProgress() }
                try await Task.sleep(for: .milliseconds(100))
            case .reserved:
                let response: Response
                do { response = try await handler() } catch {
                    try? await ledger.release(key)
                    throw error
                }
                if (300..<400).contains(response.status.code), let location = response.headers[.location] {
                    try await ledger.complete(key, location: Self.withoutNotice(location))
                } else {
                    try await ledger.release(key)
                }
                return response
            }
        }
    }

    /// `location` without the `done` notice the first submission showed (the repeat shows its own).
    static func withoutNotice(_ location: String) -> String {
        guard let q = location.firstIndex(of: "?") else { return location }
        let kept = location[location.index(after: q)...].split(separator: "&").filter { !$0.hasPrefix("done=") }
        return String(location[..<q]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}

/// The same form is still being saved by an earlier submission (a double tap on a slow connection).
struct SubmissionInProgress: Error {}

extension FormData {
    /// Every field as sent, in order (for the submission's key; not logged as read by the handler).
    var submittedFields: [(name: String, value: String)] {
        fieldsForKey.flatMap { name, values in values.map { (name, $0) } }
    }
}
