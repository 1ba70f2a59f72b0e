public import SQLKit
import Foundation
import DangjianDomain

/// Small helpers shared by the repositories.
extension SQLRow {
    /// Decodes a non-null column.
    func value<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T {
        try decode(column: column, as: T.self)
    }

    /// Decodes a non-null `YYYY-MM-DD` column; a value that is not a date throws (never traps).
    func date(_ column: String) throws -> CivilDate {
        let text: String = try decode(column: column, as: String.self)
        guard let date = CivilDate(iso: text) else { throw StoreError.internalInconsistency("列 \(column) 不是日期") }
        return date
    }

    /// Decodes a nullable column.
    func optional<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T? {
        if try decodeNil(column: column) { return nil }
        return try decode(column: column, as: T.self)
    }
}

extension Date {
    /// Whole seconds since 1970, the stored form of every timestamp (UTC instants).
    var epochSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }

    init(epochSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(epochSeconds)) }
}

extension Optional where Wrapped == Date {
    var epochSeconds: Int64? { self.map(\.epochSeconds) }
}

extension SQLDatabase {
    /// Runs a statement and returns the `id` of the row it inserted (`INSERT … RETURNING id`, both dialects).
    func insertReturningID(_ query: SQLQueryString) async throws -> Int64 {
        guard let row = try await raw(query + " RETURNING id").first() else {
            throw StoreError.internalInconsistency("INSERT returned no id")
        }
        return try row.value("id", Int64.self)
    }
}

extension Optional {
    /// The value, or `RecordNotFound` for `objectType`/`objectID` — for a record read back inside the transaction
    /// that wrote it, where nil would mean a concurrent deletion, not a reason to stop the server.
    func required(_ objectType: String, _ objectID: some CustomStringConvertible) throws -> Wrapped {
        guard let self else { throw RecordNotFound(objectType: objectType, objectID: objectID.description) }
        return self
    }
}

/// Errors from the store that are not the user's fault.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database's schema is newer than this build understands.
    case schemaTooNew(database: Int, known: Int)
    /// Something that should be impossible happened.
    case internalInconsistency(String)

    public var description: String {
        switch self {
        case .schemaTooNew(let database, let known):
            "数据库结构版本为 \(database)，高于本程序支持的 \(known)。请升级程序后再启动（不会自动降级）。"
        case .internalInconsistency(let text): "内部错误：\(text)"
        }
    }
}

/// Collects decoded values from a streamed query (`run { row in … }`), one row at a time; the first decoding error
/// is kept and rethrown by `result()`.
final class RowAccumulator<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let decode: (any SQLRow) throws -> Value
    private var values: [Value] = []
    private var failure: (any Error)?

    init(decode: @escaping (any SQLRow) throws -> Value) { self.decode = decode }

    func add(_ row: any SQLRow) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        do { values.append(try decode(row)) } catch { failure = error }
    }

    func result() throws -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return values
    }
}
