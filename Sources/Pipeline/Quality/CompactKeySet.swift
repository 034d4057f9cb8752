/// A set of 64-bit integers made for the de-duplication keys of big niches: a value below 2^48
/// (a SIRET, a SIREN, any number of up to 14 digits with `Deduplicator`'s leading 1) takes 4 bytes
/// in a table loaded to at most 80%, about 5 to 6.3 bytes per key, against about 16 for a
/// `Set<UInt64>`; growing never holds more than one small table twice.
///
/// How: the value is mixed by a bijection of the 48-bit integers; the mix's top 16 bits choose
/// one of 65 536 small open-addressing tables, which holds the low 32 bits (the value is recovered
/// from the table's number and these bits, so nothing is lost). Each table grows on its own, by a
/// quarter, so that no resize ever doubles the whole set. Larger values, rare in practice, go to
/// a standard `Set`. The directory of the 65 536 tables takes 1.5 MB: a set of fewer than
/// `smallLimit` values (131 072, where the two layouts take about as much) keeps them in one
/// open-addressing table of whole values instead (8 bytes a slot, at most 80% full), so that the
/// many small sets of a shared scan's niches stay small.
///
/// A value type: a copy shares the tables until one of the two copies is changed.
struct CompactKeySet {
    private var storage = Storage()

    init() {}

    /// The values held.
    var count: Int { storage.count + storage.wide.count }

    /// Bytes allocated for the values (the tables, their directory, the large values), for memory
    /// accounting.
    var allocatedBytes: Int { storage.allocatedBytes }

    /// Adds `value`; true when it was not in the set.
    @discardableResult
    mutating func insert(_ value: UInt64) -> Bool {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.insert(value)
    }

    /// Adds `values` in order (as many `insert(_:)`); whether each was new. Faster than one by one
    /// for many values: the slots of a few dozen values are read ahead together, so that their
    /// cache misses overlap instead of coming one after the other.
    mutating func insert(_ values: [UInt64]) -> [Bool] {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var inserted: [Bool] = []
        inserted.reserveCapacity(values.count)
        var start = 0
        while start < values.count {
            let end = min(start + 32, values.count)
            storage.touch(values[start..<end])
            for value in values[start..<end] { inserted.append(storage.insert(value)) }
            start = end
        }
        return inserted
    }

    func contains(_ value: UInt64) -> Bool {
        storage.contains(value)
    }

    // MARK: The mix (a bijection of 0..<2^48)

    static let valueBits: UInt64 = 48
    static let mask: UInt64 = (1 << valueBits) - 1
    static let tableBits: UInt64 = 16
    private static let multiplier1: UInt64 = 0x9E37_79B9_7F4B & mask | 1
    private static let multiplier2: UInt64 = 0xC2B2_AE3D_27D5 & mask | 1

    /// A bijection of the 48-bit integers that spreads consecutive values (multiplications by odd
    /// numbers and xor-shifts by half the width, each invertible modulo 2^48).
    static func mix(_ value: UInt64) -> UInt64 {
        var x = (value &* multiplier1) & mask
        x ^= x >> 24
        x = (x &* multiplier2) & mask
        x ^= x >> 24
        return x
    }

    /// The inverse of `mix`.
    static func unmix(_ mixed: UInt64) -> UInt64 {
        var x = mixed ^ (mixed >> 24)
        x = (x &* inverse(multiplier2)) & mask
        x ^= x >> 24
        return (x &* inverse(multiplier1)) & mask
    }

    /// The inverse of an odd number modulo 2^64 (Newton's iteration: 3 correct bits, doubled 5 times).
    private static func inverse(_ odd: UInt64) -> UInt64 {
        var x = odd
        for _ in 0..<5 { x = x &* (2 &- odd &* x) }
        return x
    }

    // MARK: Storage

    /// One open-addressing table (linear probing): `slots` holds non-zero low halves, 0 marks an
    /// empty slot, and `hasZero` says whether the low half 0 is in.
    private struct Table {
        var slots: UnsafeMutablePointer<UInt32>?
        var capacity: UInt32 = 0
        var count: UInt32 = 0
        var hasZero = false

        /// The home slot of `low`: its position scaled to the capacity (the low halves are spread
        /// evenly by the mix).
        @inline(__always)
        func home(_ low: UInt32) -> Int { Int((UInt64(low) &* UInt64(capacity)) >> 32) }

        func contains(_ low: UInt32) -> Bool {
            if low == 0 { return hasZero }
            guard let slots else { return false }
            var index = home(low)
            while true {
                let slot = slots[index]
                if slot == low { return true }
                if slot == 0 { return false }
                index += 1
                if index == Int(capacity) { index = 0 }
            }
        }

        mutating func insert(_ low: UInt32) -> Bool {
            if low == 0 {
                defer { hasZero = true }
                return !hasZero
            }
            // At most 80% full (the empty slot that ends every probe is always there).
            if (UInt64(count) + 1) * 5 > UInt64(capacity) * 4 { grow() }
            let slots = slots!
            var index = home(low)
            while true {
                let slot = slots[index]
                if slot == low { return false }
                if slot == 0 {
                    slots[index] = low
                    count += 1
                    return true
                }
                index += 1
                if index == Int(capacity) { index = 0 }
            }
        }

        /// Moves the values to a table a quarter larger (twice as large while small).
        private mutating func grow() {
            let newCapacity = capacity < 32 ? max(4, capacity * 2) : capacity + capacity / 4
            let old = (slots, Int(capacity))
            let fresh = UnsafeMutablePointer<UInt32>.allocate(capacity: Int(newCapacity))
            fresh.initialize(repeating: 0, count: Int(newCapacity))
            slots = fresh
            capacity = newCapacity
            guard let oldSlots = old.0 else { return }
            for position in 0..<old.1 {
                let low = oldSlots[position]
                guard low != 0 else { continue }
                var index = home(low)
                while fresh[index] != 0 {
                    index += 1
                    if index == Int(newCapacity) { index = 0 }
                }
                fresh[index] = low
            }
            oldSlots.deallocate()
        }

        func copy() -> Table {
            var table = self
            if let slots {
                let copied = UnsafeMutablePointer<UInt32>.allocate(capacity: Int(capacity))
                copied.initialize(from: slots, count: Int(capacity))
                table.slots = copied
            }
            return table
        }
    }

    /// The values a set holds in one table of whole values before it moves them to the 2^16 tables.
    static let smallLimit = 1 << 17

    // The stored properties skip the runtime's exclusivity checks (one per access, a measurable
    // share of a de-duplication): only the set that uniquely owns the storage changes it, one
    // call at a time.
    private final class Storage {
        /// Up to `smallLimit` values: an open-addressing table of `value + 1` (0: an empty slot),
        /// linear probing from the mix's slot; its size is a power of two.
        @exclusivity(unchecked) var small: [UInt64] = []
        /// The 2^16 tables, allocated when the set outgrows `small`.
        @exclusivity(unchecked) var tables: UnsafeMutablePointer<Table>?
        /// Values held in the tables.
        @exclusivity(unchecked) var count = 0
        /// Values of 48 bits or more.
        var wide = Set<UInt64>()
        static let tableCount = 1 << Int(CompactKeySet.tableBits)

        deinit {
            guard let tables else { return }
            for index in 0..<Self.tableCount { tables[index].slots?.deallocate() }
            tables.deinitialize(count: Self.tableCount)
            tables.deallocate()
        }

        var allocatedBytes: Int {
            var bytes = wide.capacity * 16 + small.capacity * 8
            guard let tables else { return bytes }
            bytes += Self.tableCount * MemoryLayout<Table>.stride
            for index in 0..<Self.tableCount { bytes += Int(tables[index].capacity) * 4 }
            return bytes
        }

        func insert(_ value: UInt64) -> Bool {
            guard value <= CompactKeySet.mask else { return wide.insert(value).inserted }
            if tables == nil {
                if count < CompactKeySet.smallLimit { return insertSmall(value) }
                let allocated = UnsafeMutablePointer<Table>.allocate(capacity: Self.tableCount)
                allocated.initialize(repeating: Table(), count: Self.tableCount)
                tables = allocated
                let held = small
                small = []
                for stored in held where stored != 0 {
                    let mixed = CompactKeySet.mix(stored - 1)
                    _ = allocated[Int(mixed >> 32)].insert(UInt32(truncatingIfNeeded: mixed))
                }
            }
            let mixed = CompactKeySet.mix(value)
            let inserted = tables![Int(mixed >> 32)].insert(UInt32(truncatingIfNeeded: mixed))
            if inserted { count += 1 }
            return inserted
        }

        /// Where `value`'s probe starts in `small`, `small` being non-empty.
        @inline(__always)
        private func smallHome(_ value: UInt64) -> Int { Int(truncatingIfNeeded: CompactKeySet.mix(value)) & (small.count - 1) }

        /// The slot of `value` in `small` (holding it, or empty), `small` being non-empty.
        private func smallSlot(_ value: UInt64) -> Int {
            let mask = small.count - 1
            var index = smallHome(value)
            while small[index] != 0 && small[index] != value + 1 { index = (index + 1) & mask }
            return index
        }

        private func insertSmall(_ value: UInt64) -> Bool {
            if (count + 1) * 5 > small.count * 4 {
                let held = small
                small = Array(repeating: 0, count: max(64, small.count * 2))
                for stored in held where stored != 0 { small[smallSlot(stored - 1)] = stored }
            }
            let index = smallSlot(value)
            guard small[index] == 0 else { return false }
            small[index] = value + 1
            count += 1
            return true
        }

        /// Reads the home slot of each value (and its table's header), independent loads that
        /// the processor overlaps; what is read is kept only so that the reads are not removed.
        func touch(_ values: ArraySlice<UInt64>) {
            guard let tables else {
                guard !small.isEmpty else { return }
                var sum: UInt64 = 0
                for value in values where value <= CompactKeySet.mask { sum &+= small[smallHome(value)] }
                touched &+= UInt32(truncatingIfNeeded: sum)
                return
            }
            var sum: UInt32 = 0
            for value in values where value <= CompactKeySet.mask {
                let mixed = CompactKeySet.mix(value)
                let table = tables[Int(mixed >> 32)]
                if let slots = table.slots { sum &+= slots[table.home(UInt32(truncatingIfNeeded: mixed))] }
            }
            touched &+= sum
        }

        /// The sum of the slots `touch` read (meaningless).
        @exclusivity(unchecked) private var touched: UInt32 = 0

        func contains(_ value: UInt64) -> Bool {
            guard value <= CompactKeySet.mask else { return wide.contains(value) }
            guard let tables else { return !small.isEmpty && small[smallSlot(value)] != 0 }
            let mixed = CompactKeySet.mix(value)
            return tables[Int(mixed >> 32)].contains(UInt32(truncatingIfNeeded: mixed))
        }

        func copy() -> Storage {
            let copied = Storage()
            copied.count = count
            copied.wide = wide
            copied.small = small
            if let tables {
                let allocated = UnsafeMutablePointer<Table>.allocate(capacity: Self.tableCount)
                for index in 0..<Self.tableCount { (allocated + index).initialize(to: tables[index].copy()) }
                copied.tables = allocated
            }
            return copied
        }
    }
}
