import Foundation
import Testing
@testable import Parquet

/// What the corpus README documents beyond expected.json: the `_expect.csv` files, the
/// documented answers, `bad_data/`, `nested/`, `unsupported/` and page checksums.
@Suite(.enabled(if: Corpus.isAvailable, "the parquet-testing corpus is absent"))
struct CorpusBehaviourTests {
    // MARK: _expect.csv

    static let expectCSVs = [
        "delta_binary_packed", "delta_byte_array", "delta_encoding_optional_column", "delta_encoding_required_column",
    ]

    @Test("delta files match their _expect.csv", arguments: expectCSVs)
    func deltaFileMatchesCSV(_ name: String) throws {
        let text = try String(contentsOfFile: Corpus.path("data/\(name)_expect.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n", omittingEmptySubsequences: true).map { SimpleCSV.fields(String($0)) }
        let file = try WholeFile(Corpus.path("data/\(name).parquet"))
        let body = rows.dropFirst()
        #expect(rows.first?.count == file.reader.columns.count)
        for column in file.reader.columns.indices {
            let values = file.values(column)
            #expect(values.count == body.count, "\(name) column \(column): row count")
            for (row, fields) in zip(values, body) {
                let expected = fields[column]
                let actual: String? = row == .null ? nil : ExpectedCell.render(row)
                if actual != expected {
                    Issue.record("\(name) column \(file.reader.columns[column].name): \(String(describing: actual)) != \(String(describing: expected))")
                    break
                }
            }
        }
    }

    // MARK: Documented answers

    @Test func int96FromSparkWithWrappingArithmetic() throws {
        let values = try WholeFile(Corpus.path("data/int96_from_spark.parquet")).values(0)
        let micros: [Int64?] = [1_704_141_296_123_456, 1_704_070_800_000_000, 253_402_225_200_000_000,
                                1_735_599_600_000_000, nil, 9_089_380_393_200_000_000]
        #expect(values == micros.map { $0.map { .timestamp($0, unit: .microseconds, isAdjustedToUTC: false) } ?? .null })
    }

    @Test func concatenatedGzipMembers() throws {
        let values = try WholeFile(Corpus.path("data/concatenated_gzip_members.parquet")).values(0)
        #expect(values == (1...513).map { .uint(UInt64($0)) })
    }

    @Test func rleBooleans() throws {
        let values = try WholeFile(Corpus.path("data/rle_boolean_encoding.parquet")).values(0)
        #expect(values.count == 68)
        #expect(values.filter { $0 == .null }.count == 6)
        #expect(values.filter { $0 == .boolean(true) }.count == 36)
    }

    @Test func emptyV2Pages() throws {
        let empty = try WholeFile(Corpus.path("data/datapage_v2_empty_datapage.snappy.parquet")).values(0)
        #expect(empty == [.null])
        let compressed = try WholeFile(Corpus.path("data/page_v2_empty_compressed.parquet")).values(0)
        #expect(compressed == [ParquetValue](repeating: .null, count: 10))
    }

    @Test func dictionaryIndicesOfBitWidthZero() throws {
        let file = try WholeFile(Corpus.path("bad_data/ARROW-GH-43605.parquet"))
        let column = try #require(file.reader.schema.columnIndex(named: "min_fl"))
        let values = file.values(column)
        #expect(values.count == 21_186)
        #expect(values.allSatisfy { $0 == .uint(0) })
    }

    @Test func dictPageOffsetZero() throws {
        let values = try WholeFile(Corpus.path("data/dict-page-offset-zero.parquet")).values(0)
        #expect(values == [ParquetValue](repeating: .int(1552), count: 39))
    }

    // MARK: bad_data

    static let badFiles: [String] = Corpus.files(in: "bad_data").filter { !$0.hasSuffix("ARROW-GH-43605.parquet") }

    @Test("bad_data files give errors naming the file", arguments: badFiles)
    func badFileGivesAnError(_ file: String) throws {
        let error = try #require(firstError(reading: Corpus.path(file)), "\(file) should not read cleanly")
        #expect(error.file == Corpus.path(file))
        #expect(error.description.hasPrefix(Corpus.path(file)))
        let name = URL(fileURLWithPath: file).lastPathComponent
        switch name {
        case "ARROW-GH-47662.parquet":
            #expect(error.kind == .corrupt && error.column != nil && error.rowGroup == 0 && error.location != nil, "\(error)")
        case "ARROW-RS-GH-6229-DICTHEADER.parquet":
            // Its 'name' chunk (whose dictionary header says -26 values) also claims bytes
            // that overlap the footer; the range check refuses it before the page is parsed.
            #expect(error.description.contains("negative") || error.description.contains("outside the file"), "\(error)")
            #expect(error.column != nil, "\(error)")
        case "PARQUET-1481.parquet":
            #expect(error.description.contains("physical type"), "\(error)")
            #expect(error.column != nil, "\(error)")
        default:
            #expect(error.kind == .nestedColumn || error.kind == .corrupt || error.kind == .limitExceeded, "\(error)")
        }
    }

    /// Opens and reads every column of every row group; returns the first error.
    private func firstError(reading path: String) -> ParquetError? {
        do {
            let reader = try ParquetFileReader(path: path)
            let context = DecodingContext()
            for group in 0..<reader.rowGroupCount {
                for column in reader.columns.indices {
                    _ = try reader.readColumn(rowGroup: group, column: column, context: context)
                }
            }
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    // MARK: nested

    static let nestedFiles: [String] = Corpus.files(in: "nested")

    @Test("nested columns are refused by name, flat ones stay readable", arguments: nestedFiles)
    func nestedColumnsAreRefused(_ file: String) throws {
        let reader = try ParquetFileReader(path: Corpus.path(file))
        #expect(reader.columns.contains { $0.isNested })
        for (index, column) in reader.columns.enumerated() {
            if column.isNested {
                let error = #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, column: index) }
                #expect(error?.kind == .nestedColumn)
                #expect(error?.description.contains("'\(column.name)'") == true, "\(String(describing: error))")
            } else {
                _ = try reader.readColumn(rowGroup: 0, column: index)
            }
        }
    }

    @Test func flatColumnsOfANestedFile() throws {
        let path = Corpus.path("nested/datapage_v2.snappy.parquet")
        let file = try WholeFile(path, columns: [0, 1, 2, 3])
        #expect(file.values(0) == [.string("abc"), .string("abc"), .string("abc"), .null, .string("abc")])
        #expect(file.values(1) == [1, 2, 3, 4, 5].map { .int($0) })
        #expect(file.values(2) == [2, 3, 4, 5, 2].map { .double($0) })
        #expect(file.values(3) == [true, true, true, false, true].map { .boolean($0) })
    }

    // MARK: unsupported

    @Test(arguments: ["unsupported/hadoop_lz4_compressed.parquet", "unsupported/lz4_raw_compressed.parquet",
                      "unsupported/non_hadoop_lz4_compressed.parquet"])
    func unsupportedCodecIsNamed(_ file: String) throws {
        let reader = try ParquetFileReader(path: Corpus.path(file))
        let error = #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, column: 0) }
        #expect(error?.kind == .unsupportedCodec)
        #expect(error?.description.contains("unsupported codec LZ4") == true, "\(String(describing: error))")
        #expect(error?.column == reader.columns[0].name)
    }

    @Test func encryptedFileIsRefused() throws {
        let error = #expect(throws: ParquetError.self) {
            try ParquetFileReader(path: Corpus.path("unsupported/encrypt_columns_and_footer.parquet.encrypted"))
        }
        #expect(error?.kind == .encrypted)
        #expect(error?.description.contains("encrypted file") == true)
    }

    // MARK: checksums

    @Test func checksumsAreVerifiedWhenAsked() throws {
        let verifying = ReaderOptions(verifyChecksums: true)
        for good in ["datapage_v1-uncompressed-checksum", "datapage_v1-snappy-compressed-checksum",
                     "plain-dict-uncompressed-checksum", "rle-dict-snappy-checksum"] {
            _ = try WholeFile(Corpus.path("data/\(good).parquet"), options: verifying)
        }
        for corrupt in ["datapage_v1-corrupt-checksum", "rle-dict-uncompressed-corrupt-checksum"] {
            let path = Corpus.path("data/\(corrupt).parquet")
            let error = #expect(throws: ParquetError.self) { try WholeFile(path, options: verifying) }
            #expect(error?.description.contains("CRC") == true)
            // Off by default, like pyarrow and DuckDB: the values still read.
            _ = try WholeFile(path)
        }
    }
}

/// Just enough CSV for the corpus's `_expect.csv` files: an unquoted empty field is null.
enum SimpleCSV {
    static func fields(_ line: String) -> [String?] {
        var fields: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" { current.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                wasQuoted = true
            } else if character == "," {
                fields.append(current.isEmpty && !wasQuoted ? nil : current)
                current = ""
                wasQuoted = false
            } else if character != "\r" {
                current.append(character)
            }
        }
        fields.append(current.isEmpty && !wasQuoted ? nil : current)
        return fields
    }
}
