import Columns
import Basics
import Jobs
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input cache file: the input's columns with their types; SNAPPY (it decompresses at about
/// memory speed for the jobs that read it); dictionary encoding where it pays (the NAF column:
/// readers test each code once); row groups of 65 536 rows, so the jobs reading it still share
/// the work between workers.
final class InputCacheParquetWriter {
    static let rowGroupRows = 65_536

    private let writer: ParquetFileWriter
    private let columns: [CacheColumn]

    init(path: String, columns: [CacheColumn]) throws {
        var options = WriterOptions(compression: .uncompressed, createdBy: BuilderVersion.createdBy)
        options.maxRowsPerRowGroup = Self.rowGroupRows
        options.dictionaryEnabled = false
        let fields: [ParquetField] = columns.map { column in
            switch column.type {
            case .text: .string(column.name)
            case .date: .date(column.name)
            case .timestampMicros: .timestamp(column.name, unit: .microseconds, isAdjustedToUTC: false)
            case .int64: .int64(column.name)
            case .boolean: .boolean(column.name)
            }
        }
        writer = try ParquetFileWriter(path: path, fields: fields, options: options)
        self.columns = columns
    }

    func write(_ batch: SourceBatch) throws {
        let descriptors = writer.schema.columns
        var values: [Parquet.ColumnValues] = []
        values.reserveCapacity(columns.count)
        for (column, descriptor) in zip(columns, descriptors) {
            values.append(try Self.values(batch[column.field], type: column.type, count: batch.rowCount, column: descriptor))
        }
        try writer.write(values)
    }

    /// The Parquet values of a source column (all nulls when the batch has none).
    static func values(_ source: SourceColumn?, type: CacheColumnType, count: Int, column: ColumnDescriptor) throws -> Parquet.ColumnValues {
        guard let source else {
            let none = Validity(words: [UInt64](repeating: 0, count: (count + 63) / 64), count: count)
            let storage: ColumnStorage
            switch type {
            case .text: storage = .byteArray(ByteArrayValues(offsets: [Int32](repeating: 0, count: count + 1), bytes: []))
            case .date: storage = .int32([Int32](repeating: 0, count: count))
            case .timestampMicros, .int64: storage = .int64([Int64](repeating: 0, count: count))
            case .boolean: storage = .boolean([Bool](repeating: false, count: count))
            }
            return Parquet.ColumnValues(column: column, count: count, validity: none, storage: storage)
        }
        switch (source.kind, type) {
        case (.text, .text), (.days, .date), (.micros, .timestampMicros), (.integers, .int64), (.booleans, .boolean):
            return Parquet.ColumnValues(column: column, data: source.data)
        default:
            throw RunFailure(.run, "input cache: column '\(column.name)' changed type while being read")
        }
    }

    func close() throws {
        try writer.close()
    }

    func discard() {
        writer.abandon()
    }
}
