import Foundation
import Testing
@testable import Parquet

/// Annotations and encodings no writer of the interop matrix produces: legacy ConvertedType
/// only columns (ENUM, JSON, TIMESTAMP_MILLIS, TIME_MILLIS, UINT_32, INT_16), an unknown
/// LogicalType member, BIT_PACKED definition levels, dictionary-encoded booleans and INT96.
struct HandBuiltTypesTests {
    typealias B = TestFileBuilder

    private func read(_ column: B.Column, pages: [UInt8], rows: Int64) throws -> [ParquetValue] {
        let builder = B(columns: [column], rowGroups: [(rows, [B.Chunk(pages: pages, numValues: rows)])])
        let path = try B.write(builder.build())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = try ParquetFileReader(path: path).readColumn(rowGroup: 0, column: 0)
        return (0..<values.count).map { values.value(at: $0) }
    }

    private func int64Plain(_ values: [Int64]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> Int64(8 * $0)) } }
    }

    @Test func legacyTextAnnotations() throws {
        let page = B.dataPage(B.plainByteArrays(["sad", "happy"]), numValues: 2)
        #expect(try read(.init(name: "mood", type: 6, convertedType: 4), pages: page, rows: 2) == [.string("sad"), .string("happy")])
        #expect(try read(.init(name: "doc", type: 6, convertedType: 19), pages: page, rows: 2) == [.string("sad"), .string("happy")])
        #expect(try read(.init(name: "raw", type: 6, convertedType: 20), pages: page, rows: 2)
                == [.bytes(Array("sad".utf8)), .bytes(Array("happy".utf8))])
    }

    @Test func legacyTemporalAndIntegerAnnotations() throws {
        let stamps = B.dataPage(int64Plain([1_700_000_000_123, -5]), numValues: 2)
        #expect(try read(.init(name: "t", type: 2, convertedType: 9), pages: stamps, rows: 2)
                == [.timestamp(1_700_000_000_123, unit: .milliseconds, isAdjustedToUTC: true),
                    .timestamp(-5, unit: .milliseconds, isAdjustedToUTC: true)])
        let ints = B.dataPage(B.plainInt32([-1, 45_296_789]), numValues: 2)
        #expect(try read(.init(name: "u", type: 1, convertedType: 13), pages: ints, rows: 2) == [.uint(4_294_967_295), .uint(45_296_789)])
        #expect(try read(.init(name: "clock", type: 1, convertedType: 7), pages: ints, rows: 2)
                == [.time(-1, unit: .milliseconds), .time(45_296_789, unit: .milliseconds)])
        #expect(try read(.init(name: "day", type: 1, convertedType: 6), pages: ints, rows: 2)
                == [.date(daysSinceEpoch: -1), .date(daysSinceEpoch: 45_296_789)])
        #expect(try read(.init(name: "small", type: 1, convertedType: 16), pages: ints, rows: 2) == [.int(-1), .int(45_296_789)])
        #expect(try read(.init(name: "money", type: 1, convertedType: 5, scale: 2, precision: 9), pages: ints, rows: 2)
                == [.decimal(DecimalValue(-1, scale: 2)), .decimal(DecimalValue(45_296_789, scale: 2))])
    }

    @Test func logicalTypesWinOverConvertedTypes() throws {
        let stamps = B.dataPage(int64Plain([42]), numValues: 1)
        let nanos = B.Column(name: "t", type: 2, convertedType: 10) { w in
            w.beginStruct(8); w.bool(1, false); w.beginStruct(2); w.beginStruct(3); w.endStruct(); w.endStruct(); w.endStruct()
        }
        #expect(try read(nanos, pages: stamps, rows: 1) == [.timestamp(42, unit: .nanoseconds, isAdjustedToUTC: false)])
        // An unknown union member: the physical type is used.
        let unknown = B.Column(name: "x", type: 2) { w in w.beginStruct(77); w.endStruct() }
        #expect(try read(unknown, pages: stamps, rows: 1) == [.int(42)])
    }

    @Test func legacyBitPackedDefinitionLevels() throws {
        // BIT_PACKED levels are MSB-first: 1,0,1,1 -> 0b1011_0000; no length prefix.
        let body: [UInt8] = [0b1011_0000] + B.plainInt32([7, 8, 9])
        let page = B.dataPage(body, numValues: 4, definitionEncoding: 4)
        #expect(try read(.init(name: "n", type: 1, repetition: 1), pages: page, rows: 4) == [.int(7), .null, .int(8), .int(9)])
    }

    @Test func dictionaryEncodedBooleansAndInt96() throws {
        let booleans = B.dictionaryPage([0b10], numValues: 2)
            + B.dataPage([1] + TestEncoding.packedRun([1, 0, 0, 1], bitWidth: 1), numValues: 4, encoding: 8)
        #expect(try read(.init(name: "b", type: 0), pages: booleans, rows: 4)
                == [.boolean(true), .boolean(false), .boolean(false), .boolean(true)])
        // INT96: nanoseconds of day (8 bytes) then Julian day (4 bytes).
        let noonEpoch = int64Plain([43_200_000_000_000]) + B.plainInt32([2_440_588])
        let int96 = B.dictionaryPage(noonEpoch, numValues: 1) + B.dataPage([0] + TestEncoding.rleRun(value: 0, count: 2, bitWidth: 0),
                                                                             numValues: 2, encoding: 2)
        #expect(try read(.init(name: "ts", type: 3), pages: int96, rows: 2)
                == [ParquetValue](repeating: .timestamp(43_200_000_000, unit: .microseconds, isAdjustedToUTC: false), count: 2))
    }

    @Test func fixedLenByteArraysAndUUID() throws {
        let bytes: [UInt8] = Array(0..<32)
        let page = B.dataPage(bytes, numValues: 2)
        let uuid = B.Column(name: "id", type: 7, typeLength: 16) { w in w.beginStruct(14); w.endStruct() }
        #expect(try read(uuid, pages: page, rows: 2) == [.uuid(Array(0..<16)), .uuid(Array(16..<32))])
        #expect(try read(.init(name: "raw", type: 7, typeLength: 8), pages: B.dataPage(Array(bytes.prefix(24)), numValues: 3), rows: 3)
                == [.bytes(Array(0..<8)), .bytes(Array(8..<16)), .bytes(Array(16..<24))])
    }
}
