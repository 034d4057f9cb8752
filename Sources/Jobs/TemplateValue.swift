import Basics
/// A value substituted for a `{name}` placeholder of a template.
public enum TemplateValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)

    /// The text substituted in plain text, and in YAML for anything but a string: `42`, `1.5`,
    /// `true`. Floats are written so that YAML reads them back as floats (`1.0e+16`, `.inf`).
    var yamlText: String {
        switch self {
        case let .string(text): text
        case let .integer(number): String(number)
        case let .double(number): YAMLScalar.formatDouble(number)
        case let .bool(flag): flag ? "true" : "false"
        }
    }

    var plainText: String {
        switch self {
        case let .double(number): number.description
        default: yamlText
        }
    }

    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// Why a template could not be rendered, naming the template, the line and the placeholder.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template's name as given by the caller (a file name), nil when it has none.
    public let source: String?
    public let line: Int?
    public let message: String

    public var description: String {
        var prefix = "template"
        if let source { prefix += " " + source }
        if let line { prefix += ", line \(line)" }
        return prefix + ": " + message
    }
}
