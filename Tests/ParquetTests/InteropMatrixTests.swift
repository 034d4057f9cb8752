import Foundation
import Testing
@testable import Parquet

/// Files written at test time by pyarrow (every codec x page v1/v2 x dictionary on/off, with
/// nulls, every type, several row groups, dictionary fallback, DELTA_* and BYTE_STREAM_SPLIT,
/// INT96), DuckDB (default, ZSTD, PARQUET_VERSION V2) and polars read back cell for cell to what
/// pyarrow reads from them.
@Suite(.enabled(if: !InteropMatrix.skipRequested, "BUILDER_SKIP_INTEROP=1"))
struct InteropMatrixTests {
    @Test func matrixIsGenerated() throws {
        if case let .failure(error) = InteropMatrix.directory {
            Issue.record("\(error)")
            return
        }
        let names = InteropMatrix.files.map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(names.count >= 20)
        for writer in ["pyarrow", "duckdb", "polars"] {
            #expect(names.contains { $0.hasPrefix(writer) }, "no \(writer) file")
        }
    }

    @Test func everyFileReadsLikePyarrow() throws {
        guard case .success = InteropMatrix.directory else { return }  // reported by matrixIsGenerated
        for path in InteropMatrix.files {
            try compare(path)
        }
    }

    private func compare(_ path: String) throws {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let jsonPath = String(path.dropLast(".parquet".count)) + ".json"
        let data = try Data(contentsOf: URL(fileURLWithPath: jsonPath))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let columns = try #require(document["columns"] as? [[String: Any]])
        let file = try WholeFile(path)
        #expect(Int(file.reader.rowCount) == document["rows"] as? Int, "\(name): rows")
        #expect(file.reader.rowGroupCount == document["row_groups"] as? Int, "\(name): row groups")
        #expect(file.reader.columns.count == columns.count, "\(name): columns")
        for expected in columns {
            let columnName = try #require(expected["name"] as? String)
            let values = try #require(expected["values"] as? [Any])
            guard let index = file.reader.schema.columnIndex(named: columnName) else {
                Issue.record("\(name): no column '\(columnName)'")
                continue
            }
            let actual = file.values(index)
            #expect(actual.count == values.count, "\(name) '\(columnName)': count")
            var mismatches = 0
            for (row, (cell, wanted)) in zip(actual, values).enumerated() {
                if let problem = Self.mismatch(cell, wanted) {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record("\(name) '\(columnName)' row \(row): \(problem) [\(file.reader.columns[index].logicalType.map(String.init(describing:)) ?? "no logical type")]")
                    }
                }
            }
        }
    }

    /// Compares one cell with the canonical string write_matrix.py dumps.
    static func mismatch(_ cell: ParquetValue, _ wanted: Any) -> String? {
        guard let text = wanted as? String else {
            return cell == .null ? nil : "expected null, got \(cell)"
        }
        let rendered: String
        switch cell {
        case .null: return "expected \(text), got null"
        case let .boolean(value): rendered = value ? "true" : "false"
        case let .int(value): rendered = String(value)
        case let .uint(value): rendered = String(value)
        case let .float(value): return compareFloating(Double(value), text)
        case let .double(value): return compareFloating(value, text)
        case let .string(value): rendered = value
        case let .bytes(value), let .uuid(value): rendered = "hex:" + value.map { String(format: "%02x", $0) }.joined()
        case let .decimal(value): rendered = value.description
        case let .date(days): rendered = String(days)
        case let .time(value, _), let .timestamp(value, _, _): rendered = String(value)
        }
        return rendered == text ? nil : "expected \(text), got \(rendered)"
    }

    private static func compareFloating(_ value: Double, _ text: String) -> String? {
        guard let expected = Double(text) else { return "unparsable \(text)" }
        if expected.isNaN { return value.isNaN ? nil : "expected nan, got \(value)" }
        return value == expected && value.sign == expected.sign ? nil : "expected \(text), got \(value)"
    }

    @Test func selectionsAndDictionariesMatchFullReads() throws {
        for path in InteropMatrix.files {
            try ReadConsistency.checkSelections(path)
            try ReadConsistency.checkDictionaries(path)
        }
    }

    @Test func dictionaryFallbackIsExercisedAndRebuildsValues() throws {
        guard case let .success(directory) = InteropMatrix.directory else { return }
        let reader = try ParquetFileReader(path: directory.appendingPathComponent("pyarrow_dictionary_fallback.parquet").path)
        let context = DecodingContext()
        var sawFallback = false
        for group in 0..<reader.rowGroupCount {
            for column in reader.columns.indices where !reader.columns[column].isNested {
                let full = try reader.readColumn(rowGroup: group, column: column, context: context)
                guard let encoded = try reader.readDictionaryEncoded(rowGroup: group, column: column, context: context) else { continue }
                sawFallback = sawFallback || !encoded.isFullyDictionaryEncoded
                for row in 0..<full.count {
                    let rebuilt = encoded.isNull(row) ? .null : encoded.dictionary.value(at: Int(encoded.indices[row]))
                    let expected = full.value(at: row)
                    if rebuilt != expected, !(rebuilt.isNaN && expected.isNaN) {
                        Issue.record("column \(reader.columns[column].name) row \(row): \(rebuilt) != \(expected)")
                        break
                    }
                }
            }
        }
        #expect(sawFallback, "no chunk fell back from dictionary to plain pages")
    }

    @Test func duckDBStatisticsAndDictionaryPages() throws {
        guard case let .success(directory) = InteropMatrix.directory else { return }
        let reader = try ParquetFileReader(path: directory.appendingPathComponent("duckdb_zstd.parquet").path)
        let id = try #require(reader.schema.columnIndex(named: "id"))
        let stats = try #require(try reader.statistics(rowGroup: 1, column: id))
        #expect(stats.min == .int32(2048) && stats.max == .int32(4095) && stats.nullCount == 0)
        let lowCard = try #require(reader.schema.columnIndex(named: "low_card"))
        let dictionary = try #require(try reader.readDictionary(rowGroup: 0, column: lowCard))
        #expect(dictionary.count == 23)  // naf_0 ... naf_22
        let text = try #require(reader.schema.columnIndex(named: "unique_text"))
        let textStats = try #require(try reader.statistics(rowGroup: 0, column: text))
        #expect(textStats.min == .bytes(Array("siret_00000000000000".utf8)))
    }
}

extension ParquetValue {
    var isNaN: Bool {
        switch self {
        case let .float(value): return value.isNaN
        case let .double(value): return value.isNaN
        default: return false
        }
    }
}
