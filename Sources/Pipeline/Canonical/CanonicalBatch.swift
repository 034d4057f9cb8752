/// Text values back to back with `count + 1` offsets (the layout Parquet and Arrow use), and one
/// validity flag per value.
public struct TextValues: Sendable, Equatable {
    public internal(set) var bytes: [UInt8] = []
    public internal(set) var offsets: [Int32] = [0]
    public internal(set) var valid: [Bool] = []

    public init() {}

    public var count: Int { valid.count }

    /// The bytes of value `row` (empty for a null).
    public func value(_ row: Int) -> ArraySlice<UInt8> {
        bytes[Int(offsets[row])..<Int(offsets[row + 1])]
    }

    public func string(_ row: Int) -> String? {
        valid[row] ? String(decoding: value(row), as: UTF8.self) : nil
    }
}

/// Fixed-width values (dates as days, booleans, integers) with one validity flag per value; a
/// null stores `zero`.
public struct FixedValues<Value: Sendable & Equatable>: Sendable, Equatable {
    public internal(set) var values: [Value] = []
    public internal(set) var valid: [Bool] = []

    public init() {}

    public var count: Int { valid.count }

    public subscript(row: Int) -> Value? { valid[row] ? values[row] : nil }
}

/// One output column's values.
public enum CanonicalValues: Sendable, Equatable {
    case text(TextValues)
    case date(FixedValues<Int32>)
    case boolean(FixedValues<Bool>)
    case integer(FixedValues<Int64>)

    public var count: Int {
        switch self {
        case let .text(values): values.count
        case let .date(values): values.count
        case let .boolean(values): values.count
        case let .integer(values): values.count
        }
    }

    public func isNull(_ row: Int) -> Bool {
        switch self {
        case let .text(values): !values.valid[row]
        case let .date(values): !values.valid[row]
        case let .boolean(values): !values.valid[row]
        case let .integer(values): !values.valid[row]
        }
    }

    /// The value as the CSV export writes it, nil for a null (for tests and messages).
    public func csvText(_ row: Int) -> String? {
        switch self {
        case let .text(values): return values.string(row)
        case let .date(values): return values[row].map { DateCheck.isoText(days: $0) }
        case let .boolean(values): return values[row].map { $0 ? "true" : "false" }
        case let .integer(values): return values[row].map { String($0) }
        }
    }
}

/// Rows in the output layout (`CanonicalColumn` order), one `CanonicalValues` per column.
public struct CanonicalBatch: Sendable, Equatable {
    public private(set) var columns: [CanonicalValues]

    public init() {
        columns = CanonicalColumn.allCases.map { column in
            switch column.type {
            case .text: .text(TextValues())
            case .date: .date(FixedValues())
            case .boolean: .boolean(FixedValues())
            case .integer: .integer(FixedValues())
            }
        }
    }

    init(columns: [CanonicalValues]) {
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    public subscript(column: CanonicalColumn) -> CanonicalValues { columns[column.rawValue] }

    /// Bytes held by the values (for memory accounting).
    public var byteSize: Int {
        var total = 0
        for column in columns {
            switch column {
            case let .text(values): total += values.bytes.count + values.offsets.count * 4 + values.valid.count
            case let .date(values): total += values.values.count * 5
            case let .boolean(values): total += values.values.count * 2
            case let .integer(values): total += values.values.count * 9
            }
        }
        return total
    }

    /// Appends the rows of `other` whose `keep` flag is true (all rows when `keep` is nil).
    public mutating func append(_ other: CanonicalBatch, keep: [Bool]? = nil) {
        for index in columns.indices {
            switch (columns[index], other.columns[index]) {
            case (.text(var mine), let .text(theirs)):
                columns[index] = .date(FixedValues())  // drop the reference so `mine` is unique
                mine.append(theirs, keep: keep)
                columns[index] = .text(mine)
            case (.date(var mine), let .date(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, keep: keep)
                columns[index] = .date(mine)
            case (.boolean(var mine), let .boolean(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, keep: keep)
                columns[index] = .boolean(mine)
            case (.integer(var mine), let .integer(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, keep: keep)
                columns[index] = .integer(mine)
            default:
                break  // both batches come from `CanonicalBatch()`: the kinds always agree
            }
        }
    }

    /// Appends the rows `rows` of `other` (bulk copies, no per-row work for fixed-width columns).
    public mutating func append(_ other: CanonicalBatch, rows: Range<Int>) {
        for index in columns.indices {
            switch (columns[index], other.columns[index]) {
            case (.text(var mine), let .text(theirs)):
                columns[index] = .date(FixedValues())
                mine.append(theirs, rows: rows)
                columns[index] = .text(mine)
            case (.date(var mine), let .date(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, rows: rows)
                columns[index] = .date(mine)
            case (.boolean(var mine), let .boolean(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, rows: rows)
                columns[index] = .boolean(mine)
            case (.integer(var mine), let .integer(theirs)):
                columns[index] = .text(TextValues())
                mine.append(theirs, rows: rows)
                columns[index] = .integer(mine)
            default:
                break
            }
        }
    }

    /// Empties the batch, keeping its capacity.
    public mutating func removeAll() {
        for index in columns.indices {
            switch columns[index] {
            case var .text(values):
                columns[index] = .date(FixedValues())
                values.bytes.removeAll(keepingCapacity: true)
                values.offsets.removeAll(keepingCapacity: true)
                values.offsets.append(0)
                values.valid.removeAll(keepingCapacity: true)
                columns[index] = .text(values)
            case var .date(values):
                columns[index] = .text(TextValues())
                values.values.removeAll(keepingCapacity: true)
                values.valid.removeAll(keepingCapacity: true)
                columns[index] = .date(values)
            case var .boolean(values):
                columns[index] = .text(TextValues())
                values.values.removeAll(keepingCapacity: true)
                values.valid.removeAll(keepingCapacity: true)
                columns[index] = .boolean(values)
            case var .integer(values):
                columns[index] = .text(TextValues())
                values.values.removeAll(keepingCapacity: true)
                values.valid.removeAll(keepingCapacity: true)
                columns[index] = .integer(values)
            }
        }
    }
}

extension TextValues {
    mutating func append(_ other: TextValues, keep: [Bool]?) {
        guard let keep else {
            let base = offsets[offsets.count - 1]
            bytes.append(contentsOf: other.bytes)
            for offset in other.offsets.dropFirst() { offsets.append(base &+ offset) }
            valid.append(contentsOf: other.valid)
            return
        }
        for row in 0..<other.count where keep[row] {
            bytes.append(contentsOf: other.value(row))
            offsets.append(Int32(truncatingIfNeeded: bytes.count))
            valid.append(other.valid[row])
        }
    }
}

extension TextValues {
    mutating func append(_ other: TextValues, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let start = Int(other.offsets[rows.lowerBound])
        let end = Int(other.offsets[rows.upperBound])
        let shift = Int32(truncatingIfNeeded: bytes.count - start)
        bytes.append(contentsOf: other.bytes[start..<end])
        offsets.reserveCapacity(offsets.count + rows.count)
        for row in rows { offsets.append(other.offsets[row + 1] &+ shift) }
        valid.append(contentsOf: other.valid[rows])
    }
}

extension FixedValues {
    mutating func append(_ other: FixedValues, rows: Range<Int>) {
        values.append(contentsOf: other.values[rows])
        valid.append(contentsOf: other.valid[rows])
    }

    mutating func append(_ other: FixedValues, keep: [Bool]?) {
        guard let keep else {
            values.append(contentsOf: other.values)
            valid.append(contentsOf: other.valid)
            return
        }
        for row in 0..<other.count where keep[row] {
            values.append(other.values[row])
            valid.append(other.valid[row])
        }
    }
}
