import CSV

/// Writes `ColumnBatch`es as CSV rows with INSEE's text conventions: dates `YYYY-MM-DD`,
/// timestamps `YYYY-MM-DDTHH:MM:SS`, booleans `true`/`false`, integers in decimal, nulls as
/// empty fields. Strings go through the CSV writer's quoting; no String is built per cell.
public struct ColumnBatchCSVWriter {
    public let writer: CSVWriter

    /// Opens `path` (atomically, see `CSVWriter`) with the schema's column names as header.
    public init(path: String, schema: [SireneColumn], lineEnding: CSVLineEnding = .lf) throws {
        writer = try CSVWriter(path: path, header: schema.map(\.name), lineEnding: lineEnding)
    }

    public func write(_ batch: ColumnBatch) throws {
        var accessors: [ColumnAccessor] = []
        accessors.reserveCapacity(batch.columns.count)
        try withAccessors(batch.columns[...], into: &accessors) { accessors in
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
            defer { scratch.deallocate() }
            for row in 0..<batch.rowCount {
                for accessor in accessors {
                    write(accessor, row: row, scratch: scratch)
                }
                try writer.endRecord()
            }
        }
    }

    /// Renames the finished file into place.
    public func close() throws {
        try writer.close()
    }

    private func write(_ accessor: ColumnAccessor, row: Int, scratch: UnsafeMutableRawBufferPointer) {
        switch accessor {
        case let .string(bytes, offsets, validity):
            guard validity[row] else { return writer.writeEmptyField() }
            let start = Int(offsets[row])
            let end = Int(offsets[row + 1])
            writer.writeField(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]))
        case let .date(values, validity):
            guard validity[row] else { return writer.writeEmptyField() }
            let length = DateText.writeDate(days: Int64(values[row]), into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .timestamp(values, validity):
            guard validity[row] else { return writer.writeEmptyField() }
            let length = DateText.writeTimestamp(micros: values[row], into: scratch)
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .int64(values, validity):
            guard validity[row] else { return writer.writeEmptyField() }
            let value = values[row]
            var length = 0
            if value < 0 {
                scratch[0] = 0x2D
                length = 1
            }
            length += DecimalText.write(value.magnitude, minimumWidth: 1,
                                   into: UnsafeMutableRawBufferPointer(rebasing: scratch[length...]))
            writer.writeUnquotedField(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case let .boolean(values, validity):
            guard validity[row] else { return writer.writeEmptyField() }
            let text: StaticString = values[row] ? "true" : "false"
            writer.writeUnquotedField(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
    }
}

/// A column's buffers, borrowed for the duration of one `write`.
private enum ColumnAccessor {
    case string(UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Bool>)
    case date(UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Bool>)
    case timestamp(UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Bool>)
    case int64(UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Bool>)
    case boolean(UnsafeBufferPointer<Bool>, UnsafeBufferPointer<Bool>)
}

/// Borrows the buffers of every column by nesting `withUnsafeBufferPointer` calls, one level
/// per column, then runs `body` with all of them.
private func withAccessors(
    _ columns: ArraySlice<ColumnValues>, into accessors: inout [ColumnAccessor],
    _ body: ([ColumnAccessor]) throws -> Void
) throws {
    guard let column = columns.first else { return try body(accessors) }
    let rest = columns.dropFirst()
    switch column {
    case let .string(values):
        try values.bytes.withUnsafeBufferPointer { bytes in
            try values.offsets.withUnsafeBufferPointer { offsets in
                try values.validity.withUnsafeBufferPointer { validity in
                    accessors.append(.string(bytes, offsets, validity))
                    try withAccessors(rest, into: &accessors, body)
                }
            }
        }
    case let .date(values):
        try values.values.withUnsafeBufferPointer { data in
            try values.validity.withUnsafeBufferPointer { validity in
                accessors.append(.date(data, validity))
                try withAccessors(rest, into: &accessors, body)
            }
        }
    case let .timestampMicros(values):
        try values.values.withUnsafeBufferPointer { data in
            try values.validity.withUnsafeBufferPointer { validity in
                accessors.append(.timestamp(data, validity))
                try withAccessors(rest, into: &accessors, body)
            }
        }
    case let .int64(values):
        try values.values.withUnsafeBufferPointer { data in
            try values.validity.withUnsafeBufferPointer { validity in
                accessors.append(.int64(data, validity))
                try withAccessors(rest, into: &accessors, body)
            }
        }
    case let .boolean(values):
        try values.values.withUnsafeBufferPointer { data in
            try values.validity.withUnsafeBufferPointer { validity in
                accessors.append(.boolean(data, validity))
                try withAccessors(rest, into: &accessors, body)
            }
        }
    }
}
