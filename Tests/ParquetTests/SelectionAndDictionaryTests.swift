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
