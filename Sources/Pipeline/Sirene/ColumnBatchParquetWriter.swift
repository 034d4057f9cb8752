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
        try writer.writeRowGroup(zip(batch.columns, descriptors).map { Self.values($0, column: $1) })
    }

    /// Writes the footer and renames the file into place.
    public func close() throws {
        try writer.close()
    }

    private static func values(_ values: ColumnValues, column: ColumnDescriptor) -> Parquet.ColumnValues {
        switch values {
        case let .string(strings):
            return Parquet.ColumnValues(column: column, count: strings.count, validity: .ofNullable(strings.validity),
                                        storage: .byteArray(ByteArrayValues(offsets: strings.offsets, bytes: strings.bytes)))
        case let .date(days):
            return Parquet.ColumnValues(column: column, count: days.count, validity: .ofNullable(days.validity), storage: .int32(days.values))
        case let .timestampMicros(micros):
            return Parquet.ColumnValues(column: column, count: micros.count, validity: .ofNullable(micros.validity), storage: .int64(micros.values))
        case let .int64(numbers):
            return Parquet.ColumnValues(column: column, count: numbers.count, validity: .ofNullable(numbers.validity), storage: .int64(numbers.values))
        case let .boolean(flags):
            return Parquet.ColumnValues(column: column, count: flags.count, validity: .ofNullable(flags.validity), storage: .boolean(flags.values))
        }
    }
}
