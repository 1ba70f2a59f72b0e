import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

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

    /// Parses a body; malformed input yields the parts read so far (never a crash). Delimiters are found with
    /// `memchr`/`memcmp` over the bytes: a body crafted to be full of near-delimiters costs linear time, not the quadratic
    /// search that let two 8.7 MB bodies hold the server for minutes (issue 15, H4).
    static func parse(_ body: Data, boundary: String) -> MultipartForm {
        let bytes = [UInt8](body)
        let delimiter = Array(("--" + boundary).utf8)
        let nextDelimiter = Array("\r\n".utf8) + delimiter
        let headerEnd = Array("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard let first = find(delimiter, in: bytes, from: 0) else { return MultipartForm(parts: []) }
        var position = first + delimiter.count
        while position + 2 <= bytes.count {
            // "--" after the delimiter ends the body.
            if bytes[position] == UInt8(ascii: "-") && bytes[position + 1] == UInt8(ascii: "-") { break }
            guard bytes[position] == 13, bytes[position + 1] == 10 else { break }
            position += 2
            guard let headersEnd = find(headerEnd, in: bytes, from: position) else { break }
            let headers = String(decoding: bytes[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + headerEnd.count
            guard let next = find(nextDelimiter, in: bytes, from: contentStart) else { break }
            var name = ""
            var fileName: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line) ?? ""
                fileName = Self.parameter("filename", in: line)
            }
            parts.append(Part(name: name, fileName: fileName, data: Data(bytes[contentStart..<next])))
            position = next + nextDelimiter.count
        }
        return MultipartForm(parts: parts)
    }

    /// The offset of the first `needle` in `haystack` at or after `from`, or nil.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, from <= haystack.count, haystack.count - from >= needle.count else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin -> Int? in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return nil }
                // memchr to each candidate first byte, memcmp the rest: linear in practice, ~needle × body at worst.
                var offset = from
                let last = hay.count - pin.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, pinBase, pin.count) == 0 { return at }
                    offset = at + 1
                }
                return nil
            }
        }
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
    /// The upload of the request being handled, already spooled to disk and parsed by `Site` (upload routes).
    @TaskLocal static var received: MultipartForm?

    static func read(_ request: inout Request, limit: Int) async throws -> MultipartForm {
        if let received { return received }
        guard let boundary = boundary(from: request.headers[.contentType]) else {
            throw ValidationFailureError.notMultipart
        }
        let buffer = try await request.collectBody(upTo: min(limit, RouteBody.current.limit))
        return parse(Data(buffer: buffer), boundary: boundary)
    }
}

extension MultipartForm {
    /// Streams an upload's body to a private temporary file as it arrives (at most `limit` bytes, else 413) and
    /// parses it from a memory map: an upload holds file-backed pages that the kernel can drop, not the body twice
    /// on the heap (issue 15, H4). The file is unlinked once mapped.
    static func spool(_ request: Request, boundary: String, limit: Int, directory: URL) async throws -> MultipartForm {
        let url = directory.appendingPathComponent("dangjian-upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        var total = 0
        do {
            for try await chunk in request.body {
                total += chunk.readableBytes
                guard total <= limit else { throw HTTPError(.contentTooLarge) }
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return parse(data, boundary: boundary)
    }
}

enum ValidationFailureError: Error { case notMultipart }

import NIOCore
import NIOFoundationCompat
