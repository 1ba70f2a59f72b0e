extension StringProtocol {
    /// The bounds of the text without leading and trailing white space (the Unicode White_Space property: spaces,
    /// tabs, line breaks, the no-break space and the full-width space U+3000 that Chinese spreadsheets carry), and
    /// the zero-width space and byte-order mark that text pasted from web pages and CSV files brings along.
    ///
    /// Written over the Unicode scalars rather than with Foundation's `trimmingCharacters(in:)`, which bridges each
    /// string through NSString: that alone was a fifth of a 100,000-row import preview (`perf`, docs/performance.md).
    @inline(__always)
    func untrimmedBounds() -> Range<Index> {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isTrimmable(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard Self.isTrimmable(scalars[before]) else { break }
            end = before
        }
        return start..<end
    }

    @inline(__always)
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80
            ? (scalar.value == 0x20 || (scalar.value >= 0x09 && scalar.value <= 0x0D))
            : scalar.properties.isWhitespace || scalar.value == 0x200B || scalar.value == 0xFEFF
    }

    /// Nil for empty text, so optional fields can be written as `form.text.trimmed.nilIfEmpty`.
    public var nilIfEmpty: String? { isEmpty ? nil : String(self) }
}

extension String {
    /// The text without white space at its ends (see `untrimmedBounds`); returned without copying when there is none.
    public var trimmed: String {
        let bounds = untrimmedBounds()
        return bounds == startIndex..<endIndex ? self : String(self[bounds])
    }
}

extension Substring {
    /// The text without white space at its ends, as a String.
    public var trimmed: String { String(self[untrimmedBounds()]) }
}
