/// Builds a `CanonicalBatch` row by row: every row appends exactly one value (or null) to
/// every column.
///
/// The standardiser appends some 30 values per row, so appends must cost a store, not reference
/// counting or copy-on-write checks: each column's buffers are raw memory owned by this builder
/// (freed in `deinit`), and `finish()` copies them into the batch's arrays once.
final class CanonicalBatchBuilder {
    /// One column being built: its values as raw bytes (text bytes, or fixed-width values), and
    /// for text the end offset of each value; one validity flag per row.
    private struct ColumnState {
        var data: UnsafeMutableRawPointer
        var dataCount = 0
        var dataCapacity: Int
        var offsets: UnsafeMutablePointer<Int32>
        var valid: UnsafeMutablePointer<Bool>
        var rows = 0
        var rowCapacity: Int
    }

    private let states: UnsafeMutablePointer<ColumnState>
    private let columnCount = CanonicalColumn.allCases.count

    init(reservingCapacity rows: Int) {
        let rowCapacity = max(rows, 16)
        states = UnsafeMutablePointer<ColumnState>.allocate(capacity: columnCount)
        for column in CanonicalColumn.allCases {
            let capacity = column.type == .text ? rowCapacity * 12 : rowCapacity * Self.width(column.type)
            (states + column.rawValue).initialize(to: ColumnState(
                data: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8), dataCapacity: capacity,
                offsets: UnsafeMutablePointer<Int32>.allocate(capacity: column.type == .text ? rowCapacity + 1 : 1),
                valid: UnsafeMutablePointer<Bool>.allocate(capacity: rowCapacity), rowCapacity: rowCapacity))
            states[column.rawValue].offsets[0] = 0
        }
    }

    deinit {
        for index in 0..<columnCount {
            states[index].data.deallocate()
            states[index].offsets.deallocate()
            states[index].valid.deallocate()
        }
        states.deinitialize(count: columnCount)
        states.deallocate()
    }

    private static func width(_ type: CanonicalType) -> Int {
        switch type {
        case .text, .boolean: 1
        case .date: 4
        case .integer: 8
        }
    }

    // MARK: Growth

    @inline(__always)
    private func reserveData(_ index: Int, _ extra: Int) {
        if states[index].dataCount + extra > states[index].dataCapacity { growData(index, states[index].dataCount + extra) }
    }

    private func growData(_ index: Int, _ minimum: Int) {
        var capacity = max(states[index].dataCapacity * 2, 64)
        while capacity < minimum { capacity *= 2 }
        let data = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        data.copyMemory(from: states[index].data, byteCount: states[index].dataCount)
        states[index].data.deallocate()
        states[index].data = data
        states[index].dataCapacity = capacity
    }

    /// Makes room for one more row in column `index`.
    @inline(__always)
    private func reserveRow(_ index: Int) {
        if states[index].rows == states[index].rowCapacity { growRows(index) }
    }

    private func growRows(_ index: Int) {
        let rows = states[index].rows
        let capacity = states[index].rowCapacity * 2
        let valid = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        valid.moveInitialize(from: states[index].valid, count: rows)
        states[index].valid.deallocate()
        states[index].valid = valid
        if CanonicalColumn.allCases[index].type == .text {
            let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: capacity + 1)
            offsets.moveInitialize(from: states[index].offsets, count: rows + 1)
            states[index].offsets.deallocate()
            states[index].offsets = offsets
        }
        states[index].rowCapacity = capacity
    }

    // MARK: Text

    func appendText(_ column: CanonicalColumn, _ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return appendNull(column) }
        appendPart(column, bytes)
        endText(column)
    }

    func appendText(_ column: CanonicalColumn, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendPart(column, $0) }
        endText(column)
    }

    /// Adds bytes to the value being built; `endText` closes it.
    @inline(__always)
    func appendPart(_ column: CanonicalColumn, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let index = column.rawValue
        reserveData(index, bytes.count)
        (states[index].data + states[index].dataCount).copyMemory(from: base, byteCount: bytes.count)
        states[index].dataCount += bytes.count
    }

    func appendPart(_ column: CanonicalColumn, _ text: StaticString) {
        appendPart(column, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    func endText(_ column: CanonicalColumn) {
        closeText(column.rawValue, valid: true)
    }

    /// Drops the parts appended since the last value and appends a null instead.
    func endTextAsNull(_ column: CanonicalColumn) {
        let index = column.rawValue
        states[index].dataCount = Int(states[index].offsets[states[index].rows])
        closeText(index, valid: false)
    }

    @inline(__always)
    private func closeText(_ index: Int, valid: Bool) {
        reserveRow(index)
        let rows = states[index].rows
        states[index].offsets[rows + 1] = Int32(truncatingIfNeeded: states[index].dataCount)
        states[index].valid[rows] = valid
        states[index].rows = rows + 1
    }

    // MARK: Other types

    @inline(__always)
    private func appendFixed<Value: BitwiseCopyable>(_ index: Int, _ value: Value, valid: Bool) {
        reserveRow(index)
        reserveData(index, MemoryLayout<Value>.size)
        (states[index].data + states[index].dataCount).storeBytes(of: value, as: Value.self)
        states[index].dataCount += MemoryLayout<Value>.size
        states[index].valid[states[index].rows] = valid
        states[index].rows += 1
    }

    func appendDate(_ column: CanonicalColumn, _ days: Int32?) {
        appendFixed(column.rawValue, days ?? 0, valid: days != nil)
    }

    func appendBoolean(_ column: CanonicalColumn, _ value: Bool?) {
        appendFixed(column.rawValue, value ?? false, valid: value != nil)
    }

    func appendInteger(_ column: CanonicalColumn, _ value: Int64?) {
        appendFixed(column.rawValue, value ?? 0, valid: value != nil)
    }

    func appendNull(_ column: CanonicalColumn) {
        switch column.type {
        case .text: closeText(column.rawValue, valid: false)
        case .date: appendDate(column, nil)
        case .boolean: appendBoolean(column, nil)
        case .integer: appendInteger(column, nil)
        }
    }

    // MARK: Result

    /// The batch; fails when a text column passed the 2 GiB an Int32 offset can address.
    func finish() throws(RunFailure) -> CanonicalBatch {
        var columns: [CanonicalValues] = []
        columns.reserveCapacity(columnCount)
        for column in CanonicalColumn.allCases {
            let state = states[column.rawValue]
            let valid = Array(UnsafeBufferPointer(start: state.valid, count: state.rows))
            switch column.type {
            case .text:
                guard state.dataCount <= Int(Int32.max) else {
                    throw RunFailure(.run, "column '\(column.name)' holds more than 2 GiB of text in one batch")
                }
                var values = TextValues()
                values.bytes = Array(UnsafeRawBufferPointer(start: state.data, count: state.dataCount))
                values.offsets = Array(UnsafeBufferPointer(start: state.offsets, count: state.rows + 1))
                values.valid = valid
                columns.append(.text(values))
            case .date:
                var values = FixedValues<Int32>()
                values.values = Self.array(state, of: Int32.self)
                values.valid = valid
                columns.append(.date(values))
            case .boolean:
                var values = FixedValues<Bool>()
                values.values = Self.array(state, of: Bool.self)
                values.valid = valid
                columns.append(.boolean(values))
            case .integer:
                var values = FixedValues<Int64>()
                values.values = Self.array(state, of: Int64.self)
                values.valid = valid
                columns.append(.integer(values))
            }
        }
        return CanonicalBatch(columns: columns)
    }

    private static func array<Value: BitwiseCopyable>(_ state: ColumnState, of type: Value.Type) -> [Value] {
        [Value](unsafeUninitializedCapacity: state.rows) { buffer, initialized in
            if let base = buffer.baseAddress {
                UnsafeMutableRawPointer(base).copyMemory(from: state.data, byteCount: state.rows * MemoryLayout<Value>.size)
            }
            initialized = state.rows
        }
    }
}
