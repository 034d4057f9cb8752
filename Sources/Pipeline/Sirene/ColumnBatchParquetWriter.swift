import Columns
import Parquet

/// Writes `ColumnBatch`es to Parquet with the types of INSEE's Parquet (research: sirene.md
/// section 1): strings as BYTE_ARRAY STRING, dates as INT32 DATE, timestamps as INT64
/// TIMESTAMP(MICROS) not adjusted to UTC, integers as INT64, booleans as BOOLEAN; every column
/// optional. Each batch becomes one row group. The columns' buffers are handed to the writer
/// as they are (no copy, no String per value).
public struct ColumnBatchParquetWriter {
    public let writer: ParquetFileWriter

    /// Opens `path` (atomically, see `ParquetFileWriter`); ZSTD like the real file unless
    /// `options` says otherwise.
    public init(path: String, schema: [SireneColumn], options: WriterOptions) throws {
        writer = try ParquetFileWriter(path: path, fields: schema.map(Self.field), options: options)
    }

    /// The Parquet column of a SIRENE column.
    public static func field(_ column: SireneColumn) -> ParquetField {
        switch column.type {
        case .string: return .string(column.name)
        case .date: return .date(column.name)
        case .timestampMicros: return .timestamp(column.name, unit: .microseconds, isAdjustedToUTC: false)
        case .int64: return .int64(column.name)
        case .boolean: return .boolean(column.name)
        }
    }

    /// Writes `batch` as one row group.
    public func write(_ batch: ColumnBatch) throws {
        let descriptors = writer.schema.columns
        guard batch.columns.count == descriptors.count else {
            throw ParquetError(.invalidArgument, "batch of \(batch.columns.count) columns for a schema of \(descriptors.count)")
        }
        try writer.writeRowGroup(zip(batch.columns, descriptors).map { Parquet.ColumnValues(column: $1, data: $0) })
    }

    /// Writes the footer and renames the file into place.
    public func close() throws {
        try writer.close()
    }
}
