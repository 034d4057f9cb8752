import Testing
@testable import Parquet

struct CodecTests {
    static let codecs: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .zstd]

    private func sample(_ count: Int) -> [UInt8] {
        var state: UInt32 = 12345
        return (0..<count).map { index in
            state = state &* 1_103_515_245 &+ 12345
            return index % 3 == 0 ? UInt8(truncatingIfNeeded: state >> 16) : UInt8(index % 7)
        }
    }

    @Test(arguments: codecs)
    func roundTrip(_ codec: CompressionCodec) throws {
        let compressor = Compressor(zstdLevel: 5, gzipLevel: 6)
        let decompressor = Decompressor()
        for size in [0, 1, 100, 70_000] {
            let input = sample(size)
            let packed = try compressor.compress(codec, input)
            let unpacked = try decompressor.decompress(codec, packed, uncompressedSize: input.count)
            #expect(unpacked == input, "\(codec) size \(size)")
        }
    }

    @Test(arguments: [CompressionCodec.snappy, .gzip, .zstd])
    func wrongDeclaredSizeIsAnError(_ codec: CompressionCodec) throws {
        let input = sample(1000)
        let packed = try Compressor().compress(codec, input)
        let decompressor = Decompressor()
        for declared in [999, 1001, 0] {
            #expect(throws: ParquetError.self, "\(codec) declared \(declared)") {
                try decompressor.decompress(codec, packed, uncompressedSize: declared)
            }
        }
        // The context is still usable after an error.
        #expect(try decompressor.decompress(codec, packed, uncompressedSize: 1000) == input)
    }

    @Test(arguments: [CompressionCodec.snappy, .gzip, .zstd])
    func truncatedOrGarbageInputIsAnError(_ codec: CompressionCodec) throws {
        let input = sample(5000)
        let packed = try Compressor().compress(codec, input)
        let decompressor = Decompressor()
        #expect(throws: ParquetError.self) {
            try decompressor.decompress(codec, Array(packed.prefix(packed.count / 2)), uncompressedSize: input.count)
        }
        #expect(throws: ParquetError.self) {
            try decompressor.decompress(codec, [UInt8](repeating: 0xa5, count: 64), uncompressedSize: input.count)
        }
    }

    @Test func gzipWithSeveralMembers() throws {
        let first = sample(3000), second = Array("second member".utf8)
        let compressor = Compressor()
        let joined = try compressor.compress(.gzip, first) + compressor.compress(.gzip, second)
        let result = try Decompressor().decompress(.gzip, joined, uncompressedSize: first.count + second.count)
        #expect(result == first + second)
    }

    @Test func snappyLengthPreambleIsCheckedBeforeDecoding() throws {
        // A preamble claiming 2^32 bytes: refused against the page header, nothing allocated.
        let block: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x10, 0x00]
        let error = try #require(throws: ParquetError.self) {
            try Decompressor().decompress(.snappy, block, uncompressedSize: 10)
        }
        #expect(error.description.contains("snappy"))
    }

    @Test(arguments: [CompressionCodec.lzo, .brotli, .lz4, .lz4Raw, CompressionCodec(rawValue: 42)])
    func unsupportedCodecsNameTheCodec(_ codec: CompressionCodec) {
        let error = #expect(throws: ParquetError.self) {
            try Decompressor().decompress(codec, [1, 2, 3], uncompressedSize: 3)
        }
        #expect(error?.kind == .unsupportedCodec)
        #expect(error?.description.contains(codec.description) == true)
    }
}
