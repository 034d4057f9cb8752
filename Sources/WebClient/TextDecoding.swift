/// Turns a response body into UTF-8 text, finding its charset as browsers do (WHATWG Encoding):
/// a byte-order mark, else the `charset` of the `Content-Type` header, else a `<meta charset>` (or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`) or an XML declaration's
/// `encoding` near the start, else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what
/// French pages without a declaration almost always are).
///
/// Labels are read as WHATWG does: `iso-8859-1`, `latin1` and `us-ascii` mean windows-1252 (its
/// superset, which browsers use for them). Decoded: UTF-8, UTF-16LE/BE, windows-1252,
/// ISO-8859-15. An unknown label is ignored; invalid UTF-8 becomes U+FFFD.
enum TextDecoding {
    /// Whether a body of media type `mediaType` (lower case, no parameters) is text.
    static func isText(mediaType: String?) -> Bool {
        guard let type = mediaType, !type.isEmpty else { return true }
        if type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("+json") { return true }
        return ["application/xml", "application/json", "application/javascript", "application/ecmascript",
                "application/x-javascript"].contains(type)
    }

    /// The media type of a `Content-Type` value, lower case, without parameters.
    static func mediaType(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        return type.isEmpty ? nil : type
    }

    /// The text of `body` and the name of the encoding it was decoded from.
    static func decode(_ body: [UInt8], contentType: String?) -> (text: String, charset: String) {
        let (encoding, skip) = detect(body, contentType: contentType)
        let bytes = body[skip...]
        let text: String
        switch encoding {
        case .utf8: text = String(decoding: bytes, as: UTF8.self)
        case .utf16LE, .utf16BE:
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
                units.append(encoding == .utf16LE ? second << 8 | first : first << 8 | second)
                index += 2
            }
            text = String(decoding: units, as: UTF16.self)
        case .windows1252, .iso8859_15:
            let table = encoding == .windows1252 ? windows1252High : iso8859_15High
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                if byte >= 0x80 && byte < 0xC0, let mapped = table[byte] {
                    scalars.append(mapped)
                } else {
                    scalars.append(Unicode.Scalar(byte))
                }
            }
            text = String(scalars)
        }
        return (text, encoding.rawValue)
    }

    enum Encoding: String {
        case utf8 = "utf-8"
        case utf16LE = "utf-16le"
        case utf16BE = "utf-16be"
        case windows1252 = "windows-1252"
        case iso8859_15 = "iso-8859-15"
    }

    /// The encoding a WHATWG label names, nil when builder does not know it.
    static func encoding(label: String) -> Encoding? {
        let name = label.trimming(" \t\"'").lowercased()
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8": return .utf8
        case "utf-16", "utf-16le", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff": return .utf16LE
        case "utf-16be", "unicodefffe": return .utf16BE
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987",
             "latin1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "ascii", "us-ascii", "ansi_x3.4-1968": return .windows1252
        case "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "latin9", "l9", "csisolatin9", "latin-9": return .iso8859_15
        default: return nil
        }
    }

    /// The encoding and how many byte-order-mark bytes to skip.
    private static func detect(_ body: [UInt8], contentType: String?) -> (Encoding, Int) {
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if body.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if body.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        if let contentType, let label = parameter("charset", in: contentType), let encoding = encoding(label: label) {
            return (encoding, 0)
        }
        if let label = declaredInDocument(body), let encoding = encoding(label: label) {
            // A declaration read as ASCII cannot be UTF-16: WHATWG takes it as UTF-8.
            return (encoding == .utf16LE || encoding == .utf16BE ? .utf8 : encoding, 0)
        }
        return (isValidUTF8(body) ? .utf8 : .windows1252, 0)
    }

    /// A `name=value` parameter of a header value (`text/html; charset="ISO-8859-1"`).
    private static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingWhitespace().lowercased() == name else { continue }
            let value = pieces[1].trimmingWhitespace().trimming("\"'")
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The charset a `<meta>` or the XML declaration names in the first 4 KiB.
    private static func declaredInDocument(_ body: [UInt8]) -> String? {
        let head = String(decoding: body.prefix(4096).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self).lowercased()
        if head.hasPrefix("<?xml"), let end = head.firstIndex(of: ">") {
            let declaration = head[..<end]
            if let range = declaration.range(of: "encoding") {
                return attributeValue(after: declaration[range.upperBound...])
            }
        }
        var rest = head[...]
        while let meta = rest.range(of: "<meta") {
            let tagEnd = rest[meta.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[meta.upperBound..<tagEnd]
            if let charset = tag.range(of: "charset") {
                let after = tag[charset.upperBound...]
                if let value = attributeValue(after: after) { return value }
            }
            rest = rest[tagEnd...]
        }
        return nil
    }

    /// The value after `=` (optionally quoted) at the start of `text`: `="utf-8"` gives `utf-8`.
    private static func attributeValue(after text: Substring) -> String? {
        var rest = text.trimmingWhitespace()
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().trimmingWhitespace()
        if rest.first == "\"" || rest.first == "'" { rest = rest.dropFirst() }
        let value = rest.prefix { !" \t\"';>/\n\r".contains($0) }
        return value.isEmpty ? nil : String(value)
    }

    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// windows-1252's 0x80-0x9F (the rest of 0x80-0xFF is Latin-1); WHATWG maps its five holes
    /// to the C1 controls.
    private static let windows1252High: [UInt8: Unicode.Scalar] = {
        let scalars: [UInt32] = [0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152,
                                 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122,
                                 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178]
        var table: [UInt8: Unicode.Scalar] = [:]
        for (offset, value) in scalars.enumerated() { table[UInt8(0x80 + offset)] = Unicode.Scalar(value)! }
        return table
    }()

    /// The eight places where ISO-8859-15 differs from Latin-1.
    private static let iso8859_15High: [UInt8: Unicode.Scalar] = [
        0xA4: "\u{20AC}", 0xA6: "\u{160}", 0xA8: "\u{161}", 0xB4: "\u{17D}", 0xB8: "\u{17E}", 0xBC: "\u{152}",
        0xBD: "\u{153}", 0xBE: "\u{178}",
    ]
}

extension Substring {
    func trimming(_ set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

extension String {
    func trimming(_ set: String) -> String { self[...].trimming(set) }
}
