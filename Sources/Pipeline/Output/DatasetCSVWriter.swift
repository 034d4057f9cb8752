import CSV
import Columns
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
    /// Per exported column, the text of its values when they are not text (kept across batches,
    /// unless the writer is one of many).
    private var rendered: [RenderedColumn] = []
    private let keepsRendered: Bool
    private var closed = false
    private let digest = WrittenDigest()
    var sha256: String? { closed ? digest.hex : nil }

    /// `maxBufferedBytes`: what the job lets each export hold (`OutputSettings`); the write
    /// buffer takes a quarter of it, at most 1 MiB.
    init(stagedPath: String, schema: BatchSchema, dialect: JobSpec.CSVDialect = .rfc4180, maxBufferedBytes: Int? = nil) throws {
        self.stagedPath = stagedPath
        columns = schema.exportedIndices
        keepsRendered = !OutputSettings.isOneOfMany(maxBufferedBytes)
        writer = try CSVWriter(path: stagedPath, header: schema.exported.map(\.name), lineEnding: .crlf,
                               delimiter: dialect.delimiter, byteOrderMark: dialect.byteOrderMark,
                               bufferSize: min(1 << 20, (maxBufferedBytes ?? .max) / 4),
                               syncsDirectory: OutputDirectory.stagedFilesSyncDirectory, onWrite: digest.update)
    }

    func write(_ batch: RecordBatch) throws {
        guard batch.rowCount > 0 else { return }
        if rendered.isEmpty { rendered = columns.map { _ in RenderedColumn() } }
        // The error (a full disk) is kept and thrown once `withViews` has returned: an error
        // thrown through its nested buffer borrows corrupts the stack (Swift 6.3, debug and
        // release builds alike), which crashed run-profile on a full disk.
        var failure: Error?
        batch.withViews(of: columns) { views in
            let fields = zip(views, rendered).map { view, rendered in
                rendered.fields(of: view, count: batch.rowCount)
            }
            do {
                if let selection = batch.selection {
                    try selection.withUnsafeBufferPointer { keep in
                        try writer.writeRecords(fields, rows: 0..<batch.rowCount, keep: keep.baseAddress)
                    }
                } else {
                    try writer.writeRecords(fields, rows: 0..<batch.rowCount)
                }
            } catch {
                failure = error
            }
        }
        if !keepsRendered { rendered = [] }
        if let failure { throw failure }
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

/// A column's values as the bytes of its CSV fields, for `CSVWriter.writeRecords`: a text column's
/// own buffers, or the text of another column's values (dates `YYYY-MM-DD`, booleans, integers,
/// numbers as `CellText.number` writes them) rendered for each batch into storage kept across
/// batches. The fields are valid until the next call.
private final class RenderedColumn {
    // Unchecked: read for every value, by this object's own methods only.
    @exclusivity(unchecked) private var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
    @exclusivity(unchecked) private var byteCapacity = 0
    @exclusivity(unchecked) private var offsets = UnsafeMutablePointer<Int32>.allocate(capacity: 0)
    @exclusivity(unchecked) private var offsetCapacity = 0

    deinit {
        bytes.deallocate()
        offsets.deallocate()
    }

    func fields(of view: ColumnView, count: Int) -> CSVColumnBytes {
        if case let .text(text, textOffsets, validity) = view {
            return CSVColumnBytes(bytes: text.baseAddress, offsets: textOffsets.baseAddress!, validity: validity?.baseAddress)
        }
        render(view, count: count)
        return CSVColumnBytes(bytes: UnsafePointer(bytes), offsets: UnsafePointer(offsets), validity: view.validity?.baseAddress)
    }

    private func render(_ view: ColumnView, count: Int) {
        reserveOffsets(count + 1)
        offsets[0] = 0
        var length = 0
        switch view {
        case let .date(values, _):
            reserveBytes(count * 10, keeping: 0)
            for row in 0..<count {
                if !view.isNull(row) {
                    length += DateText.writeDate(days: Int64(values[row]), into: UnsafeMutableRawBufferPointer(start: bytes + length, count: 10))
                }
                offsets[row + 1] = Int32(length)
            }
        case let .boolean(values, _):
            for row in 0..<count {
                if !view.isNull(row) {
                    let text: StaticString = values[row] ? "true" : "false"
                    append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), at: &length)
                }
                offsets[row + 1] = Int32(length)
            }
        case let .integer(values, _):
            for row in 0..<count {
                if !view.isNull(row) { withDecimalText(values[row]) { if let text = $0 { append(text, at: &length) } } }
                offsets[row + 1] = Int32(length)
            }
        case let .number(values, _):
            // Scores repeat: a value equal to the previous one reuses its text.
            var previous: (bits: UInt64, start: Int, count: Int)?
            for row in 0..<count {
                if !view.isNull(row) {
                    let value = values[row]
                    if let previous, previous.bits == value.bitPattern {
                        reserveBytes(length + previous.count, keeping: length)
                        copyBytes(from: bytes + previous.start, count: previous.count, to: bytes + length)
                        length += previous.count
                    } else {
                        let start = length
                        var text = CellText.number(value)
                        text.withUTF8 { append(UnsafeRawBufferPointer($0), at: &length) }
                        previous = (value.bitPattern, start, length - start)
                    }
                }
                offsets[row + 1] = Int32(length)
            }
        case .text, .absent:
            for row in 0..<count { offsets[row + 1] = 0 }
        }
    }

    /// Writes `text` at `length`, which it advances.
    @inline(__always)
    private func append(_ text: UnsafeRawBufferPointer, at length: inout Int) {
        reserveBytes(length + text.count, keeping: length)
        if let base = text.baseAddress { copyBytes(from: base, count: text.count, to: bytes + length) }
        length += text.count
    }

    /// Room for `capacity` bytes, the first `used` kept.
    private func reserveBytes(_ capacity: Int, keeping used: Int) {
        guard capacity > byteCapacity else { return }
        let grown = max(capacity, byteCapacity * 2)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        storage.initialize(from: bytes, count: used)
        bytes.deallocate()
        bytes = storage
        byteCapacity = grown
    }

    private func reserveOffsets(_ capacity: Int) {
        guard capacity > offsetCapacity else { return }
        offsets.deallocate()
        offsets = .allocate(capacity: capacity)
        offsetCapacity = capacity
    }
}
