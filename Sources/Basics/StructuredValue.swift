/// A closed tree of plain data: what a job table from Lua, a JSON document or a YAML document is.
/// Integers and floating-point numbers stay distinct, and maps keep their keys in insertion order
/// so that encodings are stable.
public enum StructuredValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([StructuredValue])
    case map(StructuredMap)

    /// The kind of value in words, for error messages: "string", "integer", "list", ...
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "list"
        case .map: "mapping"
        }
    }

    /// The value of `key` when this is a map.
    public subscript(key: String) -> StructuredValue? {
        if case let .map(map) = self { return map[key] }
        return nil
    }

    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case let .integer(value) = self { return value }
        return nil
    }

    /// An integer or a floating-point number, as a Double.
    public var numberValue: Double? {
        switch self {
        case let .integer(value): Double(value)
        case let .double(value): value
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    public var mapValue: StructuredMap? {
        if case let .map(value) = self { return value }
        return nil
    }

    public var arrayValue: [StructuredValue]? {
        if case let .array(value) = self { return value }
        return nil
    }
}

extension StructuredValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: StructuredValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, StructuredValue)...) {
        self = .map(StructuredMap(elements))
    }
}

/// String keys to values, in insertion order. Setting an existing key keeps its position.
public struct StructuredMap: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: StructuredValue)

    public private(set) var keys: [String] = []
    private var values: [String: StructuredValue] = [:]

    public init() {}

    /// Builds a map from pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, StructuredValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, StructuredValue)...) {
        self.init(elements)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> StructuredValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(map: self) }

    public struct Iterator: IteratorProtocol {
        let map: StructuredMap
        var index = 0

        public mutating func next() -> Element? {
            guard index < map.keys.count else { return nil }
            let key = map.keys[index]
            index += 1
            return (key, map.values[key] ?? .null)
        }
    }

    /// Equal when the same keys hold the same values in the same order.
    public static func == (lhs: StructuredMap, rhs: StructuredMap) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        for key in keys { hasher.combine(values[key]) }
    }
}
