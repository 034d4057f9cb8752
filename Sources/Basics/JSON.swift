/// JSON text to and from `StructuredValue` (RFC 8259).
///
/// Encoding keeps map keys in insertion order and writes floating-point numbers with a `.` or an
/// exponent so that they decode as floats again; integers stay integers. Decoding is strict
/// (no comments, no trailing commas, no duplicate keys, no raw control characters in strings) and
/// reports errors with their line and column. A leading byte-order mark is skipped. An integer
/// literal too large for 64 bits decodes as a float, like Lua does.
public enum JSON {
    /// Maximum nesting of arrays and objects, so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    public static func encode(_ value: StructuredValue, pretty: Bool = false) throws(JSONError) -> String {
        var writer = JSONWriter(pretty: pretty)
        try writer.write(value, path: "", indent: 0)
        return writer.output
    }

    public static func decode(_ text: String) throws(JSONError) -> StructuredValue {
        try decode(text, maximumDepth: maximumDepth)
    }

    /// `maximumDepth` lowers the nesting limit for callers with a smaller one (the Lua API).
    public static func decode(_ text: String, maximumDepth: Int) throws(JSONError) -> StructuredValue {
        var parser = JSONParser(bytes: Array(text.utf8), maximumDepth: min(maximumDepth, Self.maximumDepth))
        return try parser.parseDocument()
    }
}

/// Why a JSON text could not be decoded (with its position) or a value could not be encoded.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based position of the problem in the decoded text; nil for encoding errors.
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        guard let line, let column else { return message }
        return "line \(line), column \(column): \(message)"
    }
}

struct JSONWriter {
    let pretty: Bool
    var output = ""

    mutating func write(_ value: StructuredValue, path: String, indent: Int) throws(JSONError) {
        switch value {
        case .null: output += "null"
        case let .bool(flag): output += flag ? "true" : "false"
        case let .integer(number): output += String(number)
        case let .double(number):
            guard number.isFinite else {
                throw JSONError(line: nil, column: nil, message:
                    "cannot encode \(number) at '\(path.isEmpty ? "(top level)" : path)': JSON has no NaN or infinity")
            }
            output += number.description
        case let .string(text): JSONWriter.appendQuoted(text, to: &output)
        case let .array(elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 1)
                try write(element, path: "\(path)[\(index)]", indent: indent + 1)
            }
            newline(indent)
            output += "]"
        case let .map(map):
            guard !map.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, entry) in map.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 1)
                JSONWriter.appendQuoted(entry.key, to: &output)
                output += pretty ? ": " : ":"
                try write(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", indent: indent + 1)
            }
            newline(indent)
            output += "}"
        }
    }

    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        output += "\n" + String(repeating: "  ", count: indent)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; U+2028 and
    /// U+2029 too, so that the text is also safe inside JavaScript.
    static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                output += "\\u" + hex4(scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

struct JSONParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var position = 0

    init(bytes: [UInt8], maximumDepth: Int = JSON.maximumDepth) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func parseDocument() throws(JSONError) -> StructuredValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected \(describeCurrent()) after the value") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> StructuredValue {
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> StructuredValue {
        guard depth <= maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
        position += 1
        var map = StructuredMap()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return .map(map) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("unexpected \(describeCurrent()), expected a string key") }
            let keyPosition = position
            let key = try parseString()
            guard map[key] == nil else {
                position = keyPosition
                throw error("duplicate key \(key.debugDescription)")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("unexpected \(describeCurrent()), expected ':' after a key") }
            position += 1
            skipWhitespace()
            map[key] = try parseValue(depth: depth)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .map(map)
            default: throw error("unexpected \(describeCurrent()), expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> StructuredValue {
        guard depth <= maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
        position += 1
        var elements: [StructuredValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw error("unexpected \(describeCurrent()), expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseString() throws(JSONError) -> String {
        position += 1 // opening quote
        var decoded: [UInt8] = []
        while true {
            let runStart = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\"),
                  bytes[position] >= 0x20 {
                position += 1
            }
            decoded.append(contentsOf: bytes[runStart..<position])
            guard position < bytes.count else { throw error("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte < 0x20 {
                throw error("raw control character U+\(JSONWriter.hex4(UInt32(byte))) in a string (escape it)")
            }
            try parseEscape(into: &decoded)
        }
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(JSONError) {
        position += 1 // backslash
        guard position < bytes.count else { throw error("unterminated string") }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var value = try parseHex4()
            if (0xD800...0xDBFF).contains(value) {
                guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw error("unpaired surrogate \\u\(JSONWriter.hex4(value))")
                }
                position += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate \\u\(JSONWriter.hex4(value))") }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(value) {
                throw error("unpaired surrogate \\u\(JSONWriter.hex4(value))")
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("invalid escape \\u\(JSONWriter.hex4(value))") }
            decoded.append(contentsOf: Array(String(scalar).utf8))
        default:
            position -= 2
            throw error("invalid escape \\\(Character(Unicode.Scalar(escape)))")
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hexadecimal digit \(describeCurrent()) in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONError) -> StructuredValue {
        let start = position
        func digits() -> Int {
            let digitsStart = position
            while position < bytes.count, ASCII.isDigit(bytes[position]) { position += 1 }
            return position - digitsStart
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), ASCII.isDigit(next) { throw error("leading zero in a number") }
        } else if digits() == 0 {
            throw error("expected a digit in a number, found \(describeCurrent())")
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard digits() > 0 else { throw error("expected a digit after the decimal point, found \(describeCurrent())") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent, found \(describeCurrent())") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text) else { throw error("invalid number \(text)") }
        guard number.isFinite else {
            position = start
            throw error("number \(text) is out of range")
        }
        return .double(number)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes[position...].starts(with: expected) else {
            throw error("unexpected \(describeCurrent()), expected a value")
        }
        position += expected.count
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func describeCurrent() -> String {
        guard position < bytes.count else { return "end of input" }
        let rest = String(decoding: bytes[position..<min(bytes.count, position + 4)], as: UTF8.self)
        guard let scalar = rest.unicodeScalars.first else { return "byte" }
        if scalar.value >= 0x21 && scalar.value < 0x7F { return "'\(Character(scalar))'" }
        return "U+" + JSONWriter.hex4(scalar.value)
    }

    /// An error at the current position, with its 1-based line and column (in characters).
    private func error(_ message: String) -> JSONError {
        let end = min(position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return JSONError(line: line, column: column, message: message)
    }
}
