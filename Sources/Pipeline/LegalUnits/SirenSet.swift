/// SIRENs as numbers, sorted and unique: the niche's (a few bytes each, whatever the stock's
/// size), looked up by binary search.
public struct SirenSet: Sendable, Equatable {
    public let values: [UInt64]

    /// `values` in any order, with repeats.
    public init(_ values: [UInt64]) {
        var sorted = values.sorted()
        var unique = 0
        for value in sorted where unique == 0 || sorted[unique - 1] != value {
            sorted[unique] = value
            unique += 1
        }
        sorted.removeSubrange(unique...)
        self.values = sorted
    }

    public var count: Int { values.count }

    /// The position of `value`, nil when absent.
    public func index(of value: UInt64) -> Int? {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < values.count && values[low] == value ? low : nil
    }

    public func contains(_ value: UInt64) -> Bool { index(of: value) != nil }

    /// Whether some value lies in `minimum...maximum` (row-group statistics).
    public func intersects(minimum: UInt64, maximum: UInt64) -> Bool {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < minimum { low = middle + 1 } else { high = middle }
        }
        return low < values.count && values[low] <= maximum
    }

    /// A membership test for scanning many SIRENs of which few are in the set (a unit file read
    /// for a niche): a bitmap of the low bits rules most of them out before the binary search.
    /// The bitmap has about 64 bits per SIREN of the set (at least 8 KB, at most 2 MB), so that
    /// a niche's bitmap stays in the processor's cache while millions of SIRENs are tested.
    public func membership() -> Membership { Membership(self) }

    public struct Membership: Sendable {
        private let set: SirenSet
        private let bits: [UInt64]
        private let mask: UInt64

        init(_ set: SirenSet) {
            var slotBits = 16
            while slotBits < 24, (1 << slotBits) < set.values.count * 64 { slotBits += 1 }
            let mask = UInt64(1 << slotBits) - 1
            var bits = [UInt64](repeating: 0, count: 1 << (slotBits - 6))
            for value in set.values {
                let slot = Int(value & mask)
                bits[slot >> 6] |= 1 << UInt64(slot & 63)
            }
            self.set = set
            self.bits = bits
            self.mask = mask
        }

        @inline(__always)
        public func contains(_ value: UInt64) -> Bool {
            bits.withUnsafeBufferPointer { Self.mayContain(value, bits: $0, mask: mask) } && set.contains(value)
        }

        /// The bitmap's answer: false proves `value` absent.
        @inline(__always)
        private static func mayContain(_ value: UInt64, bits: UnsafeBufferPointer<UInt64>, mask: UInt64) -> Bool {
            let slot = Int(value & mask)
            return bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0
        }

        /// The SIRENs among the byte-array values `offsets`/`bytes` (as in `ByteArrayValues`) that are
        /// in the set, with their positions, appended to `rows` and `numbers`. Nulls are empty
        /// values here (never 9 digits), so they never match.
        public func matches(offsets: [Int32], bytes: [UInt8], rows: inout [Int32], numbers: inout [UInt64]) {
            let count = Swift.max(offsets.count - 1, 0)
            offsets.withUnsafeBufferPointer { offsets in
                bytes.withUnsafeBytes { bytes in
                    bits.withUnsafeBufferPointer { bits in
                        for row in 0..<count {
                            let start = Int(offsets[row])
                            guard Int(offsets[row + 1]) - start == 9,
                                  let number = SirenSet.number(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 9)])) else { continue }
                            guard Self.mayContain(number, bits: bits, mask: mask), set.contains(number) else { continue }
                            rows.append(Int32(truncatingIfNeeded: row))
                            numbers.append(number)
                        }
                    }
                }
            }
        }
    }

    /// A SIREN's text as a number: exactly 9 ASCII digits, nil otherwise. The first eight are
    /// checked and converted together, as one 64-bit word.
    @inline(__always)
    public static func number(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count == 9, let base = bytes.baseAddress else { return nil }
        let word = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let last = UInt64(base.load(fromByteOffset: 8, as: UInt8.self)) &- 0x30
        // Each byte 0x30...0x39: high nibble 3, and still so after adding 6.
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030, last < 10 else { return nil }
        // Digits (the first in the lowest byte) to pairs, quadruples, then the eight-digit value.
        var digits = word &- 0x3030_3030_3030_3030
        digits = ((digits &* 10) &+ (digits >> 8)) & 0x00FF_00FF_00FF_00FF
        digits = ((digits &* 100) &+ (digits >> 16)) & 0x0000_FFFF_0000_FFFF
        digits = ((digits &* 10000) &+ (digits >> 32)) & 0xFFFF_FFFF
        return digits &* 10 &+ last
    }
}
