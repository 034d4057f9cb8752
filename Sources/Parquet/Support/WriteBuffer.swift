/// A growable byte buffer that writers append to and reuse: pages, levels, dictionaries and
/// column chunks are built in these and cleared (capacity kept) instead of allocating per page
/// or per value. Hot loops reserve room once (`reserve(additional:)`) and then write through
/// `tail` before `advance(by:)`.
public final class WriteBuffer {
    @usableFromInline var pointer: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var storedCount = 0
    public var count: Int { storedCount }

    public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { pointer.deallocate() }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: storedCount) }
    public var isEmpty: Bool { storedCount == 0 }

    /// Where the next byte goes; valid for `reserve(additional:)` bytes until the next append.
    @inlinable public var tail: UnsafeMutableRawPointer { pointer + storedCount }

    /// Empties the buffer, keeping its memory.
    @inlinable public func removeAll() { storedCount = 0 }

    /// Frees memory above `limit` bytes (after an unusually large page or chunk).
    func shrink(ifAbove limit: Int) {
        guard capacity > limit, storedCount <= limit else { return }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(limit, 16), alignment: 16)
        if storedCount > 0 { fresh.copyMemory(from: pointer, byteCount: storedCount) }
        pointer.deallocate()
        pointer = fresh
        capacity = Swift.max(limit, 16)
    }

    /// Makes room for `additional` more bytes after `count`.
    @inlinable
    public func reserve(additional: Int) {
        if additional > capacity - storedCount { grow(minimum: storedCount + additional) }
    }

    @usableFromInline func grow(minimum: Int) {
        let doubled = capacity > Int.max / 4 ? minimum : capacity * 2
        let newCapacity = Swift.max(minimum, doubled)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if storedCount > 0 { fresh.copyMemory(from: pointer, byteCount: storedCount) }
        pointer.deallocate()
        pointer = fresh
        capacity = newCapacity
    }

    /// Declares `written` bytes written at `tail` (after a `reserve(additional:)`).
    @inlinable
    public func advance(by written: Int) {
        storedCount += written
    }

    @inlinable
    public func append(_ byte: UInt8) {
        reserve(additional: 1)
        pointer.storeBytes(of: byte, toByteOffset: storedCount, as: UInt8.self)
        storedCount += 1
    }

    @inlinable
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(additional: bytes.count)
        (pointer + storedCount).copyMemory(from: source, byteCount: bytes.count)
        storedCount += bytes.count
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
        pointer.storeBytes(of: value.littleEndian, toByteOffset: storedCount, as: T.self)
        storedCount += MemoryLayout<T>.size
    }

    /// Unsigned LEB128 (RLE run headers).
    @inline(__always)
    func appendULEB128(_ value: UInt64) {
        reserve(additional: 10)
        var remaining = value
        while remaining >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining) | 0x80, toByteOffset: storedCount, as: UInt8.self)
            storedCount += 1
            remaining >>= 7
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining), toByteOffset: storedCount, as: UInt8.self)
        storedCount += 1
    }

    /// Overwrites 4 bytes at `offset` (a length prefix written before its content was known).
    func storeLittleEndian(_ value: UInt32, at offset: Int) {
        pointer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
}
