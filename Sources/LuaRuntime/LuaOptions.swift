import Basics
/// An option table (`run_job(path, {input = ..., timeout = 60})`) whose keys were checked
/// against the allowed names, with typed getters whose errors name the argument and the key:
/// `bad argument #2 'opts' (unknown option 'inptu', did you mean 'input'?)`,
/// `bad argument #2 'opts' (option 'timeout': integer expected, got string)`.
///
/// Getters return nil for a missing key; use `missing(_:)` to report a required one.
public struct LuaOptions: Sendable {
    public let values: [String: LuaValue]
    public let position: Int
    public let argumentName: String

    /// Checks `value` (a table with string keys, or `{}`) against `allowed`.
    public init(validating value: LuaValue, allowed: [String], position: Int, argumentName: String) throws(LuaArgumentError) {
        self.position = position
        self.argumentName = argumentName
        guard let values = value.mapValue else {
            throw LuaArgumentError(
                position: position, name: argumentName, problem: "table of options expected, got \(value.typeName == "table" ? "array" : value.typeName)")
        }
        for key in values.keys.sorted() where !allowed.contains(key) {
            let problem: String
            if let suggestion = suggestName(for: key, among: allowed) {
                problem = "unknown option '\(key)', did you mean '\(suggestion)'?"
            } else {
                problem = "unknown option '\(key)'; valid options: \(allowed.joined(separator: ", "))"
            }
            throw LuaArgumentError(position: position, name: argumentName, problem: problem)
        }
        self.values = values
    }

    /// `bad argument #2 'opts' (option 'key': problem)`.
    public func error(_ key: String, _ problem: String) -> LuaArgumentError {
        LuaArgumentError(position: position, name: argumentName, problem: "option '\(key)': \(problem)")
    }

    /// `bad argument #2 'opts' (option 'input' is required)`.
    public func missing(_ key: String) -> LuaArgumentError {
        LuaArgumentError(position: position, name: argumentName, problem: "option '\(key)' is required")
    }

    private func typeError(_ key: String, expected: String, got value: LuaValue) -> LuaArgumentError {
        error(key, "\(expected) expected, got \(value.typeName)")
    }

    /// The raw value (`.nil` when missing).
    public subscript(key: String) -> LuaValue {
        values[key] ?? .nil
    }

    public func string(_ key: String) throws(LuaArgumentError) -> String? {
        let value = self[key]
        if value.isNil { return nil }
        guard let text = value.stringValue else { throw typeError(key, expected: "string", got: value) }
        return text
    }

    /// An integer; `3.0` is accepted, `3.5` is not.
    public func integer(_ key: String) throws(LuaArgumentError) -> Int64? {
        let value = self[key]
        if value.isNil { return nil }
        guard let integer = value.integerValue else {
            if value.doubleValue != nil { throw error(key, "number has no integer representation") }
            throw typeError(key, expected: "integer", got: value)
        }
        return integer
    }

    public func number(_ key: String) throws(LuaArgumentError) -> Double? {
        let value = self[key]
        if value.isNil { return nil }
        guard let number = value.doubleValue else { throw typeError(key, expected: "number", got: value) }
        return number
    }

    public func boolean(_ key: String) throws(LuaArgumentError) -> Bool? {
        let value = self[key]
        if value.isNil { return nil }
        guard let flag = value.boolValue else { throw typeError(key, expected: "boolean", got: value) }
        return flag
    }

    /// An array of strings (`{"python3", "cli.py"}`); a wrong element is named by its index.
    public func strings(_ key: String) throws(LuaArgumentError) -> [String]? {
        let value = self[key]
        if value.isNil { return nil }
        guard let elements = value.arrayValue else { throw typeError(key, expected: "array of strings", got: value) }
        var strings: [String] = []
        for (offset, element) in elements.enumerated() {
            guard let text = element.stringValue else {
                throw error("\(key)[\(offset + 1)]", "string expected, got \(element.typeName)")
            }
            strings.append(text)
        }
        return strings
    }

    /// A nested table with string keys (or `{}`).
    public func map(_ key: String) throws(LuaArgumentError) -> [String: LuaValue]? {
        let value = self[key]
        if value.isNil { return nil }
        guard let fields = value.mapValue else { throw typeError(key, expected: "table with string keys", got: value) }
        return fields
    }
}
