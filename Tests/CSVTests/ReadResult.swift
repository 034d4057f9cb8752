import CSV

/// Everything a reader produced, for comparisons.
struct ReadResult: Equatable {
    var header: [String]
    var rows: [[String]]
    var quoted: [[Bool]]
    var lines: [Int]
    var batchCount: Int
}

func readAll(_ text: String, name: String = "test.csv", options: CSVReadOptions = CSVReadOptions()) throws -> ReadResult {
    try readAll(bytes: Array(text.utf8), name: name, options: options)
}

func readAll(bytes: [UInt8], name: String = "test.csv", options: CSVReadOptions = CSVReadOptions()) throws -> ReadResult {
    let reader = try CSVReader(bytes: bytes, name: name, options: options)
    return try collect(reader)
}

func collect(_ reader: CSVReader) throws -> ReadResult {
    var result = ReadResult(header: reader.header.names, rows: [], quoted: [], lines: [], batchCount: 0)
    while let batch = try reader.nextBatch() {
        result.batchCount += 1
        for record in 0..<batch.recordCount {
            result.rows.append(batch.record(record))
            result.quoted.append((0..<batch.columnCount).map { batch.isQuoted(record: record, column: $0) })
            result.lines.append(batch.lineNumber(ofRecord: record))
        }
    }
    return result
}

func options(blockSize: Int, policy: CSVReadOptions.FieldCountPolicy = .strict) -> CSVReadOptions {
    CSVReadOptions(blockSize: blockSize, fieldCountPolicy: policy)
}
