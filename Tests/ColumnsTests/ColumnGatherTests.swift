import Columns
import Testing

/// `ColumnData.gathering(_:)`: the values and nulls at the given rows, in that order, for text
/// (empty values, repeated and out-of-order rows, across bitmap words) and fixed-width columns.
struct ColumnGatherTests {
    /// 200 rows: text `v<row>` (empty every 10th row), null every 7th row; an Int64 column alike.
    static func columns() throws -> [ColumnData] {
        let builder = ColumnsBuilder(kinds: [.byteArray, .int64], reservingCapacity: 8)
        for row in 0..<200 {
            if row % 7 == 3 {
                builder.appendNull(0)
                builder.appendNull(1)
            } else {
                builder.appendText(0, Array((row % 10 == 0 ? "" : "v\(row)").utf8))
                builder.appendInt64(1, Int64(row) * 1_000_003)
            }
        }
        return try builder.finish()
    }

    static func texts(_ column: ColumnData) -> [String?] {
        guard case let .byteArray(values) = column.storage else { return [] }
        return (0..<column.count).map { column.isNull($0) ? nil : String(decoding: values[$0], as: UTF8.self) }
    }

    static func integers(_ column: ColumnData) -> [Int64?] {
        guard case let .int64(values) = column.storage else { return [] }
        return (0..<column.count).map { column.isNull($0) ? nil : values[$0] }
    }

    @Test(arguments: [[], [0], [3], [0, 10, 63, 64, 65, 127, 128, 199], Array(0..<200), [199, 5, 5, 70, 0, 3, 10]])
    func gatheredRowsHoldTheValuesAndNullsOfThoseRows(_ positions: [Int]) throws {
        let columns = try Self.columns()
        let text = columns[0].gathering(positions)
        let numbers = columns[1].gathering(positions)
        let allText = Self.texts(columns[0])
        let allNumbers = Self.integers(columns[1])
        #expect(text.count == positions.count && numbers.count == positions.count)
        #expect(Self.texts(text) == positions.map { allText[$0] })
        #expect(Self.integers(numbers) == positions.map { allNumbers[$0] })
        // A column without nulls carries no bitmap.
        #expect((text.validity == nil) == !positions.contains { $0 % 7 == 3 })
        guard case let .byteArray(values) = text.storage else { return }
        #expect(values.offsets.count == positions.count + 1 && values.offsets.first == 0)
        #expect(Int(values.offsets.last ?? 0) == values.bytes.count)
    }
}

/// `ColumnData.concatenating(_:)`: the rows of the parts one after the other, their nulls at their
/// new places (parts of any length, across and inside bitmap words, parts without any null).
struct ColumnConcatenationTests {
    @Test(arguments: [[200], [1, 199], [63, 1, 64, 72], [7, 0, 130, 63], [64, 64, 64, 8], Array(repeating: 10, count: 20)])
    func partsJoinedInOrderWithTheirNulls(_ lengths: [Int]) throws {
        let columns = try ColumnGatherTests.columns()
        var parts: [[ColumnData]] = [[], []]
        var start = 0
        for length in lengths {
            let rows = Array(start..<start + length)
            for index in 0..<2 { parts[index].append(columns[index].gathering(rows)) }
            start += length
        }
        // A part without any null (no bitmap) among parts with some.
        let whole = try #require(ColumnData.concatenating(parts[0] + [columns[0].gathering([0, 1, 2])]))
        let numbers = try #require(ColumnData.concatenating(parts[1] + [columns[1].gathering([0, 1, 2])]))
        let expectedText = ColumnGatherTests.texts(columns[0]) + ColumnGatherTests.texts(columns[0].gathering([0, 1, 2]))
        #expect(columns[0].gathering([0, 1, 2]).validity == nil)
        #expect(ColumnGatherTests.texts(whole) == expectedText)
        #expect(ColumnGatherTests.integers(numbers) == ColumnGatherTests.integers(columns[1]) + [0, 1_000_003, 2_000_006])
        #expect(whole.validity?.nullCount == expectedText.filter { $0 == nil }.count)
    }
}
