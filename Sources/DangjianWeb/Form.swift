public import Hummingbird
import Foundation
import DangjianStore

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
    public func text(_ key: String) -> String { (values[key]?.first ?? "").trimmed }

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

extension FormData {
    /// A form from already-decoded fields (the text parts of a multipart body).
    init(fields: [String: [String]]) { values = fields }
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
        let multipart = try await MultipartForm.read(&request, limit: MemberImportController.uploadLimit)
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
