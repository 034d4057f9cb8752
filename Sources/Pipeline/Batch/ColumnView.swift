import Columns

/// A column's buffers borrowed for the duration of a closure: what per-cell loops read, without
/// reference counting on every access.
enum ColumnView {
    case text(bytes: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>, validity: UnsafeBufferPointer<UInt64>?)
    case date(values: UnsafeBufferPointer<Int32>, validity: UnsafeBufferPointer<UInt64>?)
    case boolean(values: UnsafeBufferPointer<Bool>, validity: UnsafeBufferPointer<UInt64>?)
    case integer(values: UnsafeBufferPointer<Int64>, validity: UnsafeBufferPointer<UInt64>?)
    case number(values: UnsafeBufferPointer<Double>, validity: UnsafeBufferPointer<UInt64>?)
    /// A column the batch does not hold (not computed): every value is null.
    case absent

    @inline(__always)
    var validity: UnsafeBufferPointer<UInt64>? {
        switch self {
        case let .text(_, _, validity), let .date(_, validity), let .boolean(_, validity), let .integer(_, validity),
             let .number(_, validity):
            validity
        case .absent: nil
        }
    }

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        if case .absent = self { return true }
        guard let validity else { return false }
        return validity[row >> 6] & (1 << UInt64(row & 63)) == 0
    }

    /// The bytes of text value `row` (empty for a null or a non-text column).
    @inline(__always)
    func textBytes(_ row: Int) -> UnsafeRawBufferPointer {
        guard case let .text(bytes, offsets, _) = self else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(offsets[row])
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<Int(offsets[row + 1])])
    }

    /// The text of row `row`, nil for a null.
    @inline(__always)
    func text(_ row: Int) -> UnsafeRawBufferPointer? {
        isNull(row) ? nil : textBytes(row)
    }

    @inline(__always)
    func date(_ row: Int) -> Int32? {
        guard case let .date(values, _) = self, !isNull(row) else { return nil }
        return values[row]
    }

    @inline(__always)
    func boolean(_ row: Int) -> Bool? {
        guard case let .boolean(values, _) = self, !isNull(row) else { return nil }
        return values[row]
    }

    @inline(__always)
    func integer(_ row: Int) -> Int64? {
        guard case let .integer(values, _) = self, !isNull(row) else { return nil }
        return values[row]
    }

    @inline(__always)
    func number(_ row: Int) -> Double? {
        guard case let .number(values, _) = self, !isNull(row) else { return nil }
        return values[row]
    }
}

extension RecordBatch {
    /// Runs `body` with views of the columns at `indices` (in that order).
    ///
    /// `body` cannot throw: an error thrown through these nested borrows corrupted the stack
    /// (seen with Swift 6.3, an enum of buffer pointers in a generic rethrowing recursion), so a
    /// caller that can fail keeps its error and throws it once this returns.
    func withViews<R>(of indices: [Int], _ body: ([ColumnView]) -> R) -> R {
        var views: [ColumnView] = []
        views.reserveCapacity(indices.count)
        return Self.bind(indices.map { columns[$0] }[...], into: &views, body)
    }

    /// Borrows the buffers of each column by nesting `withUnsafeBufferPointer` calls, one level
    /// per column, then runs `body` with all of them.
    private static func bind<R>(_ columns: ArraySlice<ColumnData?>, into views: inout [ColumnView],
                                _ body: ([ColumnView]) -> R) -> R {
        guard let first = columns.first else { return body(views) }
        let rest = columns.dropFirst()
        guard let column = first else {
            views.append(.absent)
            return bind(rest, into: &views, body)
        }
        return withValidity(column.validity) { validity in
            switch column.storage {
            case let .byteArray(values):
                return values.bytes.withUnsafeBufferPointer { bytes in
                    values.offsets.withUnsafeBufferPointer { offsets in
                        views.append(.text(bytes: bytes, offsets: offsets, validity: validity))
                        return bind(rest, into: &views, body)
                    }
                }
            case let .int32(values):
                return values.withUnsafeBufferPointer { data in
                    views.append(.date(values: data, validity: validity))
                    return bind(rest, into: &views, body)
                }
            case let .boolean(values):
                return values.withUnsafeBufferPointer { data in
                    views.append(.boolean(values: data, validity: validity))
                    return bind(rest, into: &views, body)
                }
            case let .int64(values):
                return values.withUnsafeBufferPointer { data in
                    views.append(.integer(values: data, validity: validity))
                    return bind(rest, into: &views, body)
                }
            case let .double(values):
                return values.withUnsafeBufferPointer { data in
                    views.append(.number(values: data, validity: validity))
                    return bind(rest, into: &views, body)
                }
            case .int96, .float, .fixedLenByteArray:
                // The pipeline never builds these (see `ColumnType.kind`).
                views.append(.absent)
                return bind(rest, into: &views, body)
            }
        }
    }

    private static func withValidity<R>(_ validity: Validity?, _ body: (UnsafeBufferPointer<UInt64>?) -> R) -> R {
        guard let validity else { return body(nil) }
        return validity.words.withUnsafeBufferPointer { body($0) }
    }
}
