import Foundation
import Testing
@testable import Parquet

/// A file of every type written through the API reads back in pyarrow, DuckDB and polars to
/// the values written, and pyarrow's metadata shows the statistics (`Fixtures/read_written.py`).
@Suite(.enabled(if: !InteropMatrix.skipRequested, "BUILDER_SKIP_INTEROP=1"))
struct WriterInteropTests {
    static let script: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/read_written.py")

    /// As `InteropMatrixTests.mismatch`, but text an engine reads as binary (polars does for
    /// ENUM and JSON) matches when the bytes are the same.
    static func mismatch(_ cell: ParquetValue, _ wanted: Any) -> String? {
        if case let .string(text) = cell, let hex = wanted as? String, hex.hasPrefix("hex:") {
            return InteropMatrixTests.mismatch(.bytes(Array(text.utf8)), hex)
        }
        return InteropMatrixTests.mismatch(cell, wanted)
    }

    private func readBack(_ path: String) throws -> [String: Any] {
        let output = path + ".json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = InteropMatrix.run(["python3", Self.script.path, path, output], timeout: 300)
        guard result.status == 0 else {
            Issue.record("read_written.py failed (\(result.status)): \(result.output.suffix(2000))")
            return [:]
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A codec and a dictionary setting: default, a dictionary small enough to fall back to
    /// PLAIN part-way through most chunks, no dictionary.
    struct Layout: CustomTestStringConvertible, Sendable {
        let codec: CompressionCodec
        let dictionaryLimit: Int?
        var testDescription: String { "\(codec), dictionary \(dictionaryLimit.map { "limit \($0)" } ?? "off")" }
    }

    static let layouts = [Layout(codec: .snappy, dictionaryLimit: 1 << 20), Layout(codec: .zstd, dictionaryLimit: 600),
                          Layout(codec: .gzip, dictionaryLimit: nil), Layout(codec: .uncompressed, dictionaryLimit: 1 << 20)]

    @Test(arguments: layouts)
    func everyTypeReadsBackInPyarrowDuckDBAndPolars(_ layout: Layout) throws {
        let rows = 2000
        let columns = AllTypesFixture.columns(rows: rows, seed: 2026)
        let path = WrittenFile.temporaryPath("interop-all-types")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(compression: layout.codec, createdBy: "builder version test")
        options.maxRowsPerRowGroup = 1200  // two row groups
        options.maxRowsPerPage = 300
        options.keyValueMetadata = [KeyValue(key: "origin", value: "builder tests")]
        options.dictionaryEnabled = layout.dictionaryLimit != nil
        options.dictionaryPageSizeLimit = layout.dictionaryLimit ?? 1
        try WrittenFile.write(AllTypesFixture.fields, columns, to: path, options: options)
        let document = try readBack(path)
        let engines = try #require(document["engines"] as? [String: [String: Any]])
        for engine in ["pyarrow", "duckdb", "polars"] {
            let result = try #require(engines[engine], "\(engine) missing")
            let read = try #require(result["columns"] as? [String: Any], "\(engine): \(result)")
            for (index, field) in AllTypesFixture.fields.enumerated() {
                guard let values = read[field.name] as? [Any] else {
                    Issue.record("\(engine) '\(field.name)': \(read[field.name] ?? "column missing")")
                    continue
                }
                #expect(values.count == rows, "\(engine) '\(field.name)': \(values.count) rows")
                var mismatches: [String] = []
                for (row, (cell, wanted)) in zip(columns[index], values).enumerated() {
                    if let problem = Self.mismatch(cell, wanted) { mismatches.append("row \(row): \(problem)") }
                }
                #expect(mismatches.isEmpty, "\(engine) '\(field.name)': \(mismatches.count) mismatches, first \(mismatches.prefix(3))")
            }
        }
        try checkMetadata(try #require(document["metadata"] as? [String: Any]), columns: columns, codec: layout.codec)
        // With the small dictionary, chunks mix dictionary and PLAIN pages.
        if layout.dictionaryLimit == 600 {
            let groups = try #require((document["metadata"] as? [String: Any])?["row_groups"] as? [[String: Any]])
            let text = try #require((groups[0]["columns"] as? [[String: Any]])?.first { $0["name"] as? String == "text" })
            let encodings = try #require(text["encodings"] as? [String])
            #expect(encodings.contains("PLAIN") && encodings.contains("RLE_DICTIONARY"), "\(encodings)")
        }
    }

    /// pyarrow sees the statistics: null counts everywhere, and min/max wherever the order is
    /// defined (for unsigned and byte-array columns only `min_value`/`max_value` are written, which
    /// pyarrow uses only with the file's column orders).
    private func checkMetadata(_ metadata: [String: Any], columns: [[ParquetValue]], codec: CompressionCodec) throws {
        #expect(metadata["created_by"] as? String == "builder version test")
        #expect(metadata["num_rows"] as? Int == 2000)
        #expect((metadata["key_value_metadata"] as? [String: String])?["origin"] == "builder tests")
        let groups = try #require(metadata["row_groups"] as? [[String: Any]])
        #expect(groups.map { $0["num_rows"] as? Int } == [1200, 800])
        let noBounds: Set<String> = ["int96"]
        for (groupIndex, group) in groups.enumerated() {
            let chunks = try #require(group["columns"] as? [[String: Any]])
            let rows = groupIndex == 0 ? 0..<1200 : 1200..<2000
            for (index, chunk) in chunks.enumerated() {
                let name = AllTypesFixture.fields[index].name
                #expect(chunk["codec"] as? String == codec.description)
                #expect(chunk["has_statistics"] as? Bool == true, "\(name)")
                let nulls = columns[index][rows].filter { $0 == .null }.count
                #expect(chunk["null_count"] as? Int == nulls, "\(name) row group \(groupIndex)")
                let expectBounds = !noBounds.contains(name)
                #expect(chunk["has_min_max"] as? Bool == expectBounds, "\(name) row group \(groupIndex): min/max")
            }
        }
        // A few bounds as pyarrow shows them.
        let first = try #require(groups.first?["columns"] as? [[String: Any]])
        func chunk(_ name: String) throws -> [String: Any] { try #require(first.first { $0["name"] as? String == name }) }
        #expect(try chunk("i32_req")["min"] as? String == String(Int32.min))
        #expect(try chunk("i32_req")["max"] as? String == String(Int32.max))
        let unsigned = columns[AllTypesFixture.fields.firstIndex { $0.name == "uint64" }!][0..<1200].compactMap { cell -> UInt64? in
            if case let .uint(value) = cell { return value }
            return nil
        }
        #expect(try chunk("uint64")["max"] as? String == unsigned.max().map(String.init))
        #expect(try chunk("uint64")["min"] as? String == unsigned.min().map(String.init))
        let texts = columns[AllTypesFixture.fields.firstIndex { $0.name == "text" }!][0..<1200].compactMap { cell -> String? in
            if case let .string(text) = cell { return text }
            return nil
        }
        let sorted = texts.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(try chunk("text")["min"] as? String == sorted.first)
        #expect(try chunk("text")["max"] as? String == sorted.last)
        let described = try #require(metadata["columns"] as? [[String: Any]])
        #expect(described.first { $0["name"] as? String == "uint16" }?["converted_type"] as? String == "UINT_16")
        #expect(described.first { $0["name"] as? String == "dec25" }?["logical_type"] as? String == "Decimal(precision=25, scale=3)")
    }
}
