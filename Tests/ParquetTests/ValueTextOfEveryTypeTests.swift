import Conversion
import Testing
@testable import Parquet

/// `Conversion`'s text of every type the Parquet writer supports (the fixtures of these
/// tests): the column formatter (CSV exports) and the per-value text agree.
struct ValueTextOfEveryTypeTests {
    @Test func columnFormatterMatchesTheValueText() throws {
        let columns = AllTypesFixture.columns(rows: 300)
        let schema = try Schema(fields: AllTypesFixture.fields)
        for (index, cells) in columns.enumerated() {
            let values = try ColumnValues(column: schema.columns[index], cells: cells)
            let formatter = ColumnTextFormatter(values)
            for row in 0..<values.count {
                let shown = formatter.text(row: row).map { String(decoding: $0, as: UTF8.self) }
                let expected: String? = values.isNull(row) ? nil : ValueText.string(values.value(at: row))
                #expect(shown == expected, "\(AllTypesFixture.fields[index].name) row \(row)")
            }
        }
    }

}
