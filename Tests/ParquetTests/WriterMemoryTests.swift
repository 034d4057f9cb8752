import Foundation
import Testing
@testable import Parquet

/// Memory per column: a file of many columns must not pay large buffers up front for each
/// (a one-row CSV of 100 000 columns once took 2.5 GB: 26 KB per INT64 column, 90 KB per
/// string column); buffers grow with the data.
struct WriterMemoryTests {
    @Test func aColumnCostsLittleBeforeItHoldsData() throws {
        let path = WrittenFile.temporaryPath("wide")
        defer { WrittenFile.remove(path) }
        let fields: [ParquetField] = (0..<1000).map { $0.isMultiple(of: 2) ? .int64("n\($0)") : .string("s\($0)") }
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        #expect(writer.reservedBytes / fields.count < 2048, "\(writer.reservedBytes / fields.count) bytes per column")
        let columns = try writer.schema.columns.enumerated().map { index, column in
            try ColumnValues(column: column, cells: [index.isMultiple(of: 2) ? .int(Int64(index)) : .string("value \(index)")])
        }
        try writer.write(columns)
        try writer.close()
        #expect(writer.reservedBytes / fields.count < 2048, "\(writer.reservedBytes / fields.count) bytes per column")
        let reader = try ParquetFileReader(path: path)
        #expect(reader.columns.count == 1000)
        #expect(try reader.readColumn(rowGroup: 0, column: 999).value(at: 0) == .string("value 999"))
    }

    @Test func buffersGrowWithTheData() throws {
        let path = WrittenFile.temporaryPath("grow")
        defer { WrittenFile.remove(path) }
        let writer = try ParquetFileWriter(path: path, fields: [.string("s")], options: WriterOptions(createdBy: "builder tests"))
        let before = writer.reservedBytes
        let rows = 50_000
        let values = try ColumnValues(column: writer.schema.columns[0], cells: (0..<rows).map { .string("distinct value \($0)") })
        try writer.write([values])
        #expect(writer.reservedBytes > before * 100)
        try writer.close()
        let read = try ParquetFileReader(path: path).readColumn(rowGroup: 0, column: 0)
        #expect(read.count == rows)
        #expect(read.value(at: rows - 1) == .string("distinct value \(rows - 1)"))
    }

    /// `releaseBuffersAbove` (many writers at once, each with little memory): once a row group is
    /// written, its column buffers and the page scratch shrink back; without it they are kept.
    @Test(arguments: [nil, 8 << 10])
    func buffersAreFreedAfterEachRowGroupWhenAsked(keep: Int?) throws {
        let path = WrittenFile.temporaryPath("release")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(createdBy: "builder tests")
        options.maxRowGroupBytes = 256 << 10
        options.dataPageSize = 64 << 10
        options.dictionaryPageSizeLimit = 64 << 10
        options.releaseBuffersAbove = keep
        let writer = try ParquetFileWriter(path: path, fields: [.string("s"), .int64("n")], options: options)
        let rows = 60_000
        let columns = [
            try ColumnValues(column: writer.schema.columns[0], cells: (0..<rows).map { .string("distinct value \($0)") }),
            try ColumnValues(column: writer.schema.columns[1], cells: (0..<rows).map { .int(Int64($0) * 7919) }),
        ]
        try writer.write(columns)
        try writer.flushRowGroup()
        if let keep {
            #expect(writer.reservedBytes <= 16 * keep, "\(writer.reservedBytes) bytes kept")
        } else {
            #expect(writer.reservedBytes > 256 << 10, "\(writer.reservedBytes) bytes kept")
        }
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowGroupCount > 1)
        var read: [String] = []
        for group in 0..<reader.rowGroupCount {
            let column = try reader.readColumn(rowGroup: group, column: 0)
            for row in 0..<column.count {
                if case let .string(text) = column.value(at: row) { read.append(text) }
            }
        }
        #expect(read == (0..<rows).map { "distinct value \($0)" })
    }
}
