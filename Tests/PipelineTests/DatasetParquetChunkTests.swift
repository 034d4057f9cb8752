import Foundation
import Basics
import Columns
import Parquet
@testable import Pipeline
import TestSupport
import Testing

/// `DatasetParquetWriter` hands its rows to the Parquet writer by chunks of the same size whatever
/// the batches: a batch's whole chunks straight from it, the rest with the next batch's rows. The
/// same rows (those each batch keeps) give the same file bytes for any cut into batches.
@Suite struct DatasetParquetChunkTests {
    static let schema = BatchSchema([ColumnSpec("siret", .text), ColumnSpec("ville", .text),
                                     ColumnSpec("date_creation", .date), ColumnSpec("quality_score", .integer)])
    static let rows = 3 * 8192 + 777

    /// Rows `rows` of the data set: a distinct SIRET (null on every 50th row), one of 40 towns, a
    /// date (null on every 7th row), a score; rows whose number is a multiple of 3 dropped.
    static func batch(_ rows: Range<Int>) throws -> RecordBatch {
        let builder = ColumnsBuilder(kinds: [.byteArray, .byteArray, .int32, .int64], reservingCapacity: rows.count)
        for row in rows {
            if row % 50 == 0 { builder.appendNull(0) } else { builder.appendText(0, Array(String(10_000_000_000_000 + row * 7919).utf8)) }
            builder.appendText(1, Array("VILLE \(row % 40)".utf8))
            builder.appendInt32(2, row % 7 == 0 ? nil : Int32(10_000 + row % 9000))
            builder.appendInt64(3, Int64(row % 101))
        }
        var batch = RecordBatch(schema: schema, rowCount: rows.count)
        for (index, column) in try builder.finish().enumerated() { batch.set(index, column) }
        batch.keep(rows.map { $0 % 3 != 0 })
        return batch
    }

    static func write(cuts: [Int], maxRowGroupBytes: Int?, in directory: TestDirectory, name: String) throws -> [UInt8] {
        let writer = try DatasetParquetWriter(stagedPath: directory.file(name), schema: schema, maxRowGroupBytes: maxRowGroupBytes)
        var start = 0
        for end in cuts + [rows] where end > start {
            try writer.write(batch(start..<end))
            start = end
        }
        try writer.close(RunDescription(manifest: [:], schema: schema, language: "en"))
        return try directory.bytes(name)
    }

    @Test("the same bytes whatever the batches", arguments: [nil, (32 << 20) / 88, 48 << 10])
    func sameBytes(maxRowGroupBytes: Int?) throws {
        let directory = try TestDirectory(prefix: "parquet-chunks")
        defer { directory.remove() }
        let whole = try Self.write(cuts: [], maxRowGroupBytes: maxRowGroupBytes, in: directory, name: "whole.parquet")
        let cuts: [[Int]] = [
            [1, 2, 5000, 13_191, 21_384, 21_385],  // pieces around whole chunks (rows kept: about 2 in 3)
            Array(stride(from: 700, to: Self.rows, by: 700)),
            Array(stride(from: 9000, to: Self.rows, by: 9000)),
        ]
        for (index, cut) in cuts.enumerated() {
            let bytes = try Self.write(cuts: cut, maxRowGroupBytes: maxRowGroupBytes, in: directory, name: "cut\(index).parquet")
            let same = bytes == whole
            #expect(same, "cut \(index): \(bytes.count) bytes, \(whole.count) in one batch")
        }
        // The rows kept; with 48 KiB row groups, many of them (cut where the byte limit is checked).
        let reader = try ParquetFileReader(path: directory.file("whole.parquet"))
        #expect(reader.metadata.numRows == Int64((0..<Self.rows).filter { $0 % 3 != 0 }.count))
        if maxRowGroupBytes == 48 << 10 { #expect(reader.metadata.rowGroups.count > 4) }
    }
}
