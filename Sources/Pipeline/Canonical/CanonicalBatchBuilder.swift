/// Builds a `CanonicalBatch` row by row: every row appends exactly one value (or null) to
/// every column.
struct CanonicalBatchBuilder {
    private var texts: [TextValues]
    private var dates: [FixedValues<Int32>]
    private var booleans: [FixedValues<Bool>]
    private var integers: [FixedValues<Int64>]

    init(reservingCapacity rows: Int) {
        let count = CanonicalColumn.allCases.count
        texts = Array(repeating: TextValues(), count: count)
        dates = Array(repeating: FixedValues(), count: count)
        booleans = Array(repeating: FixedValues(), count: count)
        integers = Array(repeating: FixedValues(), count: count)
        for column in CanonicalColumn.allCases {
            let index = column.rawValue
            switch column.type {
            case .text:
                texts[index].bytes.reserveCapacity(rows * 12)
                texts[index].offsets.reserveCapacity(rows + 1)
                texts[index].valid.reserveCapacity(rows)
            case .date:
                dates[index].values.reserveCapacity(rows)
                dates[index].valid.reserveCapacity(rows)
            case .boolean:
                booleans[index].values.reserveCapacity(rows)
                booleans[index].valid.reserveCapacity(rows)
            case .integer:
                integers[index].values.reserveCapacity(rows)
                integers[index].valid.reserveCapacity(rows)
            }
        }
    }

    // MARK: Text

    mutating func appendText(_ column: CanonicalColumn, _ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return appendNull(column) }
        texts[column.rawValue].bytes.append(contentsOf: bytes)
        endText(column)
    }

    mutating func appendText(_ column: CanonicalColumn, _ text: StaticString) {
        appendText(column, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func appendText(_ column: CanonicalColumn, _ bytes: [UInt8]) {
        texts[column.rawValue].bytes.append(contentsOf: bytes)
        endText(column)
    }

    /// Adds bytes to the value being built; `endText` closes it.
    mutating func appendPart(_ column: CanonicalColumn, _ bytes: UnsafeRawBufferPointer) {
        texts[column.rawValue].bytes.append(contentsOf: bytes)
    }

    mutating func appendPart(_ column: CanonicalColumn, _ text: StaticString) {
        appendPart(column, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Bytes of the value being built so far.
    func pendingLength(_ column: CanonicalColumn) -> Int {
        let values = texts[column.rawValue]
        return values.bytes.count - Int(values.offsets[values.offsets.count - 1])
    }

    mutating func endText(_ column: CanonicalColumn) {
        texts[column.rawValue].offsets.append(Int32(truncatingIfNeeded: texts[column.rawValue].bytes.count))
        texts[column.rawValue].valid.append(true)
    }

    /// Drops the parts appended since the last value and appends a null instead.
    mutating func endTextAsNull(_ column: CanonicalColumn) {
        let index = column.rawValue
        let start = Int(texts[index].offsets[texts[index].offsets.count - 1])
        texts[index].bytes.removeSubrange(start...)
        appendNull(column)
    }

    // MARK: Other types

    mutating func appendDate(_ column: CanonicalColumn, _ days: Int32?) {
        dates[column.rawValue].values.append(days ?? 0)
        dates[column.rawValue].valid.append(days != nil)
    }

    mutating func appendBoolean(_ column: CanonicalColumn, _ value: Bool?) {
        booleans[column.rawValue].values.append(value ?? false)
        booleans[column.rawValue].valid.append(value != nil)
    }

    mutating func appendInteger(_ column: CanonicalColumn, _ value: Int64?) {
        integers[column.rawValue].values.append(value ?? 0)
        integers[column.rawValue].valid.append(value != nil)
    }

    mutating func appendNull(_ column: CanonicalColumn) {
        let index = column.rawValue
        switch column.type {
        case .text:
            texts[index].offsets.append(texts[index].offsets[texts[index].offsets.count - 1])
            texts[index].valid.append(false)
        case .date: appendDate(column, nil)
        case .boolean: appendBoolean(column, nil)
        case .integer: appendInteger(column, nil)
        }
    }

    /// The batch; fails when a text column passed the 2 GiB an Int32 offset can address.
    func finish() throws(RunFailure) -> CanonicalBatch {
        var columns: [CanonicalValues] = []
        columns.reserveCapacity(CanonicalColumn.allCases.count)
        for column in CanonicalColumn.allCases {
            let index = column.rawValue
            switch column.type {
            case .text:
                guard texts[index].bytes.count <= Int(Int32.max) else {
                    throw RunFailure(.run, "column '\(column.name)' holds more than 2 GiB of text in one batch")
                }
                columns.append(.text(texts[index]))
            case .date: columns.append(.date(dates[index]))
            case .boolean: columns.append(.boolean(booleans[index]))
            case .integer: columns.append(.integer(integers[index]))
            }
        }
        return CanonicalBatch(columns: columns)
    }
}
