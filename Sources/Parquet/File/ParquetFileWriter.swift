import Columns
import AtomicOutput

/// Writes a flat Parquet file, streaming: open it with a schema, give it columns of values,
/// close it.
///
/// The file is written under a temporary name in the destination's directory and renamed over
/// the destination only by a successful `close()`. After any error, or `abandon()`, or when
/// the writer is released unclosed, the temporary file is removed and the destination is
/// untouched. Every error is a `ParquetError` naming the file (and the column where it
/// applies), and leaves the writer unusable.
///
/// Values come as the reader's own `ColumnValues`, so a file read with `ParquetFileReader`
/// can be written back directly. Three ways to give them:
/// - `write(_:)`: batches of any size, all columns together; rows are buffered and cut into
///   row groups by `WriterOptions.maxRowsPerRowGroup` / `maxRowGroupBytes` (memory: about one
///   row group, encoded and compressed).
/// - `writeRowGroup(_:)`: one row group from complete columns.
/// - `writeRowGroup(rowCount:column:)`: one row group, one column at a time, each encoded and
///   written to the file before the next is asked for (memory: about one column chunk).
///
///     let fields: [ParquetField] = [.string("siret", optional: false), .date("dateCreation")]
///     let writer = try ParquetFileWriter(path: "out.parquet", fields: fields,
///                                        options: WriterOptions(compression: .zstd, createdBy: "builder version 0.1.0"))
///     let columns = writer.schema.columns   // descriptors to build ColumnValues with
///     try writer.write([siretValues, dateValues])
///     try writer.close()
public final class ParquetFileWriter {
    public let path: String
    public let schema: Schema
    public let options: WriterOptions
    /// Rows in the row groups written so far.
    public private(set) var rowsWritten: Int64 = 0
    /// Row groups written so far.
    public var rowGroupCount: Int { rowGroups.count }

    private let output: AtomicOutputFile
    private let columnWriters: [ColumnChunkWriter]
    private let scratch: PageScratch
    /// The footer's row groups, encoded as each closes (`EncodedRowGroups`).
    private var rowGroups = EncodedRowGroups()
    /// Rows appended with `write(_:)` but not yet in a row group.
    private var bufferedRows = 0
    private var state = State.open

    /// Called before each column chunk is written and between slices of rows given to
    /// `write(_:)`: an error it throws stops the writer like any other (the temporary file is
    /// removed, the error is rethrown). Lets a caller honour Ctrl-C inside a large row group.
    public var checkpoint: (() throws -> Void)?

    private enum State { case open, closed, failed }

    /// Opens `path` for writing (nothing appears there before `close()`). Throws for a schema
    /// that is not flat, invalid options, or a directory where the temporary file cannot be
    /// created. `onWrite` sees every byte of the file, in order, and `syncsDirectory` is false for
    /// a staged file (see `AtomicOutputFile`).
    public init(path: String, schema: Schema, options: WriterOptions = WriterOptions(), syncsDirectory: Bool = true,
                onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        self.path = path
        self.schema = schema
        self.options = options
        do {
            try options.validate()
            for column in schema.columns where column.isNested {
                throw ParquetError(.nestedColumn, "nested column '\(column.name)' cannot be written (flat columns only)")
            }
            for column in schema.columns where !column.physicalType.isKnown {
                throw ParquetError(.invalidArgument, "column '\(column.name)' has unknown physical type \(column.physicalType.rawValue)")
            }
        } catch let error as ParquetError {
            throw error.adding(file: path)
        }
        // Pages are assembled in memory; the small column chunks of small row groups are gathered
        // into writes of `outputBufferSize` bytes, larger ones written whole.
        output = try writingOutput { () throws(AtomicOutputError) in
            try AtomicOutputFile(path: path, bufferSize: Self.outputBufferSize, syncsDirectory: syncsDirectory, onWrite: onWrite)
        }
        let scratch = PageScratch(compressor: Compressor(zstdLevel: options.zstdLevel, gzipLevel: options.gzipLevel))
        self.scratch = scratch
        columnWriters = schema.columns.map { ColumnChunkWriter(column: $0, options: options, scratch: scratch) }
        try writingOutput { () throws(AtomicOutputError) in try output.write(ParquetFileReader.magic) }
    }

    /// Opens `path` for a flat file with these columns (see `Schema(fields:)`).
    public convenience init(path: String, fields: [ParquetField], options: WriterOptions = WriterOptions(),
                            syncsDirectory: Bool = true, onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        let schema: Schema
        do {
            schema = try Schema(fields: fields)
        } catch let error as ParquetError {
            throw error.adding(file: path)
        }
        try self.init(path: path, schema: schema, options: options, syncsDirectory: syncsDirectory, onWrite: onWrite)
    }

    deinit {
        if state != .closed { output.discard() }
    }

    /// The most bytes of small column chunks gathered into one write.
    static let outputBufferSize = 64 << 10

    /// The temporary file being written (removed unless `close()` succeeds).
    public var temporaryPath: String { output.temporaryPath }

    // MARK: Writing

    /// Appends rows: one `ColumnValues` per schema column, in order, all of the same count.
    /// Row groups are closed as the limits are reached; the rest waits for more rows or `close()`.
    ///
    /// `rows` (all by default) and `sliceRows` (8 192 by default) let a caller write part of its
    /// columns without copying it, and choose how often the byte limit is checked: rows go to the
    /// row group by slices of `sliceRows` (fewer at a row group's end), and the same slices give
    /// the same bytes whatever the calls that gave them.
    public func write(_ columns: [ColumnValues], rows: Range<Int>? = nil, sliceRows: Int = 8192) throws {
        try guarded {
            let count = try check(columns)
            let rows = rows ?? 0..<count
            guard rows.lowerBound >= 0 && rows.upperBound <= count, sliceRows > 0 else {
                throw ParquetError(.invalidArgument, "rows \(rows) of \(count) values, by slices of \(sliceRows)")
            }
            var row = rows.lowerBound
            while row < rows.upperBound {
                // Slices small enough to check the byte limit now and then.
                let take = Swift.min(rows.upperBound - row, options.maxRowsPerRowGroup - bufferedRows, sliceRows)
                try checkpoint?()
                for (writer, values) in zip(columnWriters, columns) {
                    try withColumn(writer) { try writer.append(values, rows: row..<(row + take)) }
                }
                bufferedRows += take
                row += take
                if bufferedRows >= options.maxRowsPerRowGroup || bufferedBytes >= options.maxRowGroupBytes {
                    try flushBufferedRows()
                }
            }
        }
    }

    /// Writes `columns` as one row group (after closing the row group of rows buffered by
    /// `write(_:)`, if any), whatever its size.
    public func writeRowGroup(_ columns: [ColumnValues]) throws {
        try guarded {
            let count = try check(columns)
            try flushBufferedRows()
            guard count > 0 else { return }
            for (writer, values) in zip(columnWriters, columns) {
                try withColumn(writer) { try writer.append(values, rows: 0..<count) }
            }
            bufferedRows = count
            try flushBufferedRows()
        }
    }

    /// Writes one row group of `rowCount` rows column by column: `column(i)` gives the values
    /// of schema column `i`, which are encoded and written to the file before column `i + 1`
    /// is asked for, so only one column is held at a time.
    public func writeRowGroup(rowCount: Int, column: (Int) throws -> ColumnValues) throws {
        try guarded {
            try flushBufferedRows()
            guard rowCount > 0 else { return }
            let groupStart = output.position
            var chunks: [ColumnChunk] = []
            chunks.reserveCapacity(columnWriters.count)
            for (index, writer) in columnWriters.enumerated() {
                try checkpoint?()
                let values = try column(index)
                try withColumn(writer) {
                    try check(values, for: writer.column, rows: rowCount)
                    try writer.append(values, rows: 0..<rowCount)
                    chunks.append(try writer.writeChunk(to: output))
                    writer.releaseMemory(keepingBuffersUpTo: 1 << 20)
                }
            }
            appendRowGroup(chunks, rows: rowCount, start: groupStart)
        }
    }

    /// Closes the row group of the rows buffered by `write(_:)` now, if there are any.
    public func flushRowGroup() throws {
        try guarded { try flushBufferedRows() }
    }

    /// Writes the buffered rows and the footer, then renames the file into place.
    public func close() throws {
        try guarded {
            try flushBufferedRows()
            try checkpoint?()
            let footer = FileMetaData(
                version: 2, schema: schema.elements, numRows: rowsWritten,
                keyValueMetadata: options.keyValueMetadata.isEmpty ? nil : options.keyValueMetadata,
                createdBy: options.createdBy,
                columnOrders: Array(repeating: .typeDefinedOrder, count: schema.columns.count))
            let bytes = footer.thriftEncoded(rowGroups: rowGroups)
            let length = UInt32(truncatingIfNeeded: bytes.count)
            try writingOutput { () throws(AtomicOutputError) in
                try output.write(bytes)
                try output.write([UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 24)])
                try output.write(ParquetFileReader.magic)
                try output.commit()
            }
            state = .closed
        }
    }

    /// Gives up: removes the temporary file; the destination is left as it was.
    public func abandon() {
        if state != .closed { state = .failed }
        output.discard()
    }

    // MARK: Internals

    /// Bytes allocated by the column writers (capacities), for tests of memory per column.
    var reservedBytes: Int {
        columnWriters.reduce(scratch.body.capacity + scratch.compressed.capacity) { $0 + $1.reservedBytes }
    }

    private var bufferedBytes: Int {
        columnWriters.reduce(0) { $0 + $1.bufferedBytes }
    }

    private func flushBufferedRows() throws {
        guard bufferedRows > 0 else { return }
        let groupStart = output.position
        var chunks: [ColumnChunk] = []
        chunks.reserveCapacity(columnWriters.count)
        for writer in columnWriters {
            try checkpoint?()
            try withColumn(writer) { chunks.append(try writer.writeChunk(to: output)) }
            if let keep = options.releaseBuffersAbove { writer.releaseMemory(keepingBuffersUpTo: keep) }
        }
        if let keep = options.releaseBuffersAbove { scratch.releaseMemory(keepingBuffersUpTo: keep) }
        appendRowGroup(chunks, rows: bufferedRows, start: groupStart)
        bufferedRows = 0
    }

    private func appendRowGroup(_ chunks: [ColumnChunk], rows: Int, start: Int64) {
        let uncompressed = chunks.reduce(Int64(0)) { $0 + ($1.metaData?.totalUncompressedSize ?? 0) }
        let compressed = chunks.reduce(Int64(0)) { $0 + ($1.metaData?.totalCompressedSize ?? 0) }
        let ordinal = Int16(exactly: rowGroups.count)
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: uncompressed, numRows: Int64(rows),
                                  fileOffset: start, totalCompressedSize: compressed, ordinal: ordinal))
        rowsWritten += Int64(rows)
    }

    /// Runs `body` on an open writer; any error fails the writer (the temporary file is
    /// removed) and is rethrown naming the file.
    private func guarded(_ body: () throws -> Void) throws {
        switch state {
        case .closed: throw ParquetError(.invalidArgument, "the writer is already closed", file: path)
        case .failed: throw ParquetError(.invalidArgument, "the writer failed or was abandoned earlier; nothing was written", file: path)
        case .open: break
        }
        do {
            try body()
        } catch let error as ParquetError {
            abandon()
            throw error.adding(file: path)
        } catch {
            abandon()
            throw error
        }
    }

    private func withColumn(_ writer: ColumnChunkWriter, _ body: () throws -> Void) throws {
        try withErrorContext(column: writer.column.name, body)
    }

    /// Checks a batch against the schema; returns its row count.
    private func check(_ columns: [ColumnValues]) throws -> Int {
        guard columns.count == columnWriters.count else {
            throw ParquetError(.invalidArgument, "\(columns.count) columns given, the schema has \(columnWriters.count)")
        }
        let count = columns.first?.count ?? 0
        for (writer, values) in zip(columnWriters, columns) {
            try withColumn(writer) { try check(values, for: writer.column, rows: count) }
        }
        return count
    }

    /// The values must be of the column's physical type, hold `rows` values (with consistent
    /// offsets and validity), and have no null in a required column.
    private func check(_ values: ColumnValues, for column: ColumnDescriptor, rows: Int) throws {
        func invalid(_ problem: String) -> ParquetError { ParquetError(.invalidArgument, problem) }
        guard values.count == rows else { throw invalid("\(values.count) values given, \(rows) expected") }
        let storedCount: Int
        switch (values.storage, column.physicalType) {
        case let (.boolean(flags), .boolean): storedCount = flags.count
        case let (.int32(numbers), .int32): storedCount = numbers.count
        case let (.int64(numbers), .int64): storedCount = numbers.count
        case let (.int96(timestamps), .int96): storedCount = timestamps.count
        case let (.float(numbers), .float): storedCount = numbers.count
        case let (.double(numbers), .double): storedCount = numbers.count
        case let (.fixedLenByteArray(fixed), .fixedLenByteArray):
            guard fixed.width == column.typeLength else {
                throw invalid("values of \(fixed.width) bytes for FIXED_LEN_BYTE_ARRAY(\(column.typeLength ?? 0))")
            }
            storedCount = fixed.count
        case let (.byteArray(arrays), .byteArray):
            try checkOffsets(arrays, rows: rows)
            storedCount = arrays.count
        default:
            throw invalid("values stored as \(values.storage.physicalTypeName) for a \(column.physicalType) column")
        }
        guard storedCount == rows else { throw invalid("storage holds \(storedCount) values, \(rows) expected") }
        if let validity = values.validity {
            guard validity.count == rows, validity.words.count >= (rows + 63) / 64 else {
                throw invalid("validity covers \(validity.count) rows, \(rows) expected")
            }
            if !column.isOptional && validity.nullCount > 0 {
                let row = (0..<rows).first { !validity.isValid($0) } ?? 0
                throw invalid("the column is required (not nullable) but row \(row) is null")
            }
        }
    }

    private func checkOffsets(_ arrays: ByteArrayValues, rows: Int) throws {
        guard arrays.offsets.count == rows + 1 else {
            throw ParquetError(.invalidArgument, "\(arrays.offsets.count) byte-array offsets for \(rows) values (expected \(rows + 1))")
        }
        try arrays.offsets.withUnsafeBufferPointer { offsets in
            var previous = offsets[0]
            guard previous >= 0 else { throw ParquetError(.invalidArgument, "byte-array offsets start at \(previous)") }
            for index in 1..<offsets.count {
                let next = offsets[index]
                guard next >= previous else {
                    throw ParquetError(.invalidArgument, "byte-array offsets decrease at value \(index - 1)")
                }
                previous = next
            }
            guard Int(previous) <= arrays.bytes.count else {
                throw ParquetError(.invalidArgument, "byte-array offsets end at \(previous), past the \(arrays.bytes.count) bytes given")
            }
        }
    }
}

extension ColumnStorage {
    /// The physical type this storage holds, for messages.
    var physicalTypeName: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .int96: return "INT96"
        case .float: return "FLOAT"
        case .double: return "DOUBLE"
        case .byteArray: return "BYTE_ARRAY"
        case .fixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY"
        }
    }
}
