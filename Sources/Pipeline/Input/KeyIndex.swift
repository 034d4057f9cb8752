/// Positions of `UInt64` keys (packed short values, `ShortText`; years), numbered in the order
/// the keys come: an open-addressing table with a multiplicative hash and linear probing, so that
/// finding a key costs a multiplication and, mostly, one probe (a dictionary of the standard
/// library hashes each key with SipHash). It doubles past half full. Its users keep their values
/// in arrays by position: `NicheRouter.CodeTable` the jobs of a NAF code, `KeyCounts` a count.
struct KeyIndex {
    private var keys = [UInt64](repeating: 0, count: 16)
    /// Per slot, the position of its key plus one; 0 for an empty slot.
    private var positions = [Int32](repeating: 0, count: 16)
    /// 64 less the bits of the table's size.
    private var shift: UInt64 = 60
    /// The keys by position.
    private var ordered: [UInt64] = []

    /// Keys held.
    var count: Int { ordered.count }

    /// The position of `key`; a new key takes the next one, unless `limit` keys are held already
    /// (then nil).
    @inline(__always)
    mutating func position(of key: UInt64, limit: Int = .max) -> Int? {
        let mask = keys.count - 1
        var slot = home(key)
        while positions[slot] != 0 {
            if keys[slot] == key { return Int(positions[slot]) - 1 }
            slot = (slot + 1) & mask
        }
        guard ordered.count < limit else { return nil }
        keys[slot] = key
        ordered.append(key)
        positions[slot] = Int32(truncatingIfNeeded: ordered.count)
        if ordered.count * 2 > keys.count { grow() }
        return ordered.count - 1
    }

    /// The position of `key`, nil when it is not held.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        let mask = keys.count - 1
        var slot = home(key)
        while positions[slot] != 0 {
            if keys[slot] == key { return Int(positions[slot]) - 1 }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Calls `body` with each key and its position, in position order.
    func forEach(_ body: (UInt64, Int) -> Void) {
        for (position, key) in ordered.enumerated() { body(key, position) }
    }

    /// The slot where `key`'s probe starts.
    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private mutating func grow() {
        keys = [UInt64](repeating: 0, count: keys.count * 2)
        positions = [Int32](repeating: 0, count: keys.count)
        shift -= 1
        let mask = keys.count - 1
        for (position, key) in ordered.enumerated() {
            var slot = home(key)
            while positions[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            positions[slot] = Int32(truncatingIfNeeded: position + 1)
        }
    }
}
