/// The RLE / bit-packed hybrid (definition levels, dictionary indices, RLE booleans).
///
/// Runs: a ULEB128 header; low bit 1 is a bit-packed run of (header >> 1) groups of 8 values,
/// low bit 0 an RLE run of (header >> 1) copies of one value stored in ceil(width / 8) bytes.
/// Bit width 0 is legal (every value is 0). Decoding stops at the count asked for, so padding
/// in the last packed run and trailing empty runs are ignored; every run consumes at least its
/// header byte, so a hostile stream cannot loop forever.
struct RLEBitPackedDecoder {
    private var cursor: ByteCursor
    let bitWidth: Int

    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws {
        guard (0...32).contains(bitWidth) else {
            throw ParquetError.corrupt("invalid RLE bit width \(bitWidth) (at most 32)")
        }
        self.cursor = ByteCursor(bytes)
        self.bitWidth = bitWidth
    }

    /// Bytes consumed so far.
    var position: Int { cursor.position }

    /// One run of the stream, cut to the values wanted.
    enum Run {
        /// `count` bit-packed values at the start of `bytes` (which hold `needed` bytes at
        /// least, the run's own bytes at most).
        case packed(bytes: UnsafeRawBufferPointer, count: Int, needed: Int)
        /// `value` `count` times.
        case repeated(value: UInt64, count: Int)
    }

    /// The next run, at most `wanted` values of it, the cursor moved past it; `produced` and
    /// `total` are for the message when the data ends first.
    mutating func nextRun(wanted: Int, produced: Int, total: Int) throws -> Run {
        guard !cursor.isAtEnd else {
            throw ParquetError.corrupt("RLE data ends after \(produced) of \(total) values")
        }
        let header = try cursor.readULEB128()
        if header & 1 == 1 {
            let groups = header >> 1
            guard groups <= UInt64(Int32.max) else {
                throw ParquetError.corrupt("bit-packed run of \(groups) groups is too long")
            }
            let runValues = Int(groups) * 8
            let take = Swift.min(runValues, wanted)
            guard let runBytes = BitUnpacking.byteCount(values: runValues, bitWidth: bitWidth),
                  let neededBytes = BitUnpacking.byteCount(values: take, bitWidth: bitWidth) else {
                throw ParquetError.corrupt("bit-packed run too long")
            }
            // The last run may be cut short after the values actually needed.
            try cursor.require(neededBytes)
            let source = cursor.rest
            let bytes = UnsafeRawBufferPointer(rebasing: source[0..<Swift.min(runBytes, source.count)])
            try cursor.skip(Swift.min(runBytes, cursor.remaining))
            return .packed(bytes: bytes, count: take, needed: neededBytes)
        }
        let runLength = header >> 1
        var value: UInt64 = 0
        for byteIndex in 0..<(bitWidth + 7) / 8 {
            value |= UInt64(try cursor.readByte()) << UInt64(8 * byteIndex)
        }
        if bitWidth < 32, value >> UInt64(bitWidth) != 0 {
            throw ParquetError.corrupt("RLE value \(value) does not fit in \(bitWidth) bits")
        }
        return .repeated(value: value, count: Int(Swift.min(runLength, UInt64(wanted))))
    }

    /// Decodes exactly `count` values into `out`, or throws if the data ends first.
    mutating func decode<T: FixedWidthInteger>(count: Int, into out: UnsafeMutablePointer<T>) throws {
        var produced = 0
        while produced < count {
            switch try nextRun(wanted: count - produced, produced: produced, total: count) {
            case let .packed(bytes, take, _):
                BitUnpacking.unpack(bytes, bitWidth: bitWidth, count: take, into: out + produced)
                produced += take
            case let .repeated(value, take):
                (out + produced).update(repeating: T(truncatingIfNeeded: value), count: take)
                produced += take
            }
        }
    }
}

extension RLEBitPackedDecoder {
    /// Of a stream of `count` values, only those at `positions` (ascending, negative entries
    /// skipped): `out[k]` is the value at `positions[k]`, left unset where the position is
    /// negative. Runs holding no wanted position are skipped without unpacking them, so a few
    /// values out of a page cost about one step per run; the stream is still checked to hold
    /// `count` values.
    mutating func gather(count: Int, positions: UnsafePointer<Int32>, positionCount: Int,
                         into out: UnsafeMutablePointer<UInt32>) throws {
        var runStart = 0
        var next = 0
        let mask: UInt64 = bitWidth >= 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) &- 1
        while next < positionCount, positions[next] < 0 { next += 1 }
        while runStart < count {
            switch try nextRun(wanted: count - runStart, produced: runStart, total: count) {
            case let .packed(source, take, neededBytes):
                let end = runStart + take
                while next < positionCount, Int(positions[next]) < end {
                    let position = Int(positions[next])
                    if position >= 0 {
                        let bit = (position - runStart) * bitWidth
                        var word: UInt64 = 0
                        let first = bit >> 3
                        let last = Swift.min((bit + bitWidth + 7) >> 3, neededBytes)
                        for byte in first..<last { word |= UInt64(source[byte]) << UInt64(8 * (byte - first)) }
                        out[next] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                    }
                    next += 1
                }
                runStart = end
            case let .repeated(value, take):
                let end = runStart + take
                while next < positionCount, Int(positions[next]) < end {
                    if positions[next] >= 0 { out[next] = UInt32(truncatingIfNeeded: value) }
                    next += 1
                }
                runStart = end
            }
        }
        guard next == positionCount else {
            throw ParquetError.corrupt("value \(positions[next]) wanted from a run of \(count) values")
        }
    }
}

/// Decoding of definition levels and of the values they describe.
enum Levels {
    /// Bits needed to store levels up to `maxLevel`.
    static func bitWidth(forMaxLevel maxLevel: Int) -> Int {
        maxLevel <= 0 ? 0 : (Int.bitWidth - maxLevel.leadingZeroBitCount)
    }

    /// Decodes `count` RLE-encoded levels (no length prefix) into `out`, checking each is at
    /// most `maxLevel`; returns how many equal `maxLevel` (the non-null values of a flat column).
    static func decodeRLE(_ bytes: UnsafeRawBufferPointer, maxLevel: Int, count: Int,
                          into out: UnsafeMutablePointer<UInt8>) throws -> Int {
        var decoder = try RLEBitPackedDecoder(bytes, bitWidth: bitWidth(forMaxLevel: maxLevel))
        try decoder.decode(count: count, into: out)
        return try countMax(out, count: count, maxLevel: maxLevel)
    }

    /// The deprecated BIT_PACKED level encoding: MSB-first, no runs, no length prefix.
    /// Returns (present values, bytes consumed).
    static func decodeLegacyBitPacked(_ bytes: UnsafeRawBufferPointer, maxLevel: Int, count: Int,
                                      into out: UnsafeMutablePointer<UInt8>) throws -> (Int, Int) {
        let width = bitWidth(forMaxLevel: maxLevel)
        guard let needed = BitUnpacking.byteCount(values: count, bitWidth: width), needed <= bytes.count else {
            throw ParquetError.corrupt("BIT_PACKED levels need more bytes than the page holds")
        }
        for index in 0..<count {
            var value = 0
            for bit in 0..<width {
                let position = index * width + bit
                let byte = bytes[position >> 3]
                value = (value << 1) | Int((byte >> UInt8(7 - position & 7)) & 1)
            }
            out[index] = UInt8(truncatingIfNeeded: value)
        }
        return (try countMax(out, count: count, maxLevel: maxLevel), needed)
    }

    private static func countMax(_ levels: UnsafeMutablePointer<UInt8>, count: Int, maxLevel: Int) throws -> Int {
        if maxLevel == 1 {
            // Levels of 0 and 1 (a flat optional column), eight at a time: their sum is the count.
            let (present, anyAbove) = sumOfBytes(UnsafeRawPointer(levels), count: count)
            if !anyAbove { return present }
        }
        let top = UInt8(truncatingIfNeeded: maxLevel)
        // Branch-free so the loop vectorises: count the maxima, track the largest level.
        var present = 0
        var largest: UInt8 = 0
        for index in 0..<count {
            let level = levels[index]
            present &+= level == top ? 1 : 0
            largest = Swift.max(largest, level)
        }
        if largest > top { throw ParquetError.corrupt("definition level \(largest) above the maximum \(maxLevel)") }
        return present
    }

    /// The sum of `count` bytes that should each be 0 or 1, and whether one was above 1 (then
    /// the sum is meaningless). Eight bytes at a time, in 64-bit words.
    static func sumOfBytes(_ bytes: UnsafeRawPointer, count: Int) -> (sum: Int, anyAbove: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var sum = 0
        var above: UInt64 = 0
        var index = 0
        while count - index >= 8 {
            // At most 255 words per lane before the lanes are added up.
            let words = Swift.min((count - index) / 8, 255)
            var lanes: UInt64 = 0
            for word in 0..<words {
                let value = bytes.loadUnaligned(fromByteOffset: index + word * 8, as: UInt64.self)
                above |= value & ~ones
                lanes &+= value
            }
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            sum += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            index += words * 8
        }
        while index < count {
            let value = bytes.load(fromByteOffset: index, as: UInt8.self)
            above |= UInt64(value & ~1)
            sum += Int(value)
            index += 1
        }
        return (sum, above != 0)
    }
}
