/// How values or levels are encoded in a page.
///
/// Unknown values from a file are kept as they are (new enum values do appear); only the
/// code that needs the value decides whether it is an error.
public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let plain = Encoding(rawValue: 0)
    public static let plainDictionary = Encoding(rawValue: 2)
    public static let rle = Encoding(rawValue: 3)
    public static let bitPacked = Encoding(rawValue: 4)
    public static let deltaBinaryPacked = Encoding(rawValue: 5)
    public static let deltaLengthByteArray = Encoding(rawValue: 6)
    public static let deltaByteArray = Encoding(rawValue: 7)
    public static let rleDictionary = Encoding(rawValue: 8)
    public static let byteStreamSplit = Encoding(rawValue: 9)

    /// The name the specification uses, or nil for a value it does not define.
    public var name: String? {
        switch rawValue {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { name ?? "UNKNOWN(\(rawValue))" }

    /// PLAIN_DICTIONARY (deprecated, DuckDB and parquet-mr v1 still write it) and
    /// RLE_DICTIONARY both mean "dictionary indices" in a data page.
    public var isDictionary: Bool { self == .plainDictionary || self == .rleDictionary }
}
