import CSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dataset.csv`: RFC 4180 (CRLF line ends, fields quoted only when needed, quotes doubled),
/// UTF-8 without byte-order mark, one header row with the canonical column names. Nulls are
/// empty fields, dates `YYYY-MM-DD`, booleans `true`/`false`, integers in decimal.
final class CanonicalCSVWriter: DatasetFileWriter {
    let fileName = "dataset.csv"
    let stagedPath: String
    private let writer: CSVWriter
    private var closed = false

    init(stagedPath: String) throws {
        self.stagedPath = stagedPath
        writer = try CSVWriter(path: stagedPath, header: CanonicalColumn.names, lineEnding: .crlf)
    }

    func write(_ batch: CanonicalBatch, keep: [Bool]?) throws {
        let columns = batch.columns
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &scratch) { scratch in
            for row in 0..<batch.rowCount {
                if let keep, !keep[row] { continue }
                for column in columns {
                    write(column, row: row, scratch: scratch)
                }
                try writer.endRecord()
            }
        }
    }

    private func write(_ column: CanonicalValues, row: Int, scratch: UnsafeMutableRawBufferPointer) {
        switch column {
        case let .text(values):
            guard values.valid[row] else { return writer.writeEmptyField() }
            let start = Int(values.offsets[row])
            let end = Int(values.offsets[row + 1])
            values.bytes.withUnsafeBytes { writer.writeField(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        case let .date(values):
            guard values.valid[row] else { return writer.writeEmptyField() }
            let length = CivilDate.writeDate(days: Int(values.values[row]), into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .boolean(values):
            guard values.valid[row] else { return writer.writeEmptyField() }
            let text: StaticString = values.values[row] ? "true" : "false"
            writer.writeUnquotedField(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case let .integer(values):
            guard values.valid[row] else { return writer.writeEmptyField() }
            withDecimalText(values.values[row]) { text in
                if let text { writer.writeUnquotedField(text) }
            }
        }
    }

    func close() throws {
        try writer.close()
        closed = true
    }

    func discard() {
        if closed {
            unlink(stagedPath)
        } else {
            writer.discard()
        }
    }
}
