/// A bounds-checked reader over bytes that belong to someone else (a footer, a page).
///
/// Every read checks the remaining length first and throws instead of trapping, so no offset
/// or length taken from a file can read out of bounds. Hot decoders check a whole run once
/// with `require(_:)` and then read the checked span directly.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    /// Throws unless `count` more bytes are available.
    @inline(__always)
    func require(_ count: Int) throws {
        guard count >= 0, count <= remaining else {
            throw ParquetError.corrupt(
                "unexpected end of data: \(count) bytes needed at offset \(position), \(remaining) left")
        }
    }

    @inline(__always)
    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else {
            throw ParquetError.corrupt("unexpected end of data at offset \(position)")
        }
        let byte = bytes[position]
        position += 1
        return byte
    }

    @inline(__always)
    mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try require(MemoryLayout<T>.size)
        let value = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// The next `count` bytes, without copying.
    @inline(__always)
    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        try require(count)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        position += count
        return slice
    }

    @inline(__always)
    mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }

    /// The bytes after the current position.
    var rest: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[position...])
    }

    /// Unsigned LEB128 (Thrift varints, RLE run headers, delta headers). At most 10 bytes.
    @inline(__always)
    mutating func readULEB128() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 {
                throw ParquetError.corrupt("varint at offset \(position - 1) does not fit in 64 bits")
            }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw ParquetError.corrupt("varint at offset \(position - 1) is longer than 10 bytes")
            }
        }
    }

    /// A zigzag-encoded LEB128 signed integer.
    @inline(__always)
    mutating func readZigZag() throws -> Int64 {
        let raw = try readULEB128()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
