import Columns
import TestSupport
import Testing
@testable import Parquet

/// The writer's encoders, each checked against the reader's decoder: RLE / bit-packing for
/// dictionary indices and levels, PLAIN booleans, the dictionaries, FLOAT16 conversion,
/// validity runs.
struct WriterEncodingTests {
    /// Patterns that exercise runs, packed groups, boundaries and padding.
    private func patterns(bitWidth: Int, random: inout SplitMix64) -> [[UInt32]] {
        let mask: UInt32 = bitWidth == 32 ? .max : (1 << UInt32(bitWidth)) - 1
        let counts = [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000]
        var result: [[UInt32]] = []
        for count in counts {
            result.append((0..<count).map { _ in UInt32(truncatingIfNeeded: random.next()) & mask })
            result.append([UInt32](repeating: mask, count: count))
            // Runs of random lengths 1...20.
            var runs: [UInt32] = []
            while runs.count < count {
                let value = UInt32(truncatingIfNeeded: random.next()) & mask
                runs += [UInt32](repeating: value, count: min(count - runs.count, 1 + Int(random.next() % 20)))
            }
            result.append(runs)
        }
        return result
    }

    private func decode(_ bytes: WriteBuffer, bitWidth: Int, count: Int) throws -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        var decoder = try RLEBitPackedDecoder(bytes.bytes, bitWidth: bitWidth)
        try out.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { try decoder.decode(count: count, into: base) }
        }
        return out
    }

    @Test func hybridEncodingRoundTripsAtEveryBitWidth() throws {
        var random = SplitMix64(seed: 1)
        for bitWidth in 1...32 {
            for values in patterns(bitWidth: bitWidth, random: &random) {
                let buffer = WriteBuffer()
                values.withUnsafeBufferPointer { pointer in
                    RLEBitPackedEncoder.encode(pointer.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: values.count,
                                               bitWidth: bitWidth, into: buffer)
                }
                #expect(try decode(buffer, bitWidth: bitWidth, count: values.count) == values, "width \(bitWidth), \(values.count) values")
            }
        }
    }

    @Test func longRunsBecomeRLERuns() throws {
        let values = [UInt32](repeating: 5, count: 10_000) + [1, 2, 3] + [UInt32](repeating: 9, count: 500)
        let buffer = WriteBuffer()
        values.withUnsafeBufferPointer { RLEBitPackedEncoder.encode($0.baseAddress!, count: values.count, bitWidth: 4, into: buffer) }
        #expect(buffer.count <= 12)  // RLE 4 + packed 5 + RLE 3
        #expect(try decode(buffer, bitWidth: 4, count: values.count) == values)
    }

    @Test func levelsFromABitmapRoundTrip() throws {
        var random = SplitMix64(seed: 2)
        for count in [1, 5, 8, 9, 23, 24, 25, 64, 100, 1000, 4097] {
            for density in [0, 1, 10, 50, 90, 99, 100] {
                let flags = (0..<count).map { _ in Int(random.next() % 100) < density }
                let validity = Validity(flags)
                let buffer = WriteBuffer()
                validity.words.withUnsafeBufferPointer { RLEBitPackedEncoder.encodeBits($0.baseAddress!, count: count, into: buffer) }
                var levels = [UInt8](repeating: 7, count: count)
                let present = try levels.withUnsafeMutableBufferPointer {
                    try Levels.decodeRLE(buffer.bytes, maxLevel: 1, count: count, into: $0.baseAddress!)
                }
                #expect(levels == flags.map { $0 ? 1 : 0 }, "\(count) rows at \(density)%")
                #expect(present == flags.filter { $0 }.count)
                if density == 100 || density == 0 { #expect(buffer.count <= 4, "uniform levels are one RLE run") }
            }
        }
    }

    @Test func booleansPackLSBFirst() throws {
        var random = SplitMix64(seed: 3)
        for count in [0, 1, 7, 8, 9, 64, 1001] {
            let flags: [UInt8] = (0..<count).map { _ in UInt8(random.next() & 1) }
            let buffer = WriteBuffer()
            flags.withUnsafeBufferPointer { BooleanPacking.pack($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, into: buffer) }
            #expect(buffer.count == (count + 7) / 8)
            var unpacked = [UInt8](repeating: 9, count: count)
            unpacked.withUnsafeMutableBufferPointer { out in
                if let base = out.baseAddress { BitUnpacking.unpack(buffer.bytes, bitWidth: 1, count: count, into: base) }
            }
            #expect(unpacked == flags)
        }
    }

    @Test func byteArrayDictionaryFindsEqualRangesAndGrows() throws {
        let dictionary = ByteArrayDictionary()
        let words = (0..<5000).map { "value-\($0 % 2500)" } + ["", "a", "ab", "abcdefgh", "abcdefghi"]
        var indices: [UInt32] = []
        for word in words {
            var text = word
            indices.append(text.withUTF8 { dictionary.index(of: UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 8)!), length: $0.count) })
        }
        #expect(dictionary.count == 2505)
        #expect(Array(indices[2500..<5000]) == Array(indices[0..<2500]))
        let plain = WriteBuffer()
        dictionary.writePlain(into: plain)
        #expect(plain.count == dictionary.plainSize)
        // The PLAIN page decodes to the entries in index order.
        var cursor = ByteCursor(plain.bytes)
        var entries: [String] = []
        while !cursor.isAtEnd {
            let length = Int(try cursor.readLittleEndian(UInt32.self))
            entries.append(String(decoding: try cursor.readBytes(length), as: UTF8.self))
        }
        #expect(entries.count == 2505)
        for (word, index) in zip(words, indices) { #expect(entries[Int(index)] == word) }
        dictionary.reset()
        #expect(dictionary.count == 0 && dictionary.plainSize == 0)
    }

    @Test func fixedWidthDictionaryKeepsBitPatterns() throws {
        let dictionary = FixedWidthDictionary<UInt64>()
        let keys = [0.0, -0.0, Double.nan, 1.5, 0.0, -0.0].map(\.bitPattern) + (1...3000).map { UInt64($0) * 1_000_003 }
        let indices = keys.map { dictionary.index(of: $0) }
        #expect(indices[4] == indices[0] && indices[5] == indices[1] && indices[0] != indices[1])
        #expect(dictionary.count == 3004)
        for (key, index) in zip(keys, indices) { #expect(dictionary.values[Int(index)] == key) }
    }

    @Test func float16ConversionRoundTripsEveryHalfValue() throws {
        for bits in 0...UInt16.max {
            let value = Float16Conversion.float(fromBits: bits)
            let back = Float16Conversion.bits(value)
            if value.isNaN {
                #expect(Float16Conversion.float(fromBits: back).isNaN)
            } else {
                #expect(back == bits, "half \(bits)")
            }
        }
        #expect(Float16Conversion.bits(1e6) == 0x7c00)  // overflow to infinity
        #expect(Float16Conversion.bits(1.0 + 1.0 / 4096) == 0x3c00)  // ties to even
        #expect(Float16Conversion.bits(1e-9) == 0)
    }

    @Test func validRunsFollowTheBitmap() throws {
        var random = SplitMix64(seed: 4)
        for count in [1, 63, 64, 65, 300] {
            for density in [0, 5, 50, 95, 100] {
                let flags = (0..<count).map { _ in Int(random.next() % 100) < density }
                let validity = Validity(flags)
                for range in [0..<count, (count / 3)..<count, 0..<(count / 2)] {
                    var seen = [Bool](repeating: false, count: count)
                    validity.words.withUnsafeBufferPointer { words in
                        forEachValidRun(words.baseAddress, range) { start, end in
                            for row in start..<end { seen[row] = true }
                        }
                    }
                    let expected = flags.enumerated().map { range.contains($0.offset) && $0.element }
                    #expect(seen == expected, "\(count) rows at \(density)%, range \(range)")
                }
            }
        }
    }

    @Test func signedBigEndianOrderComparesValues() throws {
        let values: [[UInt8]] = [[0x80], [0xff, 0x00], [0xff], [0x00], [], [0x01], [0x00, 0x80], [0x7f, 0xff]]
        let numbers = [-128, -256, -1, 0, 0, 1, 128, 32767]
        for (a, x) in zip(values, numbers) {
            for (b, y) in zip(values, numbers) {
                let order = a.withUnsafeBytes { ByteOrder.signedBigEndian($0, b) }
                #expect(order == (x < y ? -1 : (x > y ? 1 : 0)), "\(a) vs \(b)")
            }
        }
    }
}
