/// Little-endian, LSB-first bit unpacking: the layout of the RLE/bit-packed hybrid's packed
/// runs and of DELTA_BINARY_PACKED miniblocks.
enum BitUnpacking {
    /// Bytes needed for `count` values of `bitWidth` bits (checked arithmetic).
    static func byteCount(values count: Int, bitWidth: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        if overflow { return nil }
        return bits / 8 + (bits % 8 == 0 ? 0 : 1)
    }

    /// Unpacks `count` values of `bitWidth` (0...64) bits from the start of `source` into `out`.
    /// The caller has checked that `source` holds `byteCount(count, bitWidth)` bytes; values
    /// wider than `T` are truncated.
    @inline(__always)
    static func unpack<T: FixedWidthInteger>(_ source: UnsafeRawBufferPointer, bitWidth: Int,
                                             count: Int, into out: UnsafeMutablePointer<T>) {
        guard count > 0 else { return }
        guard bitWidth > 0, let base = source.baseAddress else {
            out.update(repeating: 0, count: count)
            return
        }
        if bitWidth == 1, T.self == UInt8.self {
            unpackBits(source, count: count, into: UnsafeMutableRawPointer(out))
            return
        }
        let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) &- 1
        let available = source.count
        var index = 0
        var bitPosition = 0
        // Fast path: two whole words are readable from the value's first byte.
        if bitWidth <= 56 {
            while index < count {
                let byteIndex = bitPosition >> 3
                if byteIndex + 8 > available { break }
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
                out[index] = T(truncatingIfNeeded: (word >> UInt64(bitPosition & 7)) & mask)
                index += 1
                bitPosition += bitWidth
            }
        } else {
            while index < count {
                let byteIndex = bitPosition >> 3
                if byteIndex + 16 > available { break }
                let shift = UInt64(bitPosition & 7)
                var word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) >> shift
                if shift > 0 {
                    let next = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byteIndex + 8, as: UInt64.self))
                    word |= next << (64 - shift)
                }
                out[index] = T(truncatingIfNeeded: word & mask)
                index += 1
                bitPosition += bitWidth
            }
        }
        // Tail: assemble from single bytes, never past `available`.
        while index < count {
            var value: UInt64 = 0
            var gathered = 0
            var position = bitPosition
            while gathered < bitWidth {
                let byteIndex = position >> 3
                let byte = byteIndex < available ? UInt64(base.load(fromByteOffset: byteIndex, as: UInt8.self)) : 0
                let offset = position & 7
                let take = Swift.min(8 - offset, bitWidth - gathered)
                value |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) - 1)) << UInt64(gathered)
                gathered += take
                position += take
            }
            out[index] = T(truncatingIfNeeded: value)
            index += 1
            bitPosition += bitWidth
        }
    }

    /// Bit width 1 into bytes (levels, booleans): eight values per source byte.
    @inline(__always)
    private static func unpackBits(_ source: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableRawPointer) {
        var index = 0
        var byteIndex = 0
        while index + 8 <= count, byteIndex < source.count {
            // Replicate the byte, keep bit i in byte i, then turn each byte into 0 or 1.
            let spread = (UInt64(source[byteIndex]) &* 0x0101_0101_0101_0101) & 0x8040_2010_0804_0201
            let flags = ((spread &+ 0x7f7f_7f7f_7f7f_7f7f) >> 7) & 0x0101_0101_0101_0101
            out.storeBytes(of: UInt64(littleEndian: flags), toByteOffset: index, as: UInt64.self)
            index += 8
            byteIndex += 1
        }
        while index < count {
            let byte = byteIndex < source.count ? source[byteIndex] : 0
            out.storeBytes(of: (byte >> UInt8(index & 7)) & 1, toByteOffset: index, as: UInt8.self)
            index += 1
            if index & 7 == 0 { byteIndex += 1 }
        }
    }
}
