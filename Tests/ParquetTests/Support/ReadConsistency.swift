import Foundation
import TestSupport
import Testing
@testable import Parquet

/// Checks that the partial read paths (row selection, dictionary + indices, dictionary page
/// alone) give the same cells as a full read of the same chunk.
enum ReadConsistency {
    static func cells(_ values: ColumnValues) -> [ParquetValue] {
        (0..<values.count).map { values.value(at: $0) }
    }

    /// Same cells, with NaN equal to NaN.
    static func same(_ left: [ParquetValue], _ right: [ParquetValue]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { pair in
            switch pair {
            case let (.float(a), .float(b)) where a.isNaN && b.isNaN: return true
            case let (.double(a), .double(b)) where a.isNaN && b.isNaN: return true
            default: return pair.0 == pair.1
            }
        }
    }

    /// Reads every column with several row selections and compares with the full read.
    static func checkSelections(_ path: String) throws {
        let file = URL(fileURLWithPath: path).lastPathComponent
        let reader = try ParquetFileReader(path: path)
        let context = DecodingContext()
        for group in 0..<reader.rowGroupCount {
            let rows = try reader.rowCount(rowGroup: group)
            var generator = SplitMix64(seed: UInt64(rows) &+ UInt64(group))
            let patterns: [[Int32]] = [
                [],
                Array(stride(from: 0, to: rows, by: 7)).map(Int32.init),
                (0..<rows).filter { _ in generator.next() % 3 == 0 }.map(Int32.init),
                // Sparse: dictionary indices of these rows only are unpacked.
                (0..<rows).filter { _ in generator.next() % 41 == 0 }.map(Int32.init),
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

    /// Reads every dictionary-encoded chunk as dictionary + indices and compares the rebuilt
    /// values with the full read.
    static func checkDictionaries(_ path: String) throws {
        let file = URL(fileURLWithPath: path).lastPathComponent
        let reader = try ParquetFileReader(path: path)
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
                // With a selection: every third row.
                let rows = (0..<full.count).filter { $0 % 3 == 1 }.map(Int32.init)
                let partial = try #require(try reader.readDictionaryEncoded(
                    rowGroup: group, column: column, selection: RowSelection(rows: rows), context: context))
                let rebuiltPartial = (0..<partial.count).map { row -> ParquetValue in
                    partial.isNull(row) ? .null : partial.dictionary.value(at: Int(partial.indices[row]))
                }
                #expect(same(rebuiltPartial, rows.map { expected[Int($0)] }), "\(file) rg \(group) column \(reader.columns[column].name) (selection)")
                let page = try #require(try reader.readDictionary(rowGroup: group, column: column, context: context))
                #expect(page.count == encoded.dictionaryPageEntryCount)
                #expect(same(cells(page), Array(cells(encoded.dictionary).prefix(page.count))))
            }
        }
    }
}
