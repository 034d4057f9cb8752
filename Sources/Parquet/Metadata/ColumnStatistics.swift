/// A statistics bound, decoded to the column's physical type (FLOAT16 as `float`).
public enum StatisticsValue: Sendable, Hashable {
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, compared as unsigned bytes (or, for decimals, as
    /// big-endian two's complement).
    case bytes([UInt8])
}

/// Row-group statistics of one column chunk, with bounds only when they can be trusted for
/// pruning (research §4.5):
/// - `min_value`/`max_value` when the file declares the column's sort order (`column_orders`);
/// - else the deprecated `min`/`max` only where signed order is the true order (signed
///   integers, dates, times, timestamps, floats, booleans), and for byte arrays only when
///   min == max (old writers compared bytes as signed);
/// - never for INT96 (unless INT96 timestamp order), INTERVAL or unknown orders;
/// - floats: NaN bounds are dropped, a +0 minimum becomes -0 and a -0 maximum becomes +0.
public struct ColumnStatistics: Sendable, Equatable {
    public let nullCount: Int64?
    public let distinctCount: Int64?
    public let nanCount: Int64?
    public let min: StatisticsValue?
    public let max: StatisticsValue?
    /// False when the writer truncated the bound (it is still a valid bound).
    public let isMinExact: Bool
    public let isMaxExact: Bool

    init(_ raw: Statistics, column: ColumnDescriptor, order: ColumnOrder?, writer: WriterVersion) {
        nullCount = raw.nullCount.flatMap { $0 >= 0 ? $0 : nil }
        distinctCount = raw.distinctCount
        nanCount = raw.nanCount
        let kind = SortKind(column)
        var minBytes: [UInt8]?
        var maxBytes: [UInt8]?
        var exactMin = raw.isMinValueExact ?? true
        var exactMax = raw.isMaxValueExact ?? true
        if let order, kind.accepts(order), raw.minValue != nil || raw.maxValue != nil {
            minBytes = raw.minValue
            maxBytes = raw.maxValue
            // PARQUET-1655: parquet-cpp-arrow < 4.0 compared FLBA decimals wrongly.
            if kind == .decimalBytes, writer.isOlder("parquet-cpp-arrow", than: 4, 0, 0) {
                minBytes = nil
                maxBytes = nil
            }
        } else if kind.legacyIsTrustworthy || (kind == .unsignedBytes && raw.min != nil && raw.min == raw.max) {
            minBytes = raw.min
            maxBytes = raw.max
            exactMin = true
            exactMax = true
        }
        var low = minBytes.flatMap { Self.decode($0, column: column) }
        var high = maxBytes.flatMap { Self.decode($0, column: column) }
        // Floating point rules of the ColumnOrder comment.
        switch low {
        case let .float(value)? where value.isNaN: low = nil
        case let .double(value)? where value.isNaN: low = nil
        case let .float(value)? where value == 0: low = .float(-0.0)
        case let .double(value)? where value == 0: low = .double(-0.0)
        default: break
        }
        switch high {
        case let .float(value)? where value.isNaN: high = nil
        case let .double(value)? where value.isNaN: high = nil
        case let .float(value)? where value == 0: high = .float(0.0)
        case let .double(value)? where value == 0: high = .double(0.0)
        default: break
        }
        min = low
        max = high
        isMinExact = low != nil && exactMin
        isMaxExact = high != nil && exactMax
    }

    static func decode(_ bytes: [UInt8], column: ColumnDescriptor) -> StatisticsValue? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch column.physicalType {
        case .boolean: return bytes.count == 1 ? .boolean(bytes[0] & 1 == 1) : nil
        case .int32: return load(Int32.self).map(StatisticsValue.int32)
        case .int64: return load(Int64.self).map(StatisticsValue.int64)
        case .float: return load(UInt32.self).map { .float(Float(bitPattern: $0)) }
        case .double: return load(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .byteArray: return .bytes(bytes)
        case .fixedLenByteArray:
            if case .float16? = column.logicalType {
                guard bytes.count == 2 else { return nil }
                return .float(bytes.withUnsafeBytes { Float16Conversion.float($0) })
            }
            return bytes.count == column.typeLength ? .bytes(bytes) : nil
        default: return nil
        }
    }

    /// How a column's values are ordered, which decides which statistics fields apply.
    private enum SortKind: Equatable {
        case signed, unsignedInteger, float, float16, unsignedBytes, decimalBytes, int96, undefined

        init(_ column: ColumnDescriptor) {
            let logical = column.logicalType
            switch column.physicalType {
            case .boolean: self = .signed
            case .int32, .int64:
                if case let .integer(_, isSigned)? = logical, !isSigned { self = .unsignedInteger } else { self = .signed }
            case .float, .double: self = .float
            case .int96: self = .int96
            case .byteArray, .fixedLenByteArray:
                switch logical {
                case .decimal?: self = .decimalBytes
                case .float16?: self = .float16
                case nil where column.convertedType == .interval: self = .undefined
                case .string?, .enum?, .json?, .bson?, .uuid?, nil: self = .unsignedBytes
                default: self = .undefined
                }
            default: self = .undefined
            }
        }

        func accepts(_ order: ColumnOrder) -> Bool {
            switch (self, order) {
            case (.undefined, _): return false
            case (.int96, .int96TimestampOrder): return false  // decoding INT96 bounds is not offered
            case (.int96, _): return false
            case (.float, .ieee754TotalOrder), (.float16, .ieee754TotalOrder): return true
            case (_, .typeDefinedOrder): return true
            default: return false
            }
        }

        var legacyIsTrustworthy: Bool { self == .signed || self == .float }
    }
}
