import Testing
@testable import Parquet

/// The compact-protocol encoder, checked by decoding what it writes with the reader's decoder.
struct ThriftWriterTests {
    private func decode<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            let value = try body(&reader)
            #expect(reader.position == raw.count, "decoder stopped at \(reader.position) of \(raw.count) bytes")
            return value
        }
    }

    @Test func fieldHeadersUseDeltasPerStructAndTheLongFormOtherwise() throws {
        var w = ThriftCompactWriter()
        w.writeStruct { w in
            w.field(1, string: "outer")
            w.field(4, struct: { w in
                w.field(9, i32: 7)
                w.field(10, i64: -8)
            })
            w.field(6, i32: 42)  // delta from 4, not from the nested struct's 10
            w.field(300, i64: -5)  // long form
            w.field(301, bool: true)
            w.field(302, bool: false)
            w.field(320, i16: -300)  // delta 18: long form again
            w.field(321, byte: -7)
            w.field(322, double: -2.5)
        }
        // Short form for field 1: delta 1, binary type 8.
        #expect(w.bytes.first == 0x18)
        var seen: [(Int16, String)] = []
        try decode(w.bytes) { r in
            try r.readStruct { r, f in
                switch (f.id, f.type) {
                case (1, .binary): seen.append((1, try r.readString()))
                case (4, .struct):
                    try r.readStruct { r, inner in
                        seen.append((inner.id, String(try r.readInteger(inner.type))))
                        return true
                    }
                case (301, _), (302, _): seen.append((f.id, String(f.boolValue)))
                case (322, .double): seen.append((f.id, String(try r.readDouble())))
                default:
                    guard f.type.isInteger else { return false }
                    seen.append((f.id, String(try r.readInteger(f.type))))
                }
                return true
            }
        }
        #expect(seen.map(\.0) == [1, 9, 10, 6, 300, 301, 302, 320, 321, 322])
        #expect(seen.map(\.1) == ["outer", "7", "-8", "42", "-5", "true", "false", "-300", "-7", "-2.5"])
    }

    @Test func listsOfEverySizeAndBooleanElementsRoundTrip() throws {
        for count in [0, 1, 14, 15, 16, 300] {
            let values = (0..<count).map { Int32($0 * 1000 - 7) }
            var w = ThriftCompactWriter()
            w.writeStruct { w in
                w.field(1, list: .i32, values) { w, value in w.writeI32(value) }
                w.field(2, list: .binary, values.map(String.init)) { w, text in w.writeString(text) }
            }
            let (numbers, texts) = try decode(w.bytes) { r -> ([Int32], [String]) in
                var numbers: [Int32] = [], texts: [String] = []
                try r.readStruct { r, f in
                    switch f.id {
                    case 1: numbers = try r.readList(of: .i32) { r, t in try r.readInt32(t) } ?? []
                    case 2: texts = try r.readList(of: .binary) { r, _ in try r.readString() } ?? []
                    default: return false
                    }
                    return true
                }
                return (numbers, texts)
            }
            #expect(numbers == values, "list of \(count)")
            #expect(texts == values.map(String.init), "list of \(count)")
        }
        var w = ThriftCompactWriter()
        w.writeListHeader(.booleanTrue, count: 3)
        for value in [true, false, true] { w.writeListBool(value) }
        let flags = try decode(w.bytes) { r -> [Bool] in
            let (_, count) = try r.readListHeader()
            return try (0..<count).map { _ in try r.readListBool() }
        }
        #expect(flags == [true, false, true])
    }

    @Test func extremeIntegersSurviveZigzag() throws {
        let values: [Int64] = [0, -1, 1, Int64.max, Int64.min, Int64(Int32.max), Int64(Int32.min)]
        var w = ThriftCompactWriter()
        w.writeStruct { w in
            for (index, value) in values.enumerated() { w.field(Int16(index + 1), i64: value) }
        }
        let decoded = try decode(w.bytes) { r -> [Int64] in
            var out: [Int64] = []
            try r.readStruct { r, f in
                out.append(try r.readInt64(f.type))
                return true
            }
            return out
        }
        #expect(decoded == values)
    }

    @Test func aFullFooterRoundTrips() throws {
        let schema = [
            SchemaElement(repetitionType: .required, name: "schema", numChildren: 6),
            SchemaElement(type: .byteArray, repetitionType: .optional, name: "name", convertedType: .utf8, logicalType: .string),
            SchemaElement(type: .int32, repetitionType: .required, name: "price", convertedType: .decimal,
                          scale: 2, precision: 9, logicalType: .decimal(scale: 2, precision: 9)),
            SchemaElement(type: .int64, repetitionType: .optional, name: "seen", convertedType: .timestampMicros,
                          logicalType: .timestamp(isAdjustedToUTC: false, unit: .microseconds)),
            SchemaElement(type: .int32, repetitionType: .optional, name: "small", convertedType: .uint8,
                          logicalType: .integer(bitWidth: 8, isSigned: false)),
            SchemaElement(type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional, name: "id",
                          fieldID: 12, logicalType: .uuid),
            SchemaElement(type: .int64, repetitionType: .optional, name: "t",
                          logicalType: .time(isAdjustedToUTC: true, unit: .nanoseconds)),
        ]
        let statistics = Statistics(max: [9, 0, 0, 0], min: [1, 0, 0, 0], nullCount: 3, distinctCount: 4,
                                    maxValue: [9, 0, 0, 0], minValue: [1, 0, 0, 0], isMaxValueExact: true,
                                    isMinValueExact: false, nanCount: 0)
        let chunk = ColumnChunk(fileOffset: 0, metaData: ColumnMetaData(
            type: .byteArray, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["name"], codec: .zstd,
            numValues: 1000, totalUncompressedSize: 123_456_789_012, totalCompressedSize: 4567,
            keyValueMetadata: [KeyValue(key: "k", value: "v")], dataPageOffset: 104, dictionaryPageOffset: 4,
            statistics: statistics,
            encodingStats: [PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                            PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 2)]))
        let group = RowGroup(columns: Array(repeating: chunk, count: 6), totalByteSize: 99, numRows: 1000,
                             sortingColumns: [SortingColumn(columnIndex: 1, descending: true, nullsFirst: false)],
                             fileOffset: 4, totalCompressedSize: 88, ordinal: 0)
        let meta = FileMetaData(version: 2, schema: schema, numRows: 1000, rowGroups: [group, group],
                                keyValueMetadata: [KeyValue(key: "a", value: "b"), KeyValue(key: "only key")],
                                createdBy: "builder version 0.1.0",
                                columnOrders: Array(repeating: .typeDefinedOrder, count: 5) + [.ieee754TotalOrder])
        let decoded = try decode(meta.thriftEncoded()) { r in try FileMetaData(thrift: &r) }
        #expect(decoded == meta)

        // A writer encodes each row group as it closes (`EncodedRowGroups`): the footer decodes to
        // the same metadata, also past 14 row groups (the list header's long form) and with none.
        for count in [0, 2, 20] {
            var many = meta
            many.rowGroups = (0..<count).map { ordinal in
                var numbered = group
                numbered.ordinal = Int16(ordinal)
                numbered.fileOffset = Int64(4 + ordinal * 1000)
                return numbered
            }
            var encoded = EncodedRowGroups()
            for rowGroup in many.rowGroups { encoded.append(rowGroup) }
            var bare = many
            bare.rowGroups = []
            #expect(encoded.count == count)
            #expect(try decode(bare.thriftEncoded(rowGroups: encoded)) { r in try FileMetaData(thrift: &r) } == many)
        }
    }

    @Test func everyLogicalTypeRoundTrips() throws {
        let types: [LogicalType] = [
            .string, .map, .list, .enum, .decimal(scale: 3, precision: 30), .date,
            .time(isAdjustedToUTC: false, unit: .milliseconds), .time(isAdjustedToUTC: true, unit: .microseconds),
            .timestamp(isAdjustedToUTC: true, unit: .nanoseconds), .timestamp(isAdjustedToUTC: false, unit: .milliseconds),
            .integer(bitWidth: 64, isSigned: false), .integer(bitWidth: 16, isSigned: true), .null, .json, .bson,
            .uuid, .float16, .variant, .geometry(crs: nil), .geometry(crs: "EPSG:2154"), .geography(crs: nil, algorithm: nil),
            .geography(crs: "OGC:CRS84", algorithm: .karney), .geography(crs: nil, algorithm: EdgeInterpolationAlgorithm(rawValue: 9)),
            .unknownMember(2555),
        ]
        for type in types {
            var w = ThriftCompactWriter()
            type.write(to: &w)
            let decoded = try decode(w.bytes) { r in try LogicalType(thrift: &r) }
            #expect(decoded == type)
        }
    }

    @Test func pageHeadersRoundTrip() throws {
        let headers = [
            PageHeader(type: .dataPage, uncompressedPageSize: 1_048_576, compressedPageSize: 4000, crc: -12345,
                       dataPageHeader: DataPageHeader(numValues: 20_000, encoding: .rleDictionary,
                                                      statistics: Statistics(nullCount: 0))),
            PageHeader(type: .dictionaryPage, uncompressedPageSize: 10, compressedPageSize: 12,
                       dictionaryPageHeader: DictionaryPageHeader(numValues: 2, encoding: .plain, isSorted: false)),
            PageHeader(type: .dataPageV2, uncompressedPageSize: 50, compressedPageSize: 40,
                       dataPageHeaderV2: DataPageHeaderV2(numValues: 5, numNulls: 1, numRows: 5, encoding: .plain,
                                                          definitionLevelsByteLength: 3, repetitionLevelsByteLength: 0,
                                                          isCompressed: false)),
        ]
        for header in headers {
            var w = ThriftCompactWriter()
            header.write(to: &w)
            #expect(try decode(w.bytes) { r in try PageHeader(thrift: &r) } == header)
        }
    }
}
