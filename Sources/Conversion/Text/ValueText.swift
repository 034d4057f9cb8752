import Basics
import Columns
import Parquet

/// Values as text, through their logical type: what CSV exports and `inspect` show.
///
/// - booleans `true` / `false`; integers in decimal (unsigned ones as unsigned);
/// - FLOAT, DOUBLE and FLOAT16 in the shortest form that reads back to the same value
///   (`1.5`, `1e-05`, `nan`, `inf`, `-0.0`);
/// - DATE `YYYY-MM-DD`; TIME `HH:MM:SS` and TIMESTAMP `YYYY-MM-DDTHH:MM:SS`, both with a
///   fraction of 3, 6 or 9 digits (by unit) when it is not zero, and a final `Z` for
///   timestamps adjusted to UTC; INT96 as a local timestamp in microseconds;
/// - DECIMAL exactly (`-12.30`);
/// - STRING, ENUM and JSON as their bytes; UUID as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`;
/// - binary without annotation (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) as its bytes when they are
///   UTF-8 text, otherwise as `\x` and lowercase hex (also when the text itself starts with
///   `\x`, so `TextValueParser` reads every value back exactly).
/// - GEOMETRY and GEOGRAPHY as the lowercase hex of their WKB bytes (`0101000000…`, what
///   PostGIS and DuckDB read as hex WKB).
public enum ValueText {
    /// The text of one value (empty for `.null`).
    public static func string(_ value: ParquetValue) -> String {
        let buffer = WriteBuffer(capacity: 64)
        append(value, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// The text of a statistics bound, read through the column's logical type.
    public static func string(_ bound: StatisticsValue, column: ColumnDescriptor) -> String {
        string(ParquetValue(bound: bound, column: column))
    }

    static func append(_ value: ParquetValue, to out: WriteBuffer) {
        switch value {
        case .null: break
        case let .boolean(flag): appendBoolean(flag, to: out)
        case let .int(number): appendInteger(number, to: out)
        case let .uint(number): appendUnsigned(number, to: out)
        case let .float(number): appendString(number.description, to: out)
        case let .double(number): appendString(number.description, to: out)
        case let .string(text): appendString(text, to: out)
        case let .bytes(bytes): bytes.withUnsafeBytes { appendBinary($0, to: out) }
        case let .date(days): appendDate(Int64(days), to: out)
        case let .time(number, unit): appendTime(number, unit: unit, to: out)
        case let .timestamp(number, unit, utc): appendTimestamp(number, unit: unit, isAdjustedToUTC: utc, to: out)
        case let .decimal(decimal): appendString(decimal.description, to: out)
        case let .uuid(bytes): bytes.withUnsafeBytes { appendUUID($0, to: out) }
        }
    }

    // MARK: Pieces

    static func appendString(_ text: String, to out: WriteBuffer) {
        var text = text
        text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    static func appendBoolean(_ flag: Bool, to out: WriteBuffer) {
        let text: StaticString = flag ? "true" : "false"
        out.append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    static func appendInteger(_ value: Int64, to out: WriteBuffer) {
        if value < 0 { out.append(0x2d) }
        appendUnsigned(value.magnitude, to: out)
    }

    @inline(__always)
    static func appendUnsigned(_ value: UInt64, to out: WriteBuffer, minimumDigits: Int = 1) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let width = Swift.max(digits, minimumDigits)
        out.reserve(additional: width)
        let destination = out.tail
        var rest = value
        for position in stride(from: width - 1, through: 0, by: -1) {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: 0x30 &+ rest % 10), toByteOffset: position, as: UInt8.self)
            rest /= 10
        }
        out.advance(by: width)
    }

    /// An unscaled integer with `scale` digits after the point ("-0.05" for -5 at scale 2).
    static func appendDecimal(_ unscaled: Int64, scale: Int, to out: WriteBuffer) {
        guard scale > 0 else { return appendInteger(unscaled, to: out) }
        if unscaled < 0 { out.append(0x2d) }
        let magnitude = unscaled.magnitude
        var divisor: UInt64 = 1
        var exact = true
        for _ in 0..<scale {
            let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
            if overflow { exact = false; break }
            divisor = next
        }
        guard exact else {
            // Scale beyond 19 digits: the slow exact path.
            let text = DecimalValue(unscaled, scale: scale).description
            return appendString(unscaled < 0 ? String(text.dropFirst()) : text, to: out)
        }
        appendUnsigned(magnitude / divisor, to: out)
        out.append(0x2e)
        appendUnsigned(magnitude % divisor, to: out, minimumDigits: scale)
    }

    /// `YYYY-MM-DD`; years outside 0...9999 get a sign and at least four digits (ISO 8601).
    static func appendDate(_ days: Int64, to out: WriteBuffer) {
        let (year, month, day) = CivilCalendar.date(days: days)
        if year < 0 {
            out.append(0x2d)
        } else if year > 9999 {
            out.append(0x2b)
        }
        appendUnsigned(year.magnitude, to: out, minimumDigits: 4)
        out.append(0x2d)
        appendUnsigned(UInt64(month), to: out, minimumDigits: 2)
        out.append(0x2d)
        appendUnsigned(UInt64(day), to: out, minimumDigits: 2)
    }

    /// `HH:MM:SS` then `.` and the fraction in the unit's digits when not zero.
    private static func appendClock(_ unitsOfDay: Int64, unit: TimeUnit, to out: WriteBuffer) {
        let (seconds, fraction) = CivilCalendar.split(unitsOfDay, by: unit.perSecond)
        appendUnsigned(UInt64(seconds / 3600), to: out, minimumDigits: 2)
        out.append(0x3a)
        appendUnsigned(UInt64(seconds / 60 % 60), to: out, minimumDigits: 2)
        out.append(0x3a)
        appendUnsigned(UInt64(seconds % 60), to: out, minimumDigits: 2)
        if fraction != 0 {
            out.append(0x2e)
            appendUnsigned(UInt64(fraction), to: out, minimumDigits: unit.fractionDigits)
        }
    }

    /// A time of day; a value outside the day is shown as the plain number of units.
    static func appendTime(_ value: Int64, unit: TimeUnit, to out: WriteBuffer) {
        guard value >= 0, value < 86_400 * unit.perSecond else { return appendInteger(value, to: out) }
        appendClock(value, unit: unit, to: out)
    }

    static func appendTimestamp(_ value: Int64, unit: TimeUnit, isAdjustedToUTC: Bool, to out: WriteBuffer) {
        let (days, unitsOfDay) = CivilCalendar.split(value, by: 86_400 * unit.perSecond)
        appendDate(days, to: out)
        out.append(0x54)
        appendClock(unitsOfDay, unit: unit, to: out)
        if isAdjustedToUTC { out.append(0x5a) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendHex(_ bytes: UnsafeRawBufferPointer, to out: WriteBuffer) {
        out.reserve(additional: bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
    }

    static func appendUUID(_ bytes: UnsafeRawBufferPointer, to out: WriteBuffer) {
        guard bytes.count == 16 else { return appendHex(bytes, to: out) }
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(0x2d) }
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
    }

    /// Binary without annotation: the bytes when they are UTF-8 text not starting with `\x`,
    /// otherwise `\x` and hex.
    @inline(__always)
    static func appendBinary(_ bytes: UnsafeRawBufferPointer, to out: WriteBuffer) {
        let looksHex = bytes.count >= 2 && bytes[0] == 0x5c && bytes[1] == 0x78
        if !looksHex && UTF8Validation.isValid(bytes) {
            out.append(bytes)
        } else {
            out.append(0x5c)
            out.append(0x78)
            appendHex(bytes, to: out)
        }
    }
}

extension TimeUnit {
    /// Digits of a fraction of a second in this unit.
    var fractionDigits: Int {
        switch self {
        case .milliseconds: return 3
        case .microseconds: return 6
        case .nanoseconds: return 9
        }
    }
}

extension ParquetValue {
    /// A statistics bound read through the column's logical type, like a cell of the column.
    public init(bound: StatisticsValue, column: ColumnDescriptor) {
        let logical = column.logicalType
        switch bound {
        case let .boolean(flag):
            self = .boolean(flag)
        case let .int32(raw):
            switch logical {
            case let .integer(_, isSigned)? where !isSigned: self = .uint(UInt64(UInt32(bitPattern: raw)))
            case .date?: self = .date(daysSinceEpoch: raw)
            case let .time(_, unit)?: self = .time(Int64(raw), unit: unit)
            case let .decimal(scale, _)?: self = .decimal(DecimalValue(Int64(raw), scale: Int(scale)))
            default: self = .int(Int64(raw))
            }
        case let .int64(raw):
            switch logical {
            case let .integer(_, isSigned)? where !isSigned: self = .uint(UInt64(bitPattern: raw))
            case let .timestamp(utc, unit)?: self = .timestamp(raw, unit: unit, isAdjustedToUTC: utc)
            case let .time(_, unit)?: self = .time(raw, unit: unit)
            case let .decimal(scale, _)?: self = .decimal(DecimalValue(raw, scale: Int(scale)))
            default: self = .int(raw)
            }
        case let .float(number):
            self = .float(number)
        case let .double(number):
            self = .double(number)
        case let .bytes(bytes):
            switch logical {
            case .string?, .enum?, .json?: self = .string(String(decoding: bytes, as: UTF8.self))
            case let .decimal(scale, _)?: self = .decimal(DecimalValue(bigEndian: bytes, scale: Int(scale)))
            case .uuid?: self = .uuid(bytes)
            default: self = .bytes(bytes)
            }
        }
    }
}

/// Renders the cells of one column as text, row by row, without a `String` per value: the
/// formatter reuses one buffer, so each result is valid until the next call.
public final class ColumnTextFormatter {
    public let values: ColumnValues
    private let buffer = WriteBuffer(capacity: 256)
    private let kind: Kind

    private enum IntegerStyle {
        case signed, unsigned, date, time(TimeUnit), timestamp(TimeUnit, utc: Bool), decimal(scale: Int)
    }

    private enum Kind {
        case boolean([Bool])
        case int32([Int32], IntegerStyle)
        case int64([Int64], IntegerStyle)
        case int96([Int96])
        case float([Float])
        case double([Double])
        case text(ByteArrayValues)
        case binary(ByteArrayValues)
        /// GEOMETRY and GEOGRAPHY: the WKB bytes in lowercase hex.
        case wkb(ByteArrayValues)
        case decimalBytes(ByteArrayValues, scale: Int)
        case fixedBinary(FixedLenByteArrayValues)
        case fixedDecimal(FixedLenByteArrayValues, scale: Int)
        case uuid(FixedLenByteArrayValues)
        case float16(FixedLenByteArrayValues)
    }

    public init(_ values: ColumnValues) {
        self.values = values
        let logical = values.column.logicalType
        func style() -> IntegerStyle {
            switch logical {
            case let .integer(_, isSigned)? where !isSigned: return .unsigned
            case .date?: return .date
            case let .time(_, unit)?: return .time(unit)
            case let .timestamp(utc, unit)?: return .timestamp(unit, utc: utc)
            case let .decimal(scale, _)?: return .decimal(scale: Int(scale))
            default: return .signed
            }
        }
        switch values.storage {
        case let .boolean(flags): kind = .boolean(flags)
        case let .int32(numbers): kind = .int32(numbers, style())
        case let .int64(numbers): kind = .int64(numbers, style())
        case let .int96(timestamps): kind = .int96(timestamps)
        case let .float(numbers): kind = .float(numbers)
        case let .double(numbers): kind = .double(numbers)
        case let .byteArray(arrays):
            switch logical {
            case .string?, .enum?, .json?: kind = .text(arrays)
            case let .decimal(scale, _)?: kind = .decimalBytes(arrays, scale: Int(scale))
            case .geometry?, .geography?: kind = .wkb(arrays)
            default: kind = .binary(arrays)
            }
        case let .fixedLenByteArray(fixed):
            switch logical {
            case let .decimal(scale, _)?: kind = .fixedDecimal(fixed, scale: Int(scale))
            case .uuid?: kind = .uuid(fixed)
            case .float16? where fixed.width == 2: kind = .float16(fixed)
            default: kind = .fixedBinary(fixed)
            }
        }
    }

    public var count: Int { values.count }

    /// The text of `row`, or nil when it is null. Valid until the next call.
    public func text(row: Int) -> UnsafeRawBufferPointer? {
        if values.isNull(row) { return nil }
        let out = buffer
        out.removeAll()
        switch kind {
        case let .boolean(flags): ValueText.appendBoolean(flags[row], to: out)
        case let .int32(numbers, style): appendInteger(Int64(numbers[row]), unsigned: UInt64(UInt32(bitPattern: numbers[row])), style, out)
        case let .int64(numbers, style): appendInteger(numbers[row], unsigned: UInt64(bitPattern: numbers[row]), style, out)
        case let .int96(timestamps):
            ValueText.appendTimestamp(timestamps[row].microsecondsSinceEpoch, unit: .microseconds, isAdjustedToUTC: false, to: out)
        case let .float(numbers): ValueText.appendString(numbers[row].description, to: out)
        case let .double(numbers): ValueText.appendString(numbers[row].description, to: out)
        case let .text(arrays): arrays.withBytes(at: row) { out.append($0) }
        case let .binary(arrays): arrays.withBytes(at: row) { ValueText.appendBinary($0, to: out) }
        case let .wkb(arrays): arrays.withBytes(at: row) { ValueText.appendHex($0, to: out) }
        case let .decimalBytes(arrays, scale):
            ValueText.appendString(DecimalValue(bigEndian: Array(arrays[row]), scale: scale).description, to: out)
        case let .fixedBinary(fixed): fixed.withBytes(at: row) { ValueText.appendBinary($0, to: out) }
        case let .fixedDecimal(fixed, scale):
            ValueText.appendString(DecimalValue(bigEndian: Array(fixed[row]), scale: scale).description, to: out)
        case let .uuid(fixed): fixed.withBytes(at: row) { ValueText.appendUUID($0, to: out) }
        case let .float16(fixed): ValueText.appendString(fixed.withBytes(at: row) { Float16Conversion.float($0) }.description, to: out)
        }
        return out.bytes
    }

    @inline(__always)
    private func appendInteger(_ value: Int64, unsigned: UInt64, _ style: IntegerStyle, _ out: WriteBuffer) {
        switch style {
        case .signed: ValueText.appendInteger(value, to: out)
        case .unsigned: ValueText.appendUnsigned(unsigned, to: out)
        case .date: ValueText.appendDate(value, to: out)
        case let .time(unit): ValueText.appendTime(value, unit: unit, to: out)
        case let .timestamp(unit, utc): ValueText.appendTimestamp(value, unit: unit, isAdjustedToUTC: utc, to: out)
        case let .decimal(scale): ValueText.appendDecimal(value, scale: scale, to: out)
        }
    }
}
