/// A column's buffers borrowed for the duration of a closure: what per-cell loops read, without
/// reference counting on every access.
enum CanonicalColumnView {
    case text(bytes: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>, valid: UnsafeBufferPointer<Bool>)
    case date(values: UnsafeBufferPointer<Int32>, valid: UnsafeBufferPointer<Bool>)
    case boolean(values: UnsafeBufferPointer<Bool>, valid: UnsafeBufferPointer<Bool>)
    case integer(values: UnsafeBufferPointer<Int64>, valid: UnsafeBufferPointer<Bool>)

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        switch self {
        case let .text(_, _, valid), let .date(_, valid), let .boolean(_, valid), let .integer(_, valid): !valid[row]
        }
    }

    /// The bytes of text value `row` (empty for a null or a non-text column).
    @inline(__always)
    func textBytes(_ row: Int) -> UnsafeRawBufferPointer {
        guard case let .text(bytes, offsets, _) = self else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(offsets[row])
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<Int(offsets[row + 1])])
    }
}

extension CanonicalBatch {
    /// Runs `body` with views of `selected` columns (all when nil), in that order.
    ///
    /// `body` cannot throw: an error thrown through these nested borrows corrupted the stack
    /// (seen with Swift 6.3, the enum of buffer pointers in a generic rethrowing recursion), so a
    /// caller that can fail keeps its error and throws it once this returns.
    func withViews<R>(of selected: [CanonicalColumn]? = nil, _ body: ([CanonicalColumnView]) -> R) -> R {
        let values = selected.map { $0.map { self[$0] } } ?? columns
        var views: [CanonicalColumnView] = []
        views.reserveCapacity(values.count)
        return Self.bind(values[...], into: &views, body)
    }

    /// Borrows the buffers of each column by nesting `withUnsafeBufferPointer` calls, one level
    /// per column, then runs `body` with all of them.
    private static func bind<R>(_ columns: ArraySlice<CanonicalValues>, into views: inout [CanonicalColumnView],
                                _ body: ([CanonicalColumnView]) -> R) -> R {
        guard let column = columns.first else { return body(views) }
        let rest = columns.dropFirst()
        switch column {
        case let .text(values):
            return values.bytes.withUnsafeBufferPointer { bytes in
                values.offsets.withUnsafeBufferPointer { offsets in
                    values.valid.withUnsafeBufferPointer { valid in
                        views.append(.text(bytes: bytes, offsets: offsets, valid: valid))
                        return bind(rest, into: &views, body)
                    }
                }
            }
        case let .date(values):
            return values.values.withUnsafeBufferPointer { data in
                values.valid.withUnsafeBufferPointer { valid in
                    views.append(.date(values: data, valid: valid))
                    return bind(rest, into: &views, body)
                }
            }
        case let .boolean(values):
            return values.values.withUnsafeBufferPointer { data in
                values.valid.withUnsafeBufferPointer { valid in
                    views.append(.boolean(values: data, valid: valid))
                    return bind(rest, into: &views, body)
                }
            }
        case let .integer(values):
            return values.values.withUnsafeBufferPointer { data in
                values.valid.withUnsafeBufferPointer { valid in
                    views.append(.integer(values: data, valid: valid))
                    return bind(rest, into: &views, body)
                }
            }
        }
    }
}
