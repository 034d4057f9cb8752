/// A column type for values given as text (CSV fields), with how it is stored in Parquet.
public enum TextColumnType: Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 text (STRING).
    case string
    /// Bytes without annotation; `\x` followed by hex digits is read as those bytes.
    case binary
    case boolean
    case int32
    case int64
    case float
    case double
    /// `YYYY-MM-DD` (DATE).
    case date
    /// `YYYY-MM-DD[T| ]HH:MM:SS[.fraction][Z]` (TIMESTAMP in `unit`; adjusted to UTC when
    /// the values end with `Z`).
    case timestamp(TimeUnit, isAdjustedToUTC: Bool)
    /// Fixed-point text such as `-12.30` (DECIMAL(precision, scale)).
    case decimal(precision: Int, scale: Int)

    /// The names `init?(name:)` accepts, for help texts.
    public static let names = ["string", "binary", "boolean", "int32", "int64", "float", "double", "date",
                               "timestamp", "timestamp_ms", "timestamp_ns", "timestamp_utc", "decimal(P,S)"]

    /// Parses a type name: one of `names` (case-insensitive), `decimal(P,S)` with
    /// 1 <= P <= 38 and 0 <= S <= P.
    public init?(name: String) {
        let lowered = name.lowercased().filter { !$0.isWhitespace }
        switch lowered {
        case "string", "text", "utf8": self = .string
        case "binary", "bytes": self = .binary
        case "boolean", "bool": self = .boolean
        case "int32", "int": self = .int32
        case "int64", "bigint", "long": self = .int64
        case "float", "float32": self = .float
        case "double", "float64": self = .double
        case "date": self = .date
        case "timestamp", "timestamp_us": self = .timestamp(.microseconds, isAdjustedToUTC: false)
        case "timestamp_ms": self = .timestamp(.milliseconds, isAdjustedToUTC: false)
        case "timestamp_ns": self = .timestamp(.nanoseconds, isAdjustedToUTC: false)
        case "timestamp_utc", "timestamp_us_utc": self = .timestamp(.microseconds, isAdjustedToUTC: true)
        case "timestamp_ms_utc": self = .timestamp(.milliseconds, isAdjustedToUTC: true)
        case "timestamp_ns_utc": self = .timestamp(.nanoseconds, isAdjustedToUTC: true)
        default:
            guard lowered.hasPrefix("decimal("), lowered.hasSuffix(")") else { return nil }
            let inside = lowered.dropFirst("decimal(".count).dropLast()
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]),
                  (1...38).contains(precision), (0...precision).contains(scale) else { return nil }
            self = .decimal(precision: precision, scale: scale)
        }
    }

    public var description: String {
        switch self {
        case .string: return "string"
        case .binary: return "binary"
        case .boolean: return "boolean"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float: return "float"
        case .double: return "double"
        case .date: return "date"
        case let .timestamp(unit, utc):
            let base = unit == .microseconds ? "timestamp" : "timestamp_\(unit == .milliseconds ? "ms" : "ns")"
            return utc ? base + "_utc" : base
        case let .decimal(precision, scale): return "decimal(\(precision),\(scale))"
        }
    }

    /// The Parquet column for values of this type (always optional: an empty field is a null).
    public func field(named name: String) -> ParquetField {
        switch self {
        case .string: return .string(name)
        case .binary: return .binary(name)
        case .boolean: return .boolean(name)
        case .int32: return .int32(name)
        case .int64: return .int64(name)
        case .float: return .float(name)
        case .double: return .double(name)
        case .date: return .date(name)
        case let .timestamp(unit, utc): return .timestamp(name, unit: unit, isAdjustedToUTC: utc)
        case let .decimal(precision, scale): return .decimal(name, precision: precision, scale: scale)
        }
    }
}
