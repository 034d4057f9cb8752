import Basics

/// Numbers written in groups of digits (`732 829 320`, `01.23.45.67.89`), found in UTF-8 text.
///
/// A chain is a maximal run of digit groups each separated from the next by exactly one
/// separator: a space, a dot, a non-breaking space (U+00A0), a narrow non-breaking space
/// (U+202F), a thin space (U+2009) or a figure space (U+2007), and for phone numbers also a
/// hyphen. A group is a maximal run of ASCII digits, so a chain never starts or ends inside a
/// longer run of digits.
struct DigitChain {
    /// Byte ranges of the groups, in order.
    var groups: [Range<Int>]
    var start: Int { groups[0].lowerBound }
    var end: Int { groups[groups.count - 1].upperBound }
    var digitCount: Int { groups.reduce(0) { $0 + $1.count } }

    /// The digits of groups `range`, concatenated.
    func digits(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        for group in groups[range] { output.append(contentsOf: bytes[group]) }
        return output
    }

    /// Calls `body` with every chain of `bytes`, in order.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, hyphens: Bool, _ body: (DigitChain) -> Void) {
        let end = bytes.count
        var index = 0
        while index < end {
            guard ASCII.isDigit(bytes[index]) else {
                index += 1
                continue
            }
            var groups: [Range<Int>] = []
            var cursor = index
            while true {
                let groupStart = cursor
                while cursor < end, ASCII.isDigit(bytes[cursor]) { cursor += 1 }
                groups.append(groupStart..<cursor)
                let separator = separatorLength(bytes, at: cursor, hyphens: hyphens)
                guard separator > 0, cursor + separator < end, ASCII.isDigit(bytes[cursor + separator]) else { break }
                cursor += separator
            }
            body(DigitChain(groups: groups))
            index = cursor
        }
    }

    /// The length in bytes of the separator at `index`, 0 if there is none.
    @inline(__always)
    static func separatorLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, hyphens: Bool) -> Int {
        guard index < bytes.count else { return 0 }
        switch bytes[index] {
        case UInt8(ascii: " "), UInt8(ascii: "."): return 1
        case UInt8(ascii: "-"): return hyphens ? 1 : 0
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0xA0 ? 2 : 0
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return 0 }
            return [0xAF, 0x89, 0x87].contains(bytes[index + 2]) ? 3 : 0
        default: return 0
        }
    }
}

/// A short excerpt of UTF-8 text around a byte range, on one line, for evidence and logs.
enum Excerpt {
    static func around(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, before: Int = 40, after: Int = 20) -> String {
        var start = max(0, range.lowerBound - before)
        var end = min(bytes.count, range.upperBound + after)
        if let lineStart = bytes[start..<range.lowerBound].lastIndex(of: 0x0A) { start = lineStart + 1 }
        if let lineEnd = bytes[range.upperBound..<end].firstIndex(of: 0x0A) { end = lineEnd }
        // Whole words at both ends.
        while start > 0, start < range.lowerBound, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x20, range.lowerBound - start < before + 20 { start -= 1 }
        while end < bytes.count, end > range.upperBound, bytes[end] != 0x0A, bytes[end] != 0x20, end - range.upperBound < after + 20 { end += 1 }
        while start > 0, start < range.lowerBound, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        while end < bytes.count, end > range.upperBound, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return HTMLReader.collapsed(text.replacingAll("\u{A0}", with: " "), limit: 200)
    }
}
