import Basics
/// Substitutes placeholder values into YAML template tokens according to where each placeholder
/// sits: a small scanner that follows the YAML constructs a job template uses (block and flow
/// collections, plain/single/double-quoted scalars, block scalars, comments, tags and anchors).
/// It buffers each scalar so that a plain or single-quoted scalar can be rewritten as a
/// double-quoted one when a value cannot be written in its style.
struct YAMLTemplateRenderer {
    let tokens: [TemplateToken]
    let values: [String: TemplateValue]
    let source: String?

    private var output = ""
    private var index = 0
    private var flowDepth = 0
    private var atLineStart = true
    private var lineIndent = 0
    /// Set after a `|` or `>` header: lines indented deeper than this are the block scalar's content.
    private var blockScalarParentIndent: Int?
    /// The source character before the current one (for `#`, which starts a comment only after a space).
    private var previous: Unicode.Scalar = "\n"

    init(tokens: [TemplateToken], values: [String: TemplateValue], source: String?) {
        self.tokens = tokens
        self.values = values
        self.source = source
    }

    mutating func render() throws(TemplateError) -> String {
        while index < tokens.count {
            if atLineStart {
                try startLine()
                continue
            }
            guard case let .character(scalar) = tokens[index] else {
                try scanPlain()
                continue
            }
            switch scalar {
            case "\n":
                emit(scalar)
                atLineStart = true
            case " ", "\t", "\r":
                emit(scalar)
            case "#" where previous == " " || previous == "\t" || previous == "\n":
                scanComment()
            case "\"":
                try scanDoubleQuoted()
            case "'":
                try scanSingleQuoted()
            case "[", "{":
                flowDepth += 1
                emit(scalar)
            case "]", "}":
                flowDepth = max(0, flowDepth - 1)
                emit(scalar)
            case ",":
                emit(scalar)
            case "-" where endsIndicator(at: index + 1), "?" where endsIndicator(at: index + 1),
                 ":" where endsIndicator(at: index + 1):
                emit(scalar)
            case ":" where flowDepth > 0 && isFlowIndicator(at: index + 1):
                emit(scalar)
            case "|" where flowDepth == 0, ">" where flowDepth == 0:
                try scanToLineEnd(refusing: "a block scalar header")
                blockScalarParentIndent = lineIndent
            case "!", "&", "*":
                try scanProperty()
            default:
                try scanPlain()
            }
        }
        return output
    }

    // MARK: Lines

    /// Handles indentation, block scalar content lines, document markers and directives.
    private mutating func startLine() throws(TemplateError) {
        var indent = 0
        while index + indent < tokens.count, tokens[index + indent] == .character(" ") { indent += 1 }
        let first = index + indent < tokens.count ? tokens[index + indent] : nil
        let blankLine = first == nil || first == .character("\n") || first == .character("\r")
        if let parent = blockScalarParentIndent {
            if blankLine || indent > parent {
                try scanBlockScalarLine()
                return
            }
            blockScalarParentIndent = nil
        }
        for _ in 0..<indent { emit(" ") }
        lineIndent = indent
        atLineStart = false
        guard indent == 0 else { return }
        if startsWith("---") || startsWith("...") {
            for _ in 0..<3 { emit(character(at: index) ?? " ") }
        } else if first == .character("%") {
            try scanToLineEnd(refusing: "a directive")
        }
    }

    /// One line of a `|` or `>` block scalar: values are written as they are, which is exact as
    /// long as they hold no line break and nothing that needs an escape, and do not start the
    /// line's text with white space (which would change the block's detected indentation).
    private mutating func scanBlockScalarLine() throws(TemplateError) {
        var lineHasText = false
        while index < tokens.count {
            switch tokens[index] {
            case .character("\n"):
                emit("\n")
                return
            case let .character(scalar):
                if scalar != " " { lineHasText = true }
                emit(scalar)
            case let .placeholder(name, line):
                let text = value(name).yamlText
                let printable = text.unicodeScalars.allSatisfy {
                    $0 == "\t" || !YAMLScalar.needsEscape($0) && !YAMLScalar.isLineBreak($0)
                }
                guard printable else {
                    throw TemplateError(source: source, line: line, message:
                        "the value of {\(name)} holds a line break or control character, which a block scalar "
                        + "(| or >) cannot hold; put the placeholder in a double-quoted scalar")
                }
                if !lineHasText, let first = text.unicodeScalars.first, first == " " || first == "\t" {
                    throw TemplateError(source: source, line: line, message:
                        "the value of {\(name)} starts with white space, which would change the indentation of "
                        + "this block scalar (| or >); put the placeholder in a double-quoted scalar")
                }
                if !text.isEmpty { lineHasText = true }
                output += text
                index += 1
                previous = "x"
            }
        }
    }

    // MARK: Scalars

    /// A plain scalar: up to a line break, ` #`, `: ` and, in flow context, a flow indicator.
    private mutating func scanPlain() throws(TemplateError) {
        var buffer: [TemplateToken] = []
        scan: while index < tokens.count {
            let token = tokens[index]
            if case let .character(scalar) = token {
                switch scalar {
                case "\n", "\r":
                    break scan
                case " ", "\t":
                    var end = index
                    while end < tokens.count, tokens[end] == .character(" ") || tokens[end] == .character("\t") { end += 1 }
                    let next = end < tokens.count ? tokens[end] : nil
                    if next == nil || next == .character("#") || next == .character("\n") || next == .character("\r") {
                        break scan
                    }
                    buffer.append(contentsOf: tokens[index..<end])
                    index = end
                    continue
                case ":" where endsIndicator(at: index + 1) || (flowDepth > 0 && isFlowIndicator(at: index + 1)):
                    break scan
                case "," where flowDepth > 0, "[" where flowDepth > 0, "]" where flowDepth > 0,
                     "{" where flowDepth > 0, "}" where flowDepth > 0:
                    break scan
                default:
                    break
                }
            }
            buffer.append(token)
            index += 1
        }
        guard !buffer.isEmpty else {
            // Not reached for well-formed input; guarantees progress on anything else.
            if index < tokens.count, case let .character(scalar) = tokens[index] { emit(scalar) }
            return
        }
        emitPlain(buffer)
        if let last = buffer.last, case let .character(scalar) = last { previous = scalar } else { previous = "x" }
    }

    private mutating func emitPlain(_ buffer: [TemplateToken]) {
        var text = ""
        var hasString = false
        var valuesArePlain = true
        for (position, token) in buffer.enumerated() {
            switch token {
            case let .character(scalar):
                text.unicodeScalars.append(scalar)
            case let .placeholder(name, _):
                let value = value(name)
                let valueText = value.yamlText
                if value.isString {
                    hasString = true
                    let bytes = valueText.utf8
                    let startsWell = position > 0 || bytes.first.map { YAMLScalar.isPlainStart($0) || ASCII.isDigit($0) } ?? false
                    if bytes.isEmpty || !startsWell || !bytes.allSatisfy(YAMLScalar.isPlainCharacter) {
                        valuesArePlain = false
                    }
                }
                text += valueText
            }
        }
        if !hasString || valuesArePlain && YAMLScalar.plainReadsAsString(text) {
            output += text
        } else {
            output += YAMLScalar.doubleQuoted(text)
        }
    }

    private mutating func scanDoubleQuoted() throws(TemplateError) {
        emit("\"")
        while index < tokens.count {
            switch tokens[index] {
            case .character("\\"):
                emit("\\")
                if index < tokens.count, case let .placeholder(name, line) = tokens[index] {
                    throw refused(name, line, in: "an escape sequence (it follows a backslash)")
                }
                if let escaped = character(at: index) { emit(escaped) }
            case .character("\""):
                emit("\"")
                return
            case let .character(scalar):
                emit(scalar)
            case let .placeholder(name, _):
                output += YAMLScalar.escapedForDoubleQuotes(value(name).yamlText)
                index += 1
            }
        }
    }

    private mutating func scanSingleQuoted() throws(TemplateError) {
        let start = index
        index += 1
        var closed = false
        while index < tokens.count {
            if tokens[index] == .character("'") {
                if index + 1 < tokens.count, tokens[index + 1] == .character("'") {
                    index += 2
                    continue
                }
                index += 1
                closed = true
                break
            }
            index += 1
        }
        let body = tokens[(start + 1)..<(closed ? index - 1 : index)]
        let placeholders = body.compactMap { token -> (String, Int)? in
            if case let .placeholder(name, line) = token { return (name, line) }
            return nil
        }
        previous = "'"
        let fits = placeholders.allSatisfy { YAMLScalar.fitsSingleQuotedLine(value($0.0).yamlText) }
        if fits || !closed {
            output += "'"
            for token in body {
                switch token {
                case let .character(scalar): output.unicodeScalars.append(scalar)
                case let .placeholder(name, _): output += value(name).yamlText.replacingAll("'", with: "''")
                }
            }
            if closed { output += "'" }
            return
        }
        // Rewrite as a double-quoted scalar with the same content.
        var content = ""
        var position = body.startIndex
        while position < body.endIndex {
            switch body[position] {
            case .character("'"):
                content += "'"
                position += 1 // the second quote of ''
            case let .character(scalar):
                guard !YAMLScalar.isLineBreak(scalar) else {
                    let (name, line) = placeholders.first { !YAMLScalar.fitsSingleQuotedLine(value($0.0).yamlText) }
                        ?? placeholders[0]
                    throw TemplateError(source: source, line: line, message:
                        "the value of {\(name)} holds a line break or control character, which this multi-line "
                        + "single-quoted scalar cannot hold; use a double-quoted scalar")
                }
                content.unicodeScalars.append(scalar)
            case let .placeholder(name, _):
                content += value(name).yamlText
            }
            position += 1
        }
        output += YAMLScalar.doubleQuoted(content)
    }

    // MARK: Other constructs

    /// A comment: values are written with line breaks and control characters escaped, so the
    /// comment stays on its line.
    private mutating func scanComment() {
        while index < tokens.count {
            switch tokens[index] {
            case .character("\n"):
                return
            case let .character(scalar):
                emit(scalar)
            case let .placeholder(name, _):
                var text = ""
                for scalar in value(name).yamlText.unicodeScalars {
                    if YAMLScalar.isLineBreak(scalar) || YAMLScalar.needsEscape(scalar) {
                        text += YAMLScalar.escapedForDoubleQuotes(String(scalar))
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
                output += text
                index += 1
            }
        }
    }

    /// A tag, anchor or alias: up to white space (or a flow indicator in flow context).
    private mutating func scanProperty() throws(TemplateError) {
        while index < tokens.count {
            switch tokens[index] {
            case .character(" "), .character("\t"), .character("\n"), .character("\r"):
                return
            case .character(",") where flowDepth > 0, .character("]") where flowDepth > 0,
                 .character("}") where flowDepth > 0:
                return
            case let .character(scalar):
                emit(scalar)
            case let .placeholder(name, line):
                throw refused(name, line, in: "a tag, anchor or alias")
            }
        }
    }

    private mutating func scanToLineEnd(refusing construct: String) throws(TemplateError) {
        while index < tokens.count {
            switch tokens[index] {
            case .character("\n"):
                return
            case let .character(scalar):
                emit(scalar)
            case let .placeholder(name, line):
                throw refused(name, line, in: construct)
            }
        }
    }

    // MARK: Helpers

    private mutating func emit(_ scalar: Unicode.Scalar) {
        output.unicodeScalars.append(scalar)
        previous = scalar
        index += 1
    }

    private func value(_ name: String) -> TemplateValue {
        values[name] ?? .string("")
    }

    private func character(at position: Int) -> Unicode.Scalar? {
        guard position < tokens.count, case let .character(scalar) = tokens[position] else { return nil }
        return scalar
    }

    /// Whether the character at `position` ends an indicator (`- `, `? `, `: `): white space or the end.
    private func endsIndicator(at position: Int) -> Bool {
        guard position < tokens.count else { return true }
        switch tokens[position] {
        case .character(" "), .character("\t"), .character("\n"), .character("\r"): return true
        default: return false
        }
    }

    private func isFlowIndicator(at position: Int) -> Bool {
        switch character(at: position) {
        case ",", "[", "]", "{", "}": true
        default: false
        }
    }

    /// Whether the line continues with `marker` followed by white space or the end (`---`, `...`).
    private func startsWith(_ marker: String) -> Bool {
        var position = index
        for scalar in marker.unicodeScalars {
            guard character(at: position) == scalar else { return false }
            position += 1
        }
        return endsIndicator(at: position)
    }

    private func refused(_ name: String, _ line: Int, in construct: String) -> TemplateError {
        TemplateError(source: source, line: line, message: "placeholder {\(name)} cannot be part of \(construct)")
    }
}
