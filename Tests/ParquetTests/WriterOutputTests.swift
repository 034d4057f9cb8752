import Columns
import Foundation
import Testing
@testable import Parquet

/// Atomic output (a temporary name renamed on close, nothing left behind otherwise) and the
/// writer's errors for bad schemas, options and values.
struct WriterOutputTests {
    private let fields: [ParquetField] = [.int64("n", optional: false), .string("s")]

    private func values(_ writer: ParquetFileWriter, rows: Int) throws -> [ColumnValues] {
        [try ColumnValues(column: writer.schema.columns[0], cells: (0..<rows).map { .int(Int64($0)) }),
         try ColumnValues(column: writer.schema.columns[1], cells: (0..<rows).map { .string("row \($0)") })]
    }

    @Test func theFileAppearsOnlyWhenClosed() throws {
        let path = WrittenFile.temporaryPath("atomic")
        defer { WrittenFile.remove(path) }
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        try writer.write(try values(writer, rows: 10))
        try writer.flushRowGroup()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(URL(fileURLWithPath: writer.temporaryPath).deletingLastPathComponent() == URL(fileURLWithPath: path).deletingLastPathComponent())
        try writer.close()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(WrittenFile.leftovers(of: path).isEmpty)
        #expect(try ParquetFileReader(path: path).rowCount == 10)
        // A closed writer refuses more work.
        #expect(throws: ParquetError.self) { try writer.write(try values(writer, rows: 1)) }
    }

    @Test func abandonedOrReleasedWritersLeaveNothingAndKeepTheOldFile() throws {
        let path = WrittenFile.temporaryPath("abandon")
        defer { WrittenFile.remove(path) }
        try Data("previous content".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        try writer.write(try values(writer, rows: 100))
        writer.abandon()
        #expect(WrittenFile.leftovers(of: path).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous content")
        #expect(throws: ParquetError.self) { try writer.close() }
        do {
            let released = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
            try released.write(try values(released, rows: 5))
        }
        #expect(WrittenFile.leftovers(of: path).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous content")
    }

    @Test func aFailedWriteRemovesTheTemporaryFile() throws {
        let path = WrittenFile.temporaryPath("failed")
        defer { WrittenFile.remove(path) }
        let writer = try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
        try writer.write(try values(writer, rows: 3))
        let wrongType = ColumnValues(column: writer.schema.columns[0], count: 1, validity: nil, storage: .int32([1]))
        let good = try ColumnValues(column: writer.schema.columns[1], cells: [.string("x")])
        let error = try #require(throws: ParquetError.self) { try writer.write([wrongType, good]) }
        #expect(error.kind == .invalidArgument)
        #expect(error.column == "n")
        #expect(error.file == path)
        #expect(error.description.contains("values stored as INT32 for a INT64 column"))
        #expect(WrittenFile.leftovers(of: path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: ParquetError.self) { try writer.close() }
    }

    @Test func valuesThatDoNotMatchTheSchemaAreRefused() throws {
        let path = WrittenFile.temporaryPath("refused")
        defer { WrittenFile.remove(path) }
        func attempt(_ build: (ParquetFileWriter) throws -> [ColumnValues]) throws -> ParquetError {
            let writer = try ParquetFileWriter(path: path, fields: fields + [.fixedLenByteArray("f", length: 4)],
                                               options: WriterOptions(createdBy: "builder tests"))
            return try #require(throws: ParquetError.self) { try writer.write(try build(writer)) }
        }
        func column(_ writer: ParquetFileWriter, _ index: Int) -> ColumnDescriptor { writer.schema.columns[index] }
        let fixed = FixedLenByteArrayValues(width: 4, bytes: [1, 2, 3, 4])
        let nullInRequired = try attempt { w in
            [ColumnValues(column: column(w, 0), count: 1, validity: Validity([false]), storage: .int64([0])),
             ColumnValues(column: column(w, 1), count: 1, validity: nil, storage: .byteArray(ByteArrayValues(offsets: [0, 0], bytes: []))),
             ColumnValues(column: column(w, 2), count: 1, validity: nil, storage: .fixedLenByteArray(fixed))]
        }
        #expect(nullInRequired.description.contains("column 'n'") && nullInRequired.description.contains("required (not nullable) but row 0 is null"))
        let badOffsets = try attempt { w in
            [ColumnValues(column: column(w, 0), count: 1, validity: nil, storage: .int64([0])),
             ColumnValues(column: column(w, 1), count: 1, validity: nil, storage: .byteArray(ByteArrayValues(offsets: [0, 9], bytes: [1]))),
             ColumnValues(column: column(w, 2), count: 1, validity: nil, storage: .fixedLenByteArray(fixed))]
        }
        #expect(badOffsets.description.contains("offsets end at 9, past the 1 bytes given"))
        let wrongWidth = try attempt { w in
            [ColumnValues(column: column(w, 0), count: 1, validity: nil, storage: .int64([0])),
             ColumnValues(column: column(w, 1), count: 1, validity: nil, storage: .byteArray(ByteArrayValues(offsets: [0, 1], bytes: [1]))),
             ColumnValues(column: column(w, 2), count: 1, validity: nil, storage: .fixedLenByteArray(FixedLenByteArrayValues(width: 2, bytes: [1, 2])))]
        }
        #expect(wrongWidth.description.contains("values of 2 bytes for FIXED_LEN_BYTE_ARRAY(4)"))
        let wrongCount = try attempt { w in
            [ColumnValues(column: column(w, 0), count: 2, validity: nil, storage: .int64([0, 1])),
             ColumnValues(column: column(w, 1), count: 1, validity: nil, storage: .byteArray(ByteArrayValues(offsets: [0, 1], bytes: [1]))),
             ColumnValues(column: column(w, 2), count: 1, validity: nil, storage: .fixedLenByteArray(fixed))]
        }
        #expect(wrongCount.description.contains("1 values given, 2 expected"))
        let missingColumn = try attempt { w in [ColumnValues(column: column(w, 0), count: 1, validity: nil, storage: .int64([0]))] }
        #expect(missingColumn.description.contains("1 columns given, the schema has 3"))
        #expect(WrittenFile.leftovers(of: path).isEmpty)
    }

    @Test func badSchemasAndOptionsAreRefusedBeforeAnythingIsCreated() throws {
        let path = WrittenFile.temporaryPath("schema")
        let cases: [([ParquetField], String)] = [
            ([.int32("a"), .int64("a")], "column 'a' is defined twice"),
            ([ParquetField(name: "", physicalType: .int32)], "empty name"),
            ([ParquetField(name: "d", physicalType: .int64, logicalType: .decimal(scale: 2, precision: 19))],
             "DECIMAL precision 19 must be between 1 and 18 for INT64"),
            ([ParquetField(name: "d", physicalType: .int32, logicalType: .decimal(scale: 5, precision: 4))],
             "DECIMAL scale 5 must be between 0 and the precision 4"),
            ([ParquetField(name: "u", physicalType: .fixedLenByteArray, logicalType: .uuid, typeLength: 8)], "UUID needs FIXED_LEN_BYTE_ARRAY(16)"),
            ([ParquetField(name: "s", physicalType: .int32, logicalType: .string)], "STRING cannot annotate INT32 (it needs BYTE_ARRAY)"),
            ([ParquetField(name: "t", physicalType: .int32, logicalType: .timestamp(isAdjustedToUTC: true, unit: .milliseconds))],
             "cannot annotate INT32 (it needs INT64)"),
            ([ParquetField(name: "f", physicalType: .fixedLenByteArray)], "FIXED_LEN_BYTE_ARRAY needs a length"),
            ([ParquetField(name: "i", physicalType: .int32, logicalType: .integer(bitWidth: 12, isSigned: true))], "INT bit width 12"),
            ([ParquetField(name: "l", physicalType: .int32, logicalType: .list)], "LIST columns cannot be written"),
            ([ParquetField(name: "v", physicalType: .byteArray, logicalType: .variant)], "VARIANT columns cannot be written"),
            ([ParquetField(name: "g", physicalType: .int64, logicalType: .geometry(crs: nil))], "GEOMETRY cannot annotate INT64 (it needs BYTE_ARRAY)"),
        ]
        for (fields, message) in cases {
            let error = try #require(throws: ParquetError.self) {
                try ParquetFileWriter(path: path, fields: fields, options: WriterOptions(createdBy: "builder tests"))
            }
            #expect(error.description.contains(message), "\(error)")
            #expect(error.file == path)
        }
        var options = WriterOptions(compression: .lz4Raw, createdBy: "builder tests")
        #expect(throws: ParquetError.self) { try ParquetFileWriter(path: path, fields: [.int32("a")], options: options) }
        options = WriterOptions(compression: .zstd)
        options.zstdLevel = 40
        #expect(throws: ParquetError.self) { try ParquetFileWriter(path: path, fields: [.int32("a")], options: options) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(WrittenFile.leftovers(of: path).isEmpty)
    }

    @Test func anUnwritableDirectoryIsAnIOErrorNamingTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir-\(UUID().uuidString)/out.parquet").path
        let error = try #require(throws: ParquetError.self) {
            try ParquetFileWriter(path: path, fields: [.int32("a")], options: WriterOptions(createdBy: "builder tests"))
        }
        #expect(error.kind == .io)
        #expect(error.description.hasPrefix(path))
        #expect(error.description.contains("No such file or directory"))
    }

    @Test func nestedReaderSchemasAreRefused() throws {
        guard Corpus.isAvailable else { return }
        let nested = try ParquetFileReader(path: Corpus.path("nested/nested_lists.snappy.parquet"))
        let error = try #require(throws: ParquetError.self) {
            try ParquetFileWriter(path: WrittenFile.temporaryPath("nested"), schema: nested.schema)
        }
        #expect(error.kind == .nestedColumn)
    }

    @Test func cellsThatDoNotFitTheColumnNameTheRow() throws {
        let schema = try Schema(fields: [.integer("small", bitWidth: 32, isSigned: true), .decimal("d", precision: 5, scale: 2)])
        let tooBig = try #require(throws: ParquetError.self) {
            try ColumnValues(column: schema.columns[0], cells: [.int(1), .int(Int64(Int32.max) + 1)])
        }
        #expect(tooBig.description.contains("row 1"))
        let wrongScale = try #require(throws: ParquetError.self) {
            try ColumnValues(column: schema.columns[1], cells: [.decimal(DecimalValue(5, scale: 3))])
        }
        #expect(wrongScale.description.contains("row 0"))
    }
}
