/// One cell, interpreted through the column's logical type. This is the convenient, per-value
/// path (tests, exports, `inspect`); hot loops should read `ColumnValues.storage` directly.
public enum ParquetValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case boolean(Bool)
    /// Signed integers (INT32, INT64, INT(8..64, signed)).
    case int(Int64)
    /// Unsigned integers (INT(8..64, unsigned), UINT_*).
    case uint(UInt64)
    /// FLOAT and FLOAT16.
    case float(Float)
    case double(Double)
    /// STRING, ENUM and JSON (invalid UTF-8 is replaced).
    case string(String)
    /// BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY without a text or numeric annotation.
    case bytes([UInt8])
    case date(daysSinceEpoch: Int32)
    case time(Int64, unit: TimeUnit)
    /// TIMESTAMP; INT96 columns appear as microseconds (wrapping conversion).
    case timestamp(Int64, unit: TimeUnit, isAdjustedToUTC: Bool)
    case decimal(DecimalValue)
    case uuid([UInt8])

    public var description: String {
        switch self {
        case .null: return "null"
        case let .boolean(value): return String(value)
        case let .int(value): return String(value)
        case let .uint(value): return String(value)
        case let .float(value): return String(value)
        case let .double(value): return String(value)
        case let .string(value): return value
        case let .bytes(value), let .uuid(value): return hex(value)
        case let .date(days): return "date(\(days))"
        case let .time(value, unit): return "time(\(value) \(unit))"
        case let .timestamp(value, unit, _): return "timestamp(\(value) \(unit))"
        case let .decimal(value): return value.description
        }
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}

extension ColumnValues {
    /// The value of `row` through the column's logical type.
    public func value(at row: Int) -> ParquetValue {
        if isNull(row) { return .null }
        let logical = column.logicalType
        switch storage {
        case let .boolean(values):
            return .boolean(values[row])
        case let .int32(values):
            let raw = values[row]
            switch logical {
            case let .integer(_, isSigned) where !isSigned: return .uint(UInt64(UInt32(bitPattern: raw)))
            case .date: return .date(daysSinceEpoch: raw)
            case let .time(_, unit): return .time(Int64(raw), unit: unit)
            case let .decimal(scale, _): return .decimal(DecimalValue(Int64(raw), scale: Int(scale)))
            default: return .int(Int64(raw))
            }
        case let .int64(values):
            let raw = values[row]
            switch logical {
            case let .integer(_, isSigned) where !isSigned: return .uint(UInt64(bitPattern: raw))
            case let .timestamp(utc, unit): return .timestamp(raw, unit: unit, isAdjustedToUTC: utc)
            case let .time(_, unit): return .time(raw, unit: unit)
            case let .decimal(scale, _): return .decimal(DecimalValue(raw, scale: Int(scale)))
            default: return .int(raw)
            }
        case let .int96(values):
            return .timestamp(values[row].microsecondsSinceEpoch, unit: .microseconds, isAdjustedToUTC: false)
        case let .float(values):
            return .float(values[row])
        case let .double(values):
            return .double(values[row])
        case let .byteArray(values):
            switch logical {
            case .string, .enum, .json: return .string(values.string(at: row))
            case let .decimal(scale, _): return .decimal(DecimalValue(bigEndian: Array(values[row]), scale: Int(scale)))
            default: return .bytes(Array(values[row]))
            }
        case let .fixedLenByteArray(values):
            switch logical {
            case let .decimal(scale, _): return .decimal(DecimalValue(bigEndian: Array(values[row]), scale: Int(scale)))
            case .float16 where values.width == 2: return .float(values.withBytes(at: row) { Float16Conversion.float($0) })
            case .uuid: return .uuid(Array(values[row]))
            default: return .bytes(Array(values[row]))
            }
        }
    }

    /// FLOAT16 value of `row` (the column must be FIXED_LEN_BYTE_ARRAY(2)).
    public func float16(at row: Int) -> Float? {
        guard case let .fixedLenByteArray(values) = storage, values.width == 2 else { return nil }
        return values.withBytes(at: row) { Float16Conversion.float($0) }
    }
}
