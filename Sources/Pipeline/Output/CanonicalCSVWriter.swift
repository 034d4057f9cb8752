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
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &scratch) { scratch in
            try batch.withViews { views in
                for row in 0..<batch.rowCount {
                    if let keep, !keep[row] { continue }
                    for view in views {
                        write(view, row: row, scratch: scratch)
                    }
                    try writer.endRecord()
                }
            }
        }
    }

    @inline(__always)
    private func write(_ view: CanonicalColumnView, row: Int, scratch: UnsafeMutableRawBufferPointer) {
        if view.isNull(row) { return writer.writeEmptyField() }
        switch view {
        case .text:
            writer.writeField(view.textBytes(row))
        case let .date(values, _):
            let length = CivilDate.writeDate(days: Int(values[row]), into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .boolean(values, _):
            let text: StaticString = values[row] ? "true" : "false"
            writer.writeUnquotedField(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case let .integer(values, _):
            withDecimalText(values[row]) { text in
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
