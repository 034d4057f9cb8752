import Basics
import NAF

/// A job template (docs/job-file.md, Templates): YAML text with `{name}` placeholders.
///
/// - `{name}` (name: a letter or `_`, then letters, digits, `_`) is replaced by the variable's value;
///   an unknown name is an error naming it and its line.
/// - `{{` and `}}` stand for `{` and `}`, as in Python's `str.format`, so templates written for it
///   work unchanged.
/// - Any other `{` is left as it is, and so is the `}` that closes it: `{contactability: 50}` and
///   `{weights: {contactability: 50}}` are YAML flow mappings (braces are matched like brackets,
///   see `TemplateTokens`).
///
/// `render` knows where each placeholder sits in the YAML and writes the value so that it can
/// never change the document's structure: escaped inside a double-quoted scalar, with `'` doubled
/// inside a single-quoted one, plain in a plain scalar only when it reads back as the same string
/// (the whole scalar is double-quoted otherwise), escaped in a comment. A single-quoted scalar whose
/// value holds a line break or control character is rewritten as a double-quoted one. Placeholders
/// in block scalars (`|`, `>`) take values without line breaks; placeholders in tags, anchors,
/// aliases and directives are refused. As a last guard, the template is also rendered with neutral
/// values and both results are parsed: they must parse and have the same shape.
///
/// Strings are substituted as strings (`"6920Z"`, never the number 6920); integers, floats and
/// booleans are written plainly, so `min: {score}` gives a number.
public struct JobTemplate: Sendable {
    public let text: String
    /// The template's name in error messages (usually its file name).
    public let source: String?

    /// A leading byte-order mark is dropped (it would otherwise be copied into every job).
    public init(_ text: String, source: String? = nil) {
        self.text = text.withoutByteOrderMark
        self.source = source
    }

    /// The placeholder names the template uses, in order of first use.
    public var placeholderNames: [String] {
        var seen = Set<String>()
        return TemplateTokens(text).tokens.compactMap {
            guard case let .placeholder(name, _) = $0, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// Renders a YAML template; the result parses as YAML and has the template's structure.
    public func render(_ variables: [String: TemplateValue]) throws(TemplateError) -> String {
        let tokens = TemplateTokens(text).tokens
        try checkPlaceholders(tokens, variables)
        var renderer = YAMLTemplateRenderer(tokens: tokens, values: variables, source: source)
        let rendered = try renderer.render()
        var neutral = variables
        for (name, value) in variables where value.isString { neutral[name] = .string("builder_value_" + name) }
        var referenceRenderer = YAMLTemplateRenderer(tokens: tokens, values: neutral, source: source)
        let reference = try referenceRenderer.render()
        try TemplateStructureCheck(source: source).check(rendered: rendered, reference: reference)
        return rendered
    }

    /// Renders any text: same placeholder rules, values substituted as they are, no YAML awareness.
    public func renderText(_ variables: [String: TemplateValue]) throws(TemplateError) -> String {
        let tokens = TemplateTokens(text).tokens
        try checkPlaceholders(tokens, variables)
        var output = ""
        for token in tokens {
            switch token {
            case let .character(scalar): output.unicodeScalars.append(scalar)
            case let .placeholder(name, _): output += variables[name]?.plainText ?? ""
            }
        }
        return output
    }

    /// The variables every job template gets: `niche_name` (`naf_6920Z`), `naf_code` (the compact
    /// code, `6920Z`) and `profile`.
    public static func standardVariables(code: NAFCode, profile: JobProfile) -> [String: TemplateValue] {
        ["niche_name": .string(code.nicheName), "naf_code": .string(code.compact), "profile": .string(profile.rawValue)]
    }

    private func checkPlaceholders(_ tokens: [TemplateToken], _ variables: [String: TemplateValue]) throws(TemplateError) {
        for case let .placeholder(name, line) in tokens where variables[name] == nil {
            let known = variables.keys.sorted().joined(separator: ", ")
            throw TemplateError(source: source, line: line,
                                message: "unknown placeholder {\(name)}; known: \(known.isEmpty ? "(none)" : known)")
        }
    }
}

enum TemplateToken: Equatable {
    case character(Unicode.Scalar)
    case placeholder(name: String, line: Int)
}

/// The template text as characters and placeholders, with brace escapes resolved.
///
/// Braces are matched like brackets: `{{` opens an escaped brace, which `}}` closes (giving `{`
/// and `}`, as Python's `str.format` does), and a single `{` opens a literal brace, which a single
/// `}` closes. So `{{weights: {{a: 50}}}}` (written for Python) and `{weights: {a: 50}}` (plain
/// YAML) both give `{weights: {a: 50}}`. A `}}` with no brace open gives `}`.
///
/// With `shellVariables` (runner commands), a `{` right after `$` is a literal brace: `${HOME}`
/// is the shell's, never a placeholder.
struct TemplateTokens {
    let tokens: [TemplateToken]

    private enum OpenBrace { case escaped, literal }

    init(_ text: String, shellVariables: Bool = false) {
        let scalars = Array(text.unicodeScalars)
        var tokens: [TemplateToken] = []
        tokens.reserveCapacity(scalars.count)
        var open: [OpenBrace] = []
        var line = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "{" where next == "{":
                open.append(.escaped)
                tokens.append(.character("{"))
                index += 2
            case "{":
                let shellVariable = shellVariables && index > 0 && scalars[index - 1] == "$"
                if !shellVariable, let (name, end) = TemplateTokens.identifier(in: scalars, from: index + 1),
                   end < scalars.count, scalars[end] == "}" {
                    tokens.append(.placeholder(name: name, line: line))
                    index = end + 1
                } else {
                    open.append(.literal)
                    tokens.append(.character("{"))
                    index += 1
                }
            case "}":
                let closesEscape = open.last.map { $0 == .escaped } ?? true
                if !open.isEmpty { open.removeLast() }
                tokens.append(.character("}"))
                index += closesEscape && next == "}" ? 2 : 1
            default:
                if scalar == "\n" { line += 1 }
                tokens.append(.character(scalar))
                index += 1
            }
        }
        self.tokens = tokens
    }

    /// An identifier starting at `start`, and the index just past it.
    private static func identifier(in scalars: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        func isStart(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || scalar == "_")
        }
        guard start < scalars.count, isStart(scalars[start]) else { return nil }
        var end = start + 1
        while end < scalars.count, isStart(scalars[end]) || ("0"..."9").contains(scalars[end]) { end += 1 }
        var name = ""
        name.unicodeScalars.append(contentsOf: scalars[start..<end])
        return (name, end)
    }
}
