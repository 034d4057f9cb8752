/// A value of up to 7 bytes packed with its length in one integer (a NAF code, a département, a
/// headcount band): a dictionary key that costs no allocation and one integer hash.
enum ShortText {
    static let maximumLength = 7

    /// The bytes in the low bytes, the length in the high byte; nil for longer values.
    @inline(__always)
    static func key(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count <= maximumLength else { return nil }
        var key = UInt64(bytes.count) << 56
        for (index, byte) in bytes.enumerated() { key |= UInt64(byte) << (UInt64(index) * 8) }
        return key
    }

    /// The bytes of a key.
    static func bytes(_ key: UInt64) -> [UInt8] {
        (0..<Int(key >> 56)).map { UInt8(truncatingIfNeeded: key >> (UInt64($0) * 8)) }
    }

    /// The text of a key.
    static func text(_ key: UInt64) -> String { String(decoding: bytes(key), as: UTF8.self) }
}
