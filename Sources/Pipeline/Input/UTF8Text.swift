/// UTF-8 checks of input text: the datasets' STRING columns must hold valid UTF-8 (other tools
/// refuse the file otherwise), and a field that is not must be shown without its raw bytes.
enum UTF8Text {
    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above
    /// U+10FFFF).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index) else { return false }
            index += length
        }
        return true
    }

    /// The length of the valid multi-byte sequence at `index`, or nil.
    private static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // bounds of the second byte
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard bytes.count - index >= length else { return nil }
        guard (low...high).contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// The text of `bytes` for a message: valid characters as they are, other bytes and control
    /// characters as `\xE9`, cut after `limit` characters.
    static func escaped(_ bytes: UnsafeRawBufferPointer, limit: Int = 60) -> String {
        var text = ""
        var index = 0
        var characters = 0
        while index < bytes.count && characters < limit {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
                index += 1
            } else if byte >= 0x80, let length = sequenceLength(bytes, at: index) {
                text += String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]), as: UTF8.self)
                index += length
            } else {
                text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                index += 1
            }
            characters += 1
        }
        return index < bytes.count ? text + "…" : text
    }
}
