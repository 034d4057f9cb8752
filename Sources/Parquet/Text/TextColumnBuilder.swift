import Columns
/// Builds one column of `ColumnValues` from text fields, row by row, for a `ParquetFileWriter`.
///
/// An empty field is a null, except an empty quoted field (`""`) of a string or binary column,
/// which is the empty string. Strict parsing (for inferred types) refuses any text the type
/// would not give back (see `TextValueParser`); STRING values must be valid UTF-8.
public final class TextColumnBuilder {
    public let type: TextColumnType
    public let column: ColumnDescriptor
    public let strict: Bool

    private var validity: [Bool] = []
    private var nullCount = 0
    private var flags: [Bool] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var bytes: [UInt8] = []
    private var offsets: [Int32] = [0]

    /// `column` must be the writer's descriptor for `type.field(named:)`.
    public init(type: TextColumnType, column: ColumnDescriptor, strict: Bool) {
        self.type = type
        self.column = column
        self.strict = strict
    }

    public var count: Int { validity.count }

    public func appendNull() {
        validity.append(false)
        nullCount += 1
        switch type {
        case .boolean: flags.append(false)
        case .int32, .date: int32s.append(0)
        case .int64, .timestamp: int64s.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .string, .binary: offsets.append(offsets[offsets.count - 1])
        case let .decimal(precision, _): appendDecimalZero(precision: precision)
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
            appendBytes(text)
        case .binary:
            let decoded = TextValueParser.binary(text)
            decoded.withUnsafeBytes { appendBytes($0) }
        case .boolean:
            guard let flag = TextValueParser.boolean(text) else { return false }
            flags.append(flag)
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
            guard appendDecimal(value, precision: precision) else { return false }
        }
        validity.append(true)
        return true
    }

    private func appendBytes(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
    }

    private func appendDecimal(_ value: DecimalValue, precision: Int) -> Bool {
        switch column.physicalType {
        case .int32:
            guard let wide = value.unscaledInt64, let narrow = Int32(exactly: wide) else { return false }
            int32s.append(narrow)
        case .int64:
            guard let wide = value.unscaledInt64 else { return false }
            int64s.append(wide)
        default:
            guard let extended = value.signExtended(to: column.typeLength ?? 0) else { return false }
            bytes.append(contentsOf: extended)
        }
        return true
    }

    private func appendDecimalZero(precision: Int) {
        switch column.physicalType {
        case .int32: int32s.append(0)
        case .int64: int64s.append(0)
        default: bytes.append(contentsOf: repeatElement(0, count: column.typeLength ?? 0))
        }
    }

    /// The bytes of string or binary values held so far (to cut batches by size).
    public var byteCount: Int { bytes.count }

    /// The values appended since the last call, as a column; the builder starts empty again.
    public func finish() -> ColumnValues {
        let rows = validity.count
        let storage: ColumnStorage
        switch column.physicalType {
        case .boolean: storage = .boolean(flags)
        case .int32: storage = .int32(int32s)
        case .int64: storage = .int64(int64s)
        case .float: storage = .float(floats)
        case .double: storage = .double(doubles)
        case .fixedLenByteArray: storage = .fixedLenByteArray(FixedLenByteArrayValues(width: column.typeLength ?? 0, bytes: bytes))
        default: storage = .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes))
        }
        let result = ColumnValues(column: column, count: rows, validity: nullCount > 0 ? Validity(validity) : nil, storage: storage)
        validity.removeAll(keepingCapacity: true)
        nullCount = 0
        flags = []
        int32s = []
        int64s = []
        floats = []
        doubles = []
        bytes = []
        offsets = [0]
        return result
    }
}
