import Parquet

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
        guard case let .success(type) = Self.parse(name) else { return nil }
        self = type
    }

    /// Why a type name was refused: not a type at all, or a decimal with bad precision/scale.
    public enum NameProblem: Error, Equatable, CustomStringConvertible {
        case unknown
        case badDecimal(String)

        public var description: String {
            switch self {
            case .unknown: return "unknown type"
            case let .badDecimal(problem): return problem
            }
        }
    }

    /// Parses a type name like `init?(name:)`, saying what is wrong when it is refused.
    public static func parse(_ name: String) -> Result<TextColumnType, NameProblem> {
        let lowered = name.lowercased().filter { !$0.isWhitespace }
        switch lowered {
        case "string", "text", "utf8": return .success(.string)
        case "binary", "bytes": return .success(.binary)
        case "boolean", "bool": return .success(.boolean)
        case "int32", "int": return .success(.int32)
        case "int64", "bigint", "long": return .success(.int64)
        case "float", "float32": return .success(.float)
        case "double", "float64": return .success(.double)
        case "date": return .success(.date)
        case "timestamp", "timestamp_us": return .success(.timestamp(.microseconds, isAdjustedToUTC: false))
        case "timestamp_ms": return .success(.timestamp(.milliseconds, isAdjustedToUTC: false))
        case "timestamp_ns": return .success(.timestamp(.nanoseconds, isAdjustedToUTC: false))
        case "timestamp_utc", "timestamp_us_utc": return .success(.timestamp(.microseconds, isAdjustedToUTC: true))
        case "timestamp_ms_utc": return .success(.timestamp(.milliseconds, isAdjustedToUTC: true))
        case "timestamp_ns_utc": return .success(.timestamp(.nanoseconds, isAdjustedToUTC: true))
        default:
            guard lowered.hasPrefix("decimal(") || lowered == "decimal" else { return .failure(.unknown) }
            let usage = "write decimal(P,S) with a precision P from 1 to 38 and a scale S from 0 to P, e.g. decimal(12,2)"
            guard lowered.hasSuffix(")") else { return .failure(.badDecimal(usage)) }
            let inside = lowered.dropFirst("decimal(".count).dropLast()
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]) else {
                return .failure(.badDecimal(usage))
            }
            guard (1...38).contains(precision) else {
                return .failure(.badDecimal("decimal precision must be between 1 and 38, got \(precision)"))
            }
            guard (0...precision).contains(scale) else {
                return .failure(.badDecimal("decimal scale must be between 0 and the precision (\(precision)), got \(scale)"))
            }
            return .success(.decimal(precision: precision, scale: scale))
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
