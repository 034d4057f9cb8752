/// A string column in Arrow's layout: the UTF-8 bytes of every value back to back, `count + 1`
/// offsets (value i is `bytes[offsets[i]..<offsets[i+1]]`), and a validity flag per value
/// (a null has no bytes). No Swift String per value.
public struct StringColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]
    public private(set) var validity: [Bool] = []

    public init() {}

    public init(reservingCapacity rows: Int, bytesPerValue: Int) {
        bytes.reserveCapacity(rows * bytesPerValue)
        offsets.reserveCapacity(rows + 1)
        validity.reserveCapacity(rows)
    }

    public var count: Int { validity.count }

    public func isNull(_ row: Int) -> Bool { !validity[row] }

    /// Value `row` as bytes (empty for a null).
    public func value(_ row: Int) -> ArraySlice<UInt8> {
        bytes[Int(offsets[row])..<Int(offsets[row + 1])]
    }

    /// Value `row` as a String, nil for a null.
    public func string(_ row: Int) -> String? {
        validity[row] ? String(decoding: value(row), as: UTF8.self) : nil
    }

    public mutating func appendNull() {
        offsets.append(offsets[offsets.count - 1])
        validity.append(false)
    }

    public mutating func append(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
        endValue()
    }

    public mutating func append(_ value: String) {
        bytes.append(contentsOf: value.utf8)
        endValue()
    }

    // Building a value piece by piece: `appendPart` / `appendDigits` ..., then `endValue()`.

    public mutating func appendPart(_ part: [UInt8]) {
        bytes.append(contentsOf: part)
    }

    public mutating func appendByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (`value` must be >= 0).
    public mutating func appendDigits(_ value: Int, width: Int = 1) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let written = withUnsafeMutableBytes(of: &digits) { buffer in
            DecimalText.write(UInt64(max(0, value)), minimumWidth: width, into: buffer)
        }
        withUnsafeBytes(of: &digits) { bytes.append(contentsOf: $0[0..<written]) }
    }

    /// Closes the value built by the `appendPart` calls since the previous one.
    public mutating func endValue() {
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        validity.append(true)
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        validity.removeAll(keepingCapacity: true)
    }
}

/// A column of fixed-width values with validity (dates as Int32 days, timestamps as Int64
/// microseconds, Int64, Bool). A null stores a zero value.
public struct FixedWidthColumn<Value: FixedWidthValue>: Sendable, Equatable {
    public private(set) var values: [Value] = []
    public private(set) var validity: [Bool] = []

    public init() {}

    public init(reservingCapacity rows: Int) {
        values.reserveCapacity(rows)
        validity.reserveCapacity(rows)
    }

    public var count: Int { values.count }

    /// Value `row`, nil for a null.
    public subscript(row: Int) -> Value? { validity[row] ? values[row] : nil }

    public mutating func append(_ value: Value) {
        values.append(value)
        validity.append(true)
    }

    public mutating func append(_ value: Value?) {
        if let value { append(value) } else { appendNull() }
    }

    public mutating func appendNull() {
        values.append(.zero)
        validity.append(false)
    }

    public mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        validity.removeAll(keepingCapacity: true)
    }
}

/// A value a `FixedWidthColumn` can hold.
public protocol FixedWidthValue: Sendable, Equatable {
    static var zero: Self { get }
}

extension Int32: FixedWidthValue {}
extension Int64: FixedWidthValue {}
extension Bool: FixedWidthValue {
    public static var zero: Bool { false }
}

/// One column of a `ColumnBatch`, typed as `SireneColumnType` says.
public enum ColumnValues: Sendable, Equatable {
    case string(StringColumn)
    /// Days since 1970-01-01.
    case date(FixedWidthColumn<Int32>)
    /// Microseconds since 1970-01-01T00:00:00 (local time, as INSEE writes it).
    case timestampMicros(FixedWidthColumn<Int64>)
    case int64(FixedWidthColumn<Int64>)
    case boolean(FixedWidthColumn<Bool>)

    public var count: Int {
        switch self {
        case let .string(column): return column.count
        case let .date(column): return column.count
        case let .timestampMicros(column): return column.count
        case let .int64(column): return column.count
        case let .boolean(column): return column.count
        }
    }

    public var type: SireneColumnType {
        switch self {
        case .string: return .string
        case .date: return .date
        case .timestampMicros: return .timestampMicros
        case .int64: return .int64
        case .boolean: return .boolean
        }
    }

    public func isNull(_ row: Int) -> Bool {
        switch self {
        case let .string(column): return !column.validity[row]
        case let .date(column): return !column.validity[row]
        case let .timestampMicros(column): return !column.validity[row]
        case let .int64(column): return !column.validity[row]
        case let .boolean(column): return !column.validity[row]
        }
    }
}

/// Rows in columnar form: what the sample generator produces and what the CSV export (and
/// later the Parquet writer) consumes.
public struct ColumnBatch: Sendable, Equatable {
    public let schema: [SireneColumn]
    public let columns: [ColumnValues]

    public init(schema: [SireneColumn], columns: [ColumnValues]) {
        self.schema = schema
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    /// The column called `name`, if any.
    public func column(named name: String) -> ColumnValues? {
        schema.firstIndex { $0.name == name }.map { columns[$0] }
    }
}

enum DecimalText {
    /// Writes `value` in decimal, left-padded with zeros to `minimumWidth`; returns the length.
    /// `buffer` must hold at least 20 bytes (and `minimumWidth`).
    @discardableResult
    static func write(_ value: UInt64, minimumWidth: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let width = min(max(digits, minimumWidth), buffer.count)
        var remaining = value
        var index = width - 1
        while index >= 0 {
            buffer[index] = UInt8(truncatingIfNeeded: 0x30 + remaining % 10)
            remaining /= 10
            index -= 1
        }
        return width
    }
}
