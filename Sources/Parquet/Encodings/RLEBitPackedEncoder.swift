/// The RLE / bit-packed hybrid, writing side (dictionary indices and definition levels), the
/// mirror of `RLEBitPackedDecoder`.
///
/// A repeated value is worth an RLE run from 8 copies on; everything else goes into bit-packed
/// runs of whole groups of 8 values (the last group padded with zeros, which readers ignore
/// past the value count). No length prefix is written here: v1 levels take a 4-byte one, and
/// dictionary indices a bit-width byte, both written by the caller.
enum RLEBitPackedEncoder {
    /// Encodes `count` values of at most `bitWidth` (0...32) bits.
    static func encode(_ values: UnsafePointer<UInt32>, count: Int, bitWidth: Int, into out: WriteBuffer) {
        var index = 0
        while index < count {
            let value = values[index]
            var end = index + 1
            while end < count && values[end] == value { end += 1 }
            if end - index >= 8 {
                appendRun(value, length: end - index, bitWidth: bitWidth, into: out)
                index = end
                continue
            }
            // Bit-packed groups of 8 until a run of 8 equal values starts on a group boundary.
            var stop = index
            while true {
                stop += 8
                if stop >= count {
                    stop = count
                    break
                }
                if stop + 8 <= count && isRunOfEight(values + stop) { break }
            }
            appendPacked(values + index, count: stop - index, bitWidth: bitWidth, into: out)
            index = stop
        }
    }

    @inline(__always)
    private static func isRunOfEight(_ values: UnsafePointer<UInt32>) -> Bool {
        let first = values[0]
        return values[1] == first && values[2] == first && values[3] == first && values[4] == first
            && values[5] == first && values[6] == first && values[7] == first
    }

    /// An RLE run: header `length << 1`, then the value in ceil(bitWidth / 8) bytes.
    @inline(__always)
    static func appendRun(_ value: UInt32, length: Int, bitWidth: Int, into out: WriteBuffer) {
        out.appendULEB128(UInt64(length) << 1)
        var remaining = value
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    /// A bit-packed run of `count` values (padded to a multiple of 8), LSB first.
    static func appendPacked(_ values: UnsafePointer<UInt32>, count: Int, bitWidth: Int, into out: WriteBuffer) {
        let groups = (count + 7) / 8
        out.appendULEB128(UInt64(groups) << 1 | 1)
        let byteCount = groups * bitWidth
        out.reserve(additional: byteCount + 8)
        let destination = out.tail
        var written = 0
        var accumulator: UInt64 = 0
        var bits = 0
        for index in 0..<(groups * 8) {
            let value = index < count ? UInt64(values[index]) : 0
            accumulator |= value << UInt64(bits)
            bits += bitWidth
            if bits >= 32 {
                destination.storeBytes(of: UInt32(truncatingIfNeeded: accumulator).littleEndian,
                                       toByteOffset: written, as: UInt32.self)
                written += 4
                accumulator >>= 32
                bits -= 32
            }
        }
        while bits > 0 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), toByteOffset: written, as: UInt8.self)
            written += 1
            accumulator >>= 8
            bits -= 8
        }
        out.advance(by: byteCount)
    }

    // MARK: One-bit values from a bitmap

    /// Encodes the first `count` bits of `words` (bit `i % 64` of word `i / 64`) as 1-bit
    /// values: definition levels of a flat optional column straight from its validity bitmap.
    /// Bit-packing 1-bit values LSB first gives exactly the bitmap's bytes, so mixed stretches
    /// are copied byte by byte; uniform stretches of 24 values or more become RLE runs.
    static func encodeBits(_ words: UnsafePointer<UInt64>, count: Int, into out: WriteBuffer) {
        @inline(__always) func byte(_ index: Int) -> UInt8 {
            UInt8(truncatingIfNeeded: words[index >> 3] >> UInt64((index & 7) * 8))
        }
        @inline(__always) func isUniform(_ value: UInt8) -> Bool { value == 0 || value == 0xff }

        let fullBytes = count / 8
        let tailBits = count % 8
        let tailMask: UInt8 = tailBits == 0 ? 0 : UInt8((1 << tailBits) - 1)
        var tailDone = tailBits == 0
        var position = 0
        // A uniform run of at least three bytes starts at `start`.
        @inline(__always) func runStarts(_ start: Int) -> Bool {
            guard start + 3 <= fullBytes else { return false }
            let first = byte(start)
            return isUniform(first) && byte(start + 1) == first && byte(start + 2) == first
        }

        while position < fullBytes {
            let first = byte(position)
            if runStarts(position) {
                var end = position + 3
                // Whole uniform words at once, then byte by byte.
                let wordValue: UInt64 = first == 0 ? 0 : ~0
                while end < fullBytes {
                    if end & 7 == 0 && end + 8 <= fullBytes && words[end >> 3] == wordValue {
                        end += 8
                    } else if byte(end) == first {
                        end += 1
                    } else {
                        break
                    }
                }
                var length = (end - position) * 8
                if end == fullBytes && !tailDone {
                    let tail = byte(fullBytes) & tailMask
                    if tail == (first & tailMask) {
                        length += tailBits
                        tailDone = true
                    }
                }
                appendRun(UInt32(first & 1), length: length, bitWidth: 1, into: out)
                position = end
                continue
            }
            var end = position + 1
            while end < fullBytes && !runStarts(end) { end += 1 }
            let includeTail = end == fullBytes && !tailDone
            let groups = end - position + (includeTail ? 1 : 0)
            out.appendULEB128(UInt64(groups) << 1 | 1)
            out.reserve(additional: groups)
            for index in position..<end { out.append(byte(index)) }
            if includeTail {
                out.append(byte(fullBytes) & tailMask)
                tailDone = true
            }
            position = end
        }
        if !tailDone {
            let tail = byte(fullBytes) & tailMask
            if tail == 0 || tail == tailMask {
                appendRun(tail == 0 ? 0 : 1, length: tailBits, bitWidth: 1, into: out)
            } else {
                out.appendULEB128(1 << 1 | 1)
                out.append(tail)
            }
        }
    }

    /// The bit width of values up to `maxValue` (at least 1: a width of 0 is legal but some
    /// readers have mishandled it).
    static func bitWidth(forMaximum maxValue: UInt32) -> Int {
        Swift.max(1, 32 - maxValue.leadingZeroBitCount)
    }
}

/// PLAIN booleans: one bit per value, LSB first.
enum BooleanPacking {
    /// Packs `count` bytes of 0 or 1 into bits, appended to `out`.
    static func pack(_ flags: UnsafePointer<UInt8>, count: Int, into out: WriteBuffer) {
        let byteCount = (count + 7) / 8
        out.reserve(additional: byteCount)
        let destination = out.tail
        let raw = UnsafeRawPointer(flags)
        var index = 0
        var outIndex = 0
        while index + 8 <= count {
            // Gather the low bit of eight bytes into one byte, byte i to bit i.
            let eight = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) & 0x0101_0101_0101_0101
            destination.storeBytes(of: UInt8(truncatingIfNeeded: (eight &* 0x0102_0408_1020_4080) >> 56),
                                   toByteOffset: outIndex, as: UInt8.self)
            index += 8
            outIndex += 1
        }
        if index < count {
            var last: UInt8 = 0
            for bit in 0..<(count - index) { last |= (flags[index + bit] & 1) << UInt8(bit) }
            destination.storeBytes(of: last, toByteOffset: outIndex, as: UInt8.self)
        }
        out.advance(by: byteCount)
    }
}
