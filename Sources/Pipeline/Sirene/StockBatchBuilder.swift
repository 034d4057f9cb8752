/// Accumulates generated StockEtablissement rows, values addressed by `StockColumn`.
struct StockBatchBuilder {
    private let rows: SireneRowsBuilder

    init(reservingCapacity count: Int) {
        rows = SireneRowsBuilder(schema: SireneSchema.stockEtablissement, reservingCapacity: count)
    }

    func append(_ column: StockColumn, _ value: [UInt8]?) { rows.append(column.rawValue, value) }

    func appendNull(_ column: StockColumn) { rows.appendNull(column.rawValue) }

    func appendDigits(_ column: StockColumn, _ value: Int) { rows.appendDigits(column.rawValue, value) }

    func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8]) {
        rows.appendParts(column.rawValue, first, second)
    }

    func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8], _ third: [UInt8]) {
        rows.appendParts(column.rawValue, first, second, third)
    }

    func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8], _ third: [UInt8],
                     _ fourth: [UInt8], _ fifth: [UInt8]) {
        rows.appendParts(column.rawValue, first, second, third, fourth, fifth)
    }

    func appendDate(_ column: StockColumn, _ days: Int32?) { rows.appendDate(column.rawValue, days) }

    func appendInt64(_ column: StockColumn, _ value: Int64?) { rows.appendInt64(column.rawValue, value) }

    func appendBoolean(_ column: StockColumn, _ value: Bool?) { rows.appendBoolean(column.rawValue, value) }

    func finish() -> ColumnBatch { rows.finish() }
}
