import Basics
import Jobs
import LuaRuntime
import Pipeline

/// Conversions between Lua values and the domain's `StructuredValue` / `TemplateValue`.
///
/// Lua tables have no key order, so maps are written with the keys named in `order` first (in
/// that order, at every level), then the others sorted: encodings are stable from run to run.
enum ValueBridge {
    /// `builder.json.null`: the value that encodes as JSON (and YAML) null, since a Lua table
    /// cannot hold nil. A string no real data contains.
    static let null = "\u{0}builder.json.null\u{0}"

    /// The key order of job files (`JobFields`, then the score components inside
    /// `scoring.weights`), applied by `write_job` to job tables.
    static let jobKeyOrder = JobFields.keyOrder + QualityScorer.components

    struct ConversionError: Error, CustomStringConvertible {
        let path: String
        let problem: String
        var description: String { path.isEmpty ? problem : "field '\(path)': \(problem)" }
    }

    static func structured(_ value: LuaValue, order: [String] = [], path: String = "") throws(ConversionError) -> StructuredValue {
        switch value {
        case .nil: return .null
        case let .boolean(flag): return .bool(flag)
        case let .integer(number): return .integer(number)
        case let .number(number): return .double(number)
        case let .string(text):
            guard let string = text.validUTF8 else { throw ConversionError(path: path, problem: "string is not valid UTF-8") }
            return string == null ? .null : .string(string)
        case let .array(elements):
            var converted: [StructuredValue] = []
            converted.reserveCapacity(elements.count)
            for (offset, element) in elements.enumerated() {
                converted.append(try structured(element, order: order, path: "\(path)[\(offset + 1)]"))
            }
            return .array(converted)
        case let .map(fields):
            var map = StructuredMap()
            for key in orderedKeys(fields.keys, order) {
                map[key] = try structured(fields[key] ?? .nil, order: order, path: path.isEmpty ? key : path + "." + key)
            }
            return .map(map)
        }
    }

    static func orderedKeys(_ keys: some Collection<String>, _ order: [String]) -> [String] {
        let present = Set(keys)
        let first = order.filter { present.contains($0) }
        let listed = Set(first)
        return first + keys.filter { !listed.contains($0) }.sorted()
    }

    /// A decoded document for Lua: null becomes nil (a hole in a list, a missing key in a map).
    static func lua(_ value: StructuredValue) -> LuaValue {
        switch value {
        case .null: return .nil
        case let .bool(flag): return .boolean(flag)
        case let .integer(number): return .integer(number)
        case let .double(number): return .number(number)
        case let .string(text): return LuaValue(text)
        case let .array(elements): return .array(elements.map(lua))
        case let .map(map):
            var fields: [String: LuaValue] = [:]
            for (key, element) in map { fields[key] = lua(element) }
            return .map(fields)
        }
    }

    /// The value of a template variable: a string, a number or a boolean.
    static func templateValue(_ value: LuaValue, name: String) throws(ConversionError) -> TemplateValue {
        switch value {
        case let .string(text):
            guard let string = text.validUTF8 else { throw ConversionError(path: name, problem: "string is not valid UTF-8") }
            return .string(string)
        case let .integer(number): return .integer(number)
        case let .number(number): return .double(number)
        case let .boolean(flag): return .bool(flag)
        default:
            throw ConversionError(path: name, problem: "a template variable must be a string, number or boolean, got \(value.typeName)")
        }
    }
}
