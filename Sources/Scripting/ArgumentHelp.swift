/// The `--help` text of an `ArgumentSpec`.
extension ArgumentSpec {
    static let helpWidth = 100

    /// `Usage: builder create-job OUTPUT --naf CODE [--naf CODE ...] [options]`
    var usageLine: String {
        var parts = ["Usage:", program]
        for positional in positionals {
            var text = positional.metavar
            if positional.repeatable { text += "..." }
            parts.append(positional.required ? text : "[\(text)]")
        }
        for option in options where option.required {
            let single = option.flag + (option.metavar.isEmpty ? "" : " " + option.metavar)
            parts.append(option.repeatable ? "\(single) [\(single) ...]" : single)
        }
        if options.contains(where: { !$0.required }) { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    var helpText: String {
        var lines = [usageLine]
        if let description, !description.isEmpty { lines += ["", description.trimmingTrailingNewlines()] }

        var rows: [(label: String, help: String)] = []
        for positional in positionals {
            var notes: [String] = []
            if !positional.required { notes.append("optional") }
            if positional.repeatable { notes.append("repeatable") }
            rows.append(("  " + positional.metavar, Self.annotated(positional.help, notes)))
        }
        let positionalCount = rows.count
        for option in options {
            var label = "  " + (option.short.map { "-\($0), " } ?? "") + option.flag
            if !option.metavar.isEmpty { label += " " + option.metavar }
            var notes: [String] = []
            if option.required { notes.append("required") }
            if option.repeatable { notes.append("repeatable") }
            if !option.choices.isEmpty { notes.append("one of: " + option.choices.map(Self.display).joined(separator: ", ")) }
            if !option.defaultValue.isNil && option.type != .boolean { notes.append("default: " + Self.display(option.defaultValue)) }
            rows.append((label, Self.annotated(option.help, notes)))
        }
        rows.append(("  -h, --help", "Show this help and exit."))

        let column = min(30, (rows.map(\.label.count).max() ?? 0) + 2)
        func format(_ row: (label: String, help: String)) -> [String] {
            let wrapped = Self.wrap(row.help, width: Self.helpWidth - column)
            guard row.label.count + 2 <= column else {
                return [row.label] + wrapped.map { String(repeating: " ", count: column) + $0 }
            }
            let first = row.label + String(repeating: " ", count: column - row.label.count) + (wrapped.first ?? "")
            return [first] + wrapped.dropFirst().map { String(repeating: " ", count: column) + $0 }
        }
        if positionalCount > 0 {
            lines += ["", "Arguments:"]
            for row in rows[..<positionalCount] { lines += format(row) }
        }
        lines += ["", "Options:"]
        for row in rows[positionalCount...] { lines += format(row) }
        if let epilog, !epilog.isEmpty { lines += ["", epilog.trimmingTrailingNewlines()] }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    private static func annotated(_ help: String, _ notes: [String]) -> String {
        guard !notes.isEmpty else { return help }
        let suffix = "(" + notes.joined(separator: "; ") + ")"
        return help.isEmpty ? suffix : help + " " + suffix
    }

    /// Words of `text` in lines of at most `width` characters (a longer word gets its own line).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while result.hasSuffix("\n") { result.removeLast() }
        return result
    }

    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
