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
    /// for a niche): a bitmap of the low 24 bits (2 MB) rules most of them out before the binary
    /// search.
    public func membership() -> Membership { Membership(self) }

    public struct Membership: Sendable {
        private let set: SirenSet
        private let bits: [UInt64]

        init(_ set: SirenSet) {
            var bits = [UInt64](repeating: 0, count: 1 << 18)
            for value in set.values {
                let slot = Int(value & 0xFF_FFFF)
                bits[slot >> 6] |= 1 << UInt64(slot & 63)
            }
            self.set = set
            self.bits = bits
        }

        @inline(__always)
        public func contains(_ value: UInt64) -> Bool {
            let slot = Int(value & 0xFF_FFFF)
            guard bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 else { return false }
            return set.contains(value)
        }
    }

    /// A SIREN's text as a number: exactly 9 ASCII digits, nil otherwise.
    @inline(__always)
    public static func number(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count == 9 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value
    }
}
