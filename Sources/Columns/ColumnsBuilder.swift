/// Builds several columns row by row, each as `ColumnData`: every row appends exactly one value
/// (or null) to every column.
///
/// A row of a hot loop appends tens of values, so an append must cost a store, not reference
/// counting or copy-on-write checks: each column's buffers are raw memory owned by the builder
/// (freed in `deinit`), validity is one byte per row until `finish()` packs it into a bitmap,
/// and `finish()` copies the buffers into the columns' arrays once. Columns are addressed by
/// their index in `kinds`.
public final class ColumnsBuilder {
    /// The storage a column is built as.
    public enum Kind: Sendable, Equatable {
        /// Variable-length bytes (`ColumnStorage.byteArray`).
        case byteArray
        case boolean
        case int32
        case int64
        case float
        case double
        /// Values of `width` bytes each (`ColumnStorage.fixedLenByteArray`).
        case fixedLenByteArray(width: Int)

        /// Bytes of one value (for byte arrays: the initial guess per value).
        var width: Int {
            switch self {
            case .byteArray: 12
            case .boolean: 1
            case .int32, .float: 4
            case .int64, .double: 8
            case let .fixedLenByteArray(width): width
            }
        }
    }

    /// One column being built: its values as raw bytes (text bytes, or fixed-width values), and
    /// for byte arrays the end offset of each value; one validity byte per row.
    private struct ColumnState {
        var data: UnsafeMutableRawPointer
        var dataCount = 0
        var dataCapacity: Int
        var offsets: UnsafeMutablePointer<Int32>
        var valid: UnsafeMutablePointer<UInt8>
        var rows = 0
        var rowCapacity: Int
        var nulls = 0
    }

    public let kinds: [Kind]
    private let states: UnsafeMutablePointer<ColumnState>

    public init(kinds: [Kind], reservingCapacity rows: Int) {
        self.kinds = kinds
        let rowCapacity = max(rows, 16)
        states = UnsafeMutablePointer<ColumnState>.allocate(capacity: max(kinds.count, 1))
        for (index, kind) in kinds.enumerated() {
            let capacity = rowCapacity * kind.width
            (states + index).initialize(to: ColumnState(
                data: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8), dataCapacity: capacity,
                offsets: UnsafeMutablePointer<Int32>.allocate(capacity: kind == .byteArray ? rowCapacity + 1 : 1),
                valid: UnsafeMutablePointer<UInt8>.allocate(capacity: rowCapacity), rowCapacity: rowCapacity))
            states[index].offsets[0] = 0
        }
    }

    deinit {
        for index in kinds.indices {
            states[index].data.deallocate()
            states[index].offsets.deallocate()
            states[index].valid.deallocate()
        }
        states.deinitialize(count: kinds.count)
        states.deallocate()
    }

    /// Rows appended to column `column` so far.
    public func rowCount(_ column: Int) -> Int { states[column].rows }

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

    @inline(__always)
    private func reserveRow(_ index: Int) {
        if states[index].rows == states[index].rowCapacity { growRows(index) }
    }

    private func growRows(_ index: Int) {
        let rows = states[index].rows
        let capacity = states[index].rowCapacity * 2
        let valid = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        valid.moveInitialize(from: states[index].valid, count: rows)
        states[index].valid.deallocate()
        states[index].valid = valid
        if kinds[index] == .byteArray {
            let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: capacity + 1)
            offsets.moveInitialize(from: states[index].offsets, count: rows + 1)
            states[index].offsets.deallocate()
            states[index].offsets = offsets
        }
        states[index].rowCapacity = capacity
    }

    // MARK: Byte arrays

    public func appendText(_ column: Int, _ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return appendNull(column) }
        appendPart(column, bytes)
        endText(column)
    }

    public func appendText(_ column: Int, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendPart(column, $0) }
        endText(column)
    }

    /// Adds bytes to the value being built; `endText` closes it.
    @inline(__always)
    public func appendPart(_ column: Int, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserveData(column, bytes.count)
        copyBytes(from: base, count: bytes.count, to: states[column].data + states[column].dataCount)
        states[column].dataCount += bytes.count
    }

    public func appendPart(_ column: Int, _ text: StaticString) {
        appendPart(column, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public func endText(_ column: Int) {
        closeText(column, valid: true)
    }

    /// Drops the parts appended since the last value and appends a null instead.
    public func endTextAsNull(_ column: Int) {
        states[column].dataCount = Int(states[column].offsets[states[column].rows])
        closeText(column, valid: false)
    }

    @inline(__always)
    private func closeText(_ index: Int, valid: Bool) {
        reserveRow(index)
        let rows = states[index].rows
        states[index].offsets[rows + 1] = Int32(truncatingIfNeeded: states[index].dataCount)
        states[index].valid[rows] = valid ? 1 : 0
        if !valid { states[index].nulls += 1 }
        states[index].rows = rows + 1
    }

    // MARK: Fixed-width values

    @inline(__always)
    private func appendFixed<Value: BitwiseCopyable>(_ index: Int, _ value: Value, valid: Bool) {
        reserveRow(index)
        reserveData(index, MemoryLayout<Value>.size)
        (states[index].data + states[index].dataCount).storeBytes(of: value, as: Value.self)
        states[index].dataCount += MemoryLayout<Value>.size
        states[index].valid[states[index].rows] = valid ? 1 : 0
        if !valid { states[index].nulls += 1 }
        states[index].rows += 1
    }

    public func appendBoolean(_ column: Int, _ value: Bool?) {
        appendFixed(column, value ?? false, valid: value != nil)
    }

    public func appendInt32(_ column: Int, _ value: Int32?) {
        appendFixed(column, value ?? 0, valid: value != nil)
    }

    public func appendInt64(_ column: Int, _ value: Int64?) {
        appendFixed(column, value ?? 0, valid: value != nil)
    }

    public func appendFloat(_ column: Int, _ value: Float?) {
        appendFixed(column, value ?? 0, valid: value != nil)
    }

    public func appendDouble(_ column: Int, _ value: Double?) {
        appendFixed(column, value ?? 0, valid: value != nil)
    }

    /// A value of a fixed-length byte-array column: exactly its width in bytes.
    public func appendFixedBytes(_ column: Int, _ bytes: UnsafeRawBufferPointer) {
        let width = kinds[column].width
        precondition(bytes.count == width, "a value of \(bytes.count) bytes in a column of width \(width)")
        reserveRow(column)
        appendPart(column, bytes)
        states[column].valid[states[column].rows] = 1
        states[column].rows += 1
    }

    /// A null of a fixed-length byte-array column: its width in zero bytes.
    private func appendNullFixedBytes(_ index: Int) {
        let width = kinds[index].width
        reserveRow(index)
        reserveData(index, width)
        (states[index].data + states[index].dataCount).initializeMemory(as: UInt8.self, repeating: 0, count: width)
        states[index].dataCount += width
        states[index].valid[states[index].rows] = 0
        states[index].nulls += 1
        states[index].rows += 1
    }

    public func appendNull(_ column: Int) {
        switch kinds[column] {
        case .byteArray: closeText(column, valid: false)
        case .boolean: appendBoolean(column, nil)
        case .int32: appendInt32(column, nil)
        case .int64: appendInt64(column, nil)
        case .float: appendFloat(column, nil)
        case .double: appendDouble(column, nil)
        case .fixedLenByteArray: appendNullFixedBytes(column)
        }
    }

    // MARK: Result

    /// The columns, in the order of `kinds`; fails when a byte-array column passed the 2 GiB an
    /// Int32 offset can address (naming its index).
    public func finish() throws(ColumnsBuilderError) -> [ColumnData] {
        var columns: [ColumnData] = []
        columns.reserveCapacity(kinds.count)
        for (index, kind) in kinds.enumerated() {
            let state = states[index]
            let validity = state.nulls == 0 ? nil : Validity(flags: UnsafePointer(state.valid), count: state.rows)
            let storage: ColumnStorage
            switch kind {
            case .byteArray:
                guard state.dataCount <= Int(Int32.max) else { throw ColumnsBuilderError(column: index) }
                storage = .byteArray(ByteArrayValues(
                    offsets: Array(UnsafeBufferPointer(start: state.offsets, count: state.rows + 1)),
                    bytes: Array(UnsafeRawBufferPointer(start: state.data, count: state.dataCount))))
            case .boolean: storage = .boolean(Self.array(state, of: Bool.self))
            case .int32: storage = .int32(Self.array(state, of: Int32.self))
            case .int64: storage = .int64(Self.array(state, of: Int64.self))
            case .float: storage = .float(Self.array(state, of: Float.self))
            case .double: storage = .double(Self.array(state, of: Double.self))
            case let .fixedLenByteArray(width):
                storage = .fixedLenByteArray(FixedLenByteArrayValues(
                    width: width, bytes: Array(UnsafeRawBufferPointer(start: state.data, count: state.dataCount))))
            }
            columns.append(ColumnData(count: state.rows, validity: validity, storage: storage))
        }
        return columns
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

/// A byte-array column of one batch outgrew the 2 GiB its 32-bit offsets can address.
public struct ColumnsBuilderError: Error, Sendable, Equatable {
    /// The column's index in the builder.
    public let column: Int
}
