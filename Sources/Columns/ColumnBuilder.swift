/// Building `ColumnData` value by value: the one way every part of builder appends values and
/// nulls to a column (CSV text turned into typed columns, the pipeline's batches).
///
/// Each builder appends to plain arrays (reserve capacity first for a known row count) and
/// keeps the validity as a bitmap from the first null on, so an all-present column costs no
/// bitmap at all. `finish()` hands the column over and starts empty again.

/// Which rows hold a value, as they are appended; no memory until the first null.
public struct ValidityBuilder: Sendable {
    @usableFromInline var words: [UInt64] = []
    @usableFromInline var count = 0
    @usableFromInline var nullCount = 0

    public init() {}

    /// Rows appended so far.
    public var rowCount: Int { count }

    @inlinable
    public mutating func appendValid() {
        if nullCount != 0 {
            if count & 63 == 0 { words.append(0) }
            words[count >> 6] |= 1 << UInt64(count & 63)
        }
        count += 1
    }

    @inlinable
    public mutating func appendNull() {
        if nullCount == 0 { materialize() }
        if count & 63 == 0 { words.append(0) }
        nullCount += 1
        count += 1
    }

    @inlinable
    public mutating func append(isValid: Bool) {
        if isValid { appendValid() } else { appendNull() }
    }

    /// The bitmap of the rows so far, all valid (the first null is coming).
    @usableFromInline
    mutating func materialize() {
        let full = count >> 6
        words = [UInt64](repeating: ~0, count: full)
        words.reserveCapacity(Swift.max(full + 1, 16))
        if count & 63 != 0 { words.append((1 << UInt64(count & 63)) - 1) }
    }

    /// The validity of the rows appended, nil when none is null; the builder starts empty.
    public mutating func finish() -> Validity? {
        defer { self = ValidityBuilder() }
        guard nullCount > 0 else { return nil }
        return Validity(words: words, count: count, nullCount: nullCount)
    }
}

/// The element types of fixed-width columns, and the storage case each goes in.
public protocol FixedWidthColumnElement: Sendable {
    /// The value a null row's slot holds.
    static var zero: Self { get }
    static func storage(_ values: [Self]) -> ColumnStorage
}

extension Bool: FixedWidthColumnElement {
    public static var zero: Bool { false }
    public static func storage(_ values: [Bool]) -> ColumnStorage { .boolean(values) }
}

extension Int32: FixedWidthColumnElement {
    public static func storage(_ values: [Int32]) -> ColumnStorage { .int32(values) }
}

extension Int64: FixedWidthColumnElement {
    public static func storage(_ values: [Int64]) -> ColumnStorage { .int64(values) }
}

extension Float: FixedWidthColumnElement {
    public static func storage(_ values: [Float]) -> ColumnStorage { .float(values) }
}

extension Double: FixedWidthColumnElement {
    public static func storage(_ values: [Double]) -> ColumnStorage { .double(values) }
}

extension Int96: FixedWidthColumnElement {
    public static var zero: Int96 { Int96(nanosecondsOfDay: 0, julianDay: 0) }
    public static func storage(_ values: [Int96]) -> ColumnStorage { .int96(values) }
}

/// A column of booleans, integers, floats or INT96 values.
public struct FixedWidthColumnBuilder<Element: FixedWidthColumnElement>: Sendable {
    @usableFromInline var values: [Element] = []
    @usableFromInline var validity = ValidityBuilder()

    public init() {}

    public var count: Int { values.count }

    public mutating func reserveCapacity(_ rows: Int) { values.reserveCapacity(rows) }

    @inlinable
    public mutating func append(_ value: Element) {
        values.append(value)
        validity.appendValid()
    }

    /// A null: the slot holds `Element.zero`.
    @inlinable
    public mutating func appendNull() {
        values.append(Element.zero)
        validity.appendNull()
    }

    public mutating func finish() -> ColumnData {
        let data = ColumnData(count: values.count, validity: validity.finish(), storage: Element.storage(values))
        values = []
        return data
    }
}

/// A column of variable-length byte arrays: one buffer and `count + 1` offsets.
public struct ByteArrayColumnBuilder: Sendable {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var offsets: [Int32] = [0]
    @usableFromInline var validity = ValidityBuilder()

    public init() {}

    public var count: Int { offsets.count - 1 }
    /// Bytes of the values held so far (to cut batches by size).
    public var byteCount: Int { bytes.count }

    public mutating func reserveCapacity(rows: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(rows + 1)
        bytes.reserveCapacity(byteCount)
    }

    @inlinable
    public mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        validity.appendValid()
    }

    @inlinable
    public mutating func append<Bytes: Collection>(contentsOf value: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        validity.appendValid()
    }

    /// A null: an empty slot.
    @inlinable
    public mutating func appendNull() {
        offsets.append(offsets[offsets.count - 1])
        validity.appendNull()
    }

    public mutating func finish() -> ColumnData {
        let data = ColumnData(count: offsets.count - 1, validity: validity.finish(),
                              storage: .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes)))
        bytes = []
        offsets = [0]
        return data
    }
}

/// A column of fixed-width byte values (`width` bytes each).
public struct FixedLenByteArrayColumnBuilder: Sendable {
    public let width: Int
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var rows = 0
    @usableFromInline var validity = ValidityBuilder()

    public init(width: Int) { self.width = width }

    public var count: Int { rows }

    /// `value` must hold `width` bytes.
    @inlinable
    public mutating func append<Bytes: Collection>(contentsOf value: Bytes) where Bytes.Element == UInt8 {
        precondition(value.count == width, "a fixed-width value of \(value.count) bytes in a column of width \(width)")
        bytes.append(contentsOf: value)
        rows += 1
        validity.appendValid()
    }

    /// A null: `width` zero bytes.
    @inlinable
    public mutating func appendNull() {
        bytes.append(contentsOf: repeatElement(0, count: width))
        rows += 1
        validity.appendNull()
    }

    public mutating func finish() -> ColumnData {
        let data = ColumnData(count: rows, validity: validity.finish(),
                              storage: .fixedLenByteArray(FixedLenByteArrayValues(width: width, bytes: bytes)))
        bytes = []
        rows = 0
        return data
    }
}
