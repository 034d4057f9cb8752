import Foundation
import Testing
@testable import Parquet

/// Row selection and dictionary access, checked against a full read, on every readable file
/// of the corpus: each path must give the same cells as reading everything.
@Suite(.enabled(if: Corpus.isAvailable, "the parquet-testing corpus is absent"))
struct SelectionAndDictionaryTests {
    static let files: [String] = Corpus.files(in: "data")

    @Test("selected rows equal the same rows of a full read", arguments: files)
    func selectionMatchesFullRead(_ file: String) throws {
        try ReadConsistency.checkSelections(Corpus.path(file))
    }

    @Test("dictionary + indices rebuild the full read", arguments: files)
    func dictionaryIndicesMatchFullRead(_ file: String) throws {
        try ReadConsistency.checkDictionaries(Corpus.path(file))
    }

    @Test func selectionConstructors() throws {
        #expect(RowSelection(mask: [true, false, true, true]).rows == [0, 2, 3])
        #expect(RowSelection(bitmap: [0b1011 | 1 << 63, 0b10], count: 70).rows == [0, 1, 3, 63, 65])
        #expect(RowSelection(bitmap: [0, 1 << 10], count: 70).rows == [])
        #expect(RowSelection(range: 3..<6).rows == [3, 4, 5])
    }

    @Test func dictionaryFallbackWithinAChunk() throws {
        // parquet-mr wrote this file's binary column as dictionary pages; alltypes_tiny_pages
        // has many small pages per chunk. A chunk that is not dictionary-encoded gives nil.
        let plain = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages_plain.parquet"))
        #expect(try plain.readDictionaryEncoded(rowGroup: 0, column: 9) == nil)
        let dictionary = try ParquetFileReader(path: Corpus.path("data/alltypes_tiny_pages.parquet"))
        let encoded = try #require(try dictionary.readDictionaryEncoded(rowGroup: 0, column: 9))
        #expect(encoded.isFullyDictionaryEncoded)
        #expect(encoded.dictionary.count == 10)
        #expect(encoded.count == 7300)
    }
}

/// A few rows of large dictionary-encoded pages with nulls: only their indices are unpacked.
struct SparseSelectionTests {
    @Test("a few selected rows of large pages equal the same rows of a full read")
    func sparseRowsOfLargePages() throws {
        let path = WrittenFile.temporaryPath("sparse")
        defer { WrittenFile.remove(path) }
        let count = 30_000
        var names: [ParquetValue] = [], numbers: [ParquetValue] = [], plain: [ParquetValue] = []
        for row in 0..<count {
            names.append(row % 7 == 3 ? .null : .string("name \(row % 500)"))
            numbers.append(row % 11 == 5 ? .null : .int(Int64(row % 40)))
            plain.append(row % 5 == 1 ? .null : .string("siren \(row)"))
        }
        try WrittenFile.write([.string("name"), ParquetField(name: "number", physicalType: .int32, isOptional: true),
                               .string("plain")], [names, numbers, plain], to: path)
        let reader = try ParquetFileReader(path: path)
        #expect(try reader.isFullyDictionaryEncoded(rowGroup: 0, column: 0) == true)
        let selections: [[Int32]] = [[0], [3], [Int32(count - 1)], [10, 17, 3_333, 3_334, 19_999, 20_000, 29_990],
                                     Array(stride(from: 5, to: Int32(count), by: 997))]
        for column in 0..<3 {
            let full = ReadConsistency.cells(try reader.readColumn(rowGroup: 0, column: column))
            for rows in selections {
                let selected = try reader.readColumn(rowGroup: 0, column: column, selection: RowSelection(rows: rows))
                #expect(sameCells(ReadConsistency.cells(selected), rows.map { full[Int($0)] }), "column \(column) rows \(rows)")
                guard column < 2 else { continue }
                let encoded = try #require(try reader.readDictionaryEncoded(rowGroup: 0, column: column, selection: RowSelection(rows: rows)))
                let rebuilt = (0..<encoded.count).map { encoded.isNull($0) ? .null : encoded.dictionary.value(at: Int(encoded.indices[$0])) }
                #expect(sameCells(rebuilt, rows.map { full[Int($0)] }), "column \(column) rows \(rows) (dictionary)")
            }
        }
    }
}
