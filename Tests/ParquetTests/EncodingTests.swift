import TestSupport
import Testing
@testable import Parquet

/// RLE / bit-packing, the delta encodings and BYTE_STREAM_SPLIT, on hand-built inputs.
struct EncodingTests {
    private func rle(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedDecoder(raw, bitWidth: bitWidth)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 20, 24, 31, 32])
    func bitPackedRunsAtEveryWidth(_ width: Int) throws {
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let values = (0..<37).map { UInt64($0 * 2_654_435_761) & mask }
        let encoded = TestEncoding.packedRun(values, bitWidth: width)
        #expect(try rle(encoded, bitWidth: width, count: values.count) == values.map(UInt32.init))
    }

    @Test func mixedRunsAndPaddingAreDecoded() throws {
        let bytes = TestEncoding.rleRun(value: 5, count: 10, bitWidth: 3)
            + TestEncoding.packedRun([1, 2, 3, 4, 5, 6, 7, 0, 1, 2], bitWidth: 3)
            + TestEncoding.rleRun(value: 7, count: 4, bitWidth: 3)
        let decoded = try rle(bytes, bitWidth: 3, count: 22)
        #expect(decoded == [UInt32](repeating: 5, count: 10) + [1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 0, 0])
        // Asking beyond the padding reads into the next run.
        let all = try rle(bytes, bitWidth: 3, count: 30)
        #expect(Array(all[26...]) == [7, 7, 7, 7])
    }

    @Test func bitWidthZeroGivesZeros() throws {
        // ARROW-GH-43605: a bit-packed run of 2649 groups at width 0 takes no data bytes.
        let bytes = TestEncoding.uleb(UInt64(2649) << 1 | 1)
        let decoded = try rle(bytes, bitWidth: 0, count: 21_186)
        #expect(decoded.allSatisfy { $0 == 0 })
    }

    @Test func runsThatEndEarlyAreErrors() throws {
        let bytes = TestEncoding.rleRun(value: 1, count: 4, bitWidth: 1)
        #expect(throws: ParquetError.self) { try rle(bytes, bitWidth: 1, count: 5) }
        let packed = TestEncoding.packedRun([UInt64](repeating: 3, count: 16), bitWidth: 2)
        #expect(throws: ParquetError.self) { try rle(Array(packed.prefix(3)), bitWidth: 2, count: 16) }
        #expect(throws: ParquetError.self) { try rle([0x02, 0x09], bitWidth: 3, count: 1) }  // value 9 > 3 bits
        #expect(throws: ParquetError.self) { try rle([0x02, 0x01], bitWidth: 33, count: 1) }
    }

    /// `gather` of the values at `positions` (ascending, -1 skipped), nil where skipped.
    private func gathered(_ bytes: [UInt8], bitWidth: Int, count: Int, positions: [Int32]) throws -> [UInt32?] {
        var out = [UInt32](repeating: 0xDEAD, count: positions.count)
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedDecoder(raw, bitWidth: bitWidth)
            try positions.withUnsafeBufferPointer { wanted in
                try out.withUnsafeMutableBufferPointer {
                    try decoder.gather(count: count, positions: wanted.baseAddress!, positionCount: wanted.count, into: $0.baseAddress!)
                }
            }
        }
        return zip(positions, out).map { $0 < 0 ? nil : $1 }
    }

    @Test("a few values gathered from runs equal the same values of a full decode",
          arguments: [0, 1, 2, 3, 7, 8, 13, 17, 24, 31, 32])
    func gatherMatchesDecode(_ width: Int) throws {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var generator = SplitMix64(seed: UInt64(width))
        var bytes: [UInt8] = []
        var count = 0
        for run in 0..<40 {
            let length = Int(generator.next() % 300) + 1
            if run % 3 == 0 {
                bytes += TestEncoding.rleRun(value: generator.next() & mask, count: length, bitWidth: width)
                count += length
            } else {
                let values = (0..<(length * 8)).map { _ in generator.next() & mask }
                bytes += TestEncoding.packedRun(values, bitWidth: width)
                count += values.count
            }
        }
        // The last run's padding is not part of the stream's values.
        count -= 5
        let all = try rle(bytes, bitWidth: width, count: count)
        var positions: [Int32] = [-1]
        for position in 0..<count where generator.next() % 97 == 0 || position == 0 || position == count - 1 {
            positions.append(Int32(position))
            if generator.next() % 4 == 0 { positions.append(-1) }
        }
        let expected: [UInt32?] = positions.map { $0 < 0 ? nil : all[Int($0)] }
        #expect(try gathered(bytes, bitWidth: width, count: count, positions: positions) == expected)
        #expect(try gathered(bytes, bitWidth: width, count: count, positions: []) == [])
    }

    @Test func gatherChecksTheStream() throws {
        let bytes = TestEncoding.rleRun(value: 1, count: 4, bitWidth: 1) + TestEncoding.packedRun([1, 0, 1], bitWidth: 1)
        #expect(try gathered(bytes, bitWidth: 1, count: 12, positions: [2, 9]) == [1, 0])
        // The stream ends before the count, even past the last value wanted.
        #expect(throws: ParquetError.self) { try gathered(bytes, bitWidth: 1, count: 13, positions: [2]) }
        #expect(throws: ParquetError.self) { try gathered([0x02, 0x09], bitWidth: 3, count: 1, positions: [0]) }
    }

    @Test("levels of 0 and 1 are counted eight at a time; a larger level is found")
    func sumOfLevelBytes() {
        var generator = SplitMix64(seed: 7)
        for count in [0, 1, 7, 8, 9, 2039, 2040, 2041, 5000] {
            var levels = (0..<count).map { _ in UInt8(generator.next() % 2) }
            let (sum, above) = levels.withUnsafeBytes { Levels.sumOfBytes($0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, count: count) }
            #expect(sum == levels.reduce(0) { $0 + Int($1) } && !above, "\(count)")
            guard count > 0 else { continue }
            levels[count / 2] = 2
            #expect(levels.withUnsafeBytes { Levels.sumOfBytes($0.baseAddress!, count: count).anyAbove }, "\(count)")
        }
    }

    @Test func zeroLengthRunsCannotLoopForever() throws {
        // Headers of empty runs consume a byte each; the decoder ends at the data's end.
        let bytes = [UInt8](repeating: 0x00, count: 1000)
        #expect(throws: ParquetError.self) { try rle(bytes, bitWidth: 1, count: 1) }
    }

    @Test(arguments: [1, 7, 8, 31, 32, 33, 48, 56, 57, 63, 64])
    func bitUnpackingUpTo64Bits(_ width: Int) {
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let values = (0..<100).map { (UInt64($0) &* 0x9E37_79B9_7F4A_7C15) & mask }
        let packed = TestEncoding.pack(values, bitWidth: width)
        var out = [UInt64](repeating: 0, count: values.count)
        packed.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { BitUnpacking.unpack(raw, bitWidth: width, count: values.count, into: $0.baseAddress!) }
        }
        #expect(out == values)
    }

    private func deltaDecode(_ bytes: [UInt8], count: Int) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: count)
        try bytes.withUnsafeBytes { raw in
            var decoder = try DeltaBinaryPackedDecoder(raw)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        }
        return out
    }

    @Test func deltaBinaryPackedRoundTrips() throws {
        let series: [[Int64]] = [
            [7],
            Array(0..<300).map { Int64($0) * 3 - 100 },
            (0..<200).map { Int64(($0 * 7919) % 1000) - 500 },
            [Int64.max, Int64.min, 0, -1, Int64.max, 1],  // wrapping deltas
            (0..<129).map { _ in 42 },
        ]
        for values in series {
            let encoded = TestEncoding.deltaBinaryPacked(values)
            #expect(try deltaDecode(encoded, count: values.count) == values)
        }
    }

    @Test func deltaBinaryPackedHeaderIsChecked() throws {
        let badBlock = TestEncoding.uleb(100) + TestEncoding.uleb(4) + TestEncoding.uleb(1) + TestEncoding.zigzag(0)
        #expect(throws: ParquetError.self) { try deltaDecode(badBlock, count: 1) }
        let badMiniblocks = TestEncoding.uleb(128) + TestEncoding.uleb(3) + TestEncoding.uleb(1) + TestEncoding.zigzag(0)
        #expect(throws: ParquetError.self) { try deltaDecode(badMiniblocks, count: 1) }
        let tooFew = TestEncoding.deltaBinaryPacked([1, 2, 3])
        #expect(throws: ParquetError.self) { try deltaDecode(tooFew, count: 4) }
        var wideWidth = TestEncoding.deltaBinaryPacked([1, 2, 3])
        wideWidth[6] = 65  // first miniblock width (after a 5-byte header and the min delta)
        #expect(throws: ParquetError.self) { try deltaDecode(wideWidth, count: 3) }
    }

    @Test func byteStreamSplitJoinsStreams() {
        let values: [UInt32] = [0x0403_0201, 0x0807_0605, 0x0c0b_0a09]
        var streams: [UInt8] = []
        for byte in 0..<4 { for value in values { streams.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * byte))) } }
        var out = [UInt8](repeating: 0, count: 12)
        streams.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { ByteStreamSplit.join(source.baseAddress!, width: 4, count: 3, into: $0.baseAddress!) }
        }
        #expect(out == Array(1...12))
    }

    @Test func singleBitsIntoBytes() {
        var generator = SplitMix64(seed: 7)
        for count in 0..<140 {
            let bits = (0..<count).map { _ in UInt64(generator.next() & 1) }
            let packed = TestEncoding.pack(bits, bitWidth: 1)
            var out = [UInt8](repeating: 9, count: count + 8)
            packed.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer { BitUnpacking.unpack(raw, bitWidth: 1, count: count, into: $0.baseAddress!) }
            }
            #expect(Array(out.prefix(count)) == bits.map { UInt8($0) }, "count \(count)")
            #expect(out[count] == 9, "wrote past count \(count)")
        }
    }
}
