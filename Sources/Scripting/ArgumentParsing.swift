import Basics
import LuaRuntime

/// What the user typed wrong on the command line: reported by `parse_args` with the program
/// name, and the run exits with status 2.
struct CommandLineUsageError: Error, Equatable {
    let message: String
}

/// The outcome of parsing a command line against an `ArgumentSpec`.
enum ParsedArguments: Equatable {
    /// The result table: one key per option and positional argument.
    case values([String: LuaValue])
    /// `-h` or `--help` was given.
    case helpRequested
}

extension ArgumentSpec {
    /// Parses `arguments`: `--name value`, `--name=value`, `-x value`, flags, positionals, `--`
    /// ending the options. `-h`/`--help` wins as soon as it is reached.
    func parse(_ arguments: [String]) throws(CommandLineUsageError) -> ParsedArguments {
        var given: [String: [LuaValue]] = [:]
        var positionalValues: [String] = []
        var index = 0
        var optionsEnded = false

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") || looksLikeNumber(argument) {
                positionalValues.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "--help" || argument == "-h" { return .helpRequested }

            let option: Option
            var inlineValue: String?
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let found = options.first(where: { $0.name == name }) else {
                    throw unknownOption("--" + name)
                }
                option = found
            } else {
                let letter = String(argument.dropFirst())
                guard let found = options.first(where: { $0.short == letter }) else { throw unknownOption(argument) }
                option = found
            }

            let value: LuaValue
            if option.type == .boolean {
                guard inlineValue == nil else { throw CommandLineUsageError(message: "option \(option.flag) takes no value") }
                value = true
            } else {
                let text: String
                if let inlineValue {
                    text = inlineValue
                } else {
                    guard index < arguments.count, !(arguments[index].hasPrefix("--") && arguments[index].count > 2) else {
                        throw CommandLineUsageError(message: "option \(option.flag) needs a value (\(option.metavar))")
                    }
                    text = arguments[index]
                    index += 1
                }
                value = try convert(text, for: option)
            }
            if !option.repeatable, option.type != .boolean, given[option.key] != nil {
                throw CommandLineUsageError(message: "option \(option.flag) is given more than once")
            }
            given[option.key, default: []].append(value)
        }

        var result: [String: LuaValue] = [:]
        var missing: [String] = []
        for option in options {
            if let values = given[option.key] {
                result[option.key] = option.repeatable ? .array(values) : values.last ?? .nil
            } else if option.required {
                missing.append(option.flag)
            } else if option.type == .boolean {
                result[option.key] = option.defaultValue.isNil ? false : option.defaultValue
            } else if option.repeatable {
                result[option.key] = option.defaultValue.isNil ? .array([]) : option.defaultValue
            } else {
                result[option.key] = option.defaultValue
            }
        }
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "option" : "options"
            throw CommandLineUsageError(message: "missing required \(noun) \(missing.joined(separator: ", "))")
        }

        var remaining = positionalValues[...]
        for positional in positionals {
            if positional.repeatable {
                result[positional.key] = .array(remaining.map { LuaValue($0) })
                if positional.required && remaining.isEmpty {
                    throw CommandLineUsageError(message: "missing argument \(positional.metavar)")
                }
                remaining = []
            } else if let value = remaining.first {
                result[positional.key] = LuaValue(value)
                remaining = remaining.dropFirst()
            } else if positional.required {
                throw CommandLineUsageError(message: "missing argument \(positional.metavar)")
            }
        }
        if let extra = remaining.first {
            throw CommandLineUsageError(message: "unexpected argument '\(extra)'")
        }
        return .values(result)
    }

    private func unknownOption(_ flag: String) -> CommandLineUsageError {
        var candidates = options.map(\.flag) + ["--help"]
        if !flag.hasPrefix("--") { candidates += options.compactMap { $0.short.map { "-" + $0 } } }
        let hint = suggestName(for: flag, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
        return CommandLineUsageError(message: "unknown option '\(flag)'\(hint)")
    }

    private func convert(_ text: String, for option: Option) throws(CommandLineUsageError) -> LuaValue {
        let value: LuaValue
        switch option.type {
        case .string, .boolean:
            value = LuaValue(text)
        case .integer:
            guard let integer = Int64(text) else {
                throw CommandLineUsageError(message: "option \(option.flag): '\(text)' is not an integer")
            }
            value = .integer(integer)
        case .number:
            guard let number = Double(text), number.isFinite else {
                throw CommandLineUsageError(message: "option \(option.flag): '\(text)' is not a number")
            }
            value = Int64(exactly: number).map(LuaValue.integer) ?? .number(number)
        }
        if !option.choices.isEmpty && !option.choices.contains(where: { Self.sameValue($0, value) }) {
            let names = option.choices.map(Self.display).joined(separator: ", ")
            throw CommandLineUsageError(message: "option \(option.flag): '\(text)' is not one of \(names)")
        }
        return value
    }

    private func looksLikeNumber(_ argument: String) -> Bool {
        argument.count > 1 && Double(argument) != nil && !options.contains { "-" + ($0.short ?? "") == argument }
    }

    static func sameValue(_ lhs: LuaValue, _ rhs: LuaValue) -> Bool {
        if let left = lhs.doubleValue, let right = rhs.doubleValue { return left == right }
        return lhs == rhs
    }

    /// A value as the user would type it: `quick`, `3`, `0.5`.
    static func display(_ value: LuaValue) -> String {
        switch value {
        case let .string(text): text.string
        case let .array(values): values.map(display).joined(separator: " ")
        default: value.description
        }
    }
}
