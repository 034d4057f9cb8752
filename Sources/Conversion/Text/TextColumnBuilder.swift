import Basics
import Columns
import Parquet

/// Builds one column of `ColumnValues` from text fields, row by row, for a `ParquetFileWriter`.
///
/// An empty field is a null, except an empty quoted field (`""`) of a string or binary column,
/// which is the empty string. Strict parsing (for inferred types) refuses any text the type
/// would not give back (see `TextValueParser`); STRING values must be valid UTF-8. The values
/// go into a `ColumnsBuilder` column of the column's physical type.
public final class TextColumnBuilder {
    public let type: TextColumnType
    public let column: ColumnDescriptor
    public let strict: Bool

    /// The column's storage kind, and the builder of the rows since the last `finish()`.
    private let kind: ColumnsBuilder.Kind
    private var values: ColumnsBuilder

    /// `column` must be the writer's descriptor for `type.field(named:)`.
    public init(type: TextColumnType, column: ColumnDescriptor, strict: Bool) {
        self.type = type
        self.column = column
        self.strict = strict
        switch column.physicalType {
        case .boolean: kind = .boolean
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .float: kind = .float
        case .double: kind = .double
        case .fixedLenByteArray: kind = .fixedLenByteArray(width: column.typeLength ?? 0)
        default: kind = .byteArray
        }
        values = ColumnsBuilder(kinds: [kind], reservingCapacity: Self.initialRows)
    }

    private static let initialRows = 1024

    public var count: Int { values.rowCount(0) }

    public func appendNull() { values.appendNull(0) }

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
            values.appendText(0, text)
        case .binary:
            values.appendText(0, TextValueParser.binary(text))
        case .boolean:
            guard let flag = TextValueParser.boolean(text) else { return false }
            values.appendBoolean(0, flag)
        case .int32:
            guard let wide = TextValueParser.integer(text, strict: strict), let value = Int32(exactly: wide) else { return false }
            values.appendInt32(0, value)
        case .int64:
            guard let value = TextValueParser.integer(text, strict: strict) else { return false }
            values.appendInt64(0, value)
        case .float:
            guard let wide = TextValueParser.double(text, strict: strict) else { return false }
            let value = Float(wide)
            // Strict: the float must hold what the text says; always: a finite number must not
            // overflow to infinity.
            if strict && (Double(value) != wide || !value.isFinite) { return false }
            if wide.isFinite && !value.isFinite { return false }
            values.appendFloat(0, value)
        case .double:
            guard let value = TextValueParser.double(text, strict: strict) else { return false }
            values.appendDouble(0, value)
        case .date:
            guard let days = TextValueParser.date(text) else { return false }
            values.appendInt32(0, days)
        case let .timestamp(unit, isAdjustedToUTC):
            guard let (value, isUTC) = TextValueParser.timestamp(text, unit: unit), isUTC == isAdjustedToUTC else { return false }
            values.appendInt64(0, value)
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
            values.appendInt32(0, narrow)
        case .int64:
            guard let wide = value.unscaledInt64 else { return false }
            values.appendInt64(0, wide)
        default:
            guard let extended = value.signExtended(to: column.typeLength ?? 0) else { return false }
            extended.withUnsafeBytes { values.appendFixedBytes(0, $0) }
        }
        return true
    }

    /// The values appended since the last call, as a column; the builder starts empty again.
    /// Fails only when byte arrays pass the 2 GiB their offsets can address.
    public func finish() throws -> ColumnValues {
        let built: [ColumnData]
        do {
            built = try values.finish()
        } catch {
            throw ParquetError(.limitExceeded, "column '\(column.name)': more than 2 GiB of text in one block")
        }
        values = ColumnsBuilder(kinds: [kind], reservingCapacity: Self.initialRows)
        return ColumnValues(column: column, data: built[0])
    }
}
