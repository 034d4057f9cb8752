/// DELTA_BINARY_PACKED: a header (block size, miniblocks per block, value count, first value),
/// then blocks of (min delta, one bit width per miniblock, bit-packed miniblocks).
///
/// Arithmetic wraps, as the format requires; INT32 columns are decoded in 64 bits and
/// truncated, which gives the same result as 32-bit wrapping arithmetic.
struct DeltaBinaryPackedDecoder {
    private var cursor: ByteCursor
    let totalValueCount: Int
    private let miniblocksPerBlock: Int
    private let valuesPerMiniblock: Int
    private var previous: Int64
    private var decoded = 0

    /// Limits that keep a hostile header from describing absurd blocks.
    private static let maxBlockSize: UInt64 = 1 << 20

    init(_ bytes: UnsafeRawBufferPointer) throws {
        cursor = ByteCursor(bytes)
        let blockSize = try cursor.readULEB128()
        let miniblocks = try cursor.readULEB128()
        let total = try cursor.readULEB128()
        previous = try cursor.readZigZag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= Self.maxBlockSize else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED has \(miniblocks) miniblocks for a block of \(blockSize)")
        }
        guard total <= UInt64(Int32.max) else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED declares \(total) values")
        }
        totalValueCount = Int(total)
        miniblocksPerBlock = Int(miniblocks)
        valuesPerMiniblock = Int(blockSize / miniblocks)
    }

    /// Bytes consumed: after `decodeAll`, where the next section (e.g. DLBA's bytes) starts.
    var position: Int { cursor.position }

    /// Decodes all `totalValueCount` values, which must equal `count`.
    mutating func decodeAll(count: Int, into out: UnsafeMutablePointer<Int64>) throws {
        guard totalValueCount == count else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(totalValueCount) values, \(count) expected")
        }
        try decode(count: count, into: out)
    }

    /// Decodes the first `count` values (at most `totalValueCount`).
    mutating func decode(count: Int, into out: UnsafeMutablePointer<Int64>) throws {
        guard count <= totalValueCount else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(totalValueCount) values, \(count) needed")
        }
        guard count > 0 else { return }
        out[0] = previous
        decoded = 1
        var widths = [Int](repeating: 0, count: miniblocksPerBlock)
        while decoded < count {
            let minDelta = try cursor.readZigZag()
            for index in 0..<miniblocksPerBlock {
                widths[index] = Int(try cursor.readByte())
            }
            for width in widths where decoded < count {
                guard width <= 64 else {
                    throw ParquetError.corrupt("DELTA_BINARY_PACKED miniblock bit width \(width) (at most 64)")
                }
                let take = Swift.min(valuesPerMiniblock, count - decoded)
                let miniblockBytes = valuesPerMiniblock * width / 8
                guard let needed = BitUnpacking.byteCount(values: take, bitWidth: width) else {
                    throw ParquetError.corrupt("DELTA_BINARY_PACKED miniblock too large")
                }
                try cursor.require(needed)
                let rest = cursor.rest
                let packed = UnsafeRawBufferPointer(rebasing: rest[0..<Swift.min(miniblockBytes, rest.count)])
                let destination = out + decoded
                // Unpack the raw deltas in place, then turn them into values (wrapping).
                destination.withMemoryRebound(to: UInt64.self, capacity: take) { raw in
                    BitUnpacking.unpack(packed, bitWidth: width, count: take, into: raw)
                }
                var value = previous
                for index in 0..<take {
                    value = value &+ minDelta &+ destination[index]
                    destination[index] = value
                }
                previous = value
                decoded += take
                // A miniblock is padded to full size; tolerate a last one cut after its values.
                try cursor.skip(Swift.min(miniblockBytes, cursor.remaining))
            }
        }
    }
}

/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: both produce value spans (start, end) into a
/// byte buffer, so byte arrays are copied once, into the column's output.
enum DeltaByteArrays {
    /// DELTA_LENGTH_BYTE_ARRAY: DBP lengths, then the concatenated bytes. Writes `count` spans
    /// relative to the start of `bytes`, and returns the offset just after the last value.
    static func decodeLengths(_ bytes: UnsafeRawBufferPointer, count: Int, lengths: UnsafeMutablePointer<Int64>,
                              starts: UnsafeMutablePointer<Int32>, ends: UnsafeMutablePointer<Int32>) throws -> Int {
        var decoder = try DeltaBinaryPackedDecoder(bytes)
        try decoder.decodeAll(count: count, into: lengths)
        var position = decoder.position
        let limit = bytes.count
        for index in 0..<count {
            let length = lengths[index]
            guard length >= 0, length <= Int64(limit - position) else {
                throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY value \(index) of \(length) bytes overruns the page")
            }
            starts[index] = Int32(truncatingIfNeeded: position)
            position += Int(length)
            ends[index] = Int32(truncatingIfNeeded: position)
        }
        return position
    }
}
