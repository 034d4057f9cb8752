import Basics
import Columns
import Parquet

/// Builds one column of `ColumnValues` from text fields, row by row, for a `ParquetFileWriter`.
///
/// An empty field is a null, except an empty quoted field (`""`) of a string or binary column,
/// which is the empty string. Strict parsing (for inferred types) refuses any text the type
/// would not give back (see `TextValueParser`); STRING values must be valid UTF-8. The values
/// go into the `Columns` builder of the column's physical type.
public final class TextColumnBuilder {
    public let type: TextColumnType
    public let column: ColumnDescriptor
    public let strict: Bool

    private var booleans = FixedWidthColumnBuilder<Bool>()
    private var int32s = FixedWidthColumnBuilder<Int32>()
    private var int64s = FixedWidthColumnBuilder<Int64>()
    private var floats = FixedWidthColumnBuilder<Float>()
    private var doubles = FixedWidthColumnBuilder<Double>()
    private var byteArrays = ByteArrayColumnBuilder()
    private var fixedBytes: FixedLenByteArrayColumnBuilder

    /// `column` must be the writer's descriptor for `type.field(named:)`.
    public init(type: TextColumnType, column: ColumnDescriptor, strict: Bool) {
        self.type = type
        self.column = column
        self.strict = strict
        fixedBytes = FixedLenByteArrayColumnBuilder(width: column.typeLength ?? 0)
    }

    public var count: Int {
        switch column.physicalType {
        case .boolean: return booleans.count
        case .int32: return int32s.count
        case .int64: return int64s.count
        case .float: return floats.count
        case .double: return doubles.count
        case .fixedLenByteArray: return fixedBytes.count
        default: return byteArrays.count
        }
    }

    public func appendNull() {
        switch column.physicalType {
        case .boolean: booleans.appendNull()
        case .int32: int32s.appendNull()
        case .int64: int64s.appendNull()
        case .float: floats.appendNull()
        case .double: doubles.appendNull()
        case .fixedLenByteArray: fixedBytes.appendNull()
        default: byteArrays.appendNull()
        }
    }

    /// Appends one field. Returns false, appending nothing, when the text is not a value of
    /// the type (the caller reports the line and column).
    public func append(_ text: UnsafeRawBufferPointer, isQuoted: Bool) -> Bool {
        if text.isEmpty && !(isQuoted && (type == .string || type == .binary)) {
            appendNull()
            return true
        }
        switch type {
        case .string:
            guard UTF8Validation.isValid(text) else { return false }
            byteArrays.append(text)
        case .binary:
            byteArrays.append(contentsOf: TextValueParser.binary(text))
        case .boolean:
            guard let flag = TextValueParser.boolean(text) else { return false }
            booleans.append(flag)
        case .int32:
            guard let wide = TextValueParser.integer(text, strict: strict), let value = Int32(exactly: wide) else { return false }
            int32s.append(value)
        case .int64:
            guard let value = TextValueParser.integer(text, strict: strict) else { return false }
            int64s.append(value)
        case .float:
            guard let wide = TextValueParser.double(text, strict: strict) else { return false }
            let value = Float(wide)
            // Strict: the float must hold what the text says; always: a finite number must not
            // overflow to infinity.
            if strict && (Double(value) != wide || !value.isFinite) { return false }
            if wide.isFinite && !value.isFinite { return false }
            floats.append(value)
        case .double:
            guard let value = TextValueParser.double(text, strict: strict) else { return false }
            doubles.append(value)
        case .date:
            guard let days = TextValueParser.date(text) else { return false }
            int32s.append(days)
        case let .timestamp(unit, isAdjustedToUTC):
            guard let (value, isUTC) = TextValueParser.timestamp(text, unit: unit), isUTC == isAdjustedToUTC else { return false }
            int64s.append(value)
        case let .decimal(precision, scale):
            guard let value = TextValueParser.decimal(text, precision: precision, scale: scale) else { return false }
            return appendDecimal(value)
        }
        return true
    }

    private func appendDecimal(_ value: DecimalValue) -> Bool {
        switch column.physicalType {
        case .int32:
            guard let wide = value.unscaledInt64, let narrow = Int32(exactly: wide) else { return false }
            int32s.append(narrow)
        case .int64:
            guard let wide = value.unscaledInt64 else { return false }
            int64s.append(wide)
        default:
            guard let extended = value.signExtended(to: fixedBytes.width) else { return false }
            fixedBytes.append(contentsOf: extended)
        }
        return true
    }

    /// The bytes of string or binary values held so far (to cut batches by size).
    public var byteCount: Int { byteArrays.byteCount }

    /// The values appended since the last call, as a column; the builder starts empty again.
    public func finish() -> ColumnValues {
        let data: ColumnData
        switch column.physicalType {
        case .boolean: data = booleans.finish()
        case .int32: data = int32s.finish()
        case .int64: data = int64s.finish()
        case .float: data = floats.finish()
        case .double: data = doubles.finish()
        case .fixedLenByteArray: data = fixedBytes.finish()
        default: data = byteArrays.finish()
        }
        return ColumnValues(column: column, data: data)
    }
}
