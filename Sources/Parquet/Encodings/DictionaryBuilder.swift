#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct values of a column chunk being dictionary-encoded, for byte arrays (and for
/// fixed widths other than 4 and 8 bytes: INT96, FIXED_LEN_BYTE_ARRAY).
///
/// Entries are kept back to back in one buffer with offsets, and found through an
/// open-addressing hash table over those byte ranges: no Swift `String` or `Array` per value.
/// Each entry's hash is kept, so probing compares hashes before bytes and growing the table
/// never rehashes the bytes.
final class ByteArrayDictionary {
    /// Entry `i` is `bytes[offsets[i]..<offsets[i + 1]]`. Every buffer starts small and grows
    /// with the entries (a file has one dictionary per column: 100 000 columns must not cost
    /// 100 000 large buffers up front).
    let bytes = WriteBuffer(capacity: 256)
    let offsets = RawVector<Int32>(capacity: DictionaryTable.initialSlots)
    private let hashes = RawVector<UInt32>(capacity: DictionaryTable.initialSlots)
    /// Slots hold entry index + 1; 0 is empty.
    private var table: UnsafeMutablePointer<Int32>
    private var mask: Int
    /// Nil for BYTE_ARRAY; the width of every entry otherwise (PLAIN has no length prefix then).
    let fixedWidth: Int?

    init(fixedWidth: Int? = nil) {
        self.fixedWidth = fixedWidth
        mask = DictionaryTable.initialSlots - 1
        table = UnsafeMutablePointer<Int32>.allocate(capacity: mask + 1)
        table.initialize(repeating: 0, count: mask + 1)
        offsets.append(0)
    }

    deinit { table.deallocate() }

    var count: Int { hashes.count }

    /// Bytes of the dictionary page's PLAIN values.
    var plainSize: Int { bytes.count + (fixedWidth == nil ? 4 * count : 0) }

    /// Bytes allocated (capacity), whatever is used.
    var reservedBytes: Int { bytes.capacity + (offsets.capacity + hashes.capacity + mask + 1) * 4 }

    func reset() {
        bytes.removeAll()
        offsets.removeAll()
        offsets.append(0)
        hashes.removeAll()
        table.update(repeating: 0, count: mask + 1)
    }

    /// The index of the value `length` bytes at `value`, added when new.
    @inline(__always)
    func index(of value: UnsafeRawPointer, length: Int) -> UInt32 {
        let hash = UInt32(truncatingIfNeeded: ByteHash.hash(value, length))
        var slot = Int(hash) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            let index = entry - 1
            if hashes[index] == hash {
                let start = Int(offsets[index])
                if Int(offsets[index + 1]) - start == length
                    && (length == 0 || memcmp(bytes.pointer + start, value, length) == 0) {
                    return UInt32(truncatingIfNeeded: index)
                }
            }
            slot = (slot + 1) & mask
        }
        let index = hashes.count
        bytes.append(UnsafeRawBufferPointer(start: value, count: length))
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        hashes.append(hash)
        table[slot] = Int32(truncatingIfNeeded: index + 1)
        if (index + 1) * 2 > mask { grow() }
        return UInt32(truncatingIfNeeded: index)
    }

    private func grow() {
        let newMask = mask * 2 + 1
        table.deallocate()
        table = UnsafeMutablePointer<Int32>.allocate(capacity: newMask + 1)
        table.initialize(repeating: 0, count: newMask + 1)
        mask = newMask
        for index in 0..<hashes.count {
            var slot = Int(hashes[index]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: index + 1)
        }
    }

    /// Frees memory grown past `limit` bytes of entries (call after `reset()`).
    func releaseMemory(keepingBytesUpTo limit: Int) {
        bytes.shrink(ifAbove: limit)
        offsets.shrink(ifAbove: limit / 16)
        hashes.shrink(ifAbove: limit / 16)
        if count == 0 && mask >= DictionaryTable.initialSlots && (mask + 1) * 4 > limit {
            table.deallocate()
            mask = DictionaryTable.initialSlots - 1
            table = UnsafeMutablePointer<Int32>.allocate(capacity: mask + 1)
            table.initialize(repeating: 0, count: mask + 1)
        }
    }

    /// Calls `body` with each entry's bytes, in index order.
    func forEachEntry(_ body: (UnsafeRawBufferPointer) -> Void) {
        for index in 0..<count {
            let start = Int(offsets[index])
            body(UnsafeRawBufferPointer(start: bytes.pointer + start, count: Int(offsets[index + 1]) - start))
        }
    }

    /// The values of `indices` (into this dictionary), PLAIN, as a data page holds them.
    func writePlain(_ indices: UnsafePointer<UInt32>, count: Int, into out: WriteBuffer) {
        for position in 0..<count {
            let index = Int(indices[position])
            let start = Int(offsets[index])
            let length = Int(offsets[index + 1]) - start
            if fixedWidth == nil { out.appendLittleEndian(UInt32(truncatingIfNeeded: length)) }
            out.append(UnsafeRawBufferPointer(start: bytes.pointer + start, count: length))
        }
    }

    /// The dictionary page's values: PLAIN (a 4-byte length before each byte array).
    func writePlain(into out: WriteBuffer) {
        guard fixedWidth == nil else {
            out.append(bytes.bytes)
            return
        }
        out.reserve(additional: plainSize)
        forEachEntry { entry in
            out.appendLittleEndian(UInt32(truncatingIfNeeded: entry.count))
            out.append(entry)
        }
    }
}

/// The distinct values of a 4- or 8-byte column chunk (INT32, INT64, FLOAT, DOUBLE), keyed on
/// the bit pattern so -0.0 and +0.0, or NaNs with different payloads, stay distinct and come
/// back exactly.
final class FixedWidthDictionary<Key: FixedWidthInteger & UnsignedInteger & BitwiseCopyable> {
    let values = RawVector<Key>(capacity: DictionaryTable.initialSlots)
    private var table: UnsafeMutablePointer<Int32>
    private var mask: Int
    private var shift: UInt64

    init() {
        mask = DictionaryTable.initialSlots - 1
        shift = DictionaryTable.initialShift
        table = UnsafeMutablePointer<Int32>.allocate(capacity: mask + 1)
        table.initialize(repeating: 0, count: mask + 1)
    }

    deinit { table.deallocate() }

    var count: Int { values.count }
    var plainSize: Int { values.count * MemoryLayout<Key>.size }

    /// Bytes allocated (capacity), whatever is used.
    var reservedBytes: Int { values.capacity * MemoryLayout<Key>.stride + (mask + 1) * 4 }

    func reset() {
        values.removeAll()
        table.update(repeating: 0, count: mask + 1)
    }

    /// Frees memory grown past `limit` entries (call after `reset()`).
    func releaseMemory(keepingEntriesUpTo limit: Int) {
        values.shrink(ifAbove: limit)
        if count == 0 && mask >= DictionaryTable.initialSlots && mask + 1 > limit {
            table.deallocate()
            mask = DictionaryTable.initialSlots - 1
            shift = DictionaryTable.initialShift
            table = UnsafeMutablePointer<Int32>.allocate(capacity: mask + 1)
            table.initialize(repeating: 0, count: mask + 1)
        }
    }

    @inline(__always)
    private func slot(for key: Key) -> Int {
        // Fibonacci hashing: the high bits of a multiply spread sequential keys well.
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func index(of key: Key) -> UInt32 {
        var slot = slot(for: key)
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            if values[entry - 1] == key { return UInt32(truncatingIfNeeded: entry - 1) }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(key)
        table[slot] = Int32(truncatingIfNeeded: index + 1)
        if (index + 1) * 2 > mask { grow() }
        return UInt32(truncatingIfNeeded: index)
    }

    private func grow() {
        let newMask = mask * 2 + 1
        table.deallocate()
        table = UnsafeMutablePointer<Int32>.allocate(capacity: newMask + 1)
        table.initialize(repeating: 0, count: newMask + 1)
        mask = newMask
        shift -= 1
        for index in 0..<values.count {
            var slot = slot(for: values[index])
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: index + 1)
        }
    }

    /// The values of `indices` (into this dictionary), PLAIN, as a data page holds them.
    func writePlain(_ indices: UnsafePointer<UInt32>, count: Int, into out: WriteBuffer) {
        let size = MemoryLayout<Key>.size
        out.reserve(additional: count * size)
        for position in 0..<count {
            out.tail.storeBytes(of: values[Int(indices[position])].littleEndian, toByteOffset: position * size, as: Key.self)
        }
        out.advance(by: count * size)
    }

    /// The dictionary page's values: PLAIN, little-endian.
    func writePlain(into out: WriteBuffer) {
        let byteCount = plainSize
        out.reserve(additional: byteCount)
        for index in 0..<values.count {
            out.tail.storeBytes(of: values[index].littleEndian, toByteOffset: index * MemoryLayout<Key>.size, as: Key.self)
        }
        out.advance(by: byteCount)
    }
}

/// A fast, non-cryptographic hash of a byte range (reads 8 bytes at a time, never past the end).
enum ByteHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var state = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: count) &* 0xff51_afd7_ed55_8ccd)
        var index = 0
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            state = (state ^ word) &* 0xbf58_476d_1ce4_e5b9
            state ^= state >> 31
            index += 8
        }
        if index < count {
            let word: UInt64
            if count >= 8 {
                // The last 8 bytes, overlapping the previous word.
                word = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            } else if count >= 4 {
                let low = UInt64(bytes.loadUnaligned(as: UInt32.self))
                let high = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                word = low | high << 32
            } else {
                let first = UInt64(bytes.load(as: UInt8.self))
                let middle = UInt64(bytes.load(fromByteOffset: count >> 1, as: UInt8.self))
                let last = UInt64(bytes.load(fromByteOffset: count - 1, as: UInt8.self))
                word = first | middle << 8 | last << 16
            }
            state = (state ^ word) &* 0x94d0_49bb_1331_11eb
            state ^= state >> 29
        }
        state = (state ^ (state >> 32)) &* 0xd6e8_feb8_6659_fd93
        return state ^ (state >> 32)
    }
}

/// The hash tables' starting size: small, they double as entries come (at half load).
enum DictionaryTable {
    static let initialSlots = 16
    /// Fibonacci hashing keeps the top log2(slots) bits of the 64-bit product.
    static let initialShift: UInt64 = 64 - 4
}
