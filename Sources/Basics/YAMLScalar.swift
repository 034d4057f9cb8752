/// How scalars are read and written in YAML, shared by the YAML encoder and the template renderer.
///
/// Reading follows the YAML 1.2 core schema (`true`, `null`, `12`, `1.5`, `0x1F`, `.inf`; `yes`,
/// `no`, `on`, `off` are strings). Writing is stricter: a string is written plain only when every
/// YAML 1.1 or 1.2 reader (libyaml, PyYAML, Yams) would read it back as the same string, otherwise
/// it is double-quoted with escapes, so that files written here mean the same thing to a Python
/// pipeline.
public enum YAMLScalar {
    /// Words that some YAML version reads as null or boolean.
    private static let keywords: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    /// Whether `text` can be written as a plain scalar on its own and read back as this string:
    /// a letter, `_` or `/` first, then letters, digits, `_`, `.`, `/`, `-`, and not a keyword.
    public static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, isPlainStart(first) else { return false }
        guard text.utf8.allSatisfy(isPlainCharacter) else { return false }
        return !keywords.contains(text.lowercased())
    }

    public static func isPlainStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "_"), UInt8(ascii: "/"):
            true
        default: false
        }
    }

    public static func isPlainCharacter(_ byte: UInt8) -> Bool {
        isPlainStart(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// Whether a plain scalar with this exact text (already known to be well formed) reads as a
    /// string in YAML 1.1 and 1.2. Conservative: anything that starts like a number, a date, a
    /// special float or a merge key counts as not a string.
    public static func plainReadsAsString(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        if keywords.contains(text.lowercased()) || text == "~" { return false }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "="), UInt8(ascii: "<"):
            return false
        default:
            return true
        }
    }

    /// `text` as a double-quoted scalar, quotes included.
    public static func doubleQuoted(_ text: String) -> String {
        "\"" + escapedForDoubleQuotes(text) + "\""
    }

    /// The body of a double-quoted scalar: `\` and `"` escaped, and every character that is not
    /// printable or that a YAML 1.1 reader takes for a line break written as an escape.
    public static func escapedForDoubleQuotes(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\0": output += "\\0"
            case "\u{07}": output += "\\a"
            case "\u{08}": output += "\\b"
            case "\t": output += "\\t"
            case "\n": output += "\\n"
            case "\u{0B}": output += "\\v"
            case "\u{0C}": output += "\\f"
            case "\r": output += "\\r"
            case "\u{1B}": output += "\\e"
            case "\u{85}": output += "\\N"
            case "\u{2028}": output += "\\L"
            case "\u{2029}": output += "\\P"
            default:
                if needsEscape(scalar) {
                    output += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, width: 2) : "\\u" + hex(scalar.value, width: 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// Characters outside YAML's printable set (plus the byte-order mark, which readers may drop).
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: false
        default: true
        }
    }

    /// Whether `text` can sit inside a single-quoted scalar on one line and read back unchanged:
    /// no line breaks (which fold) and nothing that needs an escape (single quotes have none).
    public static func fitsSingleQuotedLine(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "\t" || !needsEscape($0) && !isLineBreak($0) }
    }

    public static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }

    /// A floating-point number as YAML 1.1 and 1.2 both read it back as a float: always with a dot
    /// (`1.0e+16`, not `1e+16`), `.inf`, `-.inf`, `.nan`.
    public static func formatDouble(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let text = value.description
        guard !text.contains("."), let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        return text[..<exponent] + ".0" + text[exponent...]
    }

    /// The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema.
    public static func resolvePlain(_ text: String) -> StructuredValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let integer = coreInteger(text) { return integer }
        if isCoreFloat(text), let number = Double(text) { return .double(number) }
        return .string(text)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; a decimal too large for 64 bits is a float.
    private static func coreInteger(_ text: String) -> StructuredValue? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let digits = String(decoding: bytes[2...], as: UTF8.self)
            if bytes[1] == UInt8(ascii: "o"), let value = Int64(digits, radix: 8) { return .integer(value) }
            if bytes[1] == UInt8(ascii: "x"), digits.utf8.allSatisfy(\.isHexDigit), let value = Int64(digits, radix: 16) {
                return .integer(value)
            }
        }
        var digits = bytes[...]
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(ASCII.isDigit) else { return nil }
        let unsigned = bytes.first == UInt8(ascii: "+") ? String(text.dropFirst()) : text
        if let value = Int64(unsigned) { return .integer(value) }
        return Double(text).map(StructuredValue.double)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isCoreFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let integerDigits = bytes.prefix(while: ASCII.isDigit).count
        bytes = bytes.dropFirst(integerDigits)
        var fractionDigits = 0
        var hasDot = false
        if bytes.first == UInt8(ascii: ".") {
            hasDot = true
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix(while: ASCII.isDigit).count
            bytes = bytes.dropFirst(fractionDigits)
        }
        guard integerDigits > 0 || (hasDot && fractionDigits > 0) else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponentDigits = bytes.prefix(while: ASCII.isDigit).count
            guard exponentDigits > 0 else { return false }
            bytes = bytes.dropFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    public static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
