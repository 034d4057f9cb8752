import Foundation
import Testing
@testable import Parquet

/// Row selection and dictionary access, checked against a full read, on every readable file
/// of the corpus: each path must give the same cells as reading everything.
@Suite(.enabled(if: Corpus.isAvailable, "the parquet-testing corpus is absent"))
struct SelectionAndDictionaryTests {
    static let files: [String] = Corpus.files(in: "data")

    private func cells(_ values: ColumnValues) -> [ParquetValue] {
        (0..<values.count).map { values.value(at: $0) }
    }

    /// Same cells, with NaN equal to NaN.
    private func same(_ left: [ParquetValue], _ right: [ParquetValue]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { pair in
            switch pair {
            case let (.float(a), .float(b)) where a.isNaN && b.isNaN: return true
            case let (.double(a), .double(b)) where a.isNaN && b.isNaN: return true
            default: return pair.0 == pair.1
            }
        }
    }

    @Test("selected rows equal the same rows of a full read", arguments: files)
    func selectionMatchesFullRead(_ file: String) throws {
        let reader = try ParquetFileReader(path: Corpus.path(file))
        let context = DecodingContext()
        for group in 0..<reader.rowGroupCount {
            let rows = try reader.rowCount(rowGroup: group)
            var generator = SplitMix(seed: UInt64(rows) &+ UInt64(group))
            let patterns: [[Int32]] = [
                [],
                Array(stride(from: 0, to: rows, by: 7)).map(Int32.init),
                (0..<rows).filter { _ in generator.next() % 3 == 0 }.map(Int32.init),
                rows > 0 ? [Int32(rows - 1)] : [],
            ]
            for column in reader.columns.indices {
                guard let full = try? reader.readColumn(rowGroup: group, column: column, context: context) else { continue }
                let expected = cells(full)
                for pattern in patterns {
                    let selected = try reader.readColumn(rowGroup: group, column: column,
                                                         selection: RowSelection(rows: pattern), context: context)
                    let wanted = pattern.map { expected[Int($0)] }
                    #expect(selected.count == pattern.count)
                    #expect(same(cells(selected), wanted), "\(file) rg \(group) column \(reader.columns[column].name)")
                }
            }
        }
    }

    @Test("dictionary + indices rebuild the full read", arguments: files)
    func dictionaryIndicesMatchFullRead(_ file: String) throws {
        let reader = try ParquetFileReader(path: Corpus.path(file))
        let context = DecodingContext()
        for group in 0..<reader.rowGroupCount {
            for column in reader.columns.indices {
                guard let full = try? reader.readColumn(rowGroup: group, column: column, context: context) else { continue }
                guard let encoded = try reader.readDictionaryEncoded(rowGroup: group, column: column, context: context) else {
                    #expect(try reader.readDictionary(rowGroup: group, column: column, context: context) == nil)
                    continue
                }
                let expected = cells(full)
                let rebuilt = (0..<encoded.count).map { row -> ParquetValue in
                    encoded.isNull(row) ? .null : encoded.dictionary.value(at: Int(encoded.indices[row]))
                }
                #expect(same(rebuilt, expected), "\(file) rg \(group) column \(reader.columns[column].name)")
                let page = try #require(try reader.readDictionary(rowGroup: group, column: column, context: context))
                #expect(page.count == encoded.dictionaryPageEntryCount)
                #expect(same(cells(page), Array(cells(encoded.dictionary).prefix(page.count))))
            }
        }
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

/// A small deterministic generator for tests.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
