import NAF

/// The NAF test of a niche on one stock value, as bytes.
///
/// INSEE writes subclasses with the dot (`69.20Z`); simplified inputs may omit it (`6920Z`), so
/// a 5-byte `DDDDL` value is read as `DD.DDL`. Anything else (older nomenclatures `52.1D`,
/// `64.21`, lower case) never matches: see `NAFFilter`.
public struct NAFValueMatcher: Sendable {
    public let filter: NAFFilter

    public init(_ filter: NAFFilter) {
        self.filter = filter
    }

    @inline(__always)
    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.count == 6 { return filter.matches(stockBytes: bytes) }
        guard let dotted = NAFValueMatcher.dotted(bytes) else { return false }
        return withUnsafeBytes(of: dotted) { filter.matches(stockBytes: UnsafeRawBufferPointer(rebasing: $0[0..<6])) }
    }

    /// `DDDDL` as the six bytes `DD.DDL`, nil for any other shape.
    @inline(__always)
    static func dotted(_ bytes: UnsafeRawBufferPointer) -> (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)? {
        guard bytes.count == 5, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]), isDigit(bytes[3]) else {
            return nil
        }
        return (bytes[0], bytes[1], UInt8(ascii: "."), bytes[2], bytes[3], bytes[4])
    }

    /// Whether some value starting with a byte string in `[minimum, maximum]` (unsigned byte
    /// order, as Parquet statistics compare strings) could match: the row group is skipped
    /// when this is false. Only dotted values are assumed, so callers use it for INSEE columns.
    public func mayMatch(minimum: [UInt8], maximum: [UInt8]) -> Bool {
        for code in filter.include {
            let prefix = Array(code.dotted.utf8)
            // Values under `prefix` lie in [prefix, prefix + 0xFF...]: overlap with [min, max]?
            if maximum.lexicographicallyPrecedes(prefix) { continue }
            let minimumPrefix = Array(minimum.prefix(prefix.count))
            if prefix.lexicographicallyPrecedes(minimumPrefix) { continue }
            return true
        }
        return false
    }
}
