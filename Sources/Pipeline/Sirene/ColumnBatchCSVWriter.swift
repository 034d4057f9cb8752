import Columns
import CSV

/// Writes `ColumnBatch`es as CSV rows with INSEE's text conventions: dates `YYYY-MM-DD`,
/// timestamps `YYYY-MM-DDTHH:MM:SS`, booleans `true`/`false`, integers in decimal, nulls as
/// empty fields. Strings go through the CSV writer's quoting; no String is built per cell.
public struct ColumnBatchCSVWriter {
    public let writer: CSVWriter
    private let types: [SireneColumnType]

    /// Opens `path` (atomically, see `CSVWriter`) with the schema's column names as header.
    public init(path: String, schema: [SireneColumn], lineEnding: CSVLineEnding = .lf) throws {
        writer = try CSVWriter(path: path, header: schema.map(\.name), lineEnding: lineEnding)
        types = schema.map(\.type)
    }

    public func write(_ batch: ColumnBatch) throws {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
        defer { scratch.deallocate() }
        for row in 0..<batch.rowCount {
            for (column, type) in zip(batch.columns, types) {
                write(column, type, row: row, scratch: scratch)
            }
            try writer.endRecord()
        }
    }

    /// Renames the finished file into place.
    public func close() throws {
        try writer.close()
    }

    private func write(_ column: ColumnData, _ type: SireneColumnType, row: Int, scratch: UnsafeMutableRawBufferPointer) {
        guard !column.isNull(row) else { return writer.writeEmptyField() }
        switch (column.storage, type) {
        case let (.byteArray(values), _):
            values.withBytes(at: row) { writer.writeField($0) }
        case let (.int32(values), _):
            let length = DateText.writeDate(days: Int64(values[row]), into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let (.int64(values), .timestampMicros):
            let length = DateText.writeTimestamp(micros: values[row], into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let (.int64(values), _):
            let value = values[row]
            var length = 0
            if value < 0 {
                scratch[0] = 0x2D
                length = 1
            }
            length += DecimalText.write(value.magnitude, minimumWidth: 1, into: UnsafeMutableRawBufferPointer(rebasing: scratch[length...]))
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let (.boolean(values), _):
            let text: StaticString = values[row] ? "true" : "false"
            writer.writeUnquotedField(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        default:
            writer.writeEmptyField()
        }
    }
}

/// A file of sample rows being written (`ColumnBatchCSVWriter`, `ColumnBatchParquetWriter`).
public protocol SampleFileWriter {
    func write(_ batch: ColumnBatch) throws
    /// Completes the file and renames it into place.
    func close() throws
}

extension ColumnBatchCSVWriter: SampleFileWriter {}
extension ColumnBatchParquetWriter: SampleFileWriter {}
