import AtomicOutput

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
/// field per column. I/O errors while appending are kept and thrown by the next `endRecord()`
/// or `close()`, so that appending a field needs no `try`.
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
        byte < 0x80 && byte != 0x22 && byte != 0x0D && byte != 0x0A && byte != 0
    }

    /// Creates the temporary output and writes the byte-order mark if asked, then `header`.
    /// `delimiter` must be usable (`isUsableDelimiter`). `onWrite` sees every byte of the file, in
    /// order (see `AtomicOutputFile`).
    public init(path: String, header: [String], lineEnding: CSVLineEnding = .crlf, delimiter: UInt8 = 0x2C,
                byteOrderMark: Bool = false, bufferSize: Int = 1 << 20,
                onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        precondition(Self.isUsableDelimiter(delimiter), "CSV delimiter \(delimiter) is a quote, CR, LF, NUL or not ASCII")
        guard !header.isEmpty else { throw CSVError(.noColumns, file: path) }
        self.path = path
        columnCount = header.count
        self.lineEnding = lineEnding
        self.delimiter = delimiter
        do {
            // Unbuffered: this writer has its own buffer.
            output = try AtomicOutputFile(path: path, bufferSize: 0, onWrite: onWrite)
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
        var needsQuotes = bytes.isEmpty && columnCount == 1
        for byte in bytes where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            append(bytes)
            return
        }
        appendByte(0x22)
        var runStart = 0
        for (index, byte) in bytes.enumerated() where byte == 0x22 {
            // Write up to and including the quote, then the quote again.
            append(UnsafeRawBufferPointer(rebasing: bytes[runStart...index]))
            appendByte(0x22)
            runStart = index + 1
        }
        append(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
        appendByte(0x22)
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
        switch lineEnding {
        case .crlf:
            appendByte(0x0D)
            appendByte(0x0A)
        case .lf:
            appendByte(0x0A)
        }
        fieldsInRecord = 0
        if let pendingError { throw pendingError }
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
