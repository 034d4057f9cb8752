/// A subset of the rows of a row group, as strictly increasing row indices.
///
/// Reading with a selection returns only those rows, compacted in order; pages holding none of
/// them are not even decompressed, and unselected byte arrays are never copied.
public struct RowSelection: Sendable, Equatable {
    public let rows: [Int32]

    /// `rows` must be strictly increasing and non-negative; checked against the row group
    /// when reading.
    public init(rows: [Int32]) throws {
        var previous: Int32 = -1
        for row in rows {
            guard row > previous else {
                throw ParquetError(.invalidArgument, "row selection must be strictly increasing (\(row) after \(previous))")
            }
            previous = row
        }
        self.rows = rows
    }

    /// The rows whose flag is true.
    public init(mask: [Bool]) {
        var rows: [Int32] = []
        rows.reserveCapacity(mask.count / 4)
        for (index, selected) in mask.enumerated() where selected {
            rows.append(Int32(truncatingIfNeeded: index))
        }
        self.rows = rows
    }

    /// The rows whose bit is set in `words` (bit `i % 64` of word `i / 64`), below `count`.
    public init(bitmap words: [UInt64], count: Int) {
        var rows: [Int32] = []
        for (wordIndex, original) in words.enumerated() {
            var word = original
            while word != 0 {
                let bit = word.trailingZeroBitCount
                let row = wordIndex * 64 + bit
                if row >= count { break }
                rows.append(Int32(truncatingIfNeeded: row))
                word &= word &- 1
            }
        }
        self.rows = rows
    }

    /// A contiguous range of rows.
    public init(range: Range<Int>) {
        rows = range.map { Int32(truncatingIfNeeded: $0) }
    }

    public var count: Int { rows.count }
}
