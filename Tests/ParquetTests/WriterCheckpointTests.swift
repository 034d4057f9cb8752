import Foundation
import Testing
@testable import Parquet

/// `ParquetFileWriter.checkpoint`: called inside a row group, its error stops the writer and
/// leaves nothing behind.
struct WriterCheckpointTests {
    private struct Stop: Error {}

    private let fields: [ParquetField] = [.int64("a"), .string("b"), .int64("c")]

    private func values(_ writer: ParquetFileWriter, column: Int, rows: Int) throws -> ColumnValues {
        let cells: [ParquetValue] = column == 1 ? (0..<rows).map { .string("row \($0)") } : (0..<rows).map { .int(Int64($0)) }
        return try ColumnValues(column: writer.schema.columns[column], cells: cells)
    }

    @Test func anErrorFromTheCheckpointStopsAColumnByColumnRowGroup() throws {
        let path = WrittenFile.temporaryPath("checkpoint")
        defer { WrittenFile.remove(path) }
        try Data("previous content".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        var calls = 0
        writer.checkpoint = {
            calls += 1
            if calls == 2 { throw Stop() }
        }
        var columnsAsked: [Int] = []
        #expect(throws: Stop.self) {
            try writer.writeRowGroup(rowCount: 100) { column in
                columnsAsked.append(column)
                return try values(writer, column: column, rows: 100)
            }
        }
        #expect(columnsAsked == [0], "the second column is not read once the checkpoint threw")
        #expect(WrittenFile.leftovers(of: path).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous content")
        #expect(throws: ParquetError.self) { try writer.close() }
    }

    @Test func anErrorFromTheCheckpointStopsTheLastRowGroupAtClose() throws {
        let path = WrittenFile.temporaryPath("checkpoint-close")
        defer { WrittenFile.remove(path) }
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        try writer.write((0..<3).map { try values(writer, column: $0, rows: 50) })
        writer.checkpoint = { throw Stop() }
        #expect(throws: Stop.self) { try writer.close() }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(WrittenFile.leftovers(of: path).isEmpty)
    }

    @Test func aCheckpointThatDoesNotThrowChangesNothing() throws {
        func write(_ path: String, checkpoint: (() throws -> Void)?) throws -> Data {
            let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
            writer.checkpoint = checkpoint
            try writer.write((0..<3).map { try values(writer, column: $0, rows: 20_000) })
            try writer.close()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let plain = WrittenFile.temporaryPath("plain")
        let checked = WrittenFile.temporaryPath("checked")
        defer { WrittenFile.remove(plain); WrittenFile.remove(checked) }
        var calls = 0
        let withCheckpoint = try write(checked) { calls += 1 }
        #expect(try write(plain, checkpoint: nil) == withCheckpoint)
        // Slices of 8192 rows (3) and one call per column chunk (3) and at close (1).
        #expect(calls == 7)
    }
}
