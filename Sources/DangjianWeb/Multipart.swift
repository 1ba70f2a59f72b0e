import Foundation
import Hummingbird

/// A minimal `multipart/form-data` reader for the file upload form (RFC 7578): parts with their field name,
/// optional file name and bytes. The client's file name is only shown, never used on the file system.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var fileName: String?
        var data: Data
    }

    var parts: [Part]

    func value(_ name: String) -> String? {
        parts.first { $0.name == name && $0.fileName == nil }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.fileName != nil } }

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(from contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for piece in contentType.split(separator: ";") {
            let kv = piece.trimmed
            if kv.lowercased().hasPrefix("boundary=") {
                var b = String(kv.dropFirst("boundary=".count))
                if b.hasPrefix("\"") && b.hasSuffix("\"") && b.count >= 2 { b = String(b.dropFirst().dropLast()) }
                return b.isEmpty || b.count > 200 ? nil : b
            }
        }
        return nil
    }

    /// Parses a body; malformed input yields the parts read so far (never a crash).
    static func parse(_ body: Data, boundary: String) -> MultipartForm {
        let delimiter = Data(("--" + boundary).utf8)
        let crlf = Data("\r\n".utf8)
        var parts: [Part] = []
        var position = body.startIndex
        guard let first = body.range(of: delimiter, in: position..<body.endIndex) else { return MultipartForm(parts: []) }
        position = first.upperBound
        while position < body.endIndex {
            // "--" after the delimiter ends the body.
            if body[position...].starts(with: Data("--".utf8)) { break }
            guard body[position...].starts(with: crlf) else { break }
            position += 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: position..<body.endIndex) else { break }
            let headers = String(decoding: body[position..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = body.range(of: crlf + delimiter, in: contentStart..<body.endIndex) else { break }
            var name = ""
            var fileName: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line) ?? ""
                fileName = Self.parameter("filename", in: line)
            }
            parts.append(Part(name: name, fileName: fileName, data: Data(body[contentStart..<next.lowerBound])))
            position = next.upperBound
        }
        return MultipartForm(parts: parts)
    }

    static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let kv = piece.trimmed
            guard kv.hasPrefix(key + "=") else { continue }
            var value = String(kv.dropFirst(key.count + 1))
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// Reads a request's multipart body (at most `limit` bytes; more is refused with 413).
    static func read(_ request: inout Request, limit: Int) async throws -> MultipartForm {
        guard let boundary = boundary(from: request.headers[.contentType]) else {
            throw ValidationFailureError.notMultipart
        }
        let buffer = try await request.collectBody(upTo: limit)
        return parse(Data(buffer: buffer), boundary: boundary)
    }
}

enum ValidationFailureError: Error { case notMultipart }

import NIOCore
import NIOFoundationCompat
