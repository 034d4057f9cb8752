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
