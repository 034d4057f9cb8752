import Columns
import Parquet

/// One input column, for the selected rows of a batch: text (CSV fields, Parquet strings) or
/// typed values from Parquet (dates, timestamps, integers, booleans), in the shared column
/// layout (`ColumnData`) with what its values mean.
public struct SourceColumn: Sendable {
    /// What the stored values are.
    public enum Kind: Sendable {
        /// Byte arrays.
        case text
        /// Days since 1970-01-01 (Parquet DATE), Int32.
        case days
        /// Microseconds since 1970-01-01 (Parquet TIMESTAMP of any unit, INT96, converted), Int64.
        case micros
        /// Int64.
        case integers
        /// Booleans.
        case booleans
    }

    /// The values as the pipeline reads them, by kind.
    public enum Storage: Sendable {
        case text(ByteArrayValues)
        case days([Int32])
        case micros([Int64])
        case integers([Int64])
        case booleans([Bool])
    }

    public let kind: Kind
    public let data: ColumnData

    public init(kind: Kind, data: ColumnData) {
        self.kind = kind
        self.data = data
    }

    public init(storage: Storage, validity: Validity?) {
        switch storage {
        case let .text(values):
            self.init(kind: .text, data: ColumnData(count: values.count, validity: validity, storage: .byteArray(values)))
        case let .days(values):
            self.init(kind: .days, data: ColumnData(count: values.count, validity: validity, storage: .int32(values)))
        case let .micros(values):
            self.init(kind: .micros, data: ColumnData(count: values.count, validity: validity, storage: .int64(values)))
        case let .integers(values):
            self.init(kind: .integers, data: ColumnData(count: values.count, validity: validity, storage: .int64(values)))
        case let .booleans(values):
            self.init(kind: .booleans, data: ColumnData(count: values.count, validity: validity, storage: .boolean(values)))
        }
    }

    /// Nil when no value is null.
    public var validity: Validity? { data.validity }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool { data.isNull(row) }

    /// Calls `body` with the value's text (nil for a null); integers and booleans are written
    /// as text, dates as `YYYY-MM-DD`.
    public func withText<R>(_ row: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        withView { $0.withText(row, body) }
    }

    /// The value as a calendar day: `.absent` for a null or empty value, `.invalid` for text
    /// that is not an ISO date.
    public func day(_ row: Int) -> DayValue {
        withView { $0.day(row) }
    }

    /// The value as a boolean: Parquet BOOLEAN, or the text `true`/`false` (CSV).
    public func boolean(_ row: Int) -> Bool? {
        withView { $0.boolean(row) }
    }

    /// Runs `body` with the column's buffers borrowed (no reference counting per value).
    func withView<R>(_ body: (SourceColumnView) throws -> R) rethrows -> R {
        try withValidityWords { validity in
            switch (kind, data.storage) {
            case let (.text, .byteArray(values)):
                return try values.bytes.withUnsafeBytes { bytes in
                    try values.offsets.withUnsafeBufferPointer { offsets in
                        try body(SourceColumnView(values: .text(bytes: bytes, offsets: offsets), validity: validity))
                    }
                }
            case let (.days, .int32(values)):
                return try values.withUnsafeBufferPointer { try body(SourceColumnView(values: .days($0), validity: validity)) }
            case let (.micros, .int64(values)):
                return try values.withUnsafeBufferPointer { try body(SourceColumnView(values: .micros($0), validity: validity)) }
            case let (.integers, .int64(values)):
                return try values.withUnsafeBufferPointer { try body(SourceColumnView(values: .integers($0), validity: validity)) }
            case let (.booleans, .boolean(values)):
                return try values.withUnsafeBufferPointer { try body(SourceColumnView(values: .booleans($0), validity: validity)) }
            default:
                // `init(storage:validity:)` makes the kind and the storage agree.
                return try body(SourceColumnView(values: .integers(UnsafeBufferPointer(start: nil, count: 0)), validity: validity))
            }
        }
    }

    private func withValidityWords<R>(_ body: (UnsafeBufferPointer<UInt64>?) throws -> R) rethrows -> R {
        guard let validity else { return try body(nil) }
        return try validity.words.withUnsafeBufferPointer { try body($0) }
    }
}

/// A `SourceColumn`'s buffers, borrowed.
struct SourceColumnView {
    enum Values {
        case text(bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int32>)
        case days(UnsafeBufferPointer<Int32>)
        case micros(UnsafeBufferPointer<Int64>)
        case integers(UnsafeBufferPointer<Int64>)
        case booleans(UnsafeBufferPointer<Bool>)
    }

    let values: Values
    /// Bit `i` set when row `i` holds a value; nil when none is null.
    let validity: UnsafeBufferPointer<UInt64>?

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return validity[row >> 6] & (1 << UInt64(row & 63)) == 0
    }

    /// Whether a value is read as a null: empty, or `[ND]` for a `maskable` field.
    @inline(__always)
    static func readsAsNull(_ bytes: UnsafeRawBufferPointer, maskable: Bool) -> Bool {
        bytes.isEmpty || (maskable && bytes.count == 4 && bytes.elementsEqual(notDiffused))
    }

    static let notDiffused: [UInt8] = Array(SireneSchema.notDiffused.utf8)

    /// Whether the column is text whose every value reads as itself (`readsAsNull` holds for none).
    func holdsPlainText(maskable: Bool) -> Bool {
        guard case let .text(bytes, offsets) = values, let base = bytes.baseAddress else { return false }
        for row in 0..<max(offsets.count - 1, 0) where !isNull(row) {
            let start = Int(offsets[row])
            let value = UnsafeRawBufferPointer(start: base + start, count: Int(offsets[row + 1]) - start)
            if Self.readsAsNull(value, maskable: maskable) { return false }
        }
        return true
    }

    @inline(__always)
    func withText<R>(_ row: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        if isNull(row) { return body(nil) }
        switch values {
        case let .text(bytes, offsets):
            return body(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])]))
        case let .integers(values):
            return withDecimalText(values[row], body)
        case let .booleans(values):
            let text: StaticString = values[row] ? "true" : "false"
            return body(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case let .days(values):
            var buffer: (UInt64, UInt64) = (0, 0)
            return withUnsafeMutableBytes(of: &buffer) { raw in
                let length = DateText.writeDate(days: Int64(values[row]), into: raw)
                return body(UnsafeRawBufferPointer(rebasing: raw[0..<length]))
            }
        case let .micros(values):
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &buffer) { raw in
                let length = DateText.writeTimestamp(micros: values[row], into: raw)
                return body(UnsafeRawBufferPointer(rebasing: raw[0..<length]))
            }
        }
    }

    func day(_ row: Int) -> DayValue {
        if isNull(row) { return .absent }
        switch values {
        case let .days(values): return .day(values[row])
        case let .micros(values):
            let micros = values[row]
            let perDay: Int64 = 86_400_000_000
            let day = micros >= 0 ? micros / perDay : (micros - (perDay - 1)) / perDay
            guard let days = Int32(exactly: day) else { return .invalid }
            return .day(days)
        case .text:
            return withText(row) { bytes in
                guard let bytes, !bytes.isEmpty else { return .absent }
                return DateCheck.parseISODate(bytes).map(DayValue.day) ?? .invalid
            }
        case .integers, .booleans:
            return .invalid
        }
    }

    func boolean(_ row: Int) -> Bool? {
        if isNull(row) { return nil }
        switch values {
        case let .booleans(values): return values[row]
        case .text:
            return withText(row) { bytes in
                guard let bytes else { return nil }
                if bytes.elementsEqual("true".utf8) { return true }
                if bytes.elementsEqual("false".utf8) { return false }
                return nil
            }
        default: return nil
        }
    }
}

/// A date read from the input.
public enum DayValue: Equatable, Sendable {
    case absent
    case invalid
    case day(Int32)

    public var day: Int32? {
        if case let .day(value) = self { return value }
        return nil
    }
}

/// The selected rows of one input batch (a Parquet row group or a CSV block), as the columns
/// of the fields the run needs; `nil` for fields the input lacks or the run does not need.
public struct SourceBatch: Sendable {
    public let rowCount: Int
    private let columns: [SourceColumn?]

    public init(rowCount: Int, columns: [SourceField: SourceColumn]) {
        self.init(rowCount: rowCount, byField: SourceField.allCases.map { columns[$0] })
    }

    /// `byField`: a column or nil per field, indexed by `SourceField.rawValue`.
    init(rowCount: Int, byField: [SourceColumn?]) {
        precondition(byField.count == SourceField.allCases.count, "one column or nil per field")
        self.rowCount = rowCount
        self.columns = byField
    }

    public subscript(field: SourceField) -> SourceColumn? { columns[field.rawValue] }

    /// Runs `body` with a view of every column, indexed by `SourceField.rawValue` (nil where the
    /// batch has no column).
    func withViews<R>(_ body: ([SourceColumnView?]) throws -> R) rethrows -> R {
        var views: [SourceColumnView?] = []
        views.reserveCapacity(columns.count)
        return try Self.bind(columns[...], into: &views, body)
    }

    private static func bind<R>(_ columns: ArraySlice<SourceColumn?>, into views: inout [SourceColumnView?],
                                _ body: ([SourceColumnView?]) throws -> R) rethrows -> R {
        guard let first = columns.first else { return try body(views) }
        guard let column = first else {
            views.append(nil)
            return try bind(columns.dropFirst(), into: &views, body)
        }
        return try column.withView { view in
            views.append(view)
            return try bind(columns.dropFirst(), into: &views, body)
        }
    }
}

/// Runs `body` with the decimal text of `value`.
@inline(__always)
func withDecimalText<R>(_ value: Int64, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
    return withUnsafeMutableBytes(of: &buffer) { raw in
        var length = 0
        if value < 0 {
            raw[0] = UInt8(ascii: "-")
            length = 1
        }
        length += DecimalText.write(value.magnitude, minimumWidth: 1, into: UnsafeMutableRawBufferPointer(rebasing: raw[length...]))
        return body(UnsafeRawBufferPointer(rebasing: raw[0..<length]))
    }
}
