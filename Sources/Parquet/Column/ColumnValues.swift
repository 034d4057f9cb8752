import Columns

/// The decoded values of one column chunk (or of the selected rows of it).
///
/// Storage is dense: one slot per row, nulls included (their slot holds zero or an empty byte
/// array), so row `i` is `storage[i]` guarded by `validity`. Byte arrays are one contiguous
/// buffer with offsets, never one Swift value per row. Logical interpretation (dates,
/// timestamps, decimals, FLOAT16, unsigned integers) is applied on access, see `value(at:)`.
public struct ColumnValues: Sendable {
    public let column: ColumnDescriptor
    /// The values, in the layout every part of builder shares.
    public let data: ColumnData

    public init(column: ColumnDescriptor, data: ColumnData) {
        self.column = column
        self.data = data
    }

    public init(column: ColumnDescriptor, count: Int, validity: Validity?, storage: ColumnStorage) {
        self.init(column: column, data: ColumnData(count: count, validity: validity, storage: storage))
    }

    public var count: Int { data.count }
    /// Nil when no row is null.
    public var validity: Validity? { data.validity }
    public var storage: ColumnStorage { data.storage }
    public var nullCount: Int { data.nullCount }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool { data.isNull(row) }
}
