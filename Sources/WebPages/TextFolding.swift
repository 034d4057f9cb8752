import Basics

/// Text folded to lower-case ASCII words, for comparing company names and link labels with what
/// pages say, and for turning names into domain labels.
///
/// Rules: ASCII letters are lower-cased, digits kept; the accented Latin letters of French and
/// its neighbours fold to their base letter (`é` → `e`, `Ç` → `c`), ligatures and a few
/// special letters expand (`œ` → `oe`, `æ` → `ae`, `ß` → `ss`); everything else (punctuation,
/// spaces, apostrophes, symbols, letters of other scripts) separates words.
enum TextFolding {
    /// The folded words of `text`, in order.
    static func words(_ text: some StringProtocol) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for scalar in text.unicodeScalars {
            if appendFolded(scalar, to: &current) { continue }
            if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// The words of `text` joined by single spaces (`"Mentions légales"` → `"mentions legales"`).
    static func phrase(_ text: some StringProtocol) -> String {
        words(text).joined(separator: " ")
    }

    /// Whether `words` holds the words of `phrase` (folded words separated by single spaces),
    /// consecutively.
    static func contains(_ words: [String], phrase: String) -> Bool {
        let wanted = phrase.split(separator: " ")
        guard let first = wanted.first, words.count >= wanted.count else { return false }
        for start in 0...(words.count - wanted.count) where words[start] == first {
            if wanted.indices.allSatisfy({ words[start + $0] == wanted[$0] }) { return true }
        }
        return false
    }

    /// Appends the folded form of a letter or digit and returns true; returns false for a
    /// separator.
    @inline(__always)
    static func appendFolded(_ scalar: Unicode.Scalar, to output: inout [UInt8]) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            let byte = UInt8(value)
            if ASCII.isDigit(byte) || (byte >= 0x61 && byte <= 0x7A) {
                output.append(byte)
                return true
            }
            if byte >= 0x41 && byte <= 0x5A {
                output.append(byte | 0x20)
                return true
            }
            return false
        }
        guard let folded = latinFolds[scalar] else { return false }
        output.append(contentsOf: folded)
        return true
    }

    /// Latin-1 Supplement and Latin Extended-A letters to their lower-case ASCII base.
    private static let latinFolds: [Unicode.Scalar: [UInt8]] = {
        var table: [Unicode.Scalar: [UInt8]] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăąÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċčÇĆĈĊČ", "c"), ("ďđĎĐðÐ", "d"),
            ("èéêëēĕėęěÈÉÊËĒĔĖĘĚ", "e"), ("ĝğġģĜĞĠĢ", "g"), ("ĥħĤĦ", "h"),
            ("ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ", "i"), ("ĵĴ", "j"), ("ķĶ", "k"), ("ĺļľŀłĹĻĽĿŁ", "l"),
            ("ñńņňÑŃŅŇ", "n"), ("òóôõöøōŏőÒÓÔÕÖØŌŎŐ", "o"), ("ŕŗřŔŖŘ", "r"),
            ("śŝşšŚŜŞŠ", "s"), ("ţťŧŢŤŦ", "t"), ("ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ", "u"), ("ŵŴ", "w"),
            ("ýÿŷÝŸŶ", "y"), ("źżžŹŻŽ", "z"),
            ("œŒ", "oe"), ("æÆ", "ae"), ("ß", "ss"), ("þÞ", "th"), ("ĳĲ", "ij"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = Array(base.utf8) }
        }
        return table
    }()
}

/// Byte tests this target's scanners need beside `Basics.ASCII`'s.
extension ASCII {
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
    /// HTML's ASCII whitespace: tab, line feed, form feed, carriage return, space.
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }
}

/// A folded word and the byte range of the text it was read from.
struct FoldedWord {
    let text: String
    let range: Range<Int>

    /// The folded words of `text` (the rules of `TextFolding`) with their UTF-8 ranges.
    static func words(of text: String) -> [FoldedWord] {
        var words: [FoldedWord] = []
        var current: [UInt8] = []
        var start = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if !TextFolding.appendFolded(scalar, to: &current), !current.isEmpty {
                words.append(FoldedWord(text: String(decoding: current, as: UTF8.self), range: start..<offset))
                current.removeAll(keepingCapacity: true)
            }
            offset += width
            if current.isEmpty { start = offset }
        }
        if !current.isEmpty { words.append(FoldedWord(text: String(decoding: current, as: UTF8.self), range: start..<offset)) }
        return words
    }
}
