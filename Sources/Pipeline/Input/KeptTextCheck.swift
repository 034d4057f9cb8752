import Columns
import Parquet

/// The UTF-8 check of the rows a job keeps. It runs on the job's own rows and output fields
/// only, after its filter, whether they come from the stock or through an input cache: the
/// cache keeps bytes as they are, so a bad byte in a row of another job (of the cache's wider
/// filter) fails no run but that job's.
enum KeptTextCheck {
    /// The first value of `fields` in `batch` that is not valid UTF-8: its field, row and text
    /// for a message; nil when every value is valid.
    static func firstInvalid(in batch: SourceBatch, fields: [SourceField]) -> (field: SourceField, row: Int, shown: String)? {
        var first: (field: SourceField, row: Int, shown: String)?
        forEachInvalid(in: batch, fields: fields) { field, row, shown in
            first = (field, row, shown)
            return false
        }
        return first
    }

    /// Calls `body` with each value of `fields` in `batch` that is not valid UTF-8 (field by field,
    /// row by row) until it returns false.
    static func forEachInvalid(in batch: SourceBatch, fields: [SourceField], _ body: (SourceField, Int, String) -> Bool) {
        for field in fields {
            guard let column = batch[field], case let .byteArray(values) = column.data.storage, !isASCII(values.bytes) else { continue }
            for row in 0..<values.count where !values.withBytes(at: row, { UTF8Text.isValid($0) }) {
                guard body(field, row, values.withBytes(at: row) { UTF8Text.escaped($0) }) else { return }
            }
        }
    }

    /// Whether every byte is below 0x80: then the whole column is valid UTF-8 and no value is
    /// looked at. (No early exit, so the loop vectorises.)
    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var union: UInt8 = 0
            for byte in buffer { union |= byte }
            return union < 0x80
        }
    }

    /// The failure for a value that is not UTF-8. `place` is where the row is in the stock
    /// (`stock.csv:12`, `stock.parquet: row group 0, row 5`, or just the stock's path);
    /// `remarks` go in parentheses (the input cache, how to convert a CSV file).
    static func failure(place: String, column: String, shown: String, remarks: [String] = []) -> RunFailure {
        RunFailure(.run, "\(place): column '\(column)': '\(shown)' is not valid UTF-8 text"
            + (remarks.isEmpty ? "" : " (\(remarks.joined(separator: "; ")))") + "; nothing was written")
    }

    /// How to fix a CSV stock.
    static let csvRemedy = "convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8"
}

/// The rows an input cache keeps from one batch of the stock, and where each one is in the
/// stock, for messages.
struct ExtractedRows: Sendable {
    var rowsInBatch = 0
    /// Whether the batch was skipped on its statistics or dictionary alone.
    var skipped = false
    /// Rows each filter stage of the cache's filter removed.
    var removed = StageCounts()
    var rows = SourceBatch(rowCount: 0, columns: [:])
    /// The place of row `i` of `rows` in the stock (`stock.csv:12`).
    var place: @Sendable (Int) -> String = { _ in "" }
    /// When the scanner records them: the NAF codes of the rows each stage after NAF removed, in
    /// stage order (a shared scan tells from them which of its jobs would have kept the row).
    var removedCodes: [RemovedCodes] = []
}

/// The NAF codes of the rows one filter stage removed from a batch, each distinct code once with
/// its number of rows: a few hundred values at most, whatever the rows removed.
struct RemovedCodes: Sendable {
    let stage: ScanStage
    /// The distinct codes (a null for rows without one).
    let codes: SourceColumn
    /// The rows of each code.
    let counts: [Int]
    var rows: Int { counts.reduce(0, +) }

    /// Tallies `column`, the codes of the removed rows.
    init(stage: ScanStage, column: SourceColumn) {
        self.stage = stage
        // Short codes by their packed key (`KeyIndex`: no hashing of the standard library's per
        // row); the key's position there gives its place in `values`.
        var index = KeyIndex()
        var places: [Int] = []
        var longIndex: [[UInt8]: Int] = [:]
        var nullIndex: Int?
        var values: [[UInt8]?] = []
        var counts: [Int] = []
        column.withView { view in
            for row in 0..<column.data.count {
                view.withText(row) { bytes in
                    guard let bytes else {
                        if let position = nullIndex { return counts[position] += 1 }
                        nullIndex = values.count
                        values.append(nil)
                        counts.append(1)
                        return
                    }
                    // A code costs no allocation: `ShortText` (longer values are not NAF codes).
                    if let key = ShortText.key(bytes), let position = index.position(of: key) {
                        if position < places.count { return counts[places[position]] += 1 }
                        places.append(values.count)
                    } else {
                        let key = Array(bytes)
                        if let position = longIndex[key] { return counts[position] += 1 }
                        longIndex[key] = values.count
                    }
                    values.append(Array(bytes))
                    counts.append(1)
                }
            }
        }
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for value in values {
            bytes += value ?? []
            offsets.append(Int32(bytes.count))
        }
        codes = SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)),
                             validity: nullIndex == nil ? nil : Validity(values.map { $0 != nil }))
        self.counts = counts
    }
}
