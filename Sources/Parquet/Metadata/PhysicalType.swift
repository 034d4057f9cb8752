/// The physical (storage) type of a leaf column.
///
/// Unknown values from a file are kept as they are (new enum values do appear); only the
/// code that needs the value decides whether it is an error.
public struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let boolean = PhysicalType(rawValue: 0)
    public static let int32 = PhysicalType(rawValue: 1)
    public static let int64 = PhysicalType(rawValue: 2)
    public static let int96 = PhysicalType(rawValue: 3)
    public static let float = PhysicalType(rawValue: 4)
    public static let double = PhysicalType(rawValue: 5)
    public static let byteArray = PhysicalType(rawValue: 6)
    public static let fixedLenByteArray = PhysicalType(rawValue: 7)

    /// The name the specification uses, or nil for a value it does not define.
    public var name: String? {
        switch rawValue {
        case 0: return "BOOLEAN"
        case 1: return "INT32"
        case 2: return "INT64"
        case 3: return "INT96"
        case 4: return "FLOAT"
        case 5: return "DOUBLE"
        case 6: return "BYTE_ARRAY"
        case 7: return "FIXED_LEN_BYTE_ARRAY"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { name ?? "UNKNOWN(\(rawValue))" }

    /// Bytes per value for the fixed-width types; nil for BYTE_ARRAY, FLBA (width is in the
    /// schema) and BOOLEAN (bit-packed).
    public var fixedByteWidth: Int? {
        switch rawValue {
        case 1, 4: return 4
        case 2, 5: return 8
        case 3: return 12
        default: return nil
        }
    }
}
