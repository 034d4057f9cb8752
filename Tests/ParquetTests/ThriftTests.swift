import Testing
@testable import Parquet

/// The compact-protocol decoder and the footer structs it feeds.
struct ThriftTests {
    private func decode<T>(_ bytes: [UInt8], limits: ThriftLimits = .default,
                           _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw, limits: limits)
            return try body(&reader)
        }
    }

    @Test func fieldIDsAreRelativeToEachStruct() throws {
        // KeyValue-like outer struct: field 1 string, nested struct at 4, then field 6 (delta
        // from 4, not from the nested struct's last id), then a long-form id 300.
        var w = ThriftBytes()
        w.string(1, "outer")
        w.beginStruct(4)
        w.i32(9, 7)
        w.i32(10, 8)
        w.endStruct()
        w.i32(6, 42)
        w.i64(300, -5)
        w.stop()
        var seen: [(Int16, Int64)] = []
        try decode(w.bytes) { r in
            try r.readStruct { r, f in
                switch (f.id, f.type) {
                case (1, .binary): _ = try r.readString()
                case (4, .struct):
                    try r.readStruct { r, inner in
                        seen.append((inner.id, try r.readInteger(inner.type)))
                        return true
                    }
                default:
                    guard f.type.isInteger else { return false }
                    seen.append((f.id, try r.readInteger(f.type)))
                }
                return true
            }
        }
        #expect(seen.map(\.0) == [9, 10, 6, 300])
        #expect(seen.map(\.1) == [7, 8, 42, -5])
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        var w = ThriftBytes()
        w.field(20, 10)  // set<i32>
        w.listBody(elementType: 5, count: 2)
        w.zigzag(1); w.zigzag(2)
        w.field(21, 11)  // map<binary, i64>
        w.varint(1)
        w.bytes.append(0x86)
        w.binaryBody([0x61]); w.zigzag(99)
        w.field(22, 13)  // uuid
        w.bytes += [UInt8](repeating: 0xab, count: 16)
        w.beginStruct(23)  // nested struct with a list of bools (0, 1, 2 are all accepted)
        w.listHeader(1, elementType: 1, count: 3)
        w.bytes += [1, 0, 2]
        w.field(2, 7)
        w.bytes += [UInt8](repeating: 0, count: 8)
        w.endStruct()
        w.field(24, 3)  // byte
        w.bytes.append(0xff)
        w.i32(30, 1234)
        w.stop()
        var known: Int32?
        try decode(w.bytes) { r in
            try r.readStruct { r, f in
                guard f.id == 30, f.type.isInteger else { return false }
                known = try r.readInt32(f.type)
                return true
            }
        }
        #expect(known == 1234)
    }

    @Test func boolListsAcceptZeroOneAndTwo() throws {
        var w = ThriftBytes()
        w.listBody(elementType: 2, count: 4)
        w.bytes += [1, 0, 2, 1]
        let values = try decode(w.bytes) { r in try r.readList(of: .booleanTrue) { r, _ in try r.readListBool() } }
        #expect(values == [true, false, false, true])
        var bad = ThriftBytes()
        bad.listBody(elementType: 1, count: 1)
        bad.bytes.append(7)
        #expect(throws: ParquetError.self) {
            try decode(bad.bytes) { r in try r.readList(of: .booleanTrue) { r, _ in try r.readListBool() } }
        }
    }

    @Test func knownFieldWithAnotherWireTypeIsSkipped() throws {
        // ColumnMetaData with field 15 as list<struct> (dict-page-offset-zero.parquet) instead
        // of the i32 bloom_filter_length the spec now has there.
        var w = ThriftBytes()
        w.i32(1, 1)  // INT32
        w.listHeader(2, elementType: 5, count: 1); w.zigzag(0)
        w.listHeader(3, elementType: 8, count: 1); w.binaryBody(Array("a".utf8))
        w.i32(4, 1)  // SNAPPY
        w.i64(5, 39)
        w.i64(6, 200)
        w.i64(7, 150)
        w.i64(9, 4)
        w.listHeader(15, elementType: 12, count: 1)
        w.beginElement(); w.i32(1, 5); w.endStruct()
        w.stop()
        let meta = try decode(w.bytes) { r in try ColumnMetaData(thrift: &r) }
        #expect(meta.type == .int32)
        #expect(meta.codec == .snappy)
        #expect(meta.numValues == 39)
        #expect(meta.dataPageOffset == 4)
        #expect(meta.bloomFilterLength == nil)
        #expect(meta.pathInSchema == ["a"])
    }

    @Test func missingRequiredFieldsThatAreUsedAreErrors() throws {
        var w = ThriftBytes()
        w.i32(1, 1)
        w.stop()
        #expect(throws: ParquetError.self) { try decode(w.bytes) { r in try ColumnMetaData(thrift: &r) } }
    }

    @Test func stringLongerThanTheDataIsRefusedBeforeAllocating() throws {
        var w = ThriftBytes()
        w.field(1, 8)
        w.varint(1 << 40)  // a terabyte-long string in a 10-byte buffer
        w.stop()
        let error = try #require(throws: ParquetError.self) {
            try decode(w.bytes) { r in try KeyValue(thrift: &r) }
        }
        #expect(error.kind == .limitExceeded || error.kind == .corrupt)
    }

    @Test func containerLimitAndRemainingBytesAreEnforced() throws {
        var w = ThriftBytes()
        w.listBody(elementType: 5, count: 2_000_000)
        let limited = ThriftLimits(maxStringLength: 100, maxContainerCount: 1_000_000, maxDepth: 64)
        let error = try #require(throws: ParquetError.self) {
            try decode(w.bytes, limits: limited) { r in try r.readList(of: .i32) { r, t in try r.readInt32(t) } }
        }
        #expect(error.kind == .limitExceeded)
        var small = ThriftBytes()
        small.listBody(elementType: 5, count: 500)  // 500 elements, no bytes for them
        #expect(throws: ParquetError.self) {
            try decode(small.bytes) { r in try r.readList(of: .i32) { r, t in try r.readInt32(t) } }
        }
    }

    @Test func nestingDepthIsCapped() throws {
        var w = ThriftBytes()
        for _ in 0..<100 { w.beginStruct(1) }
        for _ in 0..<100 { w.endStruct() }
        w.stop()
        let error = try #require(throws: ParquetError.self) {
            try decode(w.bytes) { r in try r.readStruct { _, _ in false } }
        }
        #expect(error.kind == .limitExceeded)
    }

    @Test func truncatedInputThrows() throws {
        var w = ThriftBytes()
        w.string(1, "hello")
        w.stop()
        for length in 0..<(w.bytes.count - 1) {
            #expect(throws: ParquetError.self) {
                try decode(Array(w.bytes[0..<length])) { r in try KeyValue(thrift: &r) }
            }
        }
    }

    @Test func varintsLongerThanTenBytesThrow() throws {
        let bytes: [UInt8] = [0x15] + [UInt8](repeating: 0xff, count: 11) + [0x01, 0x00]
        #expect(throws: ParquetError.self) {
            try decode(bytes) { r in try r.readStruct { r, f in _ = try r.readInteger(f.type); return true } }
        }
    }

    @Test func logicalTypeUnionMembers() throws {
        func logical(_ build: (inout ThriftBytes) -> Void) throws -> LogicalType? {
            var w = ThriftBytes()
            build(&w)
            w.stop()
            return try decode(w.bytes) { r in try LogicalType(thrift: &r) }
        }
        #expect(try logical { $0.beginStruct(1); $0.endStruct() } == .string)
        #expect(try logical {
            $0.beginStruct(5); $0.i32(1, 2); $0.i32(2, 10); $0.endStruct()
        } == .decimal(scale: 2, precision: 10))
        #expect(try logical {
            $0.beginStruct(8); $0.bool(1, true); $0.beginStruct(2); $0.beginStruct(3); $0.endStruct(); $0.endStruct(); $0.endStruct()
        } == .timestamp(isAdjustedToUTC: true, unit: .nanoseconds))
        #expect(try logical {
            $0.beginStruct(10); $0.field(1, 3); $0.bytes.append(16); $0.bool(2, false); $0.endStruct()
        } == .integer(bitWidth: 16, isSigned: false))
        #expect(try logical { $0.beginStruct(2555); $0.endStruct() } == .unknownMember(2555))
        #expect(try logical { _ in } == nil)
    }

    @Test func pageHeaderRoundTrip() throws {
        var w = ThriftBytes()
        w.i32(1, 3)  // DATA_PAGE_V2
        w.i32(2, 100)
        w.i32(3, 80)
        w.i32(4, -12345)
        w.beginStruct(8)
        w.i32(1, 10); w.i32(2, 2); w.i32(3, 10); w.i32(4, 8); w.i32(5, 3); w.i32(6, 0); w.bool(7, false)
        w.endStruct()
        w.stop()
        let header = try decode(w.bytes) { r in try PageHeader(thrift: &r) }
        #expect(header.type == .dataPageV2)
        #expect(header.crc == -12345)
        let v2 = try #require(header.dataPageHeaderV2)
        #expect(v2.numValues == 10 && v2.numNulls == 2 && v2.encoding == .rleDictionary)
        #expect(v2.definitionLevelsByteLength == 3 && !v2.isCompressed)
    }
}
