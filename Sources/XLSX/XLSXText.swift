/// The text of a cell as the file must hold it. XML 1.0 cannot hold most control characters,
/// nor U+FFFE and U+FFFF, nor bytes that are not UTF-8; OOXML writes such characters as
/// `_xHHHH_` (which Excel shows as the character), so a text that itself contains `_x0041_`
/// must have its `_` escaped too (`_x005F_`), or Excel would read `A`. Hence:
///
/// - control characters other than tab and line feed (NUL and CR included) → `_x0001_`, ...;
/// - U+FFFE, U+FFFF → `_xFFFE_`, `_xFFFF_`;
/// - `_` starting `_xHHHH_` (hex digits of either case) → `_x005F_`;
/// - bytes that are not UTF-8 → U+FFFD (the pipeline's text is checked to be UTF-8 already:
///   this only keeps the file readable).
enum XLSXText {
    /// Writes the cell text of `bytes` into `output`, NUL-terminated.
    static func prepare(_ bytes: UnsafeRawBufferPointer, into output: inout [CChar]) {
        output.removeAll(keepingCapacity: true)
        if append(bytes, to: &output) {
            output.append(0)
            return
        }
        // Not UTF-8: escape the repaired text instead.
        output.removeAll(keepingCapacity: true)
        var repaired = String(decoding: bytes, as: UTF8.self)
        repaired.withUTF8 { _ = append(UnsafeRawBufferPointer($0), to: &output) }
        output.append(0)
    }

    /// Appends the escaped text; false when `bytes` is not valid UTF-8 (checked only when it
    /// has a byte above 0x7F).
    private static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [CChar]) -> Bool {
        let count = bytes.count
        var nonASCII = false
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte != 0x5F && byte != 0xEF {
                nonASCII = nonASCII || byte >= 0x80
                output.append(CChar(bitPattern: byte))
            } else if byte < 0x20 {
                if byte == 0x09 || byte == 0x0A {
                    output.append(CChar(bitPattern: byte))
                } else {
                    appendEscape(UInt16(byte), to: &output)
                }
            } else if byte == 0x5F {
                if startsEscape(bytes, at: index) { appendEscape(0x5F, to: &output) } else { output.append(0x5F) }
            } else {
                // 0xEF: U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                nonASCII = true
                if index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF {
                    appendEscape(bytes[index + 2] == 0xBE ? 0xFFFE : 0xFFFF, to: &output)
                    index += 3
                    continue
                }
                output.append(CChar(bitPattern: byte))
            }
            index += 1
        }
        return !nonASCII || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether `_xHHHH_` starts at `index`.
    private static func startsEscape(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        guard index + 6 < bytes.count, bytes[index + 1] == 0x78, bytes[index + 6] == 0x5F else { return false }
        for offset in 2...5 where hexValue(bytes[index + offset]) == nil { return false }
        return true
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func appendEscape(_ code: UInt16, to output: inout [CChar]) {
        let digits: StaticString = "0123456789ABCDEF"
        output.append(0x5F)
        output.append(0x78)
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(CChar(bitPattern: digits.utf8Start[Int(code >> UInt16(shift)) & 0xF]))
        }
        output.append(0x5F)
    }
}
