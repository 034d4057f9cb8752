/// A set of 64-bit integers made for the de-duplication keys of big niches: a value below 2^48
/// (a SIRET, a SIREN, any number of up to 14 digits with `Deduplicator`'s leading 1) takes 4 bytes
/// in a table loaded to at most 80%, about 5 to 6.3 bytes per key once the set is large, against
/// about 16 for a `Set<UInt64>`; growing never holds more than one small table twice.
///
/// How: the value is mixed by a bijection of the 48-bit integers; the mix's top bits choose one
/// of many small open-addressing tables, which holds the other bits (the value is recovered from
/// the table's number and these bits, so nothing is lost). Each table grows on its own, by a
/// quarter, so that no resize ever doubles the whole set. Larger values, rare in practice, go to
/// a standard `Set`. Three layouts, by size, so that the many sets of a shared scan's niches (88
/// divisions: from a few rows to millions) each take little more than their keys:
///
/// - up to `smallLimit` values: one table of whole values (8 bytes a slot);
/// - up to `midLimit`: 2^8 tables of the low 40 bits (5 bytes a slot, about 6.3 to 7.8 bytes a
///   key), with a directory of 6 KB;
/// - beyond: 2^16 tables of the low 32 bits (4 bytes a slot), whose directory takes 1.5 MB and
///   whose tables need some keys each to pay for themselves (below about two million keys,
///   the 2^8 tables take less).
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

    /// How a table's slots hold the bits of the mix below the table's number: a slot of 0 is
    /// empty (the value 0 is the table's `hasZero`).
    private protocol SlotLayout {
        /// Bits held (the rest of the 48 choose the table).
        static var bits: UInt64 { get }
        /// Bytes a slot takes.
        static var width: Int { get }
        static func load(_ slots: UnsafeMutableRawPointer, _ index: Int) -> UInt64
        static func store(_ value: UInt64, _ slots: UnsafeMutableRawPointer, _ index: Int)
    }

    /// The low 32 bits, in aligned 4-byte slots.
    private enum Slots32: SlotLayout {
        static var bits: UInt64 { 32 }
        static var width: Int { 4 }

        @inline(__always)
        static func load(_ slots: UnsafeMutableRawPointer, _ index: Int) -> UInt64 {
            UInt64(slots.load(fromByteOffset: index << 2, as: UInt32.self))
        }

        @inline(__always)
        static func store(_ value: UInt64, _ slots: UnsafeMutableRawPointer, _ index: Int) {
            slots.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: index << 2, as: UInt32.self)
        }
    }

    /// The low 40 bits, in 5-byte slots (read with one unaligned 8-byte load: a table has 3 bytes
    /// of padding after its last slot).
    private enum Slots40: SlotLayout {
        static var bits: UInt64 { 40 }
        static var width: Int { 5 }

        @inline(__always)
        static func load(_ slots: UnsafeMutableRawPointer, _ index: Int) -> UInt64 {
            slots.loadUnaligned(fromByteOffset: index * 5, as: UInt64.self) & 0xFF_FFFF_FFFF
        }

        @inline(__always)
        static func store(_ value: UInt64, _ slots: UnsafeMutableRawPointer, _ index: Int) {
            slots.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: index * 5, as: UInt32.self)
            slots.storeBytes(of: UInt8(truncatingIfNeeded: value >> 32), toByteOffset: index * 5 + 4, as: UInt8.self)
        }
    }

    /// One open-addressing table (linear probing) of `Layout`'s slots.
    private struct Table<Layout: SlotLayout> {
        var slots: UnsafeMutableRawPointer?
        var capacity: UInt32 = 0
        var count: UInt32 = 0
        var hasZero = false

        /// Bytes allocated for `capacity` slots (with the padding an 8-byte load may read).
        static func byteCount(_ capacity: Int) -> Int { capacity * Layout.width + 8 - Layout.width }

        /// The home slot of `rest`: its position scaled to the capacity (the mix spreads the
        /// values evenly).
        @inline(__always)
        func home(_ rest: UInt64) -> Int { Int((rest &* UInt64(capacity)) >> Layout.bits) }

        func contains(_ rest: UInt64) -> Bool {
            if rest == 0 { return hasZero }
            guard let slots else { return false }
            var index = home(rest)
            while true {
                let slot = Layout.load(slots, index)
                if slot == rest { return true }
                if slot == 0 { return false }
                index += 1
                if index == Int(capacity) { index = 0 }
            }
        }

        mutating func insert(_ rest: UInt64) -> Bool {
            if rest == 0 {
                defer { hasZero = true }
                return !hasZero
            }
            // At most 80% full (the empty slot that ends every probe is always there).
            if (UInt64(count) + 1) * 5 > UInt64(capacity) * 4 { grow() }
            let slots = slots!
            var index = home(rest)
            while true {
                let slot = Layout.load(slots, index)
                if slot == rest { return false }
                if slot == 0 {
                    Layout.store(rest, slots, index)
                    count += 1
                    return true
                }
                index += 1
                if index == Int(capacity) { index = 0 }
            }
        }

        /// Reads the home slot of `rest` (for `touch`).
        @inline(__always)
        func peek(_ rest: UInt64) -> UInt64 {
            guard let slots else { return 0 }
            return Layout.load(slots, home(rest))
        }

        /// Calls `body` with every value held.
        func forEach(_ body: (UInt64) -> Void) {
            if hasZero { body(0) }
            guard let slots else { return }
            for index in 0..<Int(capacity) {
                let rest = Layout.load(slots, index)
                if rest != 0 { body(rest) }
            }
        }

        /// Moves the values to a table a quarter larger (twice as large while small).
        private mutating func grow() {
            let newCapacity = capacity < 32 ? max(4, capacity * 2) : capacity + capacity / 4
            let old = (slots, Int(capacity))
            let bytes = Self.byteCount(Int(newCapacity))
            let fresh = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
            fresh.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            slots = fresh
            capacity = newCapacity
            guard let oldSlots = old.0 else { return }
            for position in 0..<old.1 {
                let rest = Layout.load(oldSlots, position)
                guard rest != 0 else { continue }
                var index = home(rest)
                while Layout.load(fresh, index) != 0 {
                    index += 1
                    if index == Int(newCapacity) { index = 0 }
                }
                Layout.store(rest, fresh, index)
            }
            oldSlots.deallocate()
        }

        func copy() -> Table {
            var table = self
            if let slots {
                let bytes = Self.byteCount(Int(capacity))
                let copied = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
                copied.copyMemory(from: slots, byteCount: bytes)
                table.slots = copied
            }
            return table
        }

        func deallocate() { slots?.deallocate() }
    }

    /// Tables of one layout, chosen by the mix's top bits (`count` of them, a power of two).
    private struct Tables<Layout: SlotLayout> {
        let base: UnsafeMutablePointer<Table<Layout>>
        static var count: Int { 1 << Int(CompactKeySet.valueBits - Layout.bits) }
        static var restMask: UInt64 { (1 << Layout.bits) - 1 }

        init() {
            base = UnsafeMutablePointer<Table<Layout>>.allocate(capacity: Self.count)
            base.initialize(repeating: Table(), count: Self.count)
        }

        private init(base: UnsafeMutablePointer<Table<Layout>>) { self.base = base }

        @inline(__always)
        func insert(mixed: UInt64) -> Bool {
            base[Int(mixed >> Layout.bits)].insert(mixed & Self.restMask)
        }

        @inline(__always)
        func contains(mixed: UInt64) -> Bool {
            base[Int(mixed >> Layout.bits)].contains(mixed & Self.restMask)
        }

        @inline(__always)
        func peek(mixed: UInt64) -> UInt64 {
            base[Int(mixed >> Layout.bits)].peek(mixed & Self.restMask)
        }

        /// Calls `body` with the mix of every value held.
        func forEachMixed(_ body: (UInt64) -> Void) {
            for index in 0..<Self.count {
                base[index].forEach { body(UInt64(index) << Layout.bits | $0) }
            }
        }

        var allocatedBytes: Int {
            var bytes = Self.count * MemoryLayout<Table<Layout>>.stride
            for index in 0..<Self.count where base[index].slots != nil {
                bytes += Table<Layout>.byteCount(Int(base[index].capacity))
            }
            return bytes
        }

        func copy() -> Tables {
            let copied = UnsafeMutablePointer<Table<Layout>>.allocate(capacity: Self.count)
            for index in 0..<Self.count { (copied + index).initialize(to: base[index].copy()) }
            return Tables(base: copied)
        }

        func deallocate() {
            for index in 0..<Self.count { base[index].deallocate() }
            base.deinitialize(count: Self.count)
            base.deallocate()
        }
    }

    /// The values a set holds in one table of whole values before it moves them to the 2^8 tables.
    static let smallLimit = 1 << 14
    /// The values a set holds in the 2^8 tables before it moves them to the 2^16 tables.
    static let midLimit = 1 << 21

    // The stored properties skip the runtime's exclusivity checks (one per access, a measurable
    // share of a de-duplication): only the set that uniquely owns the storage changes it, one
    // call at a time.
    private final class Storage {
        /// Up to `smallLimit` values: an open-addressing table of `value + 1` (0: an empty slot),
        /// linear probing from the mix's slot; its size is a power of two.
        @exclusivity(unchecked) var small: [UInt64] = []
        /// The 2^8 tables, from `smallLimit` values to `midLimit`.
        @exclusivity(unchecked) var mid: Tables<Slots40>?
        /// The 2^16 tables, beyond `midLimit` values.
        @exclusivity(unchecked) var large: Tables<Slots32>?
        /// Values held in `small` or the tables.
        @exclusivity(unchecked) var count = 0
        /// Values of 48 bits or more.
        var wide = Set<UInt64>()

        deinit {
            mid?.deallocate()
            large?.deallocate()
        }

        var allocatedBytes: Int {
            wide.capacity * 16 + small.capacity * 8 + (mid?.allocatedBytes ?? 0) + (large?.allocatedBytes ?? 0)
        }

        func insert(_ value: UInt64) -> Bool {
            guard value <= CompactKeySet.mask else { return wide.insert(value).inserted }
            let inserted: Bool
            if let large {
                inserted = large.insert(mixed: CompactKeySet.mix(value))
            } else if let mid {
                guard count < CompactKeySet.midLimit else {
                    moveToLarge(mid)
                    return insert(value)
                }
                inserted = mid.insert(mixed: CompactKeySet.mix(value))
            } else {
                guard count < CompactKeySet.smallLimit else {
                    moveToMid()
                    return insert(value)
                }
                return insertSmall(value)
            }
            if inserted { count += 1 }
            return inserted
        }

        /// The small table's values moved to the 2^8 tables.
        private func moveToMid() {
            let tables = Tables<Slots40>()
            for stored in small where stored != 0 { _ = tables.insert(mixed: CompactKeySet.mix(stored - 1)) }
            small = []
            mid = tables
        }

        /// The 2^8 tables' values moved to the 2^16 tables.
        private func moveToLarge(_ mid: Tables<Slots40>) {
            let tables = Tables<Slots32>()
            mid.forEachMixed { _ = tables.insert(mixed: $0) }
            mid.deallocate()
            self.mid = nil
            large = tables
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

        /// Reads the home slot of each value, independent loads that the processor overlaps;
        /// what is read is kept only so that the reads are not removed.
        func touch(_ values: ArraySlice<UInt64>) {
            var sum: UInt64 = 0
            if let large {
                for value in values where value <= CompactKeySet.mask { sum &+= large.peek(mixed: CompactKeySet.mix(value)) }
            } else if let mid {
                for value in values where value <= CompactKeySet.mask { sum &+= mid.peek(mixed: CompactKeySet.mix(value)) }
            } else if !small.isEmpty {
                for value in values where value <= CompactKeySet.mask { sum &+= small[smallHome(value)] }
            }
            touched &+= sum
        }

        /// The sum of the slots `touch` read (meaningless).
        @exclusivity(unchecked) private var touched: UInt64 = 0

        func contains(_ value: UInt64) -> Bool {
            guard value <= CompactKeySet.mask else { return wide.contains(value) }
            if let large { return large.contains(mixed: CompactKeySet.mix(value)) }
            if let mid { return mid.contains(mixed: CompactKeySet.mix(value)) }
            return !small.isEmpty && small[smallSlot(value)] != 0
        }

        func copy() -> Storage {
            let copied = Storage()
            copied.count = count
            copied.wide = wide
            copied.small = small
            copied.mid = mid?.copy()
            copied.large = large?.copy()
            return copied
        }
    }
}
