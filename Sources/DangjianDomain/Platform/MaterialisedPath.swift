/// A materialised path in the organisation tree, such as `/1/17/203/`.
///
/// The root organisation with id 1 has path `/1/`; a child with id 17 has `/1/17/`. Everything at or below an
/// organisation shares its path as a prefix, so "this organisation and all below it" is one indexed range
/// `[path, upperBound)` rather than a recursive query.
public struct MaterialisedPath: Hashable, Sendable, CustomStringConvertible {
    /// The path text, always starting and ending with `/`.
    public let value: String

    /// Creates a path from stored text; returns nil when the text is not a well-formed path.
    public init?(_ value: String) {
        guard value.hasPrefix("/"), value.hasSuffix("/"), value.count >= 3 else { return nil }
        let parts = value.dropFirst().dropLast().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        self.value = value
    }

    /// The path of a root organisation with the given id.
    public static func root(id: Int64) -> MaterialisedPath { MaterialisedPath(unchecked: "/\(id)/") }

    private init(unchecked: String) { self.value = unchecked }

    /// The path of a child with `id` under this path.
    public func appending(id: Int64) -> MaterialisedPath { MaterialisedPath(unchecked: value + "\(id)/") }

    /// The ids from the root down to this organisation.
    public var ids: [Int64] {
        value.split(separator: "/").compactMap { Int64($0) }
    }

    /// Depth, 1 for a root.
    public var depth: Int { ids.count }

    /// Whether `other` is this path or lies below it.
    public func contains(_ other: MaterialisedPath) -> Bool { other.value.hasPrefix(value) }

    /// The exclusive upper bound of the prefix range: every path starting with this one sorts in
    /// `[value, upperBound)` under byte ordering (`/` is 0x2F, so replacing the final `/` by `0` (0x30) bounds it).
    public var upperBound: String { String(value.dropLast()) + "0" }

    /// Re-roots this path when the subtree at `oldPrefix` moves to `newPrefix`.
    public func rebased(from oldPrefix: MaterialisedPath, to newPrefix: MaterialisedPath) -> MaterialisedPath? {
        guard oldPrefix.contains(self) else { return nil }
        return MaterialisedPath(unchecked: newPrefix.value + value.dropFirst(oldPrefix.value.count))
    }

    public var description: String { value }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
