import Columns
import Basics
import Jobs
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dataset.parquet`: the canonical columns (`CanonicalColumn`, same order as the CSV), every
/// one optional: text as BYTE_ARRAY STRING, dates as INT32 DATE, booleans as BOOLEAN, scores as
/// INT64; SNAPPY, statistics, row groups of 122 880 rows. Rows reach the Parquet writer in
/// chunks of exactly 8 192 rows whatever the input's batches, so the same rows always give the
/// same bytes (a job reading an input cache writes the file it would write from the stock).
/// Memory: one chunk here, about one row group in the writer. Written under a temporary name
/// and renamed to the staged path by `close()`.
final class CanonicalParquetWriter: DatasetFileWriter {
    let fileName = "dataset.parquet"
    let stagedPath: String
    private let writer: ParquetFileWriter
    private var closed = false

    static let rowGroupRows = 122_880
    static let chunkRows = 8192
    /// Rows received but not yet handed to the writer (fewer than `chunkRows`).
    private var pending = CanonicalBatch()

    /// `maxRowGroupBytes` caps the encoded size of a row group (the writer holds one in memory);
    /// the run lowers it under a memory limit.
    init(stagedPath: String, maxRowGroupBytes: Int? = nil) throws {
        self.stagedPath = stagedPath
        var options = WriterOptions(compression: .snappy, createdBy: BuilderVersion.createdBy)
        options.maxRowsPerRowGroup = Self.rowGroupRows
        if let maxRowGroupBytes { options.maxRowGroupBytes = maxRowGroupBytes }
        writer = try ParquetFileWriter(path: stagedPath, fields: CanonicalColumn.allCases.map(Self.field), options: options)
    }

    static func field(_ column: CanonicalColumn) -> ParquetField {
        switch column.type {
        case .text: return .string(column.name)
        case .date: return .date(column.name)
        case .boolean: return .boolean(column.name)
        case .integer: return .int64(column.name)
        }
    }

    func write(_ batch: CanonicalBatch, keep: [Bool]?) throws {
        var source = batch
        if let keep {
            source = CanonicalBatch()
            source.append(batch, keep: keep)
        }
        var start = 0
        if pending.rowCount > 0 {
            let take = min(Self.chunkRows - pending.rowCount, source.rowCount)
            pending.append(source, rows: 0..<take)
            start = take
            guard pending.rowCount == Self.chunkRows else { return }
            try emit(pending)
            pending = CanonicalBatch()
        }
        while source.rowCount - start >= Self.chunkRows {
            var chunk = CanonicalBatch()
            chunk.append(source, rows: start..<start + Self.chunkRows)
            try emit(chunk)
            start += Self.chunkRows
        }
        pending.append(source, rows: start..<source.rowCount)
    }

    private func emit(_ rows: CanonicalBatch) throws {
        guard rows.rowCount > 0 else { return }
        let descriptors = writer.schema.columns
        try writer.write(zip(rows.columns, descriptors).map { Self.values($0, column: $1) })
    }

    static func values(_ values: CanonicalValues, column: ColumnDescriptor) -> Parquet.ColumnValues {
        switch values {
        case let .text(text):
            return Parquet.ColumnValues(column: column, count: text.count, validity: .ofNullable(text.valid),
                                storage: .byteArray(ByteArrayValues(offsets: text.offsets, bytes: text.bytes)))
        case let .date(days):
            return Parquet.ColumnValues(column: column, count: days.count, validity: .ofNullable(days.valid), storage: .int32(days.values))
        case let .boolean(flags):
            return Parquet.ColumnValues(column: column, count: flags.count, validity: .ofNullable(flags.valid), storage: .boolean(flags.values))
        case let .integer(numbers):
            return Parquet.ColumnValues(column: column, count: numbers.count, validity: .ofNullable(numbers.valid), storage: .int64(numbers.values))
        }
    }

    func close() throws {
        try emit(pending)
        pending = CanonicalBatch()
        try writer.close()
        closed = true
    }

    func discard() {
        if closed { unlink(stagedPath) } else { writer.abandon() }
    }
}
