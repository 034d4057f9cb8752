/// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
/// eight ASCII bytes at a time.
public enum UTF8Validation {
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        firstInvalidOffset(bytes) == nil
    }

    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }

    /// The offset of the first byte that does not start a well-formed sequence (for a message
    /// naming it), nil when every byte is valid.
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII fast path.
            while index + 8 <= count && base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { return nil }
            let lead = base.load(fromByteOffset: index, as: UInt8.self)
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xbf
            switch lead {
            case 0xc2...0xdf: length = 2
            case 0xe0: length = 3; low = 0xa0
            case 0xe1...0xec, 0xee...0xef: length = 3
            case 0xed: length = 3; high = 0x9f
            case 0xf0: length = 4; low = 0x90
            case 0xf1...0xf3: length = 4
            case 0xf4: length = 4; high = 0x8f
            default: return index
            }
            guard index + length <= count else { return index }
            let second = base.load(fromByteOffset: index + 1, as: UInt8.self)
            guard second >= low && second <= high else { return index }
            for offset in 2..<length {
                let next = base.load(fromByteOffset: index + offset, as: UInt8.self)
                guard next & 0xc0 == 0x80 else { return index }
            }
            index += length
        }
        return nil
    }
}
