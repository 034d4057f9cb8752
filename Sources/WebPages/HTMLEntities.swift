import Basics

/// Character references of HTML (`&eacute;`, `&#233;`, `&#xE9;`), decoded on UTF-8 bytes.
///
/// Numeric references are all decoded (0, surrogates and values past U+10FFFF become U+FFFD;
/// 128-159 are read as Windows-1252, as browsers do: `&#146;` is `’`). Named references are
/// the common ones of French pages (`named`): letters with accents, spaces, quotes, dashes,
/// `&commat;` and `&period;`, which hide e-mail addresses, and symbols; the semicolon may be left
/// out after the legacy ones (`&amp`, `&nbsp`, `&eacute`...). An unknown name stays as written.
enum HTMLEntities {
    /// Decodes the reference that starts at `bytes[index]` (an `&`), appending its UTF-8 to
    /// `output`; returns the index after it, or nil (nothing appended) when there is none.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int, into output: inout [UInt8]) -> Int? {
        var cursor = index + 1
        guard cursor < end else { return nil }
        if bytes[cursor] == UInt8(ascii: "#") {
            cursor += 1
            var value: UInt32 = 0
            var digits = 0
            let hex = cursor < end && (bytes[cursor] | 0x20) == UInt8(ascii: "x")
            if hex { cursor += 1 }
            while cursor < end {
                let byte = bytes[cursor]
                let digit: UInt8?
                if hex { digit = PercentEncoding.hexValue(byte) } else { digit = ASCII.isDigit(byte) ? byte - 0x30 : nil }
                guard let digit else { break }
                if value <= 0x10FFFF { value = value * (hex ? 16 : 10) + UInt32(digit) }
                digits += 1
                cursor += 1
            }
            guard digits > 0 else { return nil }
            if cursor < end, bytes[cursor] == UInt8(ascii: ";") { cursor += 1 }
            appendScalar(numericValue(value), to: &output)
            return cursor
        }
        var nameEnd = cursor
        while nameEnd < end, nameEnd - cursor < 32, ASCII.isAlphanumeric(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > cursor else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[cursor..<nameEnd]), as: UTF8.self)
        let hasSemicolon = nameEnd < end && bytes[nameEnd] == UInt8(ascii: ";")
        guard let scalar = named[name], hasSemicolon || legacy.contains(name) else { return nil }
        appendScalar(scalar, to: &output)
        return hasSemicolon ? nameEnd + 1 : nameEnd
    }

    /// Decodes every reference of `text` (attribute values, sitemap locations).
    static func decode(_ text: some StringProtocol) -> String {
        var bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "&")) else { return String(text) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            var index = 0
            while index < buffer.count {
                if buffer[index] == UInt8(ascii: "&"), let next = decode(buffer, at: index, end: buffer.count, into: &output) {
                    index = next
                } else {
                    output.append(buffer[index])
                    index += 1
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func appendScalar(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        let value = scalar.value
        if value < 0x80 {
            output.append(UInt8(value))
        } else {
            output.append(contentsOf: String(Character(scalar)).utf8)
        }
    }

    private static func numericValue(_ value: UInt32) -> Unicode.Scalar {
        if value >= 0x80 && value <= 0x9F, let mapped = Windows1252.highScalars[Int(value - 0x80)] { return mapped }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    /// Names accepted without their semicolon, as HTML accepts them.
    private static let legacy: Set<String> = [
        "amp", "AMP", "lt", "LT", "gt", "GT", "quot", "QUOT", "nbsp", "copy", "COPY", "reg", "REG", "eacute",
        "Eacute", "egrave", "Egrave", "ecirc", "Ecirc", "agrave", "Agrave", "acirc", "ccedil", "Ccedil", "ocirc",
        "ucirc", "ugrave", "icirc", "iuml", "euml", "laquo", "raquo", "deg", "middot", "sect",
    ]

    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">", "GT": ">", "quot": "\"", "QUOT": "\"", "apos": "'",
        "nbsp": "\u{A0}", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "NonBreakingSpace": "\u{A0}",
        "shy": "\u{AD}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "commat": "@", "period": ".", "comma": ",", "colon": ":", "semi": ";", "lpar": "(", "rpar": ")",
        "lsqb": "[", "rsqb": "]", "lbrack": "[", "rbrack": "]", "lcub": "{", "rcub": "}", "num": "#", "dollar": "$",
        "percnt": "%", "plus": "+", "equals": "=", "excl": "!", "quest": "?", "sol": "/", "bsol": "\\",
        "ast": "*", "hyphen": "\u{2010}", "dash": "\u{2010}", "lowbar": "_", "verbar": "|", "vert": "|",
        "tilde": "\u{2DC}", "Hat": "^",
        "aacute": "á", "Aacute": "Á", "agrave": "à", "Agrave": "À", "acirc": "â", "Acirc": "Â", "auml": "ä",
        "Auml": "Ä", "atilde": "ã", "Atilde": "Ã", "aring": "å", "Aring": "Å", "aelig": "æ", "AElig": "Æ",
        "ccedil": "ç", "Ccedil": "Ç", "eacute": "é", "Eacute": "É", "egrave": "è", "Egrave": "È", "ecirc": "ê",
        "Ecirc": "Ê", "euml": "ë", "Euml": "Ë", "iacute": "í", "Iacute": "Í", "igrave": "ì", "Igrave": "Ì",
        "icirc": "î", "Icirc": "Î", "iuml": "ï", "Iuml": "Ï", "ntilde": "ñ", "Ntilde": "Ñ", "oacute": "ó",
        "Oacute": "Ó", "ograve": "ò", "Ograve": "Ò", "ocirc": "ô", "Ocirc": "Ô", "ouml": "ö", "Ouml": "Ö",
        "otilde": "õ", "Otilde": "Õ", "oslash": "ø", "Oslash": "Ø", "oelig": "œ", "OElig": "Œ", "uacute": "ú",
        "Uacute": "Ú", "ugrave": "ù", "Ugrave": "Ù", "ucirc": "û", "Ucirc": "Û", "uuml": "ü", "Uuml": "Ü",
        "yacute": "ý", "Yacute": "Ý", "yuml": "ÿ", "Yuml": "Ÿ", "szlig": "ß",
        "laquo": "«", "raquo": "»", "lsaquo": "‹", "rsaquo": "›", "lsquo": "‘", "rsquo": "’", "sbquo": "‚",
        "ldquo": "“", "rdquo": "”", "bdquo": "„", "ndash": "–", "mdash": "—", "hellip": "…", "bull": "•",
        "middot": "·", "prime": "′", "Prime": "″",
        "copy": "©", "COPY": "©", "reg": "®", "REG": "®", "trade": "™", "euro": "€", "pound": "£", "cent": "¢",
        "yen": "¥", "deg": "°", "sect": "§", "para": "¶", "times": "×", "divide": "÷", "plusmn": "±",
        "frac12": "½", "frac14": "¼", "frac34": "¾", "sup1": "¹", "sup2": "²", "sup3": "³", "ordf": "ª",
        "ordm": "º", "micro": "µ", "iexcl": "¡", "iquest": "¿", "larr": "←", "rarr": "→", "uarr": "↑",
        "darr": "↓", "harr": "↔", "check": "✓", "phone": "☎", "star": "☆", "starf": "★", "hearts": "♥",
    ]
}

/// Windows-1252, the encoding of older French pages that are not UTF-8.
enum Windows1252 {
    /// Bytes 0x80-0x9F (the rest of the encoding is Latin-1); nil for the five undefined ones.
    static let highScalars: [Unicode.Scalar?] = [
        "€", nil, "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", nil, "Ž", nil,
        nil, "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", nil, "ž", "Ÿ",
    ]

    /// The text of `bytes` read as Windows-1252, as UTF-8.
    static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else if byte < 0xA0 {
                HTMLEntities.appendScalar(highScalars[Int(byte - 0x80)] ?? "\u{FFFD}", to: &output)
            } else {
                output.append(0xC0 | byte >> 6)
                output.append(0x80 | byte & 0x3F)
            }
        }
        return output
    }
}
