/// The codec of a column chunk's pages.
///
/// Unknown values from a file are kept as they are (new enum values do appear); only the
/// code that needs the value decides whether it is an error.
public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let uncompressed = CompressionCodec(rawValue: 0)
    public static let snappy = CompressionCodec(rawValue: 1)
    public static let gzip = CompressionCodec(rawValue: 2)
    public static let lzo = CompressionCodec(rawValue: 3)
    public static let brotli = CompressionCodec(rawValue: 4)
    public static let lz4 = CompressionCodec(rawValue: 5)
    public static let zstd = CompressionCodec(rawValue: 6)
    public static let lz4Raw = CompressionCodec(rawValue: 7)

    /// The name the specification uses, or nil for a value it does not define.
    public var name: String? {
        switch rawValue {
        case 0: return "UNCOMPRESSED"
        case 1: return "SNAPPY"
        case 2: return "GZIP"
        case 3: return "LZO"
        case 4: return "BROTLI"
        case 5: return "LZ4"
        case 6: return "ZSTD"
        case 7: return "LZ4_RAW"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { name ?? "UNKNOWN(\(rawValue))" }

    /// The codecs this package implements (with Debian's zlib, libzstd and libsnappy).
    public var isSupported: Bool {
        self == .uncompressed || self == .snappy || self == .gzip || self == .zstd
    }
}
