import Basics
import Columns
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dataset.parquet`: the exported columns (same order as the CSV), every one optional: text as
/// BYTE_ARRAY STRING, dates as INT32 DATE, booleans as BOOLEAN, integers as INT64, numbers as
/// DOUBLE; SNAPPY, statistics, row groups of 122 880 rows. Rows reach the Parquet writer in
/// chunks of exactly 8 192 rows whatever the input's batches (a batch's whole chunks without a
/// copy, the rest with the next batch's first rows), so the same rows always give the same bytes
/// (a job reading an input cache writes the file it would write from the stock).
/// Memory: one chunk here, about one row group in the writer. A writer allowed less than 8 MiB
/// (`maxRowGroupBytes`: the jobs of a shared scan share their budget) takes chunks of fewer rows
/// (down to 256), smaller pages and dictionaries (a quarter of the row group), and frees its
/// buffers after each row group (`keptBufferBytes`), so that many writers at once stay small
/// (`options`, `OutputSettings.smallAllowance`). Written under a temporary name and renamed to
/// the staged path by `close()`.
final class DatasetParquetWriter: DatasetFileWriter {
    let fileName = ParquetOutput.fileName
    let stagedPath: String
    private let writer: ParquetFileWriter
    private let columns: [Int]

    static let rowGroupRows = 122_880
    static let defaultChunkRows = 8192
    /// What a pending row is taken to hold per exported column (a quick row of INSEE's stock takes
    /// about 200 bytes in 25 columns, a standard one about 400 in 48).
    static let columnBytes = 12
    /// Rows per chunk: `defaultChunkRows`, fewer for a small `maxRowGroupBytes` (`columnBytes` per
    /// column of a row).
    let chunkRows: Int
    /// Rows received but not yet handed to the writer (fewer than `chunkRows` in all), per column.
    private var pending: [[ColumnData]]
    private var pendingRows = 0
    private var closed = false
    private let digest = WrittenDigest()
    var sha256: String? { closed ? digest.hex : nil }

    /// `maxRowGroupBytes` caps the encoded size of a row group (the writer holds one in memory);
    /// the run lowers it under a memory limit.
    init(stagedPath: String, schema: BatchSchema, maxRowGroupBytes: Int? = nil) throws {
        self.stagedPath = stagedPath
        columns = schema.exportedIndices
        pending = Array(repeating: [], count: columns.count)
        chunkRows = Self.chunkRows(maxRowGroupBytes: maxRowGroupBytes, columns: columns.count)
        writer = try ParquetFileWriter(path: stagedPath, fields: schema.exported.map(Self.field),
                                       options: Self.options(maxRowGroupBytes: maxRowGroupBytes),
                                       syncsDirectory: OutputDirectory.stagedFilesSyncDirectory, onWrite: digest.update)
    }

    /// The Parquet writer's options for a writer allowed `maxRowGroupBytes` (nil: no limit).
    static func options(maxRowGroupBytes: Int?) -> WriterOptions {
        var options = WriterOptions(compression: .snappy, createdBy: BuilderVersion.createdBy)
        options.maxRowsPerRowGroup = rowGroupRows
        guard let maxRowGroupBytes else { return options }
        options.maxRowGroupBytes = maxRowGroupBytes
        // One of many writers (`OutputSettings.smallAllowance`): small pages and dictionaries,
        // buffers freed after each row group.
        if OutputSettings.isOneOfMany(maxRowGroupBytes) {
            options.dataPageSize = max(64 << 10, min(options.dataPageSize, maxRowGroupBytes / 4))
            options.dictionaryPageSizeLimit = max(32 << 10, min(options.dictionaryPageSizeLimit, maxRowGroupBytes / 4))
            options.releaseBuffersAbove = keptBufferBytes
        }
        return options
    }

    /// What a buffer of one of many writers keeps between row groups: a batch of 88 niches has
    /// 2 200 column writers of several buffers each, so that even 12 KB each (a 32nd of the share,
    /// as before) held 28 MB at rest; growing them again costs nothing measurable.
    static let keptBufferBytes = 1 << 10

    /// The largest power of two from 256 to `defaultChunkRows` whose rows of `columns` columns,
    /// at `columnBytes` each, fit in `maxRowGroupBytes`.
    static func chunkRows(maxRowGroupBytes: Int?, columns: Int) -> Int {
        guard let maxRowGroupBytes else { return defaultChunkRows }
        var rows = defaultChunkRows
        while rows > 256 && rows * columnBytes * columns > maxRowGroupBytes { rows /= 2 }
        return rows
    }

    static func field(_ column: ColumnSpec) -> ParquetField {
        switch column.type {
        case .text: .string(column.name)
        case .date: .date(column.name)
        case .boolean: .boolean(column.name)
        case .integer: .int64(column.name)
        case .number: .double(column.name)
        }
    }

    func write(_ batch: RecordBatch) throws {
        var source: [ColumnData] = columns.map { batch[$0] ?? Self.nulls(batch.rowCount, type: batch.schema.columns[$0].type) }
        if let selection = batch.selection { source = source.map { $0.selecting(selection) } }
        let count = source.first?.count ?? 0
        var start = 0
        // The pending chunk completed first, then whole chunks straight from the batch (without a
        // copy), the rest kept for the next batch.
        if pendingRows > 0 {
            start = min(chunkRows - pendingRows, count)
            pend(source, rows: 0..<start)
            if pendingRows == chunkRows { try emit() }
        }
        let whole = (count - start) / chunkRows * chunkRows
        if whole > 0 {
            let values = zip(writer.schema.columns, source).map { Parquet.ColumnValues(column: $0, data: $1) }
            try writer.write(values, rows: start..<start + whole, sliceRows: chunkRows)
            start += whole
        }
        pend(source, rows: start..<count)
    }

    /// Keeps rows `rows` of `source` for the next chunk.
    private func pend(_ source: [ColumnData], rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        for index in source.indices { pending[index].append(source[index].slice(rows)) }
        pendingRows += rows.count
    }

    /// Hands the pending rows to the Parquet writer as one chunk.
    private func emit() throws {
        guard pendingRows > 0 else { return }
        let descriptors = writer.schema.columns
        var values: [Parquet.ColumnValues] = []
        values.reserveCapacity(descriptors.count)
        for (index, descriptor) in descriptors.enumerated() {
            guard let data = ColumnData.concatenating(pending[index]) else { continue }
            values.append(Parquet.ColumnValues(column: descriptor, data: data))
        }
        pending = Array(repeating: [], count: columns.count)
        pendingRows = 0
        try writer.write(values)
    }

    /// A column of `count` nulls (a step that did not run).
    static func nulls(_ count: Int, type: ColumnType) -> ColumnData {
        let builder = ColumnsBuilder(kinds: [type.kind], reservingCapacity: count)
        for _ in 0..<count { builder.appendNull(0) }
        return (try? builder.finish())?.first ?? ColumnData(count: 0, validity: nil, storage: .boolean([]))
    }

    func close(_ run: RunDescription) throws {
        try emit()
        try writer.close()
        digest.finish()
        closed = true
    }

    func discard() {
        if closed { unlink(stagedPath) } else { writer.abandon() }
    }
}
