/// A Lua value that can cross between Lua and Swift: plain data only.
///
/// Conversion rules (both directions):
/// - Lua 5.4 keeps two number subtypes, and so does this enum: `3` is `.integer(3)`,
///   `3.0` is `.number(3.0)`.
/// - A table whose keys are exactly `1...n` is an `.array`; a table whose keys are all strings
///   is a `.map`. **An empty table `{}` becomes `.array([])`** (in scripts `{}` is most often an
///   empty list); `mapValue` accepts it as an empty map, so readers of option tables need not
///   care. `.map([:])` pushed to Lua therefore comes back as `.array([])`.
/// - Tables that mix sequence and string keys, have holes, non-string non-sequence keys, cycles
///   or more than `LuaValue.maximumDepth` levels cannot be converted: the error names the field
///   path, e.g. `field 'filters.naf_include[2]': cannot convert a function value`. Functions,
///   userdata and coroutines anywhere in the value are errors too. Metatables are ignored: tables
///   are read with raw access.
/// - `.nil` inside an `.array` leaves a hole in the Lua table and `.nil` in a `.map` leaves the
///   key out, exactly as assigning nil does in Lua.
public enum LuaValue: Sendable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaString)
    case array([LuaValue])
    case map([String: LuaValue])

    /// Tables nested deeper than this cannot be converted (in either direction).
    public static let maximumDepth = 100

    /// A string value from Swift text.
    public init(_ string: String) {
        self = .string(LuaString(string))
    }
}

// MARK: - Reading values

extension LuaValue {
    /// The Lua type name (`nil`, `boolean`, `number`, `string`, `table`), as Lua's `type()` says.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array, .map: "table"
        }
    }

    public var isNil: Bool {
        if case .nil = self { true } else { false }
    }

    public var boolValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    /// The integer, also for a float with an exact integer value (`3.0`), as Lua's
    /// `math.tointeger` does.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The number as a Double, for both subtypes.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The string as text (invalid UTF-8 replaced by U+FFFD).
    public var stringValue: String? {
        if case .string(let value) = self { value.string } else { nil }
    }

    /// The elements of an array (an empty map counts as an empty array).
    public var arrayValue: [LuaValue]? {
        switch self {
        case .array(let elements): elements
        case .map(let fields) where fields.isEmpty: []
        default: nil
        }
    }

    /// The fields of a map (an empty array, i.e. `{}`, counts as an empty map).
    public var mapValue: [String: LuaValue]? {
        switch self {
        case .map(let fields): fields
        case .array(let elements) where elements.isEmpty: [:]
        default: nil
        }
    }

    /// The field of a map, or `.nil`.
    public subscript(key: String) -> LuaValue {
        mapValue?[key] ?? .nil
    }
}

// MARK: - Literals

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: - Description

extension LuaValue: CustomStringConvertible {
    /// A Lua-like literal, map keys sorted: `{name = "x", list = {1, 2.5}}`.
    public var description: String {
        switch self {
        case .nil: return "nil"
        case .boolean(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return "\(value)"
        case .string(let value): return "\"" + escaped(value.string) + "\""
        case .array(let elements): return "{" + elements.map(\.description).joined(separator: ", ") + "}"
        case .map(let fields):
            let parts = fields.keys.sorted().map { key in
                let name = FieldPath.isIdentifier(key) ? key : "[\"\(escaped(key))\"]"
                return "\(name) = \(fields[key, default: .nil])"
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    private func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\0": result += "\\0"
            default: result.append(character)
            }
        }
        return result
    }
}
