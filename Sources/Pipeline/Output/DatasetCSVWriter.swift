import CSV
import Jobs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dataset.csv`: RFC 4180 (CRLF line ends, fields quoted only when needed, quotes doubled),
/// UTF-8 without byte-order mark, one header row with the exported column names. Nulls are
/// empty fields, dates `YYYY-MM-DD`, booleans `true`/`false`, integers in decimal, numbers as
/// `CellText.number` writes them. The job's `output.csv` may change the delimiter (quoting then
/// follows it) and add a byte-order mark; nothing else changes.
final class DatasetCSVWriter: DatasetFileWriter {
    let fileName = CSVOutput.fileName
    let stagedPath: String
    private let writer: CSVWriter
    private let columns: [Int]
    private var closed = false
    private let digest = WrittenDigest()
    var sha256: String? { closed ? digest.hex : nil }

    /// `maxBufferedBytes`: what the job lets each export hold (`OutputSettings`); the write
    /// buffer takes a quarter of it, at most 1 MiB.
    init(stagedPath: String, schema: BatchSchema, dialect: JobSpec.CSVDialect = .rfc4180, maxBufferedBytes: Int? = nil) throws {
        self.stagedPath = stagedPath
        columns = schema.exportedIndices
        writer = try CSVWriter(path: stagedPath, header: schema.exported.map(\.name), lineEnding: .crlf,
                               delimiter: dialect.delimiter, byteOrderMark: dialect.byteOrderMark,
                               bufferSize: min(1 << 20, (maxBufferedBytes ?? .max) / 4), onWrite: digest.update)
    }

    func write(_ batch: RecordBatch) throws {
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        // The error (a full disk) is kept and thrown once `withViews` has returned: an error
        // thrown through its nested buffer borrows corrupts the stack (Swift 6.3, debug and
        // release builds alike), which crashed run-profile on a full disk.
        var failure: Error?
        withUnsafeMutableBytes(of: &scratch) { scratch in
            batch.withViews(of: columns) { views in
                for row in 0..<batch.rowCount where batch.isKept(row) {
                    for view in views {
                        write(view, row: row, scratch: scratch)
                    }
                    do {
                        try writer.endRecord()
                    } catch {
                        failure = error
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    @inline(__always)
    private func write(_ view: ColumnView, row: Int, scratch: UnsafeMutableRawBufferPointer) {
        if view.isNull(row) { return writer.writeEmptyField() }
        switch view {
        case .text:
            let bytes = view.textBytes(row)
            // Most values need no quotes: test 8 bytes at a time and skip the writer's own scan.
            if Self.needsQuoting(bytes, delimiter: writer.delimiter) { writer.writeField(bytes) } else { writer.writeUnquotedField(bytes) }
        case let .date(values, _):
            let length = DateText.writeDate(days: Int64(values[row]), into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .number(values, _):
            var text = CellText.number(values[row])
            text.withUTF8 { writer.writeUnquotedField(UnsafeRawBufferPointer($0)) }
        case .absent:
            writer.writeEmptyField()
        case let .boolean(values, _):
            let text: StaticString = values[row] ? "true" : "false"
            writer.writeUnquotedField(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case let .integer(values, _):
            withDecimalText(values[row]) { text in
                if let text { writer.writeUnquotedField(text) }
            }
        }
    }

    /// Whether `bytes` holds the delimiter, a quote, CR or LF (RFC 4180's reasons to quote),
    /// checked a 64-bit word at a time.
    @inline(__always)
    static func needsQuoting(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return false }
        var offset = 0
        while offset + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if hasByte(word, delimiter) || hasByte(word, 0x22) || hasByte(word, 0x0A) || hasByte(word, 0x0D) { return true }
            offset += 8
        }
        while offset < count {
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            if byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
            offset += 1
        }
        return false
    }

    /// Whether some byte of `word` equals `byte` (the classic "has zero byte" test on word ^ byte).
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080 != 0
    }

    func close(_ run: RunDescription) throws {
        try writer.close()
        digest.finish()
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
