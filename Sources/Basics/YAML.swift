import Yams

/// YAML text to and from `StructuredValue`.
///
/// A leading byte-order mark (U+FEFF, as some editors save UTF-8) is skipped.
///
/// Decoding uses Yams (libyaml) for the syntax and the YAML 1.2 core schema for plain scalars
/// (`yes`/`no`/`on`/`off` stay strings, dates stay strings). Explicit tags `!!str`, `!!int`,
/// `!!float`, `!!bool`, `!!null` are honoured; other tags are ignored. Mapping keys must be
/// scalars and are kept as written. Aliases are expanded, up to `maximumValues` values in all;
/// libyaml refuses nesting deeper than 1000 levels, which keeps the recursive parts bounded.
///
/// Encoding writes block style, maps in insertion order, lists of scalars in flow style
/// (`[a, "b"]`), strings plain only when every YAML reader reads them back as the same string.
public enum YAML {
    /// What libyaml reads: UTF-8, given explicitly (Yams's default reads the whole process
    /// environment at every parse).
    public static var parserEncoding: Parser.Encoding { .utf8 }

    /// Cap on the values of a decoded document, so that alias expansion cannot exhaust memory.
    public static let maximumValues = 1_000_000

    /// libyaml's own limit on nesting.
    public static let parserMaximumDepth = 1000

    /// `maximumDepth` (at most `parserMaximumDepth`) is the deepest nesting accepted; deeper is an
    /// error at the first node too deep.
    public static func decode(_ text: String) throws(YAMLError) -> StructuredValue {
        try decode(text, maximumDepth: parserMaximumDepth)
    }

    public static func decode(_ text: String, maximumDepth: Int) throws(YAMLError) -> StructuredValue {
        guard let node = try parseNode(text) else { return .null }
        var budget = maximumValues
        return try convert(node, budget: &budget, depth: 0, maximumDepth: maximumDepth)
    }

    public static func encode(_ value: StructuredValue) -> String {
        var writer = YAMLWriter()
        writer.writeDocument(value)
        return writer.output
    }

    /// The single document of `text` as a Yams node (nil when there is none), with libyaml's errors
    /// turned into `YAMLError` with a line and column.
    public static func parseNode(_ text: String) throws(YAMLError) -> Node? {
        let text = text.withoutByteOrderMark
        do {
            return try Yams.compose(yaml: text, Resolver.basic, Constructor.default, parserEncoding)
        } catch let error as YamlError {
            throw YAMLError(error, text: text)
        } catch {
            throw YAMLError(line: nil, column: nil, message: "\(error)")
        }
    }

    private static func convert(_ node: Node, budget: inout Int, depth: Int, maximumDepth: Int) throws(YAMLError) -> StructuredValue {
        budget -= 1
        if node.scalar == nil, depth >= maximumDepth {
            throw YAMLError(mark: node.mark, message: "nesting deeper than \(maximumDepth) levels")
        }
        guard budget >= 0 else {
            throw YAMLError(line: nil, column: nil,
                            message: "the document has more than \(maximumValues) values once aliases are expanded")
        }
        switch node {
        case let .scalar(scalar):
            return try scalarValue(scalar)
        case let .sequence(sequence):
            var elements: [StructuredValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence { elements.append(try convert(element, budget: &budget, depth: depth + 1, maximumDepth: maximumDepth)) }
            return .array(elements)
        case let .mapping(mapping):
            var map = StructuredMap()
            for (key, value) in mapping {
                guard case let .scalar(keyScalar) = key else {
                    throw YAMLError(mark: key.mark, message: "a mapping key must be a scalar, not a \(key.mapping != nil ? "mapping" : "list")")
                }
                map[keyScalar.string] = try convert(value, budget: &budget, depth: depth + 1, maximumDepth: maximumDepth)
            }
            return .map(map)
        case let .alias(alias):
            throw YAMLError(mark: alias.mark, message: "unresolved alias")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) throws(YAMLError) -> StructuredValue {
        let text = scalar.string
        let plain = scalar.style == .plain || scalar.style == .any
        switch scalar.tag.rawValue {
        case Tag.Name.str.rawValue:
            return .string(text)
        case Tag.Name.int.rawValue:
            if case let .integer(value) = YAMLScalar.resolvePlain(text) { return .integer(value) }
            throw YAMLError(mark: scalar.mark, message: "\(text.debugDescription) is not an integer (!!int)")
        case Tag.Name.float.rawValue:
            switch YAMLScalar.resolvePlain(text) {
            case let .double(value): return .double(value)
            case let .integer(value): return .double(Double(value))
            default: throw YAMLError(mark: scalar.mark, message: "\(text.debugDescription) is not a number (!!float)")
            }
        case Tag.Name.bool.rawValue:
            if case let .bool(value) = YAMLScalar.resolvePlain(text) { return .bool(value) }
            throw YAMLError(mark: scalar.mark, message: "\(text.debugDescription) is not a boolean (!!bool)")
        case Tag.Name.null.rawValue:
            return .null
        default:
            return plain && scalar.tag.rawValue != "!" ? YAMLScalar.resolvePlain(text) : .string(text)
        }
    }
}

/// Why a YAML text could not be decoded, with the 1-based line and column libyaml reports.
public struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(line: Int?, column: Int?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public init(mark: Mark?, message: String) {
        self.init(line: mark?.line, column: mark?.column, message: message)
    }

    public init(_ error: YamlError, text: String) {
        func withContext(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .parser(_, problem, mark, _) where problem.hasPrefix("Maximum nesting level reached"):
            // libyaml marks where the enclosing construct started (line 1, column 1 for `[[[...`),
            // not where the limit was crossed: a place before the limit's count of characters
            // cannot be that, so it is left out.
            let message = "nesting deeper than \(YAML.parserMaximumDepth) levels"
            if YAMLError.characterOffset(line: mark.line, column: mark.column, in: text) >= YAML.parserMaximumDepth {
                self.init(mark: mark, message: message)
            } else {
                self.init(line: nil, column: nil, message: message)
            }
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            self.init(mark: mark, message: withContext(problem, context))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { $0.debugDescription }.joined(separator: ", ")
            self.init(mark: context.mark, message: "duplicate key \(keys)")
        case let .reader(problem, offset, _, _):
            let position = offset.map { YAMLError.lineAndColumn(ofCharacterOffset: $0, in: text) }
            self.init(line: position?.line, column: position?.column, message: problem)
        default:
            self.init(line: nil, column: nil, message: "\(error)")
        }
    }

    public var description: String {
        guard let line else { return message }
        return "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)"
    }

    /// The characters before 1-based `line` and `column` (the inverse of `lineAndColumn`).
    public static func characterOffset(line: Int, column: Int, in text: String) -> Int {
        var offset = 0
        var currentLine = 1
        for character in text {
            if currentLine >= line { break }
            offset += 1
            if character == "\n" || character == "\r\n" { currentLine += 1 }
        }
        return offset + max(0, column - 1)
    }

    public static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

struct YAMLWriter {
    var output = ""

    mutating func writeDocument(_ value: StructuredValue) {
        switch value {
        case let .map(map) where !map.isEmpty: writeMap(map, indent: 0)
        case let .array(elements) where needsBlock(elements): writeList(elements, indent: 0)
        default: output += inline(value) + "\n"
        }
    }

    private mutating func writeMap(_ map: StructuredMap, indent: Int) {
        for (key, value) in map {
            output += String(repeating: " ", count: indent) + scalarText(key) + ":"
            writeNested(value, indent: indent + 2)
        }
    }

    private mutating func writeList(_ elements: [StructuredValue], indent: Int) {
        for element in elements {
            output += String(repeating: " ", count: indent) + "-"
            switch element {
            case let .map(map) where !map.isEmpty:
                // The first entry goes on the dash's line: "- key: value".
                var nested = YAMLWriter()
                nested.writeMap(map, indent: indent + 2)
                output += " " + nested.output.dropFirst(indent + 2)
            case let .array(inner) where needsBlock(inner):
                var nested = YAMLWriter()
                nested.writeList(inner, indent: indent + 2)
                output += " " + nested.output.dropFirst(indent + 2)
            default:
                output += " " + inline(element) + "\n"
            }
        }
    }

    private mutating func writeNested(_ value: StructuredValue, indent: Int) {
        switch value {
        case let .map(map) where !map.isEmpty:
            output += "\n"
            writeMap(map, indent: indent)
        case let .array(elements) where needsBlock(elements):
            output += "\n"
            writeList(elements, indent: indent)
        default:
            output += " " + inline(value) + "\n"
        }
    }

    /// Lists holding collections are written in block style; lists of scalars fit on one line.
    private func needsBlock(_ elements: [StructuredValue]) -> Bool {
        elements.contains {
            switch $0 {
            case .array, .map: true
            default: false
            }
        }
    }

    private func inline(_ value: StructuredValue) -> String {
        switch value {
        case .null: "null"
        case let .bool(flag): flag ? "true" : "false"
        case let .integer(number): String(number)
        case let .double(number): YAMLScalar.formatDouble(number)
        case let .string(text): scalarText(text)
        case let .array(elements): "[" + elements.map(inline).joined(separator: ", ") + "]"
        case let .map(map): map.isEmpty ? "{}" : "{" + map.map { scalarText($0.key) + ": " + inline($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private func scalarText(_ text: String) -> String {
        YAMLScalar.isSafePlain(text) ? text : YAMLScalar.doubleQuoted(text)
    }
}
