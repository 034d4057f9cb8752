import Foundation
import Conversion
import Testing
@testable import Parquet

/// Files written by `ParquetFileWriter` read back through `ParquetFileReader` to the values
/// written: every type, nulls, codecs, dictionary fallback, several row groups and pages.
struct WriterRoundTripTests {
    @Test(arguments: [CompressionCodec.snappy, .zstd, .gzip, .uncompressed])
    func everyTypeRoundTripsWithEachCodec(_ codec: CompressionCodec) throws {
        let columns = AllTypesFixture.columns(rows: 1500)
        let path = WrittenFile.temporaryPath("all-types")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(compression: codec, createdBy: "builder tests")
        options.maxRowsPerPage = 400  // several pages per chunk
        try WrittenFile.write(AllTypesFixture.fields, columns, to: path, options: options)
        let read = try WrittenFile.cells(path)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowCount == 1500)
        for (index, field) in AllTypesFixture.fields.enumerated() {
            #expect(sameCells(read[index], columns[index]), "\(field.name): \(firstDifference(read[index], columns[index]))")
            #expect(try reader.chunkMetadata(rowGroup: 0, column: index).codec == codec)
        }
    }

    @Test func plainEncodingRoundTripsEveryType() throws {
        let columns = AllTypesFixture.columns(rows: 900, seed: 5)
        let path = WrittenFile.temporaryPath("plain")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(compression: .uncompressed, createdBy: "builder tests")
        options.dictionaryEnabled = false
        options.maxRowsPerPage = 256
        try WrittenFile.write(AllTypesFixture.fields, columns, to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        let read = try WrittenFile.cells(path)
        for (index, field) in AllTypesFixture.fields.enumerated() {
            let meta = try reader.chunkMetadata(rowGroup: 0, column: index)
            #expect(meta.dictionaryPageOffset == nil, "\(field.name)")
            #expect(meta.encodingStats == [PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 4)], "\(field.name)")
            #expect(sameCells(read[index], columns[index]), "\(field.name): \(firstDifference(read[index], columns[index]))")
        }
    }

    @Test func geospatialColumnsKeepTheirTypeAndParametersAndReadAsHexWKB() throws {
        let path = WrittenFile.temporaryPath("geo")
        defer { WrittenFile.remove(path) }
        let point: [UInt8] = [1, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 7) + [0x40] + [UInt8](repeating: 0, count: 8)
        let fields = [
            ParquetField(name: "geom", physicalType: .byteArray, logicalType: .geometry(crs: "EPSG:2154"), isOptional: true),
            ParquetField(name: "geog", physicalType: .byteArray, logicalType: .geography(crs: nil, algorithm: .vincenty), isOptional: true),
            ParquetField(name: "plain", physicalType: .byteArray, logicalType: .geometry(crs: nil), isOptional: true),
        ]
        let cells: [ParquetValue] = [.bytes(point), .null, .bytes([])]
        try WrittenFile.write(fields, [cells, cells, cells], to: path)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.columns.map(\.logicalType) == fields.map(\.logicalType))
        #expect(reader.columns.allSatisfy { $0.convertedType == nil })
        #expect(try WrittenFile.cells(path) == [cells, cells, cells])
        // No min/max: the format leaves their order undefined.
        #expect(try reader.statistics(rowGroup: 0, column: 0)?.min == nil)
        let formatter = ColumnTextFormatter(try reader.readColumn(rowGroup: 0, column: 0))
        #expect(formatter.text(row: 0).map { String(decoding: $0, as: UTF8.self) } == "0101000000" + "00000000000000" + "40" + "0000000000000000")  // POINT(2 0)
        #expect(formatter.text(row: 1) == nil)
        #expect(reader.columns[1].logicalType?.description == "GEOGRAPHY(algorithm=VINCENTY)")
    }

    @Test func annotationsAreWrittenAsLogicalAndConvertedTypes() throws {
        let path = WrittenFile.temporaryPath("annotations")
        defer { WrittenFile.remove(path) }
        try WrittenFile.write(AllTypesFixture.fields, AllTypesFixture.columns(rows: 10), to: path)
        let reader = try ParquetFileReader(path: path)
        func element(_ name: String) throws -> SchemaElement {
            try #require(reader.schema.columns.first { $0.name == name }).element
        }
        #expect(try element("text").convertedType == .utf8)
        #expect(try element("text").logicalType == .string)
        #expect(try element("day").convertedType == .date)
        #expect(try element("uint16").convertedType == .uint16)
        #expect(try element("int8").convertedType == .int8)
        // LogicalTypes.md: local times and timestamps carry the legacy annotation too.
        #expect(try element("ts_us_local").convertedType == .timestampMicros)
        #expect(try element("ts_us_local").logicalType == .timestamp(isAdjustedToUTC: false, unit: .microseconds))
        #expect(try element("ts_ns_utc").convertedType == nil)
        #expect(try element("time_ms").convertedType == .timeMillis)
        #expect(try element("dec25").convertedType == .decimal)
        #expect(try element("dec25").precision == 25 && element("dec25").scale == 3)
        #expect(try element("dec25").typeLength == 11)
        #expect(try element("uuid").logicalType == .uuid && element("uuid").convertedType == nil)
        #expect(try element("bool_req").repetitionType == .required)
        #expect(try element("bool_opt").repetitionType == .optional)
        #expect(reader.metadata.columnOrders == Array(repeating: .typeDefinedOrder, count: AllTypesFixture.fields.count))
        #expect(reader.createdBy == "builder tests")
        #expect(reader.metadata.version == 2)
    }

    @Test func dictionaryFallsBackToPlainPartWayThroughAChunk() throws {
        let path = WrittenFile.temporaryPath("fallback")
        defer { WrittenFile.remove(path) }
        // A first page of ten values (the dictionary pays), then unique ones: the dictionary passes
        // 4 KiB after ~200 of them.
        let cells = (0..<3000).map { ParquetValue.string($0 < 500 ? "code_\($0 % 10)" : "siret_\(String(format: "%08d", $0 * 7919 % 100_000))") }
        let ints = (0..<3000).map { ParquetValue.int($0 < 500 ? Int64($0 % 10) : Int64($0) * 1_000_003) }
        var options = WriterOptions(createdBy: "builder tests")
        options.dictionaryPageSizeLimit = 4096
        options.maxRowsPerPage = 500
        try WrittenFile.write([.string("id"), .int64("n", optional: false)], [cells, ints], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        for column in 0..<2 {
            let meta = try reader.chunkMetadata(rowGroup: 0, column: column)
            let stats = try #require(meta.encodingStats)
            #expect(stats.contains { $0.pageType == .dictionaryPage && $0.encoding == .plain && $0.count == 1 })
            #expect(stats.contains { $0.pageType == .dataPage && $0.encoding == .rleDictionary })
            #expect(stats.contains { $0.pageType == .dataPage && $0.encoding == .plain })
            #expect(meta.encodings.contains(.rleDictionary) && meta.encodings.contains(.plain) && meta.encodings.contains(.rle))
            // The dictionary page comes first in the chunk.
            #expect(try #require(meta.dictionaryPageOffset) < meta.dataPageOffset)
            #expect(try reader.isFullyDictionaryEncoded(rowGroup: 0, column: column) == false)
            let encoded = try #require(try reader.readDictionaryEncoded(rowGroup: 0, column: column))
            #expect(!encoded.isFullyDictionaryEncoded)
        }
        let read = try WrittenFile.cells(path)
        #expect(sameCells(read[0], cells))
        #expect(sameCells(read[1], ints))
    }

    @Test func aDictionaryThatDoesNotMakeTheFirstPageSmallerIsDropped() throws {
        let path = WrittenFile.temporaryPath("judged")
        defer { WrittenFile.remove(path) }
        // Unique values of every kind a dictionary holds (BYTE_ARRAY, INT32, INT64, FIXED_LEN_BYTE_ARRAY),
        // some null; and a column that repeats, whose first page is only nulls.
        let rows = 30_000
        let texts = (0..<rows).map { $0 % 97 == 0 ? ParquetValue.null : .string("siret_\(String(format: "%08d", $0 * 7919 % 100_000))") }
        let ints = (0..<rows).map { ParquetValue.int(Int64(($0 * 7919) % 100_000) - 50_000) }
        let longs = (0..<rows).map { ParquetValue.int(Int64($0) * 1_000_003) }
        let fixed = (0..<rows).map { row in ParquetValue.bytes((0..<6).map { UInt8(truncatingIfNeeded: (row * 7919) >> ($0 * 3)) }) }
        let codes = (0..<rows).map { $0 < 600 ? ParquetValue.null : .string(["56.10A", "69.20Z", "47.11F"][$0 % 3]) }
        var options = WriterOptions(createdBy: "builder tests")
        options.maxRowsPerPage = 500
        try WrittenFile.write([.string("id"), .int32("n"), .int64("m", optional: false), .fixedLenByteArray("f", length: 6),
                               .string("naf")], [texts, ints, longs, fixed, codes], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        for column in 0..<4 {
            let meta = try reader.chunkMetadata(rowGroup: 0, column: column)
            // PLAIN from the first value: no dictionary page, no dictionary-encoded page.
            #expect(meta.dictionaryPageOffset == nil, "column \(column)")
            #expect(try #require(meta.encodingStats).allSatisfy { $0.pageType == .dataPage && $0.encoding == .plain }, "column \(column)")
            #expect(!meta.encodings.contains(.rleDictionary), "column \(column)")
        }
        // Bounds and null count as the values give them.
        let id = try #require(try reader.statistics(rowGroup: 0, column: 0))
        let present = texts.compactMap { value -> String? in if case let .string(text) = value { text } else { nil } }
        #expect(id.min == .bytes(Array(present.min()!.utf8)) && id.max == .bytes(Array(present.max()!.utf8)))
        #expect(id.nullCount == Int64(texts.count - present.count))
        let numbers = (0..<rows).map { Int32(($0 * 7919) % 100_000) - 50_000 }
        let n = try #require(try reader.statistics(rowGroup: 0, column: 1))
        #expect(n.min == .int32(numbers.min()!) && n.max == .int32(numbers.max()!))
        // The repeating column: its page of nulls PLAIN, then its dictionary judged on its values, kept.
        let naf = try reader.chunkMetadata(rowGroup: 0, column: 4)
        #expect(naf.dictionaryPageOffset != nil)
        #expect(try #require(naf.encodingStats).contains { $0.pageType == .dataPage && $0.encoding == .rleDictionary })
        let read = try WrittenFile.cells(path)
        for (column, expected) in [texts, ints, longs, fixed, codes].enumerated() {
            #expect(sameCells(read[column], expected), "column \(column)")
        }
    }

    @Test func lowCardinalityColumnsStayDictionaryEncoded() throws {
        let path = WrittenFile.temporaryPath("dictionary")
        defer { WrittenFile.remove(path) }
        let codes = (0..<50_000).map { ParquetValue.string(["56.10A", "69.20Z", "47.11F"][$0 % 3]) }
        try WrittenFile.write([.string("naf")], [codes], to: path)
        let reader = try ParquetFileReader(path: path)
        #expect(try reader.isFullyDictionaryEncoded(rowGroup: 0, column: 0) == true)
        let dictionary = try #require(try reader.readDictionary(rowGroup: 0, column: 0))
        #expect(dictionary.count == 3)
        // 50 000 rows in pages of at most 20 000 rows.
        let pages = try #require(try reader.chunkMetadata(rowGroup: 0, column: 0).encodingStats)
            .filter { $0.pageType == .dataPage }.reduce(0) { $0 + Int($1.count) }
        #expect(pages == 3)
        #expect(sameCells(try WrittenFile.cells(path)[0], codes))
    }

    @Test func rowsAreCutIntoRowGroupsAndPagesBySize() throws {
        let path = WrittenFile.temporaryPath("groups")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(createdBy: "builder tests")
        options.maxRowsPerRowGroup = 1000
        options.maxRowsPerPage = 64
        let numbers = (0..<3500).map { ParquetValue.int(Int64($0)) }
        let texts = (0..<3500).map { $0 % 9 == 0 ? ParquetValue.null : .string("row \($0)") }
        let writer = try ParquetFileWriter(path: path, fields: [.int64("n"), .string("t")], options: options)
        // Batches that straddle row-group boundaries.
        for start in stride(from: 0, to: 3500, by: 700) {
            let range = start..<(start + 700)
            try writer.write([try ColumnValues(column: writer.schema.columns[0], cells: Array(numbers[range])),
                              try ColumnValues(column: writer.schema.columns[1], cells: Array(texts[range]))])
        }
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowGroupCount == 4)
        #expect(try (0..<4).map { try reader.rowCount(rowGroup: $0) } == [1000, 1000, 1000, 500])
        let pages = try #require(try reader.chunkMetadata(rowGroup: 0, column: 0).encodingStats)
            .filter { $0.pageType == .dataPage }.reduce(0) { $0 + Int($1.count) }
        #expect(pages == 16)  // 1000 rows in pages of 64
        let read = try WrittenFile.cells(path)
        #expect(sameCells(read[0], numbers))
        #expect(sameCells(read[1], texts))
        #expect(reader.metadata.rowGroups.map(\.ordinal) == [0, 1, 2, 3])
    }

    @Test func aRowGroupByteLimitClosesRowGroupsEarly() throws {
        let path = WrittenFile.temporaryPath("bytes")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(compression: .uncompressed, createdBy: "builder tests")
        options.maxRowGroupBytes = 100_000
        options.dictionaryEnabled = false
        let texts = (0..<200_000).map { ParquetValue.string(String(repeating: "x", count: $0 % 5) + String($0)) }
        try WrittenFile.write([.string("t", optional: false)], [texts], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowGroupCount > 5)
        for group in reader.metadata.rowGroups {
            // Slices of 8192 rows are checked against the limit, so a group overshoots by at most one slice.
            #expect(group.totalCompressedSize ?? 0 < 100_000 + 8192 * 16)
        }
        #expect(sameCells(try WrittenFile.cells(path)[0], texts))
    }

    @Test func pagesAreClosedNearTheDataPageSize() throws {
        let path = WrittenFile.temporaryPath("page-size")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(compression: .uncompressed, createdBy: "builder tests")
        options.dataPageSize = 10_000
        options.dictionaryEnabled = false
        let numbers = (0..<10_000).map { ParquetValue.double(Double($0)) }
        try WrittenFile.write([.double("x", optional: false)], [numbers], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        let pages = try #require(try reader.chunkMetadata(rowGroup: 0, column: 0).encodingStats)
            .filter { $0.pageType == .dataPage }.reduce(0) { $0 + Int($1.count) }
        #expect(pages == 8)  // 80 000 bytes in pages of 10 000
    }

    @Test func writingColumnByColumnGivesTheSameFileContent() throws {
        let columns = AllTypesFixture.columns(rows: 700, seed: 99)
        let first = WrittenFile.temporaryPath("batch"), second = WrittenFile.temporaryPath("by-column")
        defer {
            WrittenFile.remove(first)
            WrittenFile.remove(second)
        }
        try WrittenFile.write(AllTypesFixture.fields, columns, to: first)
        let writer = try ParquetFileWriter(path: second, fields: AllTypesFixture.fields,
                                           options: WriterOptions(createdBy: "builder tests"))
        var asked: [Int] = []
        try writer.writeRowGroup(rowCount: 700) { index in
            asked.append(index)
            return try ColumnValues(column: writer.schema.columns[index], cells: columns[index])
        }
        try writer.close()
        #expect(asked == Array(AllTypesFixture.fields.indices))
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
    }

    @Test func readerOutputWritesBackUnchanged() throws {
        let source = WrittenFile.temporaryPath("source"), copy = WrittenFile.temporaryPath("copy")
        defer {
            WrittenFile.remove(source)
            WrittenFile.remove(copy)
        }
        var options = WriterOptions(createdBy: "builder tests")
        options.maxRowsPerRowGroup = 300
        try WrittenFile.write(AllTypesFixture.fields, AllTypesFixture.columns(rows: 1000), to: source, options: options)
        let reader = try ParquetFileReader(path: source)
        let writer = try ParquetFileWriter(path: copy, fields: reader.columns.map(ParquetField.init),
                                           options: WriterOptions(compression: .zstd, createdBy: "builder tests"))
        for group in 0..<reader.rowGroupCount {
            try writer.writeRowGroup(rowCount: try reader.rowCount(rowGroup: group)) { index in
                try reader.readColumn(rowGroup: group, column: index)
            }
        }
        try writer.close()
        let before = try WrittenFile.cells(source), after = try WrittenFile.cells(copy)
        for index in before.indices {
            #expect(sameCells(before[index], after[index]), "\(AllTypesFixture.fields[index].name)")
        }
        #expect(try ParquetFileReader(path: copy).rowGroupCount == 4)
        let rewritten = try ParquetFileReader(path: copy)
        #expect(rewritten.schema.elements == reader.schema.elements)
    }

    @Test func corpusFilesWriteBackToTheSameValues() throws {
        guard Corpus.isAvailable else { return }
        var checked = 0
        for relative in Corpus.files(in: "data") {
            guard let reader = try? ParquetFileReader(path: Corpus.path(relative)),
                  reader.columns.allSatisfy({ !$0.isNested }), reader.rowCount > 0,
                  let original = try? WholeFile(Corpus.path(relative)) else { continue }
            let copy = WrittenFile.temporaryPath("corpus")
            defer { WrittenFile.remove(copy) }
            let writer = try ParquetFileWriter(path: copy, fields: reader.columns.map(ParquetField.init),
                                               options: WriterOptions(createdBy: "builder tests"))
            for group in 0..<reader.rowGroupCount {
                try writer.writeRowGroup(rowCount: try reader.rowCount(rowGroup: group)) { index in
                    try reader.readColumn(rowGroup: group, column: index)
                }
            }
            try writer.close()
            let rewritten = try WholeFile(copy)
            for index in reader.columns.indices {
                #expect(sameCells(original.values(index), rewritten.values(index)),
                        "\(relative) column \(reader.columns[index].name): \(firstDifference(original.values(index), rewritten.values(index)))")
            }
            checked += 1
        }
        #expect(checked >= 20)
    }

    @Test func edgeCasesRoundTrip() throws {
        let path = WrittenFile.temporaryPath("edges")
        defer { WrittenFile.remove(path) }
        let rows = 1001
        let allNull = [ParquetValue](repeating: .null, count: rows)
        let emptyStrings = [ParquetValue](repeating: .string(""), count: rows)
        let oneValue = [ParquetValue](repeating: .int(42), count: rows)
        let booleans = (0..<rows).map { ParquetValue.boolean($0 % 3 == 0) }
        let sparse = (0..<rows).map { $0 % 97 == 0 ? ParquetValue.int(Int64($0)) : .null }
        let fields: [ParquetField] = [.string("nulls"), .string("empty", optional: false), .int32("same", optional: false),
                                      .boolean("flags", optional: false), .int64("sparse")]
        try WrittenFile.write(fields, [allNull, emptyStrings, oneValue, booleans, sparse], to: path)
        let read = try WrittenFile.cells(path)
        for (index, expected) in [allNull, emptyStrings, oneValue, booleans, sparse].enumerated() {
            #expect(sameCells(read[index], expected), "\(fields[index].name): \(firstDifference(read[index], expected))")
        }
        let reader = try ParquetFileReader(path: path)
        // An all-null chunk has no (empty) dictionary page.
        #expect(try reader.chunkMetadata(rowGroup: 0, column: 0).dictionaryPageOffset == nil)
        #expect(try reader.statistics(rowGroup: 0, column: 0)?.nullCount == Int64(rows))
    }

    @Test func aFileWithoutRowsIsValid() throws {
        let path = WrittenFile.temporaryPath("empty")
        defer { WrittenFile.remove(path) }
        let writer = try ParquetFileWriter(path: path, fields: [.string("a"), .int64("b")],
                                           options: WriterOptions(createdBy: "builder tests"))
        try writer.write([try ColumnValues(column: writer.schema.columns[0], cells: []),
                          try ColumnValues(column: writer.schema.columns[1], cells: [])])
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowCount == 0)
        #expect(reader.rowGroupCount == 0)
        #expect(reader.columns.map(\.name) == ["a", "b"])
    }

    @Test func keyValueMetadataIsWritten() throws {
        let path = WrittenFile.temporaryPath("metadata")
        defer { WrittenFile.remove(path) }
        var options = WriterOptions(createdBy: "builder version 9.9.9")
        options.keyValueMetadata = [KeyValue(key: "source", value: "SIRENE"), KeyValue(key: "empty")]
        try WrittenFile.write([.int32("x")], [[.int(1)]], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.keyValueMetadata == options.keyValueMetadata)
        #expect(reader.createdBy == "builder version 9.9.9")
    }
}
