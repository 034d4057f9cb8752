import AtomicOutput
import Columns

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Line endings the writer can use.
public enum CSVLineEnding: Sendable {
    /// `\r\n`, as RFC 4180 specifies (the default).
    case crlf
    /// `\n`, as most Unix tools write.
    case lf
}

/// Writes an RFC 4180 CSV file: UTF-8, a header row, fields quoted only when they hold a comma,
/// a quote, `\r` or `\n` (quotes doubled), records ended by `\r\n` by default. Python's csv
/// module, pandas, pyarrow, polars and DuckDB read both line endings.
///
/// Another `delimiter` (`;` for French Excel, tab, `|`) takes the comma's place, in the quoting
/// rule too: a field is quoted when it holds the delimiter (a comma is then plain text).
/// `byteOrderMark` starts the file with EF BB BF, which Excel needs to read UTF-8.
///
/// The output goes to a temporary file in the destination's directory, renamed over the
/// destination by `close()`. If the writer fails, or is dropped without `close()`, the
/// temporary file is removed and the destination is untouched.
///
/// Fields are appended one by one (`writeField`) and `endRecord()` checks the record has one
/// field per column; `writeRecords` writes many records from columns of bytes at once. I/O
/// errors while appending are kept and thrown by the next `endRecord()` or `close()`, so that
/// appending a field needs no `try`.
public final class CSVWriter {
    public let path: String
    public let columnCount: Int
    public let lineEnding: CSVLineEnding
    /// The byte between fields: `,` unless told otherwise.
    public let delimiter: UInt8

    private let output: AtomicOutputFile
    private let buffer: UnsafeMutableRawPointer
    private let bufferCapacity: Int
    private var buffered = 0
    private var fieldsInRecord = 0
    private var pendingError: CSVError?
    private var closed = false

    /// The delimiters a CSV file can have: ASCII, neither a quote, CR, LF nor NUL.
    public static func isUsableDelimiter(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != quote && byte != carriageReturn && byte != lineFeed && byte != 0
    }

    /// Creates the temporary output and writes the byte-order mark if asked, then `header`.
    /// `delimiter` must be usable (`isUsableDelimiter`). `onWrite` sees every byte of the file, in
    /// order, and `syncsDirectory` is false for a staged file (see `AtomicOutputFile`).
    public init(path: String, header: [String], lineEnding: CSVLineEnding = .crlf, delimiter: UInt8 = 0x2C,
                byteOrderMark: Bool = false, bufferSize: Int = 1 << 20, syncsDirectory: Bool = true,
                onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        precondition(Self.isUsableDelimiter(delimiter), "CSV delimiter \(delimiter) is a quote, CR, LF, NUL or not ASCII")
        guard !header.isEmpty else { throw CSVError(.noColumns, file: path) }
        self.path = path
        columnCount = header.count
        self.lineEnding = lineEnding
        self.delimiter = delimiter
        do {
            // Unbuffered: this writer has its own buffer.
            output = try AtomicOutputFile(path: path, bufferSize: 0, syncsDirectory: syncsDirectory, onWrite: onWrite)
        } catch {
            throw CSVError(.output(error), file: path)
        }
        bufferCapacity = max(bufferSize, 4096)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferCapacity, alignment: 16)
        if byteOrderMark {
            for byte: UInt8 in [0xEF, 0xBB, 0xBF] { appendByte(byte) }
        }
        try writeRecord(header)
    }

    deinit {
        buffer.deallocate()
        // `output` removes its temporary file unless `close()` committed it.
    }

    /// Appends one field (UTF-8 bytes), quoting it if needed.
    public func writeField(_ bytes: UnsafeRawBufferPointer) {
        beginField()
        if bytes.isEmpty && columnCount == 1 || needsQuotes(bytes) { appendQuoted(bytes) } else { append(bytes) }
    }

    /// Appends one field, quoting it if needed.
    public func writeField(_ string: String) {
        var string = string
        string.withUTF8 { writeField(UnsafeRawBufferPointer($0)) }
    }

    /// Appends one field given as UTF-8 bytes.
    public func writeField(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeField($0) }
    }

    /// Appends an empty field (how a null is written).
    public func writeEmptyField() {
        writeField(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Appends a field known to need no quotes (digits, dates, codes): skips the quoting scan.
    /// The caller guarantees it has no delimiter, quote, `\r` or `\n` and is not the only,
    /// empty, field of a one-column record.
    public func writeUnquotedField(_ bytes: UnsafeRawBufferPointer) {
        beginField()
        append(bytes)
    }

    /// Ends the current record; throws if it does not have one field per column, or if an
    /// earlier write failed.
    public func endRecord() throws {
        if let pendingError { throw pendingError }
        guard fieldsInRecord == columnCount else {
            let error = CSVError(.writerFieldCount(expected: columnCount, found: fieldsInRecord), file: path)
            fail(error)
            throw error
        }
        appendLineEnd()
        fieldsInRecord = 0
        if let pendingError { throw pendingError }
    }

    /// Writes one record per row of `rows` (skipping those `keep` marks false) from `columns`, one
    /// per column of the file: the same bytes as `writeField` for each value then `endRecord()`,
    /// without a call per field. Rows go by blocks: each column's values in a block are scanned for
    /// the bytes that need quotes at once, and copied as they are when there are none.
    public func writeRecords(_ columns: [CSVColumnBytes], rows: Range<Int>, keep: UnsafePointer<Bool>? = nil) throws {
        if let pendingError { throw pendingError }
        guard columns.count == columnCount, fieldsInRecord == 0 else {
            let error = CSVError(.writerFieldCount(expected: columnCount, found: fieldsInRecord + columns.count), file: path)
            fail(error)
            throw error
        }
        var mayQuote = [Bool](repeating: false, count: columns.count)
        columns.withUnsafeBufferPointer { columns in
            mayQuote.withUnsafeMutableBufferPointer { mayQuote in
                // Blocks of rows whose values stay in the cache from the scan for quoting bytes (which
                // loads them, column by column) to the copy (row by row).
                for blockStart in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.blockRows) {
                    let block = blockStart..<Swift.min(blockStart + Self.blockRows, rows.upperBound)
                    for index in 0..<columns.count {
                        // A one-column file quotes its empty fields (`writeField`).
                        mayQuote[index] = columnCount == 1 || columns[index].mayHoldQuotingByte(rows: block, delimiter: delimiter)
                    }
                    writeRecords(columns, rows: block, keep: keep, mayQuote: UnsafeBufferPointer(mayQuote))
                }
            }
        }
        if let pendingError { throw pendingError }
    }

    /// Rows of a cached block.
    private static let blockRows = 512

    @inline(__always)
    private func writeRecords(_ columns: UnsafeBufferPointer<CSVColumnBytes>, rows: Range<Int>, keep: UnsafePointer<Bool>?,
                              mayQuote: UnsafeBufferPointer<Bool>) {
        for row in rows where keep?[row] ?? true {
            for index in 0..<columns.count {
                let field = columns[index].field(row)
                if mayQuote[index] && (field.isEmpty && columnCount == 1 || needsQuotes(field)) {
                    if index > 0 { appendByte(delimiter) }
                    appendQuoted(field)
                } else if field.count < bufferCapacity - buffered {
                    // The common case: the separator and the field fit in the buffer.
                    var out = buffer + buffered
                    if index > 0 {
                        out.storeBytes(of: delimiter, as: UInt8.self)
                        out += 1
                    }
                    if let source = field.baseAddress { copyBytes(from: source, count: field.count, to: out) }
                    buffered = out - buffer + field.count
                } else {
                    if index > 0 { appendByte(delimiter) }
                    append(field)
                }
            }
            appendLineEnd()
        }
    }

    /// The bytes that make a field quoted besides the delimiter (RFC 4180): a quote, LF, CR.
    static let quote: UInt8 = 0x22, lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    /// Whether `bytes` holds the delimiter, a quote, CR or LF (RFC 4180's reasons to quote),
    /// checked a 64-bit word at a time.
    @inline(__always)
    func needsQuotes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return false }
        var offset = 0
        while offset + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if Self.hasByte(word, delimiter) || Self.hasByte(word, Self.quote) || Self.hasByte(word, Self.lineFeed)
                || Self.hasByte(word, Self.carriageReturn) {
                return true
            }
            offset += 8
        }
        while offset < count {
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            if byte == delimiter || byte == Self.quote || byte == Self.lineFeed || byte == Self.carriageReturn { return true }
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

    /// `bytes` between quotes, its quotes doubled.
    private func appendQuoted(_ bytes: UnsafeRawBufferPointer) {
        appendByte(Self.quote)
        var runStart = 0
        // Each quote found by `memchr`: write up to and including it, then the quote again.
        while runStart < bytes.count,
              let found = memchr(bytes.baseAddress! + runStart, Int32(Self.quote), bytes.count - runStart) {
            let index = UnsafeRawPointer(found) - bytes.baseAddress!
            append(UnsafeRawBufferPointer(rebasing: bytes[runStart...index]))
            appendByte(Self.quote)
            runStart = index + 1
        }
        append(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
        appendByte(Self.quote)
    }

    /// Writes a whole record.
    public func writeRecord(_ fields: [String]) throws {
        for field in fields { writeField(field) }
        try endRecord()
    }

    /// Flushes, syncs and renames the temporary file over `path`. A record left unfinished is
    /// an error (and the output is discarded).
    public func close() throws {
        if let pendingError { throw pendingError }
        guard !closed else { throw CSVError(.writerClosed, file: path) }
        if fieldsInRecord != 0 {
            let error = CSVError(.writerFieldCount(expected: columnCount, found: fieldsInRecord), file: path)
            fail(error)
            throw error
        }
        flush()
        if let pendingError { throw pendingError }
        do {
            try output.commit()
            closed = true
        } catch {
            let failure = CSVError(.output(error), file: path)
            fail(failure)
            throw failure
        }
    }

    /// Gives up: removes the temporary file and leaves the destination as it was.
    public func discard() {
        closed = true
        output.discard()
        if pendingError == nil { pendingError = CSVError(.writerClosed, file: path) }
    }

    // MARK: - Buffering

    @inline(__always)
    private func beginField() {
        if fieldsInRecord > 0 { appendByte(delimiter) }
        fieldsInRecord += 1
    }

    @inline(__always)
    private func appendLineEnd() {
        if lineEnding == .crlf { appendByte(Self.carriageReturn) }
        appendByte(Self.lineFeed)
    }

    @inline(__always)
    private func appendByte(_ byte: UInt8) {
        if buffered == bufferCapacity { flush() }
        buffer.storeBytes(of: byte, toByteOffset: buffered, as: UInt8.self)
        buffered += 1
    }

    @inline(__always)
    private func append(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count <= bufferCapacity - buffered {
            (buffer + buffered).copyMemory(from: start, byteCount: bytes.count)
            buffered += bytes.count
            return
        }
        flush()
        if bytes.count <= bufferCapacity {
            buffer.copyMemory(from: start, byteCount: bytes.count)
            buffered = bytes.count
        } else {
            writeThrough(start, count: bytes.count)
        }
    }

    private func flush() {
        guard buffered > 0 else { return }
        writeThrough(UnsafeRawPointer(buffer), count: buffered)
        buffered = 0
    }

    private func writeThrough(_ bytes: UnsafeRawPointer, count: Int) {
        guard pendingError == nil else { return }
        do {
            try output.write(UnsafeRawBufferPointer(start: bytes, count: count))
        } catch {
            fail(CSVError(.output(error), file: path))
        }
    }

    private func fail(_ error: CSVError) {
        if pendingError == nil { pendingError = error }
        output.discard()
    }
}

/// One column of the records `CSVWriter.writeRecords` writes, borrowed from its owner for the
/// call: value `row` is `bytes[offsets[row]..<offsets[row + 1]]`, an empty field where
/// `validity` (one bit per row, least significant first) has its bit clear.
public struct CSVColumnBytes {
    public let bytes: UnsafePointer<UInt8>?
    public let offsets: UnsafePointer<Int32>
    public let validity: UnsafePointer<UInt64>?

    public init(bytes: UnsafePointer<UInt8>?, offsets: UnsafePointer<Int32>, validity: UnsafePointer<UInt64>?) {
        self.bytes = bytes
        self.offsets = offsets
        self.validity = validity
    }

    @inline(__always)
    func field(_ row: Int) -> UnsafeRawBufferPointer {
        if let validity, validity[row >> 6] & (1 << UInt64(row & 63)) == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(offsets[row])
        return UnsafeRawBufferPointer(start: bytes.map { $0 + start }, count: Int(offsets[row + 1]) - start)
    }

    /// Whether the bytes of rows `rows` (nulls' included) hold the delimiter, a quote, CR or LF:
    /// one `memchr` per byte over the whole range. Reads the rows' offsets on the way.
    func mayHoldQuotingByte(rows: Range<Int>, delimiter: UInt8) -> Bool {
        guard !rows.isEmpty else { return false }
        var touched: Int32 = 0
        for row in stride(from: rows.lowerBound, through: rows.upperBound, by: 16) { touched |= offsets[row] }
        guard let bytes, touched >= 0 else { return false }
        let start = Int(offsets[rows.lowerBound])
        let count = Int(offsets[rows.upperBound]) - start
        guard count > 0 else { return false }
        func holds(_ byte: UInt8) -> Bool { memchr(bytes + start, Int32(byte), count) != nil }
        return holds(delimiter) || holds(CSVWriter.quote) || holds(CSVWriter.lineFeed) || holds(CSVWriter.carriageReturn)
    }
}
