import Foundation
import Testing
@testable import Parquet

/// The file reader's metadata API: schema, row groups, statistics, errors on open.
@Suite(.enabled(if: Corpus.isAvailable, "the parquet-testing corpus is absent"))
struct FileReaderTests {
    @Test func schemaAndRowGroups() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages.parquet"))
        #expect(reader.columns.map(\.name) == ["id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col",
                                              "float_col", "double_col", "date_string_col", "string_col", "timestamp_col",
                                              "year", "month"])
        #expect(reader.rowGroupCount == 1)
        #expect(try reader.rowCount(rowGroup: 0) == 7300)
        let tinyint = reader.columns[2]
        #expect(tinyint.physicalType == .int32)
        #expect(tinyint.logicalType == .integer(bitWidth: 8, isSigned: true))
        #expect(!tinyint.isNested)
        #expect(reader.columns[8].logicalType == .string)
        #expect(reader.columns[10].physicalType == .int96)
        #expect(reader.schema.columnIndex(named: "month") == 12)
        let chunk = try reader.chunkMetadata(rowGroup: 0, column: 0)
        #expect(chunk.codec == .uncompressed)
        #expect(chunk.numValues == 7300)
    }

    @Test func projectionReadsOnlyTheColumnsAsked() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/alltypes_plain.parquet"))
        let columns = try reader.readRowGroup(0, columns: [9, 0], selection: RowSelection(rows: [1, 7]))
        #expect(columns.map(\.column.name) == ["string_col", "id"])
        #expect(columns[0].value(at: 0) == .bytes([0x31]) && columns[1].value(at: 1) == .int(1))
        #expect(columns.allSatisfy { $0.count == 2 })
    }

    @Test func decimalPrecisionAndScale() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/fixed_length_decimal_legacy.parquet"))
        let column = reader.columns[0]
        #expect(column.physicalType == .fixedLenByteArray)
        #expect(column.typeLength == 6)
        #expect(column.decimalPrecision == 13 && column.decimalScale == 2)
    }

    @Test func keyValueMetadataAndCreatedBy() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/sort_columns.parquet"))
        #expect(reader.createdBy == "parquet-cpp-arrow version 16.1.0")
        #expect(reader.keyValueMetadata.contains { $0.key == "ARROW:schema" })
        #expect(reader.metadata.rowGroups[0].sortingColumns?.isEmpty == false)
    }

    @Test func statisticsAreTypedAndTrusted() throws {
        let sorted = try ParquetFileReader(path: Corpus.path("data/sort_columns.parquet"))
        let a = try #require(try sorted.statistics(rowGroup: 0, column: 0))
        #expect(a.min == .int64(1) && a.max == .int64(2) && a.nullCount == 1)
        let b = try #require(try sorted.statistics(rowGroup: 1, column: 1))
        #expect(b.min == .bytes(Array("a".utf8)) && b.max == .bytes(Array("c".utf8)))

        let truncated = try ParquetFileReader(path: Corpus.path("data/binary_truncated_min_max.parquet"))
        let full = try #require(try truncated.statistics(rowGroup: 0, column: 0))
        #expect(full.min == .bytes(Array("Al".utf8)) && full.max == .bytes(Array("Kf".utf8)))
        #expect(!full.isMinExact && !full.isMaxExact)
        let exact = try #require(try truncated.statistics(rowGroup: 0, column: 4))
        #expect(exact.isMinExact && exact.isMaxExact)

        // A NaN maximum is no bound.
        let nan = try #require(try ParquetFileReader(path: Corpus.path("data/nan_in_stats.parquet")).statistics(rowGroup: 0, column: 0))
        #expect(nan.min == .double(1) && nan.max == nil)

        let nulls = try #require(try ParquetFileReader(path: Corpus.path("data/int32_with_null_pages.parquet")).statistics(rowGroup: 0, column: 0))
        #expect(nulls.nullCount == 275 && nulls.min == .int32(-2_136_906_554) && nulls.max == .int32(2_145_722_375))

        let half = try #require(try ParquetFileReader(path: Corpus.path("data/float16_nonzeros_and_nans.parquet")).statistics(rowGroup: 0, column: 0))
        #expect(half.min == .float(-2) && half.max == .float(2))

        // INT96 bounds are never offered.
        let spark = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages.parquet"))
        let timestamps = try spark.statistics(rowGroup: 0, column: 10)
        #expect(timestamps?.min == nil && timestamps?.max == nil)
    }

    @Test func dictionaryEncodingDeclaredByTheWriter() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages.parquet"))
        #expect(try reader.isFullyDictionaryEncoded(rowGroup: 0, column: 9) != nil)
        let plain = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages_plain.parquet"))
        #expect(try plain.isFullyDictionaryEncoded(rowGroup: 0, column: 9) != true)
    }

    @Test func openErrorsNameTheFile() throws {
        let missing = #expect(throws: ParquetError.self) { try ParquetFileReader(path: "/nonexistent/x.parquet") }
        #expect(missing?.kind == .io)
        #expect(missing?.description.hasPrefix("/nonexistent/x.parquet: ") == true)
        let notParquet = #expect(throws: ParquetError.self) {
            try ParquetFileReader(path: Corpus.path("data/delta_byte_array_expect.csv"))
        }
        #expect(notParquet?.kind == .notParquet)
    }

    @Test func invalidArgumentsAreErrorsNotTraps() throws {
        let reader = try ParquetFileReader(path: Corpus.path("data/sort_columns.parquet"))
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 2, column: 0) }
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, column: 9) }
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, named: "nope") }
        #expect(throws: ParquetError.self) {
            try reader.readColumn(rowGroup: 0, column: 0, selection: RowSelection(rows: [0, 3]))
        }
        #expect(throws: ParquetError.self) { try RowSelection(rows: [2, 1]) }
    }
}
