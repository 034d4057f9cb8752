/// The values of one column: `count` rows of dense typed storage and which of them are null.
///
/// The one layout every part of builder shares (Arrow's): one slot per row, nulls included
/// (their slot holds zero or an empty byte array); byte arrays as one buffer with `count + 1`
/// offsets; validity as a bitmap, absent when no row is null. The Parquet reader decodes into
/// it and its writer encodes from it, the CSV reader fills it, and the pipeline's batches are
/// made of it; what the values mean (a date, a score, text) is said by whoever holds the column
/// (a Parquet column descriptor, a pipeline column type).
public struct ColumnData: Sendable {
    public let count: Int
    /// Nil when no row is null.
    public let validity: Validity?
    public let storage: ColumnStorage

    public init(count: Int, validity: Validity?, storage: ColumnStorage) {
        self.count = count
        self.validity = validity
        self.storage = storage
    }

    public var nullCount: Int { validity?.nullCount ?? 0 }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity.isValid(row)
    }
}
