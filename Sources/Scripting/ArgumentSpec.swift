import Basics
import LuaRuntime

/// The declaration given to `builder.parse_args(spec, argv)`:
///
/// ```lua
/// {
///   program = "builder batch",             -- name in the usage line and messages
///   description = "What the command does.", -- printed under the usage line
///   epilog = "Examples: ...",               -- printed after the options
///   options = {
///     {name = "naf", type = "string", repeatable = true, required = true, metavar = "CODE", help = "..."},
///     {name = "verbose", short = "v", type = "boolean", help = "..."},
///   },
///   positionals = {{name = "output", metavar = "OUTPUT", help = "..."}},
/// }
/// ```
///
/// Option types: `string` (default), `integer`, `number`, `boolean` (a flag that takes no value).
/// Result keys are the names with `-` replaced by `_` (`dry-run` -> `dry_run`).
struct ArgumentSpec {
    enum ValueType: String, CaseIterable {
        case string, integer, number, boolean
    }

    struct Option {
        var name: String
        var short: String?
        var type: ValueType
        var repeatable: Bool
        var required: Bool
        var defaultValue: LuaValue
        var choices: [LuaValue]
        var help: String
        var metavar: String

        var key: String { ArgumentSpec.key(for: name) }
        var flag: String { "--" + name }
    }

    struct Positional {
        var name: String
        var required: Bool
        var repeatable: Bool
        var help: String
        var metavar: String

        var key: String { ArgumentSpec.key(for: name) }
    }

    var program: String
    var description: String?
    var epilog: String?
    var options: [Option]
    var positionals: [Positional]

    static let specKeys = ["program", "description", "epilog", "options", "positionals"]
    static let optionKeys = ["name", "short", "type", "repeatable", "required", "default", "choices", "help", "metavar"]
    static let positionalKeys = ["name", "required", "repeatable", "help", "metavar"]

    static func key(for name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    /// Reads and checks a spec table; mistakes (the script's, not the user's) are argument errors
    /// of `parse_args` naming the field: `options[3]: unknown option 'requird', did you mean 'required'?`.
    init(_ value: LuaValue, defaultProgram: String) throws(LuaArgumentError) {
        let spec = try LuaOptions(validating: value, allowed: Self.specKeys, position: 1, argumentName: "spec")
        program = try spec.string("program") ?? defaultProgram
        description = try spec.string("description")
        epilog = try spec.string("epilog")
        options = []
        positionals = []

        let optionValues = spec["options"]
        guard optionValues.isNil || optionValues.arrayValue != nil else {
            throw spec.error("options", "list of option tables expected, got \(optionValues.typeName)")
        }
        var seenNames: Set<String> = ["help"]
        var seenShort: Set<String> = ["h"]
        for (offset, entry) in (optionValues.arrayValue ?? []).enumerated() {
            let option = try Self.option(entry, field: "options[\(offset + 1)]")
            guard seenNames.insert(option.name).inserted else {
                throw spec.error("options[\(offset + 1)].name", "'\(option.name)' is declared twice (or is the built-in --help)")
            }
            if let short = option.short, !seenShort.insert(short).inserted {
                throw spec.error("options[\(offset + 1)].short", "'-\(short)' is declared twice (or is the built-in -h)")
            }
            options.append(option)
        }

        let positionalValues = spec["positionals"]
        guard positionalValues.isNil || positionalValues.arrayValue != nil else {
            throw spec.error("positionals", "list of tables expected, got \(positionalValues.typeName)")
        }
        let entries = positionalValues.arrayValue ?? []
        for (offset, entry) in entries.enumerated() {
            let field = "positionals[\(offset + 1)]"
            let positional = try Self.positional(entry, field: field)
            if positional.repeatable && offset != entries.count - 1 {
                throw spec.error(field, "only the last positional argument can be repeatable")
            }
            if positional.required, let previous = positionals.last, !previous.required {
                throw spec.error(field, "a required positional argument cannot follow an optional one")
            }
            guard !options.contains(where: { $0.key == positional.key }),
                  !positionals.contains(where: { $0.key == positional.key }) else {
                throw spec.error(field, "'\(positional.name)' is already declared")
            }
            positionals.append(positional)
        }
    }

    private static func option(_ value: LuaValue, field: String) throws(LuaArgumentError) -> Option {
        let entry = try LuaOptions(validating: value, allowed: optionKeys, position: 1, argumentName: "spec.\(field)")
        let name = try identifier(entry)
        var short: String?
        if let letter = try entry.string("short") {
            guard letter.count == 1, letter.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else {
                throw entry.error("short", "a single letter or digit expected, got '\(letter)'")
            }
            short = letter
        }
        let typeName = try entry.string("type") ?? "string"
        guard let type = ValueType(rawValue: typeName) else {
            let hint = suggestName(for: typeName, among: ValueType.allCases.map(\.rawValue)).map { ", did you mean '\($0)'?" } ?? ""
            throw entry.error("type", "unknown type '\(typeName)'\(hint) (types: string, integer, number, boolean)")
        }
        let repeatable = try entry.boolean("repeatable") ?? false
        let required = try entry.boolean("required") ?? false
        if type == .boolean && (repeatable || required) {
            throw entry.error(repeatable ? "repeatable" : "required", "a boolean flag cannot be \(repeatable ? "repeatable" : "required")")
        }
        var choices: [LuaValue] = []
        if !entry["choices"].isNil {
            guard let list = entry["choices"].arrayValue, !list.isEmpty else {
                throw entry.error("choices", "non-empty list expected")
            }
            for (offset, choice) in list.enumerated() where !matches(choice, type) {
                throw entry.error("choices[\(offset + 1)]", "\(type.rawValue) expected, got \(choice.typeName)")
            }
            choices = list
        }
        let defaultValue = entry["default"]
        if !defaultValue.isNil {
            let values = repeatable ? defaultValue.arrayValue : [defaultValue]
            guard let values else { throw entry.error("default", "list expected for a repeatable option, got \(defaultValue.typeName)") }
            for value in values where !matches(value, type) {
                throw entry.error("default", "\(type.rawValue) expected, got \(value.typeName)")
            }
            if !choices.isEmpty, let bad = values.first(where: { !choices.contains($0) }) {
                throw entry.error("default", "\(bad) is not one of the choices")
            }
        }
        let metavar = try entry.string("metavar") ?? (type == .boolean ? "" : key(for: name).uppercased())
        return Option(name: name, short: short, type: type, repeatable: repeatable, required: required,
                      defaultValue: defaultValue, choices: choices, help: try entry.string("help") ?? "", metavar: metavar)
    }

    private static func positional(_ value: LuaValue, field: String) throws(LuaArgumentError) -> Positional {
        let entry = try LuaOptions(validating: value, allowed: positionalKeys, position: 1, argumentName: "spec.\(field)")
        let name = try identifier(entry)
        return Positional(name: name, required: try entry.boolean("required") ?? true,
                          repeatable: try entry.boolean("repeatable") ?? false, help: try entry.string("help") ?? "",
                          metavar: try entry.string("metavar") ?? key(for: name).uppercased())
    }

    /// `name`: lower-case letters, digits and `-`, starting with a letter (`output-dir`).
    private static func identifier(_ entry: LuaOptions) throws(LuaArgumentError) -> String {
        guard let name = try entry.string("name") else { throw entry.missing("name") }
        let scalars = Array(name.unicodeScalars)
        let valid = !scalars.isEmpty && ("a"..."z").contains(scalars[0])
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard valid else {
            throw entry.error("name", "'\(name)' is not an option name (lower-case letters, digits, '-' and '_', starting with a letter)")
        }
        return name
    }

    static func matches(_ value: LuaValue, _ type: ValueType) -> Bool {
        switch (type, value) {
        case (.string, .string), (.boolean, .boolean), (.integer, .integer), (.number, .integer), (.number, .number): true
        case (.integer, .number(let number)): Int64(exactly: number) != nil
        default: false
        }
    }
}
