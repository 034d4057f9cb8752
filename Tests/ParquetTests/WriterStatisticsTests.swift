import Foundation
import Testing
@testable import Parquet

/// Chunk statistics the writer stores: null counts, min/max in the column's order with
/// TYPE_DEFINED_ORDER, legacy min/max only where signed order is right, NaN and signed-zero
/// rules, long values dropped.
struct WriterStatisticsTests {
    private func write(_ fields: [ParquetField], _ columns: [[ParquetValue]],
                       options: WriterOptions = WriterOptions(createdBy: "builder tests")) throws -> (ParquetFileReader, String) {
        let path = WrittenFile.temporaryPath("stats")
        try WrittenFile.write(fields, columns, to: path, options: options)
        return (try ParquetFileReader(path: path), path)
    }

    private func raw(_ reader: ParquetFileReader, _ column: Int) throws -> Statistics {
        try #require(try reader.chunkMetadata(rowGroup: 0, column: column).statistics)
    }

    @Test func integersDatesAndTimestamps() throws {
        let (reader, path) = try write(
            [.int32("i"), .int64("l", optional: false), .date("d"), .timestamp("t", unit: .microseconds, isAdjustedToUTC: false)],
            [[.int(5), .null, .int(-3), .int(12), .null],
             [.int(7), .int(Int64.min), .int(0), .int(Int64.max), .int(1)],
             [.date(daysSinceEpoch: 20_000), .date(daysSinceEpoch: -5), .null, .null, .date(daysSinceEpoch: 1)],
             [.null, .timestamp(1_700_000_000_000_000, unit: .microseconds, isAdjustedToUTC: false), .null, .null, .null]])
        defer { WrittenFile.remove(path) }
        let i = try #require(try reader.statistics(rowGroup: 0, column: 0))
        #expect(i.min == .int32(-3) && i.max == .int32(12) && i.nullCount == 2 && i.isMinExact && i.isMaxExact)
        let l = try #require(try reader.statistics(rowGroup: 0, column: 1))
        #expect(l.min == .int64(Int64.min) && l.max == .int64(Int64.max) && l.nullCount == 0)
        let d = try #require(try reader.statistics(rowGroup: 0, column: 2))
        #expect(d.min == .int32(-5) && d.max == .int32(20_000) && d.nullCount == 2)
        let t = try #require(try reader.statistics(rowGroup: 0, column: 3))
        #expect(t.min == .int64(1_700_000_000_000_000) && t.max == t.min && t.nullCount == 4)
        // Signed order is the true order here, so the legacy fields are written too.
        let legacy = try raw(reader, 0)
        #expect(legacy.min == legacy.minValue && legacy.max == legacy.maxValue && legacy.min != nil)
    }

    @Test func unsignedIntegersUseUnsignedOrderAndNoLegacyFields() throws {
        let (reader, path) = try write([.integer("u", bitWidth: 32, isSigned: false), .integer("u64", bitWidth: 64, isSigned: false)],
                                       [[.uint(1), .uint(4_000_000_000), .uint(7)],
                                        [.uint(UInt64.max), .uint(3), .uint(1 << 63)]])
        defer { WrittenFile.remove(path) }
        let stats = try raw(reader, 0)
        #expect(stats.min == nil && stats.max == nil)
        #expect(stats.minValue == [1, 0, 0, 0])
        #expect(stats.maxValue == withUnsafeBytes(of: UInt32(4_000_000_000).littleEndian, Array.init))
        let wide = try raw(reader, 1)
        #expect(wide.minValue == withUnsafeBytes(of: UInt64(3).littleEndian, Array.init))
        #expect(wide.maxValue == [UInt8](repeating: 0xff, count: 8))
    }

    @Test func floatingPointIgnoresNaNAndNormalisesZeros() throws {
        let (reader, path) = try write(
            [.double("a"), .double("b"), .float("c"), .double("nan_only"), .float16("h")],
            [[.double(.nan), .double(2.5), .double(-1), .null],
             [.double(0.0), .double(0.0), .double(-0.0), .double(.nan)],
             [.float(-0.0), .float(3), .float(.nan), .float(1)],
             [.double(.nan), .null, .double(.nan), .null],
             [.float(0.0), .float(-2), .float(.nan), .float(0.5)]])
        defer { WrittenFile.remove(path) }
        let a = try #require(try reader.statistics(rowGroup: 0, column: 0))
        #expect(a.min == .double(-1) && a.max == .double(2.5) && a.nullCount == 1 && a.nanCount == 1)
        // Zeros only: min is -0, max is +0 (either may hide the other).
        let bRaw = try raw(reader, 1)
        let minB = bRaw.minValue.map { bytes in bytes.withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) } }
        let maxB = bRaw.maxValue.map { bytes in bytes.withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) } }
        #expect(minB?.sign == .minus && minB == 0)
        #expect(maxB?.sign == .plus && maxB == 0)
        #expect(bRaw.nanCount == 1)
        let c = try #require(try reader.statistics(rowGroup: 0, column: 2))
        #expect(c.min == .float(-0.0) && c.max == .float(3))
        let nanOnly = try raw(reader, 3)
        #expect(nanOnly.minValue == nil && nanOnly.maxValue == nil && nanOnly.nullCount == 2 && nanOnly.nanCount == 2)
        let half = try raw(reader, 4)
        #expect(half.minValue == [0x00, 0xc0])  // -2.0
        #expect(half.maxValue == [0x00, 0x38])  // 0.5
        #expect(half.min == nil)
    }

    @Test func stringsBytesAndDecimals() throws {
        let (reader, path) = try write(
            [.string("s"), .binary("b"), .decimal("d", precision: 25, scale: 2),
             ParquetField(name: "db", physicalType: .byteArray, logicalType: .decimal(scale: 0, precision: 20)), .uuid("u")],
            [[.string("é"), .string("Z"), .string("a"), .null, .string("")],
             [.bytes([0xff]), .bytes([0x00, 0x01]), .bytes([0x7f]), .bytes([0x80]), .null],
             [.decimal(DecimalValue(-500, scale: 2)), .decimal(DecimalValue(12, scale: 2)), .null,
              .decimal(DecimalValue(bigEndian: [0x7f] + [UInt8](repeating: 0xff, count: 9), scale: 2)), .decimal(DecimalValue(-1, scale: 2))],
             [.decimal(DecimalValue(bigEndian: [0xff, 0x00], scale: 0)), .decimal(DecimalValue(bigEndian: [0x01], scale: 0)),
              .decimal(DecimalValue(bigEndian: [0x80], scale: 0)), .decimal(DecimalValue(bigEndian: [0x00, 0x80], scale: 0)), .null],
             [.uuid([UInt8](repeating: 0x90, count: 16)), .uuid([UInt8](repeating: 0x10, count: 16)), .null, .null, .null]])
        defer { WrittenFile.remove(path) }
        let s = try #require(try reader.statistics(rowGroup: 0, column: 0))
        // Unsigned byte order: "" < "Z" < "a" < "é" (0xC3 0xA9).
        #expect(s.min == .bytes([]) && s.max == .bytes(Array("é".utf8)) && s.nullCount == 1)
        #expect(try raw(reader, 0).min == nil)  // no legacy fields for byte arrays
        let b = try #require(try reader.statistics(rowGroup: 0, column: 1))
        #expect(b.min == .bytes([0x00, 0x01]) && b.max == .bytes([0xff]))
        let d = try raw(reader, 2)
        #expect(d.minValue == DecimalValue(-500, scale: 2).signExtended(to: 11))
        #expect(d.maxValue == [0, 0x7f] + [UInt8](repeating: 0xff, count: 9))
        let db = try raw(reader, 3)
        #expect(db.minValue == [0xff, 0x00])  // -256, below [0x80] = -128
        #expect(db.maxValue == [0x00, 0x80])  // 128
        let u = try raw(reader, 4)
        #expect(u.minValue == [UInt8](repeating: 0x10, count: 16) && u.maxValue == [UInt8](repeating: 0x90, count: 16))
    }

    @Test func statisticsCoverDictionaryAndPlainPagesAlike() throws {
        var options = WriterOptions(createdBy: "builder tests")
        options.dictionaryPageSizeLimit = 200
        // Checked every 1024 rows: the fallback happens after the first slice.
        let texts: [ParquetValue] = (0..<5000).map { .string("v\(1000 + ($0 * 37) % 5000)") } + [.string("0 first"), .string("zz last")]
        let numbers: [ParquetValue] = (0..<5000).map { .int(Int64(($0 * 37) % 5000)) } + [.int(-9), .int(9999)]
        let (reader, path) = try write([.string("t"), .int64("n")], [texts, numbers], options: options)
        defer { WrittenFile.remove(path) }
        #expect(try reader.isFullyDictionaryEncoded(rowGroup: 0, column: 0) == false)
        let t = try #require(try reader.statistics(rowGroup: 0, column: 0))
        #expect(t.min == .bytes(Array("0 first".utf8)) && t.max == .bytes(Array("zz last".utf8)))
        let n = try #require(try reader.statistics(rowGroup: 0, column: 1))
        #expect(n.min == .int64(-9) && n.max == .int64(9999))
    }

    @Test func longValuesDropTheBoundsButKeepTheNullCount() throws {
        var options = WriterOptions(createdBy: "builder tests")
        options.maxStatisticsSize = 16
        let (reader, path) = try write([.string("short"), .string("long")],
                                       [[.string("abc"), .null], [.string(String(repeating: "x", count: 17)), .null]],
                                       options: options)
        defer { WrittenFile.remove(path) }
        #expect(try raw(reader, 0).maxValue == Array("abc".utf8))
        let long = try raw(reader, 1)
        #expect(long.minValue == nil && long.maxValue == nil && long.nullCount == 1)
    }

    @Test func int96AndBooleanColumns() throws {
        let (reader, path) = try write([.int96("ts"), .boolean("flag")],
                                       [[.timestamp(5, unit: .microseconds, isAdjustedToUTC: false), .null],
                                        [.boolean(true), .boolean(true)]])
        defer { WrittenFile.remove(path) }
        let ts = try raw(reader, 0)
        #expect(ts.minValue == nil && ts.maxValue == nil && ts.nullCount == 1)  // INT96 order is undefined
        let flag = try #require(try reader.statistics(rowGroup: 0, column: 1))
        #expect(flag.min == .boolean(true) && flag.max == .boolean(true) && flag.nullCount == 0)
    }
}
