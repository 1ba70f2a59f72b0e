import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import DangjianDomain

/// What every capability's `/api/v1` operations share: the caller's identity and typed JSON answers (sorted keys,
/// UTF-8). A capability registers its operations from its own folder (`LifeAPI`, `ListsAPI` …) and documents them
/// in `Resources/openapi.json`.
enum JSONAPI {
    static func identity(_ context: AppRequestContext) throws -> Identity {
        guard let identity = context.identity else { throw NeedsSignIn(isAPI: true) }
        return identity
    }

    static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return response(try encoder.encode(value), status: status)
    }

    static func response(_ data: Data, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A list page: the total and the items.
    struct Page<Item: Encodable>: Encodable {
        var total: Int
        var items: [Item]
    }

    /// A JSON object of strings and numbers as the form's fields, so that the API is checked as the page is.
    struct FormBody: Decodable {
        var fields: [String: [String]] = [:]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in c.allKeys {
                if let s = try? c.decode(String.self, forKey: key) {
                    fields[key.stringValue] = [s]
                } else if let n = try? c.decode(Int64.self, forKey: key) {
                    fields[key.stringValue] = [String(n)]
                } else {
                    throw ValidationFailure(field: key.stringValue, message: "“\(key.stringValue)”应为文字或整数", isRequestParameter: true)
                }
            }
        }

        var form: FormData { FormData(fields: fields) }
    }
}
