import Columns
/// A column chunk read as dictionary + one index per row, so a predicate can be evaluated once
/// per distinct value and mapped through the indices.
///
/// When the writer fell back from dictionary to plain encoding part-way through the chunk,
/// the values of the later pages are appended to `dictionary` as extra entries (so every row
/// still has an index); `isFullyDictionaryEncoded` is false then, and entries past
/// `dictionaryPageEntryCount` are not distinct values, just one per such row.
public struct DictionaryEncodedValues: Sendable {
    /// Dictionary entries (no nulls).
    public let dictionary: ColumnValues
    /// How many entries came from the dictionary page.
    public let dictionaryPageEntryCount: Int
    /// One index into `dictionary` per row; meaningless (0) where `validity` says null.
    public let indices: [Int32]
    /// Nil when no row is null.
    public let validity: Validity?

    public var count: Int { indices.count }
    public var isFullyDictionaryEncoded: Bool { dictionary.count == dictionaryPageEntryCount }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity.isValid(row)
    }
}
