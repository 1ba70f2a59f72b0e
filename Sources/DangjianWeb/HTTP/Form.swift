public import Hummingbird
import Foundation
import DangjianStore
public import DangjianDomain

/// A decoded `application/x-www-form-urlencoded` body or query string.
///
/// Every read goes through a named accessor (never the raw dictionary), so that the route fuzz test can learn
/// which parameters a route reads (`ParameterLog`) and whole numbers are read only as bounded types (`number`).
public struct FormData: Sendable {
    private var fields: [String: [String]] = [:]

    public init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first else { continue }
            let key = Self.decode(name)
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            fields[key, default: []].append(value)
        }
    }

    /// The first value of a field, untrimmed; nil when absent.
    public subscript(_ key: String) -> String? { read(key)?.first }

    /// Every value of a repeated field (checkboxes, multi-selects), in order; empty when absent.
    public func all(_ key: String) -> [String] { read(key) ?? [] }

    /// The value as a trimmed string, empty when absent.
    public func text(_ key: String) -> String { (read(key)?.first ?? "").trimmed }

    /// The value as a record id; nil when absent or not a whole number (ids are only ever compared, never computed with).
    public func int64(_ key: String) -> Int64? { Int64(text(key)) }

    /// Every value of a repeated id field that is a whole number.
    public func ids(_ key: String) -> [Int64] { all(key).compactMap { Int64($0.trimmed) } }

    /// A whole number as the bounded type its meaning allows: nil when absent or empty, a `ValidationFailure`
    /// naming the field (400) when it is not a whole number inside the type's range (issue 15, H1).
    public func number<N: BoundedNumber>(_ key: String, _ type: N.Type) throws(ValidationFailure) -> N? {
        try N.parse(text(key), field: key)
    }

    /// The fields without recording a read (`SubmitOnce` keys a submission by all of them).
    var fieldsForKey: [String: [String]] { fields }

    private func read(_ key: String) -> [String]? {
        FormData.log?.record(key)
        return fields[key]
    }

    /// Set by the route fuzz test around a handler to learn the parameters it reads; nil (not recording) otherwise.
    @TaskLocal public static var log: ParameterLog?

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Reads the request body (at most `limit` bytes, and never more than the route admits) as a form.
    public static func read(_ request: inout Request, limit: Int = 256 * 1024) async throws -> FormData {
        let buffer = try await request.collectBody(upTo: min(limit, RouteBody.current.limit))
        return FormData(encoded: String(buffer: buffer))
    }

    /// The query string of a request as a form.
    public static func query(_ request: Request) -> FormData {
        FormData(encoded: request.uri.query ?? "")
    }
}

extension FormData {
    /// A form from already-decoded fields (the text parts of a multipart body).
    init(fields: [String: [String]]) { self.fields = fields }
}

/// The parameter names the handlers of one request read (see `FormData.log`).
public final class ParameterLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []
    public init() {}

    func record(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        keys.insert(key)
    }

    /// The names read so far.
    public var names: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return keys
    }
}

/// A form that may carry one evidence file (佐证材料): `multipart/form-data` from the pages (a phone can attach a
/// photo), or plain `application/x-www-form-urlencoded` without a file.
struct EvidenceForm: Sendable {
    var form: FormData
    var upload: MultipartForm.Part?

    static func read(_ request: inout Request) async throws -> EvidenceForm {
        guard MultipartForm.boundary(from: request.headers[.contentType]) != nil else {
            return EvidenceForm(form: try await FormData.read(&request), upload: nil)
        }
        let multipart = try await MultipartForm.read(&request, limit: RouteBody.upload.limit)
        var fields: [String: [String]] = [:]
        for part in multipart.parts where part.fileName == nil { fields[part.name, default: []].append(String(decoding: part.data, as: UTF8.self)) }
        return EvidenceForm(form: FormData(fields: fields), upload: multipart.file("evidence_file"))
    }

    /// The checked evidence file, nil when none was chosen; a file of the wrong kind or size throws with the reason.
    func evidence() throws -> EvidenceFile? {
        guard let upload else { return nil }
        return try EvidenceFile(fileName: upload.fileName, data: upload.data)
    }
}
