/// A growable byte buffer that writers append to and reuse: pages, levels, dictionaries and
/// column chunks are built in these and cleared (capacity kept) instead of allocating per page
/// or per value. Hot loops reserve room once (`reserve(additional:)`) and then write through
/// `tail` before `advance(by:)`.
///
/// Public for the text writers of `Conversion`, but not inlinable: its storage stays internal
/// so that whole-module optimisation keeps the writer's appends free of dynamic exclusivity
/// checks.
public final class WriteBuffer {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var used = 0
    public var count: Int { used }

    public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { pointer.deallocate() }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: used) }
    public var isEmpty: Bool { used == 0 }

    /// Where the next byte goes; valid for `reserve(additional:)` bytes until the next append.
    public var tail: UnsafeMutableRawPointer { pointer + used }

    /// Empties the buffer, keeping its memory.
    public func removeAll() { used = 0 }

    /// Frees memory above `limit` bytes (after an unusually large page or chunk).
    func shrink(ifAbove limit: Int) {
        guard capacity > limit, used <= limit else { return }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(limit, 16), alignment: 16)
        if used > 0 { fresh.copyMemory(from: pointer, byteCount: used) }
        pointer.deallocate()
        pointer = fresh
        capacity = Swift.max(limit, 16)
    }

    /// Makes room for `additional` more bytes after `count`.
    @inline(__always)
    public func reserve(additional: Int) {
        if additional > capacity - used { grow(minimum: used + additional) }
    }

    private func grow(minimum: Int) {
        let doubled = capacity > Int.max / 4 ? minimum : capacity * 2
        let newCapacity = Swift.max(minimum, doubled)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if used > 0 { fresh.copyMemory(from: pointer, byteCount: used) }
        pointer.deallocate()
        pointer = fresh
        capacity = newCapacity
    }

    /// Declares `written` bytes written at `tail` (after a `reserve(additional:)`).
    @inline(__always)
    public func advance(by written: Int) {
        used += written
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(additional: 1)
        pointer.storeBytes(of: byte, toByteOffset: used, as: UInt8.self)
        used += 1
    }

    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(additional: bytes.count)
        (pointer + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    func append(_ other: WriteBuffer) {
        append(other.bytes)
    }

    @inline(__always)
    func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        reserve(additional: MemoryLayout<T>.size)
        pointer.storeBytes(of: value.littleEndian, toByteOffset: used, as: T.self)
        used += MemoryLayout<T>.size
    }

    /// Unsigned LEB128 (RLE run headers).
    @inline(__always)
    func appendULEB128(_ value: UInt64) {
        reserve(additional: 10)
        var remaining = value
        while remaining >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining) | 0x80, toByteOffset: used, as: UInt8.self)
            used += 1
            remaining >>= 7
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining), toByteOffset: used, as: UInt8.self)
        used += 1
    }

    /// Overwrites 4 bytes at `offset` (a length prefix written before its content was known).
    func storeLittleEndian(_ value: UInt32, at offset: Int) {
        pointer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
}
