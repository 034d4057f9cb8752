/// The unit of TIME and TIMESTAMP values.
public enum TimeUnit: Sendable, Hashable, CustomStringConvertible {
    case milliseconds
    case microseconds
    case nanoseconds

    public var description: String {
        switch self {
        case .milliseconds: return "MILLIS"
        case .microseconds: return "MICROS"
        case .nanoseconds: return "NANOS"
        }
    }

    /// Units per second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: return 1_000
        case .microseconds: return 1_000_000
        case .nanoseconds: return 1_000_000_000
        }
    }
}

/// The `LogicalType` union of the format: how to interpret a physical type.
///
/// A union member this reader does not know is kept as `.unknownMember(id)`; readers fall back
/// to the physical type for it (`unknown-logical-type.parquet`).
public enum LogicalType: Sendable, Hashable, CustomStringConvertible {
    case string
    case map
    case list
    case `enum`
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    /// The format's NullType ("UNKNOWN"): only nulls are stored.
    case null
    case json
    case bson
    case uuid
    case float16
    case variant
    /// Geospatial features as WKB with planar edges (BYTE_ARRAY); `crs` unset means OGC:CRS84.
    case geometry(crs: String?)
    /// Geospatial features as WKB on the sphere or spheroid (BYTE_ARRAY); `crs` unset means
    /// OGC:CRS84, `algorithm` unset SPHERICAL.
    case geography(crs: String?, algorithm: EdgeInterpolationAlgorithm?)
    /// A union member id this reader does not know.
    case unknownMember(Int16)

    public var description: String {
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enum: return "ENUM"
        case let .decimal(scale, precision): return "DECIMAL(\(precision),\(scale))"
        case .date: return "DATE"
        case let .time(utc, unit): return "TIME(\(unit),\(utc ? "UTC" : "local"))"
        case let .timestamp(utc, unit): return "TIMESTAMP(\(unit),\(utc ? "UTC" : "local"))"
        case let .integer(width, signed): return "\(signed ? "INT" : "UINT")(\(width))"
        case .null: return "NULL"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case .variant: return "VARIANT"
        case let .geometry(crs): return crs.map { "GEOMETRY(crs=\($0))" } ?? "GEOMETRY"
        case let .geography(crs, algorithm):
            let parameters = [crs.map { "crs=\($0)" }, algorithm.map { "algorithm=\($0)" }].compactMap { $0 }
            return parameters.isEmpty ? "GEOGRAPHY" : "GEOGRAPHY(\(parameters.joined(separator: ",")))"
        case let .unknownMember(id): return "UNKNOWN_LOGICAL_TYPE(\(id))"
        }
    }
}

/// How the edges of a GEOGRAPHY are interpolated (the format's `EdgeInterpolationAlgorithm`);
/// a value this reader does not know is kept as its number.
public struct EdgeInterpolationAlgorithm: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let spherical = EdgeInterpolationAlgorithm(rawValue: 0)
    public static let vincenty = EdgeInterpolationAlgorithm(rawValue: 1)
    public static let thomas = EdgeInterpolationAlgorithm(rawValue: 2)
    public static let andoyer = EdgeInterpolationAlgorithm(rawValue: 3)
    public static let karney = EdgeInterpolationAlgorithm(rawValue: 4)

    public var description: String {
        switch rawValue {
        case 0: return "SPHERICAL"
        case 1: return "VINCENTY"
        case 2: return "THOMAS"
        case 3: return "ANDOYER"
        case 4: return "KARNEY"
        default: return "EdgeInterpolationAlgorithm(\(rawValue))"
        }
    }
}
